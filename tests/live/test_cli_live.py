"""``phraseguard devices`` and ``phraseguard live``: help, usage and setup errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from live_helpers import run_cli, sox

from phraseguard.cli import cli
from phraseguard.speech import capture
from phraseguard.speech.capture import DeviceInfo


def test_live_help_is_written_for_a_team_lead():
    result = CliRunner().invoke(cli, ["live", "--help"])
    assert result.exit_code == 0
    for text in ("Examples:", "phraseguard live --agent alice", "--input call.wav --fast",
                 "Ctrl-C", "exit code is 0", "--device ID|NAME", "--events FILE|-",
                 "--record FILE.wav", "--db FILE", "--lexicon FILE", "--model PATH"):
        assert text in result.output


def test_devices_lists_inputs_with_the_default_marked(monkeypatch):
    monkeypatch.setattr(capture, "list_devices", lambda: [
        DeviceInfo(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 44100.0, "ALSA"),
        DeviceInfo(6, "default", 32, 48000.0, "ALSA", is_default=True),
    ])
    result = CliRunner().invoke(cli, ["devices"])
    assert result.exit_code == 0
    assert result.output == (
        "    #  channels     rate  name\n"
        "    0         2    44100  HDA Intel PCH: ALC3246 Analog (hw:0,0)  (ALSA)\n"
        "*   6        32    48000  default  (ALSA)\n"
    )


def test_devices_when_there_are_none(monkeypatch):
    monkeypatch.setattr(capture, "list_devices", lambda: [])
    result = CliRunner().invoke(cli, ["devices"])
    assert (result.exit_code, result.output) == (0, "No audio input devices found.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fast"], "--fast only applies to --input FILE"),
        (["--input", "x.wav", "--device", "1"], "use just one of --device or --input"),
        (["--max-backlog", "0"], "0.0 is not in the range x>=1.0"),
    ],
)
def test_live_usage_errors(args, message):
    result = CliRunner().invoke(cli, ["live", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_devices_finds_the_alsa_test_device(alsa_home, tmp_path):
    wav = tmp_path / "silence.wav"
    sox("-n", "-r", "16000", "-c", "1", "-b", "16", wav, "trim", "0", "0.5")
    alsa = alsa_home(wav)
    result = run_cli(["devices"], env=alsa.env)
    assert result.returncode == 0, result.stderr
    assert any(line.endswith(f"  {alsa.device}  (ALSA)") for line in result.stdout.splitlines())


def test_missing_device_is_one_line_and_saves_nothing(alsa_home, tmp_path, ko_model_path,
                                                       ko_lexicon):
    wav = tmp_path / "silence.wav"
    sox("-n", "-r", "16000", "-c", "1", "-b", "16", wav, "trim", "0", "0.5")
    alsa = alsa_home(wav)
    result = run_cli(["live", "--device", "no-such-headset", "--db", tmp_path / "pg.db",
                      "--lexicon", ko_lexicon], env=alsa.env, cwd=tmp_path)
    assert result.returncode == 2
    model, error = result.stderr.strip().splitlines()  # the model line, then one error line
    assert model.startswith("phraseguard: speech model ") and "Korean (ko)" in model
    assert error.startswith("Error: no input device matches 'no-such-headset' (devices: ")
    assert alsa.device in error
    assert not (tmp_path / "pg.db").exists()


def test_missing_model_is_one_line_with_what_to_do(tmp_path: Path):
    result = run_cli(["live", "--model", tmp_path / "no-model", "--db", tmp_path / "pg.db"],
                     cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: --model {tmp_path / 'no-model'}: no such model folder")
    assert "phraseguard models list" in lines[0]
    assert not (tmp_path / "pg.db").exists()


def test_missing_input_file_is_one_line(tmp_path: Path, ko_model_path, ko_lexicon):
    result = run_cli(["live", "--input", tmp_path / "nope.wav", "--db", tmp_path / "pg.db",
                      "--lexicon", ko_lexicon], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[1:] == [
        f"Error: {tmp_path / 'nope.wav'}: no such file"]


def test_a_model_in_another_language_than_the_lexicon_is_refused_before_it_loads(
        tmp_path: Path, ko_model_path, ko_clips):
    # The Korean model with the bundled Chinese lexicon would hear no phrase
    # and end "score 100, 0 alerts": refused, naming the model, before the
    # model loads or the store is opened.
    clip = sorted(ko_clips.glob("*.wav"))[0]
    result = run_cli(["live", "--input", clip, "--fast", "--model", ko_model_path,
                      "--db", tmp_path / "pg.db"], cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    error, = result.stderr.strip().splitlines()  # one line naming the model, as in score
    assert error.startswith("Error: speech model ") and "hears Korean (ko)" in error
    assert "is Chinese (zh)" in error and "--allow-language-mismatch" in error
    assert not (tmp_path / "pg.db").exists()


@pytest.mark.parametrize("how", ["option", "settings"])
def test_allow_language_mismatch_runs_live_anyway_with_a_warning(tmp_path: Path, ko_model_path,
                                                                 how):
    # A missing input file is the next check: reaching it shows the mismatch
    # was let through, without loading the model.
    args = ["--allow-language-mismatch"] if how == "option" else []
    if how == "settings":
        (tmp_path / "phraseguard.toml").write_text("[live]\nallow_language_mismatch = true\n",
                                                   encoding="utf-8")
    result = run_cli(["live", "--input", tmp_path / "nope.wav", "--model", ko_model_path,
                      "--db", tmp_path / "pg.db", *args], cwd=tmp_path)
    assert result.returncode == 2
    model, warning, error = result.stderr.strip().splitlines()
    assert model.startswith("phraseguard: speech model ")
    assert warning.startswith("warning: speech model ") and "allowed by" in warning
    assert error == f"Error: {tmp_path / 'nope.wav'}: no such file"


def test_unwritable_events_file_is_a_usage_error(tmp_path: Path):
    target = tmp_path / "no-such-folder" / "events.jsonl"
    result = CliRunner().invoke(cli, ["live", "--events", str(target)])
    assert result.exit_code == 2
    assert f"Error: {target}: cannot write events: No such file or directory" in result.output


def test_call_flow_switch_is_the_flag_else_the_settings_file():
    from phraseguard.cli.options import call_flow_on
    from phraseguard.settings import Config

    assert call_flow_on(Config(call_flow=True), None) is True
    assert call_flow_on(Config(call_flow=True), False) is False  # --no-call-flow wins
    assert call_flow_on(Config(), True) is True
    assert call_flow_on(Config(), None) is False


def test_live_help_offers_call_flow_and_agent_channel():
    out = CliRunner().invoke(cli, ["live", "--help"]).output
    assert "--call-flow / --no-call-flow" in out and "--agent-channel [left|right]" in out
