"""A bare limit after the customer reports a fault and asks for nothing gives
up on the fault (``[rule.escalate]`` of limit-without-alternative, session 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import LexiconErrors, load_lexicon

LIMIT = "這個狀況沒辦法處理喔。"


def _judged(matcher, text: str, customer: str | None = None, next_turn: str | None = None):
    return matcher.dialogue.judge_turn(text, matcher.scan(text), customer=customer,
                                       next_turn=next_turn)


def test_a_bare_limit_after_a_fault_reported_is_giving_up(matcher) -> None:
    (hit,) = _judged(matcher, LIMIT, customer="我家網路斷了兩天，打電話都沒人處理！")
    assert (hit.rule_id, hit.severity) == ("give-up", Severity.MAJOR)
    assert "reports a fault" in hit.reason and "asks for nothing" in hit.reason


@pytest.mark.parametrize("customer", [
    None,                                   # a script: no customer turn
    "能不能明天上门修一下？",                # the customer asks for something
    "地址填错了",                            # the customer's own slip, not a fault
    "我家網路斷了兩天，能派人來修嗎？",       # a fault, but a question asked
])
def test_otherwise_it_stays_a_stated_limit(matcher, customer) -> None:
    assert [(h.rule_id, h.severity) for h in _judged(matcher, LIMIT, customer=customer)] == [
        ("limit-without-alternative", Severity.MINOR)]


def test_the_next_turn_still_decides_after_the_escalation(matcher) -> None:
    assert _judged(matcher, LIMIT, customer="我家網路斷了兩天，打電話都沒人處理！",
                   next_turn="我马上帮您派单，师傅两小时内上门") == []


def _lex(tmp_path: Path, table: str) -> Path:
    path = tmp_path / "lex.toml"
    path.write_text('[lexicon]\nextends = "default"\n\n[[rule]]\nid = "limit-without-alternative"\n'
                    f"\n[rule.escalate]\n{table}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("table, message", [
    ('to = "no-such-rule"\ncustomer = ["坏了"]', "escalate 'to' names no other rule"),
    ('to = "give-up"', "needs 'customer'"),
    ('customer = ["坏了"]', "needs 'to'"),
    ('to = "give-up"\ncustomer = ["坏了"]\nwhen = ["x"]', "unknown escalate key 'when'"),
])
def test_a_broken_escalate_table_is_an_error_naming_what_is_wrong(tmp_path, table,
                                                                   message) -> None:
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(_lex(tmp_path, table))
    assert any(message in e.message for e in info.value.errors), info.value.errors


def test_why_says_the_customers_fault_report_escalated_it(matcher) -> None:
    from phraseguard.engine.explain import explain_turn

    turn = explain_turn(matcher, LIMIT, customer="我家網路斷了兩天，打電話都沒人處理！")
    assert any("escalate.customer 「断了」" in n and "becomes give-up" in n
               for n in turn.turn_notes), turn.turn_notes
