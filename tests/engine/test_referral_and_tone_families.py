"""Families from the eighth session's writers (train21 referrals and tone;
train22 curt turns; train23 Taiwan, Hong Kong and Singapore wording), with
their near-misses: the customer sent back where they came from or left to
argue it out with another party, blame put on the customer's own side, and
brush-offs carried by tone. Lines written for these tests, not taken from
the tuning sets; each family holds as written, in traditional characters and
speech-spaced."""

from __future__ import annotations

import pytest
from forms import as_form, judged

FLAGGED = [
    # sent back where the customer came from
    ("这个您还得回营业厅办。", "push-away-indirect"),
    ("您还是回到医院窗口登记吧。", "push-away-indirect"),   # (a bare 还是回 sounds like 还是会)
    ("赔偿的话请回头找代理商处理。", "push-away-indirect"),
    ("发票的事您就回头问主办方。", "push-away-indirect"),
    # another party told to deal with it, or argued out with them
    ("电费是户主的事，让房东来处理吧", "push-away-indirect"),
    ("这事您还得跟商家交涉。", "push-away-indirect"),
    ("有问题你跟卖家协商", "push-away-indirect"),
    # blame on the customer's side
    ("网速慢是您家路由器的毛病", "blame-shift"),
    ("那是孩子自己不小心摔的", "blame-shift"),
    # tone
    ("您急有什么用呢", "brush-off"),
    ("换啥换，都一样的", "brush-off"),
    ("催什么催，排着呢", "brush-off"),
    ("排到哪儿就是哪儿", "brush-off"),
    ("该等的还是要等", "brush-off"),
    ("该说的我都说了", "brush-off"),
    ("嫌贵您去别家买去", "sarcasm"),
    ("我们也不差您这一单", "sarcasm"),
    ("投诉三次又怎么样", "sarcasm"),
    ("这还用提醒吗", "sarcasm"),
    ("没货就是没货，我变给你吗", "sarcasm"),
    # not knowing, Cantonese and "never studied it"
    ("呢个价钱我一时答唔到你", "disclaim-knowledge"),
    ("这个成分我没研究过", "disclaim-knowledge"),
    # Taiwan, Hong Kong, Singapore wording (train22-23)
    ("呢啲我冇留意喎", "disclaim-knowledge"),
    ("這邊完全沒頭緒耶", "disclaim-knowledge"),
    ("幾時到帳我冇辦法答你", "disclaim-knowledge"),
    ("產地我點知呀", "disclaim-knowledge-rhetorical"),
    ("那台機器是委外廠商的，請您打給他們", "push-away-indirect"),
    ("有咩投訴你直接搵佢哋", "push-away-indirect"),
    ("底盤的問題請洽保險公司", "push-away-indirect"),
    ("誰答應的您找誰", "push-away-indirect"),
    ("保安是外包的", "blame-shift"),
    ("急也白急", "brush-off"),
    ("那就客訴啊", "brush-off"),
    ("有咩好嘈", "brush-off"),
    ("退不退看領導心情", "non-answer"),
    ("現在說啥都晚了", "give-up-resigned"),
    ("這個真的沒法度", "give-up-helpless"),
    ("我們這邊也使不上力", "give-up-helpless"),
    # chat's 亲 as the subject of a push-away (session 9, train26)
    ("物流的事亲去问快递哈", "push-away"),
    ("亲联系商家那边吧", "push-away-indirect"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("text", "rule"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_referral_blame_and_tone_forms_are_flagged(matcher, text, rule, form) -> None:
    assert rule in judged(matcher, as_form(form, text))


NEAR_MISSES = [
    # the agent does it, or offers help, or it is not sending back at all
    ("我让商家来处理吧，您等我消息", None),
    ("您还得回营业厅办，我已经帮您预约好了号", None),
    ("稍后我回电话告诉您结果", None),
    ("您需要回到首页重新申请", None),
    ("对方不配合的话需要您自己跟对方协商，我们理赔员可以陪您一起去", None),
    # a reason, an inspection, another clause
    ("网站没更新而已，我马上帮您查库存", None),
    ("这个我们没研究过，我帮您问一下药师", None),
    ("具体原因我现在还不清楚", "我已经催了，十分钟后回电告诉您"),
    ("您之前有人讲不归我们管，真的很抱歉，这件事我来处理", None),
    ("您看开点也好，我这边一定帮您跟进到底", None),
    ("已经帮您跟商家说了呢", None),
    ("行員不清楚的部分很抱歉，我這邊查到是戶名不符，所以被退回", None),
    ("给您带来不好的心情非常抱歉，我马上帮您处理", None),
    ("亲联系商家哈，我这边也帮您催一下", None),
    ("已经到账的钱这边拦不了，我马上帮您提交冻结申请", None),   # a limit, not a taunt
    # session 9: denied, reported, or helped along in the same turn
    ("我们不会推给您自己处理，您提供证明我们走退款流程", None),
    ("您说那边让您自己想办法，别着急，我们这边可以做", None),
    ("两种都可以，您自己看着办，我把两种的总成本都列给您", None),
    ("您自己去营业厅办也行，我这边也能直接帮你退", None),
]


@pytest.mark.parametrize(("text", "next_turn"), NEAR_MISSES, ids=[t for t, _ in NEAR_MISSES])
def test_near_misses_of_the_referral_and_tone_families_stay_benign(matcher, text, next_turn) -> None:
    assert judged(matcher, text, next_turn=next_turn) == []


@pytest.mark.parametrize("form", ["plain", "spaced"])
@pytest.mark.parametrize("text", ["您想问什么问题呢", "您想看什么看法都可以说", "等什么等级的会员都能用"])
def test_a_verb_what_verb_word_is_not_a_retort(matcher, text, form) -> None:
    # Spaced speech trusts an exact match, so the retort forms are only the
    # verbs that rarely start a longer word.
    assert judged(matcher, as_form(form, text)) == []
