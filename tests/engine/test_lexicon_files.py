"""Lexicon files are read safely: only regular files of sane size, cycles named as chains.

``extends = "/dev/zero"`` once read without bound (MemoryError), a FIFO hung
the load, and a cycle said only "extends itself". Each is now a one-line
error naming the file (and the ``extends`` line that led there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.engine.lexicon import MAX_LEXICON_BYTES, load_lexicon
from phraseguard.errors import LexiconError, LexiconErrors

RULE = ('[[rule]]\nid = "r"\ncategory = "c"\nseverity = "major"\nmessage = "m"\n'
        'suggestions = ["s"]\nphrases = ["不管"]\n')


def _extends(tmp_path: Path, base: str, name: str = "team.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'[lexicon]\nname = "team"\nextends = "{base}"\n\n' + RULE, encoding="utf-8")
    return path


def _one_error(path: Path) -> LexiconError:
    with pytest.raises((LexiconError, LexiconErrors)) as info:
        load_lexicon(path)
    err = info.value
    if isinstance(err, LexiconErrors):
        [err] = err.errors
    assert "\n" not in str(err)
    return err


@pytest.mark.timeout(20)
def test_extends_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    err = _one_error(_extends(tmp_path, "/dev/zero"))
    assert err.line == 3
    assert "/dev/zero" in err.message and "not a regular file" in err.message


@pytest.mark.timeout(20)
def test_extends_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    err = _one_error(_extends(tmp_path, str(fifo)))
    assert err.path.endswith("team.toml") and err.line == 3
    assert "pipe.toml" in err.message and "not a regular file" in err.message


@pytest.mark.timeout(20)
def test_a_lexicon_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    err = _one_error(fifo)
    assert err.path == str(fifo) and "not a regular file" in err.message


def test_extends_a_huge_file_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as fp:
        fp.truncate(MAX_LEXICON_BYTES + 1)  # sparse: costs no disk
    err = _one_error(_extends(tmp_path, str(huge)))
    assert err.line == 3 and "too large" in err.message


def test_extends_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rules.toml").mkdir()
    err = _one_error(_extends(tmp_path, "rules.toml"))
    assert err.line == 3 and "folder" in err.message


def test_extends_a_built_in_name_still_works(tmp_path: Path) -> None:
    lex = load_lexicon(_extends(tmp_path, "default"))
    assert lex.rule("r").phrases == ("不管",)
    assert len(lex.rules) > 1


def test_a_cycle_is_reported_as_the_chain_of_files(tmp_path: Path) -> None:
    a = _extends(tmp_path, "b.toml", "a.toml")
    b = _extends(tmp_path, "c.toml", "b.toml")
    c = _extends(tmp_path, "a.toml", "c.toml")
    err = _one_error(a)
    a, b, c = (p.resolve() for p in (a, b, c))
    assert err.message == f"'extends' makes a cycle: {a} -> {b} -> {c} -> {a}"
    assert err.path == str(c) and err.line == 3
    result = CliRunner().invoke(cli, ["lexicon", "check", str(a)])
    assert result.exit_code != 0
    assert f"{c}:3: 'extends' makes a cycle: {a} -> {b} -> {c} -> {a}" in result.output
