"""bench/callflow_diff.py: the tuning dialogues and corpus dialogues a call-flow change moves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benches import load_bench

REPO = Path(__file__).resolve().parents[2]
# The doubled-nickname family (lexicons/README.md, "Nicknames said twice").
DOUBLED = re.compile(r'    "\{@persona_names\}\{[^\n]*\n')
# The persona written to (lexicons/README.md, "A tenth tuning set").
WRITTEN_TO = '    "给小*2{哦|呢|吧|啦|哈|呀|以便}",\n'


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
                       "self_introduction"]) == 0
    out = capsys.readouterr().out
    assert "GOOD self-introduction  labelled yes" in out and "心心帮助您" in out
    assert "BAD " not in out and "corpus dialogues" not in out


def test_corpus_dialogues_a_change_moves_are_shown_with_their_window(bench, tmp_path,
                                                                     capsys) -> None:
    text = (REPO / "lexicons" / "default.toml").read_text(encoding="utf-8")
    assert WRITTEN_TO in text
    old = tmp_path / "old.toml"
    old.write_text(text.replace(WRITTEN_TO, ""), encoding="utf-8")
    assert bench.main([str(old), "--sets", "callflow_train10", "--items",
                       "self_introduction", "--corpus"]) == 0
    out = capsys.readouterr().out
    corpus = out.split("corpus dialogues outside the labelled sets:")[1]
    # Four Weibo threads no set labels ask for a number "给小沃哦" / "给小U哦".
    assert re.search(r"self-introduction: [1-9]\d* more found, 0 fewer", corpus)
    assert re.search(r"\n    \+ stc3_weibo_helpdesk:\d+  .*给小(沃|U)哦", corpus)


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
    assert bench.main([str(old), "--sets", "callflow_nosuchset"]) == 2
    assert "--sets: unknown set(s) callflow_nosuchset" in capsys.readouterr().err
    assert bench.main([str(old), "--items", "farewell"]) == 2
    assert "--items: unknown item(s) farewell" in capsys.readouterr().err


def test_a_broken_old_lexicon_is_a_one_line_error(bench, tmp_path, capsys) -> None:
    old = tmp_path / "old.toml"
    old.write_text("[[rule]]\nid = \"x\"\n", encoding="utf-8")
    assert bench.main([str(old), "--sets", "callflow_train9"]) == 2
    err = capsys.readouterr().err
    assert "old.toml: not a usable lexicon:" in err and len(err.strip().splitlines()) == 1
