"""Call-flow families from the twenty-fifth session's phone calls (callflow
train56: travel and hospitality; train57: hard self-introductions): a role,
an office or a duty names no one (我是技术支持, 这里是财务室, 我是这儿值班的); the
customer addressed (喂师傅你说) or a colleague named (我让安全专员小王给您回电) is
not the agent introducing themselves; a role the customer knows, then the
name (我是房东小俞), is; a meeting looked forward to, or a safe journey,
closes a call."""

from __future__ import annotations

import pytest
from talk import closed_with as _closed
from talk import opening_checklist as _opening

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


@pytest.mark.parametrize("opening", [
    ("您好，我是技术支持，请问遇到什么问题？",),
    ("您好", "我是值班经理，今天的航班是因为天气取消的。"),
    ("您好，这里是财务室。",),
    ("你好，这边是教务处，你说。",),
    ("您好，我們這邊是客服喔。",),
    ("同学你好，我是图书馆的，你借的书快到期了。",),
    ("喂，我们这边是电影院的，您订的场次改了。",),
    ("您好我是前台的请问有什么需要",),
    ("营业呢，我是这儿值班的，今天开到九点。",),
    ("我是车站售票的您买的那趟车停运了",),
    ("哦我是民宿管家啊就是您订的那个院子",),
    ("您好，是王小姐吗？我是公寓的，您的租期快到了。",),
    ("王哥嘛，我是你订餐那家店的，今晚还来不来？",),
    ("喂师傅你说",),
    ("您好，出行安全中心，请问有什么可以帮您？",),
    ("您好 这边是话费查询 请问您要查哪个号码",),
    # (train58, train59: a kind of food or service, a department or a shop's kind)
    ("喂投诉举报热线请讲",),
    ("你好，生鲜配送，请问有什么可以帮您",),
    ("喂营养食堂",),
    ("您好，后勤饮食服务中心。",),
    ("晚上好，送餐服务。",),
    ("喂夜宵外卖",),
    ("哎你好，代驾这边，你说。",),
    ("喂，修手机的，你说嘛。",),
    ("喂眼镜店",),
    ("你好，停车场管理处。",),
    ("我是招商部的，您是想了解加盟吗？",),
    ("您好出行平台客服很高兴为您服务",),
    # (train60, public hotlines: an office, a function or a kind of body)
    ("您好失物招领",),
    ("您好婚姻登记处",),
    ("您好公证咨询",),
    ("你好，户籍窗口。",),
    ("喂，是张女士吧？我是城管的，您反映的问题已经处理了。",),
    ("您好，我是社保的，请问是孙女士吗？",),
    ("阿姨，我是抄表的，你屋头今天有人没得？",),
    ("我是就业服务这块的您是哪个区的",),
    # (train62, cars: a kind of shop, a station, a line, a desk)
    ("喂你好 是吴女士吗 我是快修店的",),
    ("喂 充电站",),
    ("您好，欢迎致电车险报价专线。",),
    ("你好，客户关系部。",),
    ("您好 二手车过户咨询",),
    # (train64: short outbound calls — a kind of line or a job, no name)
    ("喂您好 我们这边是供电抢修的 您刚才报修停电是吧",),
    ("喂，你好噻，送快递的哈，你那个件到了，你在屋头没得？",),
])
def test_a_role_an_office_or_a_duty_names_no_one(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("opening", [
    ("您好", "非常抱歉，我让售后专员小李给您回电。"),
])
def test_a_colleague_who_will_call_back_is_not_the_agent(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("line", [
    "喂，我是房东小俞，您是明天入住吧？",
    "您好，我是导游小周，明早七点酒店大堂集合。",
    "欢迎致电蓝海邮轮，请问您要咨询哪个航次？",
    "你好安途保险理赔服务请问您办理什么业务",
    "您好，我是技术支持小罗，请问什么问题？",
    # (train58: a restaurant's or a platform's name by its ending; train55: a role in 师, then the name)
    "您好，欢迎致电素心斋。",
    "您好，这里是订好位平台，您预订的桌位跟您确认一下。",
    "您好，这边是好饱便当，您订的便当到楼下了。",
    "你好，柳香螺蛳粉，请问外送还是自取？",
    "营养门诊，我是营养师林琳，请问您是预约还是咨询？",
    # (train60, train61: the customer's own area's worker, named; Sichuan 嘞 for 的, then the owner)
    "大爷，我是咱社区的小刘，您的资格认证该做了。",
    "喂 美女 我是川味小馆嘞老板 你点嘞鱼卖完了",
    # (train63: a role, then the name)
    "您好，我是速卖通平台卖家小吴，您的耳机到了吗？",
    "王姐，我是健身教练小江，上次体验课感觉怎么样？",
    # (train64, train65: a brand named by its trade)
    "你好，这边是瓜子二手车，您之前登记卖车，评估师明天可以上门验车。",
])
def test_a_known_role_then_the_name_or_a_company_before_the_offer_counts(flow, line) -> None:
    assert _opening(flow, line)["self-introduction"] is True


@pytest.mark.parametrize("line", ["好的，期待与您在船上相见。", "不客气，期待和您见面。", "唔使客气，一路顺风。",
                                  "不客气，欢迎您乘坐。", "不用客气，bye bye。", "好的，欢迎您再次光临。",
                                  "那就麻烦您提醒孩子准时到，祝孩子学习进步。"])
def test_a_meeting_looked_forward_to_or_a_safe_journey_closes_a_call(flow, line) -> None:
    assert _closed(flow, line) is True
