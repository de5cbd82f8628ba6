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

# (thirteenth session) a give-up resolved by the next turn's offer in other words
RESOLVED_NEXT = [
    ("地板才铺一周就翘起来了", "这个我这边也没啥招", "您别急，我们免费给您把这几块重新铺一遍"),
    ("保洁没打扫干净", "哎呀我是真没辙了", "这么着，我让店长明天带人上门返工"),
    ("钱包落在车上了司机已经开走了", "那我现在也没辙", "您稍等，我这边发起失物协助，司机会联系您"),
    ("网银转不出去急死了", "这个我确实弄不了", "我可以先给您开通手机银行转账，我陪您操作"),
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


@pytest.mark.parametrize(("customer", "text", "next_turn"), RESOLVED_NEXT,
                         ids=[t for _, t, _ in RESOLVED_NEXT])
def test_a_give_up_the_next_turns_offer_resolves_is_not_flagged(matcher, customer, text,
                                                                next_turn) -> None:
    assert judged(matcher, text, customer=customer, next_turn=next_turn) == []
    assert judged(matcher, text, customer=customer)  # without the offer it counts
