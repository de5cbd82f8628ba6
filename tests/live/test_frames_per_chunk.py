"""``live --frames-per-chunk`` and ``[live] frames_per_chunk``: checked before any
model loads, and (real Korean model) a session decodes through a per-session
copy of the model's configuration that is gone when the session ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from live_helpers import REPO, cli_env, parse_events, run_cli

from phraseguard.cli import main
from phraseguard.speech.model_config import TEMP_PREFIX, load_decoding_settings

CLIP = REPO / "tests" / "data" / "audio" / "ko-free" / "zeroth_104_003_0374.wav"
LEXICON = f"""\
[lexicon]
name = "chunk-test"
extends = "{REPO / 'tests' / 'data' / 'ko_base.toml'}"

[[rule]]
id = "politician"
category = "test"
severity = "minor"
message = "Names a politician"
suggestions = ["-"]
phrases = ["안철수"]
"""


def test_an_out_of_range_value_fails_before_the_model_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PHRASEGUARD_MODEL", str(tmp_path / "no-model-here"))
    limits = load_decoding_settings()
    too_big = limits.max_frames_per_chunk + 1
    code = main(["live", "--input", str(CLIP), "--fast", "--frames-per-chunk", str(too_big)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"--frames-per-chunk: frames per chunk must be 0 (the model's own setting) or " \
           f"{limits.min_frames_per_chunk}..{too_big - 1} (10 ms frames), not {too_big}" in err
    assert "no-model-here" not in err  # refused before the model was looked for
    assert not (tmp_path / "phraseguard.db").exists()


@pytest.mark.parametrize(("value", "message"), [
    ("1000", "phraseguard.toml: setting 'frames_per_chunk': frames per chunk must be 0"),
    ('"fast"', "phraseguard.toml: setting 'frames_per_chunk' has the wrong type"),
])
def test_a_bad_config_value_names_the_file(value, message, tmp_path, monkeypatch, capsys):
    (tmp_path / "phraseguard.toml").write_text(f"[live]\nframes_per_chunk = {value}\n")
    monkeypatch.chdir(tmp_path)
    code = main(["live", "--input", str(CLIP), "--fast"])
    assert code == 2
    assert message in capsys.readouterr().err


# --- with the real model ------------------------------------------------------------


def session(tmp_path: Path, model: Path, *args: str | Path):
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(LEXICON, encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    result = run_cli(["live", "--input", CLIP, "--fast", "--lexicon", lexicon, "--model", model,
                      "--events", "-", *args], cwd=tmp_path, env=cli_env(TMPDIR=tmp))
    return result, tmp


@pytest.mark.vosk
def test_a_session_decodes_with_the_setting_from_the_config_file_and_leaves_no_copy(
        ko_model_path, tmp_path):
    # 9 frames: the decoder advances 0.09 s at a time, so partial results come
    # far more often than at the model's own 0.24 s.
    (tmp_path / "phraseguard.toml").write_text("[live]\nframes_per_chunk = 9\n")
    result, tmp = session(tmp_path, ko_model_path, "--db", tmp_path / "pg.db")
    assert result.returncode == 0, result.stderr
    events = parse_events(result.stdout)
    (hit,) = events.of("hit")
    assert hit["rule_id"] == "politician" and hit["from_partial"]
    (utterance,) = events.of("utterance")
    assert utterance["text"] == ("만약 박근혜 대통령이 정말 로 손 을 내밀 면 안철수 대표와 국민의당 은 "
                                 "어떤 선택 을 할까요")
    # Partial results can only change when a chunk is complete: at the model's
    # own 24 frames never less than 0.24 s apart (0.2 s in 50 ms blocks, 0.1 s at 9).
    times = [p["t"] for p in events.of("partial")]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) < 0.15, times
    assert list(tmp.iterdir()) == []


@pytest.mark.vosk
def test_a_session_that_fails_after_loading_leaves_no_copy(ko_model_path, tmp_path):
    blocked = tmp_path / "db-is-a-folder"
    blocked.mkdir()
    result, tmp = session(tmp_path, ko_model_path, "--frames-per-chunk", "21", "--db", blocked)
    assert result.returncode == 2
    assert "db-is-a-folder" in result.stderr
    assert list(tmp.iterdir()) == []


@pytest.mark.vosk
def test_a_model_vosk_cannot_load_leaves_no_copy(tmp_path):
    model = tmp_path / "broken-model"
    (model / "am").mkdir(parents=True)
    (model / "am" / "final.mdl").write_bytes(b"not a model")
    (model / "conf").mkdir()
    (model / "conf" / "mfcc.conf").write_text("--sample-frequency=16000\n")
    (model / "conf" / "model.conf").write_text("--beam=10.0\n")
    result, tmp = session(tmp_path, model, "--frames-per-chunk", "21", "--db", tmp_path / "pg.db")
    assert result.returncode == 2
    assert f"{model}: Vosk could not load this model" in result.stderr
    assert not [p for p in tmp.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert (model / "conf" / "model.conf").read_text() == "--beam=10.0\n"
