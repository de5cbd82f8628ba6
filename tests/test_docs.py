"""Every command has help text and is named in README.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from phraseguard.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"


def _walk(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _walk(command, path)


COMMANDS = list(_walk(cli))
TOP_LEVEL = sorted(cli.commands)


def test_lint_and_lexicon_are_commands() -> None:
    assert {"lint", "lexicon"} <= set(TOP_LEVEL)
    assert {"check", "show"} <= set(cli.commands["lexicon"].commands)


def test_the_group_has_help() -> None:
    assert (cli.help or "").strip()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help(path: tuple[str, ...], command: click.Command) -> None:
    assert (command.help or "").strip(), f"phraseguard {' '.join(path)} has no help"
    assert command.get_short_help_str().strip()
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts} has no help"


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_command_is_named_in_readme(name: str) -> None:
    assert README.is_file(), "README.md is missing"
    text = README.read_text(encoding="utf-8")
    assert f"phraseguard {name}" in text, f"README.md never mentions 'phraseguard {name}'"
