"""bench/callflow_diff.py: the tuning dialogues and corpus dialogues a call-flow change moves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benches import load_bench

REPO = Path(__file__).resolve().parents[2]
# The doubled-nickname family (lexicons/README.md, "Nicknames said twice").
DOUBLED = re.compile(r'    "\{心心\|果果\|[^\n]*\n')


@pytest.fixture(scope="module")
def bench():
    module = load_bench("callflow_diff")
    if not module.CORPUS.is_dir():
        pytest.skip(f"corpus absent: {module.CORPUS} (the labelled dialogues live there)")
    return module


def test_a_family_taken_out_of_old_shows_as_dialogues_now_right(bench, tmp_path, capsys) -> None:
    text = (REPO / "lexicons" / "default.toml").read_text(encoding="utf-8")
    assert DOUBLED.search(text)
    old = tmp_path / "old.toml"
    old.write_text(DOUBLED.sub("", text), encoding="utf-8")
    assert bench.main([str(old), "--sets", "callflow_train7", "--items",
                       "self_introduction", "--corpus"]) == 0
    out = capsys.readouterr().out
    assert "GOOD self-introduction  labelled yes" in out and "心心帮助您" in out
    assert "BAD " not in out
    # The corpus outside the labelled sets: the one more dialogue, shown with its window.
    assert "self-introduction: 1 more found, 0 fewer" in out and "甜甜帮助您" in out


def test_the_same_lexicon_changes_nothing(bench, tmp_path, capsys) -> None:
    old = tmp_path / "old.toml"
    old.write_text((REPO / "lexicons" / "default.toml").read_text(encoding="utf-8"), "utf-8")
    assert bench.main([str(old), "--sets", "callflow_train9"]) == 0
    assert "no dialogue changed" in capsys.readouterr().out


def test_unknown_sets_items_and_missing_files_are_one_line_errors(bench, tmp_path, capsys) -> None:
    assert bench.main([str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: no such lexicon file" in capsys.readouterr().err
    old = tmp_path / "old.toml"
    old.write_text("", encoding="utf-8")
    assert bench.main([str(old), "--sets", "callflow_train99"]) == 2
    assert "--sets: unknown set(s) callflow_train99" in capsys.readouterr().err
    assert bench.main([str(old), "--items", "farewell"]) == 2
    assert "--items: unknown item(s) farewell" in capsys.readouterr().err
