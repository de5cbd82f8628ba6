"""A public office said by its kind (我是户籍室的, 我是运管的, 您好，房管这边) and a
bank's or broker's desk said by its business (你好 大额取现预约, 这边农险理赔)
name nobody; the district's office, a named company before the hotline,
and a finance firm's bare name at pick-up do (callflow train71-72,
twenty-seventh session); so do education, utility and finance desks, a
class's teacher, a trade said by what the agent does, and the sentence
before 我是说 (callflow train73-77)."""

from __future__ import annotations

import pytest
from talk import closed_with, opening_checklist

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
    # education desks, a class's teacher, "a teacher here" (train73)
    "喂你好这里是四六级报明咨询",
    "您好，校车服务热线。",
    "喂是张浩妈妈吗我是三年级二班的班主任",
    "哎你好，我是这儿老师，你说。",
    # a sentence, then 我是说: no name before it
    "本科毕业满三年，大专满五年。我是说报名时满足就可以，不用入学时才满。",
    # utility desks and inspectors, a trade by what the agent does (train74-75)
    "您好 燃气抢修",
    "您好，我是燃气公司安检员，明天上午要到您家做入户安全检查，家里有人吗？",
    "喂 我是物业的 怎么了",
    "喂，这边是人工坐席，请说。",
    "对对我是搞水电的你家哪里要弄",
    "您好，瓷砖店。",
    # a kind of firm, desk or shop (train76-77)
    "喂，刘先生吗？我们是基金公司的，您上周购买的那只基金需要做个回访。",
    "您好，这里是酒店前台，跟您确认一下今晚的预订。",
    "喂您好请问是吴先生吗这边是银行信用卡中心的",
])
def test_an_office_or_desk_by_its_kind_is_no_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    "您好，我是朝阳区户籍室的，请讲。",
    "您好，欢迎致电国泰君安证券客服热线。",
    "喂，鼎盛租赁，哪位？",
    "你好，我们这儿是七彩美术。",
    "您好，这边是明亮眼镜，您上周配的眼镜已经到了。",
    "喂，你好，我是顺丰嘞，你那个件有啥子问题嘛？",
    "我是三年级二班的班主任王老师",
])
def test_which_office_or_firm_is_said_is_a_self_introduction(flow, opening) -> None:
    assert opening_checklist(flow, opening)["self-introduction"] is True


@pytest.mark.parametrize("closing", ["那好嘛，慢走哈。", "要得，我给你放到柜台，下回来耍嘛。",
                                     "好的，欢迎您随时来电。"])
def test_sent_off_or_invited_to_call_is_a_closing(flow, closing) -> None:
    assert closed_with(flow, closing)


@pytest.mark.parametrize("closing", ["感谢您的反映，欢迎您继续监督。", "好的，保留到晚上六点，期待您的入住。"])
def test_supervision_invited_or_a_stay_awaited_is_no_closing(flow, closing) -> None:
    # Labellers disagree on both; the default keeps the majority (lexicons/README.md).
    assert not closed_with(flow, closing)
