"""Call-flow families from the twenty-first session's phone calls (callflow
train34: openings that look like an introduction and are not; train35:
outbound calls and endings): a shop's bare name at pick-up, a kind of line or
a role with no name, somebody else named, and the parting wishes said on the
phone."""

from __future__ import annotations

import pytest
from talk import a, c

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


def _introduced(flow: CallFlow, *agent_opening: str) -> bool | None:
    conv = []
    for line in agent_opening:
        conv += [a(line), c("嗯")]
    conv += [a("好的"), c("谢谢"), a("嗯")]
    return flow.check(conv).checklist["self-introduction"]


def _closed(flow: CallFlow, last: str) -> bool | None:
    return flow.check([a("您好"), c("我问一下"), a("好的"), c("行"), a(last)]).checklist["closing"]


@pytest.mark.parametrize("line", [
    "喂，甜心烘焙。",            # a small shop's bare name, ending in its trade
    "喂，顺利冷气。",
    "喂，安居智能锁售后。",       # 智能 inside a name: 能 alone no longer keeps it out
    "喂，顺丰的，你有个件到了。",  # a courier named bare, then 的 and the customer
    "喂邮政的你有个挂号信在那个邮局",
])
def test_a_shops_bare_name_at_pick_up_counts(flow, line) -> None:
    assert _introduced(flow, line) is True


@pytest.mark.parametrize("opening", [
    ("喂，供热这块儿，你说吧。",),                       # the area of work
    ("喂 公交卡服务 你讲",),                              # a kind of line
    ("你好，是刘女士吗？我是前台，提醒您明天下午三点有洗牙的预约。",),  # a role, then the clause ends
    ("喂对这边是燃气报修",),
    ("您好，这里是空调售后服务中心，请问是孙先生吗？",),   # two kinds and a centre
    ("系呀，你好，有咩可以帮到你？", "唔该你讲下个户口号码。"),  # Cantonese "please"
])
def test_a_kind_of_line_or_a_role_without_a_name_does_not_count(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


@pytest.mark.parametrize("opening", [
    ("您好 请问有什么可以帮您", "这个问题的话我帮您转到技术支持 技术那边是工程师小罗 他会一步一步教您操作"),
    ("喂，哪位嘛？", "邓姐嗦，我帮你问下修图的小杨哈。"),
    ("您好，请问是陈桂芳女士吗？", "提醒您明天上午9点30分在我们医院骨科有李主任的门诊预约"),
])
def test_somebody_else_named_is_not_the_agent_introducing_themselves(flow, opening) -> None:
    assert _introduced(flow, *opening) is False


@pytest.mark.parametrize("line", [
    "喂李总是吧我是那个钉钉那边的客户成功经理嗯小邹",  # 那边的 before the agent's own name
    "哎，大哥，我这旮旯是家美装饰的，姓马。",          # northeastern 这旮旯 = 这边
])
def test_the_agents_own_company_and_name_still_count(flow, line) -> None:
    assert _introduced(flow, line) is True


@pytest.mark.parametrize("line", [
    "好的黄阿姨 给你留着了 下午过来拿就行 您多保重啊",
    "莫客气，你好生保重哈。",
    "嗯，路上慢点。",
    "谢谢您的耐心等候，餐点到了请您慢用喔。",
    "不客气，祝孩子考上理想的学校。",
])
def test_parting_wishes_said_on_the_phone_are_a_closing(flow, line) -> None:
    assert _closed(flow, line) is True


@pytest.mark.parametrize("line", ["请确保重要文件已经备份。", "好的，那就先这样。"])
def test_words_that_only_contain_a_wish_are_no_closing(flow, line) -> None:
    assert _closed(flow, line) is False


@pytest.mark.parametrize("line", ["喂，快递，你有个件到了。", "喂，冷气。"])
def test_a_trade_word_alone_is_no_name_where_a_brand_is(flow, line) -> None:
    assert _introduced(flow, line) is False
