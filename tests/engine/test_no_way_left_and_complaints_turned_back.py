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
    # the customer told to read it, to expect less, that it is always so
    ("投影仪怎么连手机？", "说明书里都有，您自己看吧"),
    ("沙发颜色跟图上不一样", "网购有色差，您的要求别太高。"),
    ("宝宝吃了辅食有点拉肚子，会不会有问题？", "您别想太多。"),
    ("纯棉T恤一洗就皱", "纯棉的哪有不皱的呀"),
    ("我想换个阿姨，这个不太细心", "哪有那么多十全十美的"),
    ("我手滑点了两次付款", "那还能怪谁"),
    ("保险箱密码忘了还能开吗", "密码忘了就彻底打不开了"),
    ("我在群里被人骗了钱", "群友之间转账，平台管不了你们之间的私事"),
    ("充电器是配件厂做的吧，坏了找谁", "您联系配件厂吧"),
    # praise that mocks, the customer's trouble belittled
    ("我每次都忘了续费，能不能自动提醒？", "每次都忘，那您可真厉害。"),
    ("我刚买的电视第二天就降价了", "您可真会挑时候。"),
    ("我想要靠窗、安静、不靠电梯的房间", "您的要求还挺多的。"),
    ("我都排了两个小时了", "两个小时都等了，还差这一会儿吗"),
    ("你们寄来的是深灰不是浅灰", "深灰浅灰，谁分得出来。"),
    ("课程群在哪看通知？", "您不会自己翻翻群吗"),
    ("快递员把我的件扔门口就走了", "快递员一天送几百件，哪有工夫挨个等。"),
    ("才少了两个，怎么办", "少一两个，差不多得了。"),
    # let it go; no use trying again; somebody else's conduct or call
    ("ATM吞了我的卡", "吞进去的卡就别指望了"),
    ("热水器又坏了", "这么老的机器，修不修都一样。"),
    ("理赔被拒了，还能再申请吗？", "再申请也是一样的结果。"),
    ("送货师傅态度很差", "那是他个人的行为。"),
    ("我的件丢了，你们赔不赔？", "丢没丢网点说了算。"),
])
def test_they_are_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("保单被拒赔了，怎么办？", "理赔这边已无任何补救余地，不过我可以帮您申请复核，三天内回复您。"),
    ("停电了找谁？", "线路是归供电公司那边管的，您打他们九五五九八报修就行。"),
    ("这家店的菜不合口味", "不满意的话我帮您退掉这道菜，重新给您上一份。"),
    ("我想要甜一点的", "不甜的话我给您加一份糖浆，还叫甜品师再调一下。"),
    ("我学了一次就会了", "您真厉害，一下就学会了"),
])
def test_the_same_words_with_help_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("停电三个小时了，什么时候来电？", "今天估计来不了电了，您自己想想办法吧。",
     "我先把您家登记上，抢修那边一有进展我马上回电。"),
    ("小区水管爆了！", "小区里的管子是物业的，您打物业电话吧。", "同时我这边也给抢修站报一下。"),
    ("房东不退押金，你们能帮忙吗？", "房东不同意，我们也拿他没办法。", "不过我们可以出面约房东一起谈。"),
    ("楼上漏水滴到我家了，能想想办法吗？", "楼上漏水这事我们也没办法。", "不过我现在就上楼敲门让他先关总阀。"),
    ("水果烂了一半，你们说怎么办？", "那您看着办吧。", "您选退款我马上按烂的数量退。"),
])
def test_a_call_back_a_report_or_stepping_in_next_clears_them(matcher, customer, agent,
                                                              next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)
