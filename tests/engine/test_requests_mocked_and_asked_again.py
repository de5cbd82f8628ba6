"""Families of the twenty-ninth session (lexicons/README.md, "Requests mocked,
asked again, done is done (twenty-ninth session)"): the customer's request
mocked (您事儿还挺多, 您以为就您一家), answered with "then leave" (那您搬走好了,
不想看就别来), or held against them when asked again (还要问几遍, 打多少遍都一样)
is a brush-off; 爱V不V takes more verbs; done is done, and what could be done is
asked back (送都送了还能怎么办, said without a pause) is a give-up; 跟店里无干 is
无关. Firm or friendly answers with the same words are not."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    ("能帮我把狗狗的指甲也剪一下吗？", "剪指甲？您事儿还挺多~"),
    ("能不能帮我换个靠窗的位置", "您这事儿可真多啊"),
    ("搬家师傅能不能今天早点到？", "早点？您以为就您一家搬呢。"),
    ("能晚两天交物业费吗？", "你以为就你一个人困难啊"),
    ("能帮我把这个月房租晚交三天吗？", "晚交？那您搬走好了~"),
    ("这个课能退吗？", "不想上就别来，退是不可能退的。"),
    ("我想把车票改签到早一点的车次", "都跟您说过没票了，还要问几遍呀"),
    ("我想提一下信用卡额度", "提额是系统定的，您打多少遍都一样"),
    ("能帮我把明天的专家号改到后天吗？", "号源就这样，您爱挂不挂。"),
    ("会员卡能不能先停一个月？", "爱停不停，规矩就是这样。"),
    ("骑手把我的餐送错楼了，能再送回来吗？", "送都送了还能怎么办呢"),
    ("信用卡被盗刷了两笔，能先冻结吗？", "刷都刷出去了哪还有什么办法呀"),
    ("狗洗完澡回来皮肤红了，能带去看看吗？", "它自己皮肤敏感，跟店里无干。"),
])
def test_a_request_mocked_or_asked_again_is_flagged(matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    ("能帮我把狗狗的指甲也剪一下吗？", "可以的，剪指甲不另收费，洗完一起帮您剪。"),
    ("我想把车票改签到早一点的车次", "早一点的车次已经没票了，我帮您登记候补，有票第一时间通知您。"),
    ("都问了三遍了", "不好意思让您问了这么多次，我这就帮您查清楚。"),
    ("这个课能退吗？", "您要是不想上了，剩下的课时可以按比例退，我帮您申请。"),
    ("送错楼了怎么办", "送都送了也没关系，我让骑手现在取回来给您送到正确的楼。"),
])
def test_the_same_words_answered_helpfully_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)
