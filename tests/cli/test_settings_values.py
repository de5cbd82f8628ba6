"""Settings-file values: refused as the option would refuse them, with the file's name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.cli.lint_cmd import _lint_writers
from phraseguard.report.lint_formats import LINT_WRITERS
from phraseguard.settings import LINT_FORMATS

GREETING = "您好，我是客服小王，很高兴为您服务。\n这个我们不管。\n"


def _run(tmp_path: Path, settings: str, *args: str):
    cfg = tmp_path / "phraseguard.toml"
    cfg.write_text(settings, encoding="utf-8")
    script = tmp_path / "s.txt"
    if not script.exists():
        script.write_text(GREETING, encoding="utf-8")
    return cfg, CliRunner().invoke(cli, [*args[:1], "--config", str(cfg), *args[1:]])


@pytest.mark.parametrize("setting, says", [
    ('min_severity = "huge"', "'min_severity' must be info or minor or major or critical"),
    ('fail_on = "x"', "'fail_on' must be info or minor or major or critical or never"),
    ("min_confidence = 5", "'min_confidence' must be between 0 and 1"),
    ("min_confidence = -0.5", "'min_confidence' must be between 0 and 1"),
    ('format = "pdf"', "'format' must be text or json or sarif or html"),
    ('pattern = "{nope}"', "unknown field {nope}"),
    ('pattern = "{agent"', "unbalanced brace"),
    ('[score]\npattern = "{date}_{agent}}"', "unbalanced brace"),
    ("[live]\nframes_per_chunk = -3", "frames per chunk must be 0"),
    ('[score]\ncluster = "local:0"', "local:N needs at least one worker"),
    ('[score]\nmanifest = "."', "'manifest' is a folder"),
])
def test_a_value_the_option_refuses_is_refused_in_the_file_naming_it(tmp_path, setting, says):
    cfg, result = _run(tmp_path, setting + "\n", "lint", str(tmp_path / "s.txt"))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a ConfigError, not a traceback
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(cfg) in lines[0] and says in lines[0], lines[0]
    assert "--format" not in lines[0] and "--pattern" not in lines[0]


@pytest.mark.parametrize("setting", ['min_severity = "major"', 'fail_on = "never"',
                                     "min_confidence = 1", 'format = "json"',
                                     'pattern = "{team}/{agent}_{}"', "frames_per_chunk = 0"])
def test_a_value_the_option_accepts_is_accepted_in_the_file(tmp_path, setting):
    _, result = _run(tmp_path, setting + "\n", "lint", str(tmp_path / "s.txt"))
    assert result.exit_code in (0, 1), result.output


def test_unbalanced_brace_in_the_pattern_option_is_a_one_line_error(tmp_path):
    transcript = tmp_path / "2024-05-01_alice_c1.txt"
    transcript.write_text("客服: 您好\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(transcript), "--pattern", "{agent",
                                      "--no-config", "--db", str(tmp_path / "pg.db"), "-q"])
    assert result.exit_code == 2, result.output
    assert "--pattern '{agent': unbalanced brace" in result.stderr


def test_lint_format_choices_are_the_lint_writers():
    assert set(LINT_FORMATS) == set(_lint_writers(LINT_WRITERS))


@pytest.mark.parametrize("settings, conflict", [
    ("[score]\ncall_flow = false\n[live]\ncall_flow = true\n", ("[score]", "[live]")),
    ('lexicon = "a.toml"\n[lint]\nlexicon = "b.toml"\n', ("the top level", "[lint]")),
    ('[report]\ndb = "a.db"\n[score]\ndb = "b.db"\n', ("[report]", "[score]")),
])
def test_a_key_with_two_values_in_two_sections_is_refused(tmp_path, settings, conflict):
    cfg, result = _run(tmp_path, settings, "lint", str(tmp_path / "s.txt"))
    assert result.exit_code == 2, result.output
    line, = result.stderr.strip().splitlines()
    assert str(cfg) in line and all(place in line for place in conflict), line
    assert "'call_flow'" in line or "'lexicon'" in line or "'db'" in line


def test_the_same_value_in_two_sections_is_fine(tmp_path):
    _, result = _run(tmp_path, "[score]\ncall_flow = true\n[live]\ncall_flow = true\n",
                     "lint", str(tmp_path / "s.txt"))
    assert result.exit_code in (0, 1), result.output


def _flow_findings(result) -> list[str]:
    return [f["rule_id"] for f in json.loads(result.stdout) if f["kind"] == "missing"]


def test_lint_call_flow_from_the_file_is_overridden_by_no_call_flow(tmp_path):
    (tmp_path / "s.txt").write_text("这个我们不管。\n", encoding="utf-8")
    _, on = _run(tmp_path, "call_flow = true\n", "lint", str(tmp_path / "s.txt"), "-f", "json")
    assert _flow_findings(on), on.output
    _, off = _run(tmp_path, "call_flow = true\n", "lint", str(tmp_path / "s.txt"), "-f", "json",
                  "--no-call-flow")
    assert off.exit_code == 1 and not _flow_findings(off), off.output
    _, default = _run(tmp_path, "", "lint", str(tmp_path / "s.txt"), "-f", "json")
    assert not _flow_findings(default)  # lint stays opt-in


def test_lexicon_show_reads_the_lexicon_from_the_settings_file(tmp_path, monkeypatch):
    words = tmp_path / "qa" / "words.toml"
    words.parent.mkdir()
    words.write_text('[lexicon]\nname = "acme"\nlanguage = "zh"\n\n[[rule]]\nid = "acme-no"\n'
                     'category = "refusal"\nseverity = "major"\nmessage = "No."\n'
                     'phrases = ["不行"]\nsuggestions = ["我来想办法"]\n', encoding="utf-8")
    (tmp_path / "phraseguard.toml").write_text('lexicon = "qa/words.toml"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    shown = CliRunner().invoke(cli, ["lexicon", "show", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert [r["id"] for r in json.loads(shown.stdout)["rules"]] == ["acme-no"]
    ignored = CliRunner().invoke(cli, ["lexicon", "show", "--no-config", "--format", "json"])
    assert "acme-no" not in [r["id"] for r in json.loads(ignored.stdout)["rules"]]
