"""Call-flow families from the twenty-fourth session's phone calls (callflow
train52: education and training; train53: logistics; train54: home services; train55: health and care): a line named for what
it does (报名咨询, 接送机预约, 行李寄存服务台) names no company; a role or a duty
followed by the customer's business names no one; a brand before 为您服务 still
counts; an invitation to come and try, and a safe-driving wish, close a call."""

from __future__ import annotations

import pytest
from talk import closed_with as _closed
from talk import opening_checklist as _opening

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


@pytest.mark.parametrize("line", [
    "您好，教资报名咨询，请讲。",
    "您好，法考辅导中心。",
    "喂你好高考咨询",
    "您好继续教育学院",
    "你好，考研辅导，请讲。",
    "您好，接送机预约，请问几位？",
    "行李寄存服务台。",
    "您好，集装箱堆场。",
    "喂你好货运站",
    "您好，快递柜客服，请问有什么可以帮您？",
    "您好，鲜花预订。",
    "您好，轮渡客服，很高兴为您服务。",
    "您好，这边是外送平台客服，请问有什么可以帮您的吗？",
    "喂你好，我搁驾校这嘎达呢，你说吧。",
    # (train54, home services: the appliance or the job, not which firm)
    "下午好，燃气灶报修。",
    "你好，洗碗机售后。",
    "你好，漏水检测，请问是哪里漏水？",
    "喂，你好，洗沙发嘞哈？",
    "您好，管道疏通，您说。",
    # (train55, health and care: a ward, a desk, a kind of clinic or line)
    "喂你好，中医馆这边，你说嘛。",
    "您好，生殖中心咨询台。",
    "喂 护士站",
    "病案室，请说。",
    "您好，長照專線，請問有什麼需要幫忙的？",
    "您好，这里是在线问诊客服，请问有什么可以帮您？",
])
def test_a_line_named_for_what_it_does_is_no_introduction(flow, line) -> None:
    assert _opening(flow, line)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    ("喂你好", "对对我是前台您有什么事"),
    ("请讲", "我是班主任您孩子叫什么名字"),
    ("喂您好", "嗯您好我是负责招生的老师您是想报高起专还是专升本"),
    ("你好我是接机的司机你是刘先生吧",),
    ("您好，我是负责排课的老师，请问孩子几年级？",),
    ("喂打扰一下请问是李女士吗我是招生办的",),
    ("您好，我是净水器售后的，您家的滤芯到了更换周期了。",),
    ("嗯 我是那个消杀公司的 受物业委托 下周二统一灭蚊 跟您说一下",),
    ("您好", "对 我是值班的 您说 助餐点是吧"),
    ("我是消化内科的护士 打电话提醒一下 今晚十点以后不要吃东西了",),
    ("您好，我是这里的院长，您是想了解入住吗？",),
    ("我是医院回访中心的 您上周在我们这做了手术 想做个回访",),
    ("您好，请问是吴女士吗？我是来跟进一下的。",),
])
def test_a_role_or_a_duty_then_the_customer_is_no_introduction(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("line", [
    "您好，美团单车为您服务。",
    "您好，滴滴出行为您服务，请问有什么可以帮您？",
    "您好，新东方考研辅导中心，请讲。",          # a brand before the generic words
    "喂你好，顺达驾校前台小李。",
    "您好，首都机场行李寄存服务台。",
    "您好，美的洗碗机售后。",
    "您好，协和医院护士站。",
    "我是瑞金医院消化内科的护士小王",
])
def test_a_brand_before_the_generic_words_still_counts(flow, line) -> None:
    assert _opening(flow, line)["self-introduction"] is True


@pytest.mark.parametrize("line", ["好的，已经帮您登记了，期待您来试听。", "嗯呐，那行，慢点开哈。",
                                  "好嘞，欢迎您到店体验。"])
def test_an_invitation_to_come_and_try_or_a_driving_wish_closes_a_call(flow, line) -> None:
    assert _closed(flow, line) is True


@pytest.mark.parametrize("line", ["您先别挂，慢点开，我帮您查一下", "期待您的反馈"])
def test_those_words_mid_business_are_no_closing(flow, line) -> None:
    assert _closed(flow, line) is False
