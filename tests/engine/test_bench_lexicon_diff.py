"""bench/lexicon_diff.py: the tuning rows and corpus lines a lexicon change moves."""

from __future__ import annotations

from pathlib import Path

import pytest
from benches import load_bench

REPO = Path(__file__).resolve().parents[2]
UP_TO_YOU = '    "不*3{的|}{你|您}{自己|自个儿|自个}{决定|掂量|定夺|拿主意|看着办}",\n'


@pytest.fixture(scope="module")
def bench():
    return load_bench("lexicon_diff")


def test_a_family_taken_out_of_old_shows_as_rows_now_right(bench, tmp_path, capsys) -> None:
    text = (REPO / "lexicons" / "default.toml").read_text(encoding="utf-8")
    assert UP_TO_YOU in text
    old = tmp_path / "old.toml"
    old.write_text(text.replace(UP_TO_YOU, ""), encoding="utf-8")
    assert bench.main([str(old), "--no-meaning", "--sets", "para-train30",
                       "--forms", "plain", "--show"]) == 0
    out = capsys.readouterr().out
    assert "(1 now right, 0 now wrong)" in out
    assert "GOOD viola paraphrases_train30" in out and "您自己决定" in out


def test_unknown_sets_and_missing_files_are_one_line_errors(bench, tmp_path, capsys) -> None:
    assert bench.main([str(tmp_path / "nope.toml")]) == 2
    assert "nope.toml: no such lexicon file" in capsys.readouterr().err
    old = tmp_path / "old.toml"
    old.write_text((REPO / "lexicons" / "default.toml").read_text(encoding="utf-8"), "utf-8")
    assert bench.main([str(old), "--no-meaning", "--sets", "no-such-set"]) == 2
    assert "--sets: unknown set(s) no-such-set" in capsys.readouterr().err


def test_a_broken_old_lexicon_is_a_one_line_error(bench, tmp_path, capsys) -> None:
    old = tmp_path / "old.toml"
    old.write_text("[[rule]]\nid = \"x\"\n", encoding="utf-8")
    assert bench.main([str(old), "--no-meaning", "--sets", "para-train30"]) == 2
    err = capsys.readouterr().err
    assert "old.toml: not a usable lexicon:" in err and len(err.strip().splitlines()) == 1
