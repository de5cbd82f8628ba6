"""Families of the thirtieth session (lexicons/README.md, "The customer called
picky, the loss shrugged off; classes and desks that name no one (thirtieth
session)"): the customer called picky (您讲究还挺多, 有座位就不错了您还挑来挑去)
is a brush-off; the loss shrugged off (死了就死了, 少就少了吧) is resigned;
the fault doubted back onto the customer (头发不一定是我们的呢) disclaims
responsibility; a cause not yet known (现在还不能确定是什么原因) disclaims
knowledge; the problem called normal with nothing done (灯亮一下很正常，开开就
好了; 换过屏的手机都会这样，适应一下) dismisses it; the customer sent back to
wherever they bought it (哪里买的就去哪里退) is pushed away. The same words
with a fix, a cause given first, the customer's own not-knowing called
normal, or said about something else, are not violations."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    ("双皮奶上面的皮都没有。", "有没有皮都一样吃，您讲究还挺多。"),
    ("能不能换个不靠厕所的座位", "有座位就不错了，您还挑来挑去的。"),
    ("房间的窗帘有点透光", "您要求也太高了吧"),
    ("买的活虾送到一半都死了。", "死了就死了，活物哪有保证的。"),
    ("公司订的盒饭少了五份，同事都饿着。", "少就少了吧，这会儿也变不出来。"),
    ("蛋糕送到的时候奶油都化了", "化了就化了，天热都这样。"),
    ("亲，杨枝甘露里有一根头发！", "头发不一定是我们的呢，您自己检查下~"),
    ("为什么我家网一到晚上就断？", "现在还不能确定是什么原因。"),
    ("保單失效了，可以恢復嗎？", "失效就失效了，沒得挽回。"),
    ("刚保养完，发动机灯就亮了", "灯亮一下很正常，开开就好了"),
    ("换完屏以后触摸有点不灵", "换过屏的手机都会这样，适应一下"),
    ("电梯又坏脱了，阿拉住十八楼呀", "电梯坏脱老正常个，侬爬爬楼就当锻炼"),
    ("亲，我是在旅行网站买的票，想退票", "亲，哪里买的就去哪里退哦~"),
])
def test_a_picky_customer_a_shrugged_loss_or_a_doubted_fault_is_flagged(
        matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("双皮奶上面的皮都没有。", "不好意思，这份给您重新做一份，皮会多铺一层。"),
    ("能不能换个不靠厕所的座位", "可以的，您看靠窗那桌行吗？我帮您换过去。"),
    ("买的活虾送到一半都死了。", "死掉的部分我按斤两给您退，您拍张照片就行。"),
    ("蛋糕送到的时候奶油都化了", "化了的蛋糕我们给您重做一个，下午三点前送到。"),
    # (train193: the cause not yet known, and a test offered in the same turn)
    ("我家网一直掉线", "亲，具体原因小妹现在还不清楚，先帮您远程测一下线路哈~"),
    ("为什么我家网一到晚上就断？", "现在还不能确定是什么原因，我先帮您派师傅上门检测，明天上午到。"),
    # (about whose the thing is, not the fault: a plain answer)
    ("这把伞是你们店的吗", "这把伞是我们店的，您可以先拿去用。"),
    # (the customer's own not-knowing called normal, then answered; a cause given first; a fix offered)
    ("我妈的卡被冻结了，她也不知道为什么", "您不知道原因很正常，这类冻结一般是系统风控自动触发的，请她带身份证到网点当场解冻。"),
    ("显示器边上有点弯", "您好，由于前面板内部螺丝应力，边角会稍有弧度，属于正常现象。"),
    ("欠费一百怎么变成四百了", "欠费超过缴费期会收取滞纳金，为避免停机，请您在正常缴费周期内缴清。"),
    ("我不知道哑光和半哑光有什么差别", "您不知导差別很正常，啞光比較不反光，半啞光比較好擦洗。"),
    ("刚保养完，发动机灯就亮了", "灯亮一下很正常，我帮您约明天上午回店免费检测一下。"),
    ("我在你们官网买的票，想退票", "官网买的票我这边就能给您退，手续费五元，现在帮您操作。"),
])
def test_the_same_words_with_a_fix_or_a_plain_answer_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    # (train197: sent back where it was bought, then the agent's own side offers to do it)
    ("亲，我是在旅行网站买的票，想退票", "亲，哪里买的就去哪里退哦~",
     "要是那边处理不了，您把票号发我，我们航司这边也可以直接给您办~"),
    # (train157: lost stays lost, then the agent adds the customer themselves)
    ("学习群的链接过期了进不去", "过期就过期了呗，没辙", "不过你加我微信我直接拉你进群~"),
])
def test_a_push_or_a_shrug_the_next_turn_remedies_is_not(matcher, customer, agent,
                                                         next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)
