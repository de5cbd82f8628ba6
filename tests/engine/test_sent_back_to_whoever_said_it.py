"""Families of the twenty-fifth session (lexicons/README.md, "Repairs,
insurance, recogniser output and grammar"): the customer sent back to
whoever said it or to where it was bought; jibes that hide in an offer's
words; can't judge, can't say clearly; a service that "has nothing to do
with it"; and what still clears a line — the free way named in the next
turn, a technician booked."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # sent back to whoever said it, or to where it was bought
    ("销售说免费保养三年，现在怎么要收钱？", "销售讲的您去问销售。"),
    ("中介说押金一周退，为什么还没退？", "中介怎么说您就找中介。"),
    ("上次那个客服说能补偿，怎么又不算了？", "谁跟你说的你找谁去。"),
    ("隔壁装修把我家墙震裂了，你们物业管不管？", "隔壁弄坏的，您让隔壁赔去。"),
    ("我人在上海，卡是杭州办的，这边能挂失吗？", "您回杭州去办吧。"),
    ("衣服洗完缩水了", "缩水是面料的事，找生产厂家问问。"),
    # jibes in an offer's words
    ("你们节目越来越少还涨价", "嫌贵您可以不看嘛。"),
    ("没系安全带出了事你们保险不赔？", "不系安全带还想赔，想得倒美。"),
    ("客服之前说今天一定到", "客服说的您也信啊。"),
    # can't judge, can't say clearly — and nothing after it
    ("这台冰箱还能用几年？", "这个我们也没法判断。"),
    ("我这种情况保费会涨多少？", "具体多少我这边没办法确定。"),
    ("到底算不算质量问题？", "这个我也没法跟您说清楚。"),
    # the service "has nothing to do with it"
    ("空调加完氟还是不制冷", "不制冷是机器老化，跟维修没关系。"),
    ("保洁完地板上全是划痕", "划痕是本来就有的，和保洁没有关系。"),
    # given up, said plainly
    ("水管修完还是漏", "管子都锈穿了，没治了。"),
    ("墙皮补完还是起鼓", "补也补不好，凑合用吧。"),
    ("航班延误四个小时你们不赔吗？", "延误是天气原因，跟航司没啥关系了。"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    # the free way named in the next turn
    ("改签费能免吗？", "规定就是这样，免不了哦。", "不过起飞前七天以上改签是免费的，您现在改正好不收费。"),
    # a technician booked in the next turn
    ("下水道又堵了，堵在哪？", "这个我也说不上来。", "我约师傅带内窥镜过去看一下。"),
])
def test_the_next_turn_clears_them(matcher, customer, agent, next_turn) -> None:
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)


@pytest.mark.parametrize(("customer", "agent"), [
    ("销售说的优惠还算数吗？", "销售说的优惠我帮您查一下，稍等。"),
    ("我想问问能不能上门", "我们可以派师傅上门，您约个时间。"),
    ("你们这个跟维修有关系吗", "我帮您转给维修的同事确认一下。"),
    ("能判断是哪里漏水吗", "我们没法远程判断，我安排师傅明天上门检测。"),
])
def test_the_same_words_with_help_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
