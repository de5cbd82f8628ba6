"""`phraseguard transcribe` and `phraseguard models` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from speech_helpers import make_model, model_zip

from phraseguard.cli import cli
from phraseguard.speech import asr, models
from phraseguard.speech.transcript import Role, load_transcript

NAME = "vosk-model-small-xx-0.1"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def shared_engine(ko_engine, monkeypatch):
    """Make the command reuse the session's loaded model instead of loading its own."""
    monkeypatch.setattr(asr, "SpeechEngine", lambda path: ko_engine)
    return ko_engine


@pytest.mark.vosk
def test_transcribe_json_to_stdout(shared_engine, ko_clips: Path, tmp_path: Path) -> None:
    result = run("transcribe", str(ko_clips / "kspon_000006.wav"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["duration"] == pytest.approx(3.862, abs=0.01)
    utt = data["utterances"][0]
    assert utt["role"] == "agent" and utt["channel"] == 0
    assert "드라마" in [w["word"] for w in utt["result"]]
    (tmp_path / "t.json").write_text(result.stdout, encoding="utf-8")
    assert load_transcript(tmp_path / "t.json").utterances[0].role is Role.AGENT


@pytest.mark.vosk
def test_transcribe_folder_outdir_text_and_failures(shared_engine, ko_clips: Path,
                                                    tmp_path: Path) -> None:
    bad = tmp_path / "in" / "broken.wav"
    bad.parent.mkdir()
    bad.write_bytes(b"RIFF....WAVEfmt garbage")
    good = ko_clips / "kspon_000005.wav"
    out = tmp_path / "out"
    result = run("transcribe", str(bad), str(good), "--format", "text", "--mono-role",
                 "customer", "-o", str(out))
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"Error: {bad}: ") and len(errors) == 2
    assert errors[1] == "Error: 1 input(s) failed, see above; 1 transcribed"
    text = (out / "kspon_000005.txt").read_text(encoding="utf-8")
    assert text.startswith("customer: ") and len(text.splitlines()) >= 1
    assert not (out / "broken.txt").exists()


def test_transcribe_without_model_says_what_to_run(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(models, "_model_packages", lambda: [])
    monkeypatch.chdir(tmp_path)
    audio = tmp_path / "call.wav"
    audio.write_bytes(b"x")
    result = run("transcribe", str(audio), env={"PHRASEGUARD_MODEL": "",
                                                "XDG_DATA_HOME": str(tmp_path)})
    assert result.exit_code == 2
    assert "phraseguard models pull vosk-model-small-cn-0.22" in result.stderr


def test_models_list(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(models, "_model_packages", lambda: [])
    monkeypatch.chdir(tmp_path)
    make_model(tmp_path / "models" / "vosk-model-small-cn-0.22")
    result = run("models", "list", env={"PHRASEGUARD_MODEL": "", "XDG_DATA_HOME": str(tmp_path)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["NAME", "LANGUAGE", "SIZE", "WHERE"]
    assert lines[1].split()[:4] == ["vosk-model-small-cn-0.22", "zh", "2.4", "KB"]  # 1400 + 25 + 1000 bytes
    assert lines[1].endswith("(./models)")
    (tmp_path / "models" / "vosk-model-small-cn-0.22" / "am" / "final.mdl").unlink()
    empty = run("models", "list", env={"PHRASEGUARD_MODEL": "", "XDG_DATA_HOME": str(tmp_path)})
    assert "phraseguard models pull vosk-model-small-cn-0.22" in empty.stdout


def test_models_pull(tmp_path: Path, server) -> None:
    url_base, www = server
    size, digest = model_zip(www / "models" / f"{NAME}.zip", NAME)
    dest = tmp_path / "models"
    bad = run("models", "pull", NAME, "--dest", str(dest), "--url-base", url_base,
              "--sha256", "f" * 64, "--size", str(size))
    assert bad.exit_code == 2 and "checksum" in bad.stderr and list(dest.iterdir()) == []
    ok = run("models", "pull", NAME, "--dest", str(dest), "--url-base", url_base,
             "--sha256", digest, "--size", str(size))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip().endswith(str(dest / NAME))


@pytest.mark.parametrize("command", [["transcribe"], ["models"], ["models", "list"],
                                     ["models", "pull"]])
def test_every_command_has_help_with_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert len(result.stdout.split("\n\n")[1].strip()) > 20
    if command != ["models", "list"]:
        assert "Examples:" in result.stdout
