"""Shared options: declared once, the same everywhere; settings found one way."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from phraseguard.cli import cli

SETTINGS_COMMANDS = ("lint", "score", "report", "transcribe", "live")


def _command(name: str) -> click.Command:
    return cli.commands[name]


def _options(cmd: click.Command) -> dict[str, click.Option]:
    return {opt: p for p in cmd.params if isinstance(p, click.Option) for opt in p.opts}


@pytest.mark.parametrize("name", SETTINGS_COMMANDS)
def test_every_command_that_reads_settings_takes_config_and_no_config(name):
    opts = _options(_command(name))
    assert "--config" in opts and "--no-config" in opts


@pytest.mark.parametrize("option", ["--db", "--model", "--lexicon", "--mono-role",
                                    "--agent-channel", "--config",
                                    "--allow-language-mismatch"])
def test_a_shared_option_is_the_same_on_every_command(option):
    seen = [(name, _options(cmd)[option]) for name, cmd in cli.commands.items()
            if option in _options(cmd)]
    assert len(seen) >= 2, option
    first = seen[0][1]
    for name, opt in seen[1:]:
        assert opt.help == first.help, (option, name)
        assert getattr(opt.type, "choices", None) == getattr(first.type, "choices", None)


def test_report_finds_its_store_from_settings_above_the_current_folder(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "deep" / "er").mkdir(parents=True)
    (project / "phraseguard.toml").write_text('[score]\ndb = "qa.db"\n', "utf-8")
    calls = project / "2024-05-01_alice_c1.txt"
    calls.write_text("客服: 这个我们不管\n", "utf-8")
    monkeypatch.chdir(project / "deep" / "er")
    scored = CliRunner().invoke(cli, ["score", str(calls), "-q", "--jobs", "1"])
    assert scored.exit_code == 0, scored.output
    assert (project / "qa.db").exists()
    shown = CliRunner().invoke(cli, ["report", "--json", "-"])
    assert [c["call_id"] for c in json.loads(shown.stdout)["calls"]] == ["c1"]
    ignored = CliRunner().invoke(cli, ["report", "--no-config"])
    assert ignored.exit_code == 2 and "no results store here" in ignored.stderr
    other = tmp_path / "other.toml"
    other.write_text(f'db = "{Path(project / "qa.db")}"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    named = CliRunner().invoke(cli, ["report", "--config", str(other), "--json", "-"])
    assert named.exit_code == 0 and json.loads(named.stdout)["summary"]["calls"] == 1
