"""Sent back to a party the customer says they already tried (``refer-back``,
session 16), and rules that read the customer's turn resolved apart from one
another: which of them counts depends on that turn."""

from __future__ import annotations

import pytest

from phraseguard.engine import dialogue


def _judged(matcher, text: str, customer: str | None = None, next_turn: str | None = None):
    return matcher.dialogue.judge_turn(
        text, matcher.scan(text, customer_rules=customer is not None),
        customer=customer, next_turn=next_turn)


def _rules(matcher, *args, **kw) -> set[str]:
    return {h.rule_id for h in _judged(matcher, *args, **kw)}


@pytest.mark.parametrize(("customer", "agent"), [
    ("营业厅说我的卡是好的，让我找手机厂家，你们又让我找营业厅？", "您好，网络信号问题建议优先咨询运营商哦。"),
    ("我打过12393了，他们说是医院录入的诊断不对，让我回来找你们。",
     "报销比例由医保中心核定，您可以拨打12393医保服务热线咨询哦。"),
    ("派件员电话我打了一上午都没人接，网点电话也是空号。", "签收是网点操作的，具体放在哪里需要您和派件员核实哦。"),
    ("物业说光纤箱是你们的设备，让我找你们，你们又让我找物业？", "开箱需要您先和物业协调一下。"),
])
def test_sending_the_customer_back_to_a_party_they_tried_is_refer_back(
        matcher, customer, agent) -> None:
    assert "refer-back" in _rules(matcher, agent, customer=customer)


def test_the_same_advice_after_a_plain_question_is_not_refer_back(matcher) -> None:
    assert "refer-back" not in _rules(matcher, "您好，网络信号问题建议优先咨询运营商哦。",
                                      customer="手机信号问题该找谁？")


@pytest.mark.parametrize("agent", [
    "我帮您联系物业开箱，半小时内回电您。",
    "请您核实！谢谢",                     # asking the customer to check is no referral
    "请问是这个商品吗",
])
def test_the_agent_taking_it_on_or_no_referral_is_not_refer_back(matcher, agent) -> None:
    assert "refer-back" not in _rules(
        matcher, agent, customer="物业说光纤箱是你们的设备，让我找你们，你们又让我找物业？")


def test_a_rule_the_customers_turn_drops_does_not_push_out_one_it_keeps(matcher) -> None:
    # refer-back's longer match covers refer-elsewhere's; after a plain fault
    # report refer-back cannot count, and refer-elsewhere still must.
    agent = "您好，餐品质量问题请您与商家协商处理。"
    assert "refer-elsewhere" in _rules(matcher, agent, customer="外卖送来是馊的，怎么回事？")


def test_where_two_customer_rules_count_on_the_same_words_the_turn_has_one_finding(
        matcher, monkeypatch) -> None:
    # refer-back and refer-elsewhere both count on 建议您联系 after this turn
    agent = "建议您联系商家处理。"
    customer = "我找过商家了商家说让我找你们，外卖是馊的怎么回事？"
    hits = _judged(matcher, agent, customer=customer)
    assert len(hits) == 1 and hits[0].rule_id in {"refer-back", "refer-elsewhere"}
    # (without the judge's one-per-span step, the same words would be two findings)
    monkeypatch.setattr(dialogue, "_one_customer_rule_per_span", lambda found, _: found)
    assert sorted(h.rule_id for h in _judged(matcher, agent, customer=customer)) == [
        "refer-back", "refer-elsewhere"]
