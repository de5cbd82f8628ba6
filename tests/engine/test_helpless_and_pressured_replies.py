"""Families of the twentieth session (lexicons/README.md, "Twentieth session"):
helplessness beside a reason, acknowledgements that are not actions, written
templates that give up, brush-offs under pressure, and the help that clears them."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # helplessness is not excused by a reason beside it
    ("我买的票被别人用了，怎么办", "页面显示已经出票了，出票后的事情我们也爱莫能助"),
    ("快递说签收了可我根本没收到", "快递已经显示签收，我们这边实在无能为力，请您理解"),
    # 记下了 is an acknowledgement, not an action
    ("楼下烧烤店天天冒烟", "您反映的情况我记下了，这个我们也束手无策"),
    # templates that give up or do not know
    ("退款拖了两个月了", "您好，您的诉求我们已尽力协调，目前已无其他处理方式。"),
    ("我的快递被谁签收了", "回复：包裹由谁代收，本站不得而知。"),
    # the other party named, then on your own; a claim sent elsewhere
    ("中介说好退押金，现在房东不退", "押金的事请您与房东自行协商解决。"),
    ("房东扣了我一半押金", "押金纠纷请向房东主张权利。"),
    # review replies and complaints brushed off
    ("一星，每天推送十几条广告", "不喜欢的话可以退订，谢谢。"),
    ("你们这个服务费不合理，我要投诉", "规定就是这样，投诉了也没用。"),
    # helpless against the other party
    ("有人把车堵在我车库门口一天了", "车主不挪车，我们物业也拿他没办法"),
    # everyone has it the same, after a chase or a charge
    ("外卖超时一个小时了还没到", "高峰期都这样的，大家都一样"),
    ("我没开通怎么每个月都扣十块钱", "所有用户都是这样扣费的"),
])
def test_these_replies_are_flagged_at_major(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("修了三次还是漏水", "我们这边也没辙了，所以我已经申请了工程师周五上门复查", None),
    ("新版本什么时候上线", "新版本上线时间还没定，一确定我们会第一时间在公众号公布", None),
    ("我的账号为什么登不上了", "原因我这边也不清楚，我把您的账号报给技术组了，明天中午前回复您", None),
    ("这个西瓜保甜吗", "甜不甜我不敢打包票，不过收到不满意直接包换", None),
    ("升级后WiFi老掉线", "这个问题我们暂时还不清楚，麻烦楼主补充一下路由器型号，我们来排查", None),
    ("景区周一开门吗", "开放时间近期有没有调整我也不清楚，建议出发前致电景区服务中心确认", None),
    ("张床几时送到啊", "几时到我都唔知，我而家即刻打去仓库问，一个钟内覆你", None),
    ("什么时候发货", "发货时间我也不确定，我今天下午五点前打电话问仓库，再回复您", None),
    ("活动取消了，我交的报名费怎么办", "活动取消了我们也是无可奈何",
     "报名费可以原路退回，也可以保留到下一期活动，您看选哪个"),
    ("再不给我退钱我就投诉", "您要投诉那您就投诉吧",
     "投诉我这边给您登记了，退款我现在就去催，下午五点前给您回电话"),
    # asked whether their price is higher, everyone paying the same answers it
    ("是不是老客户价格比新客户贵", "这个价格大家都一样的，您放心购买", None),
])
def test_help_in_this_or_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


def test_a_brush_off_with_nothing_after_stays(matcher) -> None:
    assert "brush-off" in _flagged(matcher, "您要投诉那您就投诉吧", customer="再不给我退钱我就投诉")
