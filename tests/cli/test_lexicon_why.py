"""phraseguard lexicon why: one turn, every form found and the step that decided it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from phraseguard.cli import cli


def _why(*args: str):
    return CliRunner().invoke(cli, ["lexicon", "why", "--no-config", "--no-meaning", *args])


def test_a_turn_not_flagged_shows_the_condition_that_excused_it() -> None:
    result = _why("签收了的话就没办法退了")
    assert result.exit_code == 0, result.output
    assert "give-up: 「没办法」" in result.output
    assert "excused: unless.utterance matched 「了的话」" in result.output
    assert result.output.rstrip().endswith("=> not flagged")


def test_a_flagged_turn_shows_its_severity_rule_and_reason() -> None:
    result = _why("这个真的没办法", "--next", "还有别的问题吗")
    assert result.exit_code == 0, result.output
    assert "nothing offered in the agent's next turn" in result.output
    assert "=> major give-up:" in result.output


def test_json_lists_forms_turn_notes_and_the_hits() -> None:
    result = _why("小妹也不清楚呐", "--next", "已帮您向站点核实，明日回电您", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["forms"][0]["rule_id"] == "disclaim-knowledge"
    assert out["forms"][0]["outcome"] == "counts"
    assert any("resolved" in n for n in out["turn"])
    assert out["flagged"] == [] and out["model"] is None


def test_a_broken_lexicon_is_a_clear_error_naming_the_file(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nid = 3\n", "utf-8")
    result = _why("没办法", "--lexicon", str(bad))
    assert result.exit_code != 0
    assert "bad.toml" in result.output
