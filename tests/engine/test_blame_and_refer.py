"""The formal push-away: another party named as in charge, and the customer sent
to it (``blame-and-refer``, session 13). The referral alone is often the
contact a customer needs, so the rule counts it only with the blame."""

from __future__ import annotations

import pytest


def _rules(matcher, text: str, customer: str | None = None, next_turn: str | None = None):
    return {h.rule_id for h in matcher.dialogue.judge_turn(
        text, matcher.scan(text), customer=customer, next_turn=next_turn)}


@pytest.mark.parametrize("line", [
    "配送安装由合作物流公司负责，相关赔偿请与物流公司协商。",
    "该业务由SP服务商提供，扣费问题请您致电服务商。",
    "师资调整由合作机构决定，退费诉求请向机构方提出。",
    "保健食品是廠商做的，過敏請您自己找廠商。",
    "师傅是独立接单的，您和师傅自己沟通。",
    "亲 老师是入驻的个人讲师 您直接私信老师沟通哈~",
])
def test_another_party_in_charge_and_the_customer_sent_there_is_blame_and_refer(
        matcher, line) -> None:
    assert "blame-and-refer" in _rules(matcher, line)


@pytest.mark.parametrize("line", [
    "如未到账请联系交通银行。",                         # the contact, with nothing disowned
    "需要您联系卖家查询的哦",
    "这个订单由商家发货，建议您联系商家确认。",           # advice
    "该业务由服务商提供，我帮您联系服务商退订，稍后回复您。",  # the agent takes it on
])
def test_a_referral_without_blame_or_with_help_is_not_blame_and_refer(matcher, line) -> None:
    assert "blame-and-refer" not in _rules(matcher, line)


def test_the_next_turns_offer_resolves_it(matcher) -> None:
    assert _rules(matcher, "该业务由SP服务商提供，扣费问题请您致电服务商。",
                  next_turn="我这边也帮您提交退订申请，退费到账后短信通知您") == set()
