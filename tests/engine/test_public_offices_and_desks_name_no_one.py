"""A public office said by its kind (我是户籍室的, 我是运管的, 您好，房管这边) and a
bank's or broker's desk said by its business (你好 大额取现预约, 这边农险理赔)
name nobody; the district's office, a named company before the hotline,
and a finance firm's bare name at pick-up do (callflow train71-72,
twenty-seventh session)."""

from __future__ import annotations

import pytest
from talk import opening_checklist

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.lexicon import load_lexicon


@pytest.fixture(scope="module")
def flow() -> CallFlow:
    return CallFlow(load_lexicon(), timing=False)


@pytest.mark.parametrize("opening", [
    # public offices by their kind
    "嗯我是户籍室的你说小孩是刚出生的是吧",
    "您好，我是劳动监察大队的，请讲。",
    "对我是婚姻登记处的您说",
    "嗯我是运管的您记得车牌号吗",
    "您好我是电力的您说",
    "嗯我们这边是广电的您家机顶盒灯是什么颜色",
    "您好，我是残联的工作人员，请讲。",
    "您好，房管这边，请讲。",
    # hotlines by what they are for
    "下午好，气象服务热线，请问您想查询哪里的天气？",
    "您好，消费者投诉举报热线。",
    # bank and broker desks by their business
    "嗯你好 这边是交易咨询",
    "你好 大额取现预约",
    "您好，欢迎致电证券客服热线。",
    "你好，这边农险理赔，你说嘛。",
])
def test_an_office_or_desk_by_its_kind_is_no_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    "您好，我是朝阳区户籍室的，请讲。",
    "您好，欢迎致电国泰君安证券客服热线。",
    "喂，鼎盛租赁，哪位？",
])
def test_which_office_or_firm_is_said_is_a_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is True
