"""lint --meaning: lines no rule matched, read by the lexicon's meaning model."""

from __future__ import annotations

import json

from click.testing import CliRunner

from phraseguard.cli import cli

# Line 2 says "not our doing" in words no rule lists; line 3 is harmless.
SCRIPT = "您好，请问有什么可以帮您？\n这个嘛，您心里应该有数吧，反正不是我们这边造成的。\n好的，祝您生活愉快。\n"


def lint(tmp_path, *args, config: str | None = None):
    (tmp_path / "s.txt").write_text(SCRIPT, "utf-8")
    if config is not None:
        (tmp_path / "phraseguard.toml").write_text(config, "utf-8")
    where = ["--config", str(tmp_path / "phraseguard.toml")] if config else ["--no-config"]
    return CliRunner().invoke(cli, ["lint", "-q", *where, "--format", "json", *args,
                                    str(tmp_path / "s.txt")])


def test_lint_reads_meaning_only_when_asked(tmp_path):
    plain = lint(tmp_path)
    assert plain.exit_code == 0 and json.loads(plain.stdout) == []
    read = lint(tmp_path, "--meaning")
    assert read.exit_code == 1
    (finding,) = json.loads(read.stdout)
    assert (finding["line"], finding["column"], finding["kind"]) == (2, 1, "meaning")
    assert "meaning model" in finding["reason"]


def test_meaning_true_in_the_settings_file_turns_it_on_and_the_flag_off(tmp_path):
    on = lint(tmp_path, config="[lint]\nmeaning = true\n")
    assert len(json.loads(on.stdout)) == 1
    assert json.loads(lint(tmp_path, "--no-meaning", config="[lint]\nmeaning = true\n").stdout) == []


def test_a_suppression_comment_silences_a_model_finding(tmp_path):
    (tmp_path / "s.txt").write_text(SCRIPT.replace("造成的。", "造成的。 # phraseguard: ignore"),
                                    "utf-8")
    result = CliRunner().invoke(cli, ["lint", "-q", "--no-config", "--meaning", "--format",
                                      "json", str(tmp_path / "s.txt")])
    assert json.loads(result.stdout) == []


def test_an_offer_on_the_next_line_resolves_a_model_finding(tmp_path):
    text = SCRIPT.replace("好的，祝您生活愉快。", "我马上帮您联系负责的同事核实，半小时内给您回电话。")
    (tmp_path / "s.txt").write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["lint", "-q", "--no-config", "--meaning", "--format",
                                      "json", str(tmp_path / "s.txt")])
    assert json.loads(result.stdout) == []
