"""Families of the thirtieth session (lexicons/README.md, "The customer called
picky, the loss shrugged off; classes and desks that name no one (thirtieth
session)"): the customer called picky (您讲究还挺多, 有座位就不错了您还挑来挑去)
is a brush-off; the loss shrugged off (死了就死了, 少就少了吧) is resigned;
the fault doubted back onto the customer (头发不一定是我们的呢) disclaims
responsibility; a cause not yet known (现在还不能确定是什么原因) disclaims
knowledge. The same words with a fix, or said about something else, are
not violations."""

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
])
def test_the_same_words_with_a_fix_or_a_plain_answer_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
