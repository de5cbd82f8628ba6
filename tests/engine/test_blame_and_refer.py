"""The formal push-away: another party named as in charge, and the customer sent
to it (``blame-and-refer``, session 13). The referral alone is often the
contact a customer needs, so the rule counts it only with the blame."""

from __future__ import annotations

import pytest


def _rules(matcher, text: str, customer: str | None = None, next_turn: str | None = None):
    return {h.rule_id for h in matcher.dialogue.judge_turn(
        text, matcher.scan(text, customer_rules=customer is not None),
        customer=customer, next_turn=next_turn)}


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


# Session 16: after a complaint, the same push said as advice
# (``refer-to-party-in-charge``): 建议 / 可以 do not excuse it there.
COMPLAINT = "东西坏了好几天了，到底怎么处理？"


@pytest.mark.parametrize("line", [
    "您好，民宿由房东个人经营，平台仅提供信息展示服务，建议您再尝试拨打房东电话。",
    "外包装在运输途中被挤压属于快递方的责任，您可以找快递公司理赔。",
    "这款是厂家生产的，您可以找厂家售后。",
    "嗯那个司机是第三方合做的我们这边管不到他您可以报警",
    "股利是由發行公司的股務代理發放的，這部分請您直接洽詢股務代理。",
])
def test_after_a_complaint_advice_to_go_to_the_party_in_charge_is_a_push(matcher, line) -> None:
    assert "refer-to-party-in-charge" in _rules(matcher, line, customer=COMPLAINT)


@pytest.mark.parametrize("line", [
    "路燈是由區公所負責維護的，您可以撥打1999市民專線報修喔。",        # the number itself
    "民宿由房东个人经营，我帮您联系房东，十分钟内回复您。",              # the agent takes it on
    "如果您接听的电话是有诈骗情况,属于个人行为,建议您报警,由警方协助您核查处理.",  # a case
    "这个由厂家负责，若有问题可以随时联系我们",                          # we are the contact
])
def test_the_number_the_agents_own_help_or_a_condition_excuses_it(matcher, line) -> None:
    assert "refer-to-party-in-charge" not in _rules(matcher, line, customer=COMPLAINT)


def test_without_a_complaint_before_it_advice_is_not_a_push(matcher) -> None:
    line = "外包装在运输途中被挤压属于快递方的责任，您可以找快递公司理赔。"
    assert "refer-to-party-in-charge" not in _rules(matcher, line, customer="外盒压扁的能找谁？")
    assert "refer-to-party-in-charge" not in _rules(matcher, line)
