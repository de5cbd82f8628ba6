"""bench/lexicon_diff.py: the tuning rows and corpus lines a lexicon change moves."""

from __future__ import annotations

import json
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


NORMAL = '    "{很|挺|蛮|老|也|都|完全}正常{的|啦|哈|呀|个|哦|嘛|呢|不过|}",\n'


def test_corpus_turns_carry_the_customer_turn_before_and_the_agent_turn_after(bench, tmp_path
                                                                              ) -> None:
    rows = [("customer", "刚保养完，发动机灯就亮了"), ("agent", "灯亮一下很正常"),
            ("agent", "开开就好了"), ("customer", "好吧"), ("agent", "再见")]
    (tmp_path / "calls.jsonl").write_text("".join(
        json.dumps({"dialog": "d1", "turn": i, "role": r, "text": t}, ensure_ascii=False) + "\n"
        for i, (r, t) in enumerate(rows)), encoding="utf-8")
    turns = bench.corpus_turns(tmp_path)
    assert [(t.customer, t.text, t.next_turn) for t in turns] == [
        ("刚保养完，发动机灯就亮了", "灯亮一下很正常", "开开就好了"),
        ("刚保养完，发动机灯就亮了", "开开就好了", "再见"),
        ("好吧", "再见", None)]
    assert {t.origin for t in turns} == {"calls.jsonl:d1"}


def test_a_rule_that_needs_the_customer_moves_turns_only_in_their_dialogues(bench, tmp_path
                                                                             ) -> None:
    text = (REPO / "lexicons" / "default.toml").read_text(encoding="utf-8")
    assert NORMAL in text
    old_path = tmp_path / "old.toml"
    old_path.write_text(text.replace(NORMAL, ""), encoding="utf-8")
    old, new = bench.matcher_for(old_path, None), bench.matcher_for(None, None)
    turn = bench.accuracy.Example("车开久了有点声音很正常啦~", "benign", "t",
                                  customer="我的车一启动就有异响")
    changed = bench.corpus_changes_in_context(old, new, [turn])
    assert [(t.text, a, b) for t, a, b in changed] == [
        (turn.text, set(), {("dismiss-as-normal", "major")})]
    # Alone (as lint reads one line) the rule needs a customer turn it does not have.
    alone = [{h.rule_id for h in hits} for hits in new.scan_lines([turn.text])]
    assert alone == [set()]
