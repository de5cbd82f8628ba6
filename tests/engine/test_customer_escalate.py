"""A bare limit after the customer reports a fault and asks for no particular
change gives up on the fault (``[rule.escalate]`` of limit-without-alternative,
session 12; a question about the fault itself escalates too, session 13)."""

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
    assert "reports a fault" in hit.reason and "asks for no particular change" in hit.reason


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


@pytest.mark.parametrize("customer, agent", [
    ("口红到手就断成两截了 膏体全碎了", "这个换不了哦亲"),            # a broken item, no ask
    ("老师连着三周没来上课，这钱怎么算？", "课程费用是退不了的。"),     # a question about the fault
    ("说好周六送的 今天都周日了还没到", "周末配送这边安排不了哈亲"),
    ("柜子送来的颜色跟我下单的不一样", "颜色这边改不了哦"),          # a mismatch described
    ("新买的电视屏幕一直闪", "屏幕这边换不了的"),
    ("可是这台新机器才用两天就坏了，开都开不了", "这个退不了的"),  # 可…不 asks for nothing
])
def test_a_remedy_refused_with_verb_bu_liao_after_a_fault_is_giving_up(matcher, customer,
                                                                       agent) -> None:
    assert [(h.rule_id, h.severity) for h in _judged(matcher, agent, customer=customer)] == [
        ("give-up", Severity.MAJOR)]


@pytest.mark.parametrize("customer", [
    None,
    "少发了一个配件能补发吗",                    # one change asked for, after the fault
    "能把发票开成公司抬头的吗 上次开错了",
])
def test_verb_bu_liao_is_a_stated_limit_without_a_fault_or_with_a_change_asked(
        matcher, customer) -> None:
    assert [(h.rule_id, h.severity)
            for h in _judged(matcher, "这个补发不了哦", customer=customer)] == [
        ("limit-without-alternative", Severity.MINOR)]


def test_a_free_remedy_in_the_next_turn_resolves_the_refusal(matcher) -> None:
    assert _judged(matcher, "亲车机黑屏远程是修不了的", customer="租的车导航黑屏了",
                   next_turn="您先用手机导航，明天路过任何一家门店都可以免费换一台车") == []


@pytest.mark.parametrize("line", ["这个换低的 价格就不补了", "亲回复不了呢"])
def test_sound_alikes_of_a_refusal_are_no_limit(matcher, line) -> None:
    assert _judged(matcher, line) == []


@pytest.mark.parametrize("line", ["退不了的，您爱学不学", "退不了就是退不了，您爱练不练"])
def test_take_it_or_leave_it_after_a_refusal_is_a_brush_off(matcher, line) -> None:
    assert "brush-off" in {h.rule_id for h in _judged(matcher, line)}


def test_already_restating_the_situation_is_no_reason(matcher) -> None:
    # 已经扣了 says what happened, not why it cannot be undone (session 13)
    assert [(h.rule_id, h.severity) for h in _judged(
        matcher, "已经扣了的就退不了哈", customer="我根本没开自动续费 你们偷偷扣了我25块")] == [
        ("give-up", Severity.MAJOR)]
    assert [(h.rule_id, h.severity) for h in _judged(matcher, "已经接单的改不了份量哦")] == [
        ("limit-without-alternative", Severity.MINOR)]


@pytest.mark.parametrize("line", ["已经发货了，地址改不了哦", "这周的号已经约满了，改不了",
                                  "已经退了，这个没办法再取消"])
def test_already_with_what_happened_that_explains_it_is_a_reason(matcher, line) -> None:
    assert _judged(matcher, line) == []
