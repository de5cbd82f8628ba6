"""Families of the twenty-seventh session (lexicons/README.md, "Formal
finality, civic offices, food and live-stream shops (twenty-seventh
session)"): no way left at all, said in a rulebook's words; a complaint
turned back on the customer (不甜还叫甜品吗, 慢点怎么了, 早干嘛去了); a part of
the job disowned; not having noticed; and what still clears them: an offer,
or the service number given."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    # no way left at all, whatever rule is cited
    ("保单被拒赔了，怎么办？", "根据合同条款，此案已无任何补救余地。"),
    ("账号被封了能解吗？", "按平台规定处理完毕，已经没有任何申诉途径了。"),
    ("我的退款申请被驳回了", "您再怎么投诉也不会有任何结果的。"),
    ("车被拖走了能先放出来吗？", "我们这边没有任何干预手段。"),
    ("工资被老板拖了半年", "人都找不到了，这钱恐怕追不回了。"),
    ("楼下天天半夜放音乐", "这种事谁都管不住。"),
    ("蛋糕上的字写错了", "做好了也没什么能补救的。"),
    # the complaint turned back on the customer
    ("火锅太辣了", "火锅不辣还叫火锅吗"),
    ("快递三天了还没到", "快递嘛，晚两天怎么了。"),
    ("五块钱的奶茶怎么这么小杯", "这个价还想要多大的。"),
    ("积分怎么又没到账", "您每天都来问不累吗"),
    ("多收的服务费总得给个解释吧", "签了合同就得交，还要什么解释。"),
    ("网贷利息太高了还不起", "当初干嘛去了，借的时候不是挺痛快的吗"),
    ("这里停车太贵了", "嫌贵的话别处多的是。"),
    ("鞋子穿一次就开胶了", "您自己穿去踢球怪谁呢。"),
    # a part of the job disowned, the blame put back
    ("房间空调坏了没人修", "空调是工程部那边管的。"),
    ("证件照怎么拍得这么难看", "我们只负责打印哦"),
    ("手机充不进电，是不是你们的问题？", "是您充电器的问题，跟产品质量没关系。"),
    ("衣服一洗就缩水", "是您水温太高，别往我们身上赖。"),
    ("社保卡丢了怎么办", "社保卡的事您找居委会吧。"),
    # not having noticed, not being able to see, knowing nothing of it
    ("刚才送的那桌是几号桌？", "几号桌我没留意呢"),
    ("快递单号到底发到哪了？问了三遍了", "单号我这看不见哦"),
    ("这个保险的免赔额怎么算？", "保险这块我一窍不通。"),
    ("空调滴水是怎么回事？", "那我哪搞明白去"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("保单被拒赔了，怎么办？", "理赔这边已无任何补救余地，不过我可以帮您申请复核，三天内回复您。"),
    ("停电了找谁？", "线路是归供电公司那边管的，您打他们九五五九八报修就行。"),
    ("这家店的菜不合口味", "不满意的话我帮您退掉这道菜，重新给您上一份。"),
    ("我想要甜一点的", "不甜的话我给您加一份糖浆，还叫甜品师再调一下。"),
])
def test_the_same_words_with_help_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
