"""An opening that addresses the customer (王总您好, 喂，靓女, 王老师嗦？) names
the customer, not the agent; English names, nicknames offered and Henan 俺是
before a name do name the agent, and a trade said only by what the agent
does (我是修车的) names nobody (callflow train66-69, twenty-sixth session)."""

from __future__ import annotations

import pytest
from talk import closed_with, opening_checklist

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.lexicon import load_lexicon


@pytest.fixture(scope="module")
def flow() -> CallFlow:
    return CallFlow(load_lexicon(), timing=False)


@pytest.mark.parametrize("opening", [
    "王总您好我是您的客户经理啊",
    "喂，靓女，我係开锁师傅，到咗你楼下喇，几楼呀？",
    "你好嘛，孃孃，我是燃气公司维修的，明天上午过来给你换管子哈。",
    "喂，李老师嗦？我是装空调的师傅，明天上午过来哈。",
    "刘总你好，我是负责您这边的客户经理。",
    # a trade said by what the agent does, nothing named
    "我是修车的噻，修好了，换了个控制器。",
    "我是上门修冰箱的师傅，您家在几楼？",
    "喂，你好啊，我系做清洁嘅，约咗今日下昼两点。",
    # a kind of shop said alone
    "您好，足疗店，请问有啥子需要？",
    "你好，房屋中介。",
])
def test_the_customer_addressed_is_no_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    "您好很高兴为您服务我是Kelly",
    "您好，我是Jenny，请问有什么可以帮您？",
    "叫我阿May就行，您是要退哪个商品？",
    "俺是老马，你家在哪儿？",
    "您好，我是刘老师，乐乐今天在学校摔了一下。",
    "您好，我是顺心搬家的，明天上午过去。",
])
def test_the_agent_named_is_a_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is True


@pytest.mark.parametrize("last", ["好的，留到晚上九点，欢迎光临。", "好，黄小姐，星期六见。", "唔使，有咩再打畀我哋啦。"])
def test_a_booking_closed_with_a_welcome_or_a_see_you_is_closed(flow, last) -> None:
    assert closed_with(flow, last) is True
