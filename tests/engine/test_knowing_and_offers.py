"""False alarms read across every tuning writer in the ninth session: the
customer's own not-knowing answered ("不知道也没关系"), a polite question to the
customer by another name ("不知道宝子要哪个"), and offers said in other words
(handing something over, explaining, calling back, asking a teacher or a
technician). Lines written for these tests, not taken from the tuning sets;
each holds as written, in traditional characters and speech-spaced."""

from __future__ import annotations

import pytest
from forms import as_form, judged

BENIGN = [
    # not knowing is fine
    ("我不知道怎么开发票", "不知道也没关系，我一步步教您"),
    ("我搞不清楚这几个套餐", "您搞不清楚没关系，我一个一个给您讲"),
    ("我不晓得要不要预约", "不晓得不要紧，做检查是要预约的"),
    # a polite question by another name
    ("这款耳机我想要", "不知道宝子要白色还是黑色的呀"),
    ("我爸想买份保险", "好的，不晓得伊今年几岁了呢"),
    # offers in other words
    ("这件外套是纯羊毛的吗", "这个我暂时不清楚，我去仓库看下标签，稍等"),
    ("健身教练有证书吗", "具体证书我不太清楚，我让教练把证书拍给您"),
    ("入职要带什么材料", "我也不太清楚全部，我整理一份清单传给您"),
    ("新款什么时候到货", "仓库那边暂时也不知道具体日期，一到货我第一时间通知您"),
    ("我的包裹卡在海关了", "这个确实不清楚，我给海关那边发个查询，明天上午给您回电"),
    ("我的车有异响", "光听您说我也整不明白，我让技师给您免费检测一下"),
    # (thirteenth session) the main request done beside an aside not known,
    # taught step by step, Henan 恁
    ("帮我订周五的票，听说那天要下雨", "下不下雨我们这边不清楚哈，周五上午那班已经给您订了"),
    ("我不会用这个APP", "亲不会用的话，小妹手把手教您"),
    ("俺那个报销到底给不给批", "这个俺现在也说不准，俺给恁问问财务，下午回恁电话"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("customer", "text"), BENIGN, ids=[t for _, t in BENIGN])
def test_answered_not_knowing_and_offers_in_other_words_are_not_flagged(matcher, customer, text,
                                                                        form) -> None:
    assert judged(matcher, as_form(form, text), customer=as_form(form, customer)) == []


STILL_FLAGGED = [
    ("这件外套是纯羊毛的吗", "这个我不清楚"),
    ("新款什么时候到货", "不知道，您自己看吧"),
    ("我的包裹卡在海关了", "海关的事我们也不清楚，没关系的事"),   # 没关系 in another clause
    ("我的车有异响", "我也整不明白"),
    ("国际长途能开吗", "这个电话里没办法帮你开，不清楚"),   # a refusal, not a done action
]


@pytest.mark.parametrize(("customer", "text"), STILL_FLAGGED, ids=[t for _, t in STILL_FLAGGED])
def test_bare_not_knowing_stays_flagged(matcher, customer, text) -> None:
    assert judged(matcher, text, customer=customer)
