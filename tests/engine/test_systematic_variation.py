"""Round 6 (issue #8): the existing families generalise by the regular ways Chinese
varies them, not by more sentences. A degree adverb inside a potential complement
(说不太清楚, 吃不大准, 管不太了), 是 after an adverb (也是管不动), 一点…都 with the
other words for a way and the verbs of trying (一点法子都想不出来, 一点忙都插不上),
dialect negators (不得管, 冇乜印象) and subjects (阿拉, 我哋, 小店, 我们客服), the
regional "what" (关我们客服么子事), and synonyms in each slot (白说 for 没用, 自认
倒霉, 这样子了). Each is flagged as written, in traditional characters, speech-spaced
and with a one-character homophone; its near misses stay benign. Lines written for
these tests, not taken from the tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged

# (line, the rule that must flag it)
FLAGGED = [
    # disclaim-knowledge: a degree adverb inside the complement, synonyms of the result
    ("这个规定我也说不太清楚", "disclaim-knowledge"),
    ("那个利率怎么算的我这边也弄不大明白", "disclaim-knowledge"),
    ("报销比例我们也吃不大准", "disclaim-knowledge"),
    ("多久能批下来我也拿不太准", "disclaim-knowledge"),
    ("他那个软件界面我也看不太明白", "disclaim-knowledge"),
    ("为什么被退回我也看不出是哪里出的问题", "disclaim-knowledge"),
    ("这个故障原因我也判断不出来", "disclaim-knowledge"),
    # none at all; Cantonese 冇乜印象; outside what I know; never dealt with it
    ("哪天到货我是一点头绪都没有", "disclaim-knowledge"),
    ("呢个收费我都冇乜印象", "disclaim-knowledge"),
    ("这个已经超出我们的专业范围了", "disclaim-knowledge"),
    ("这块业务我没接触过", "disclaim-knowledge"),
    # 没 as the negator
    ("为什么扣费我也没搞清楚", "disclaim-knowledge"),
    # give-up-helpless: 一点 + a word for a way + a verb of trying; 干着急; 使不上劲; 没有抓手
    ("这个我们是一点主意都想不出来了", "give-up-helpless"),
    ("唉我这边一点法子都没有", "give-up-helpless"),
    ("这个我们实在是没辙", "give-up-helpless"),
    ("这个事情我也是一点忙都帮不上", "give-up-helpless"),
    ("我们客服这边也是干着急", "give-up-helpless"),
    ("这事我们真使不上劲", "give-up-helpless"),
    ("这个片区的问题我们也是没有抓手", "give-up-helpless"),
    # give-up-unable: 管不动, 搞不太定, the adverb with 是
    ("那个噪音的事我们物业也是管不动", "give-up-unable"),
    ("这个我们真的搞不太定", "give-up-unable"),
    ("这种情况我们这边也是处理不了", "give-up-unable"),
    # give-up: 没有办法 + 给您 + a general verb
    ("这个订单我们没有办法给您处理", "give-up"),
    # speech without commas: a new clause with Sichuan 莫 (= 别) ends the give-up
    ("这个事我们也是莫得法子你莫急了嘛", "give-up"),
    # give-up-resigned: 这样子了, 自认倒霉
    ("那也只能这样子了", "give-up-resigned"),
    ("这种情况也只能自认倒霉了", "give-up-resigned"),
    # disclaim-responsibility: dialect negators and subjects, regional "what", 扯不上 with a gap
    ("楼上漏水我们物业又不得管", "disclaim-responsibility"),
    ("那是厂家发的货，关我们客服啥子事", "disclaim-responsibility"),
    ("保修的事跟我们门店扯不上关系", "disclaim-responsibility"),
    ("这种事小店不管的", "disclaim-responsibility"),
    ("这个费用阿拉公司不认的", "disclaim-responsibility"),
    ("快递丢件我们这边没法负责哦", "disclaim-responsibility"),
    # the rhetorical 得 form
    ("楼上邻居装修我们哪管得了", "disclaim-responsibility"),
    ("他们家的事我们管得着吗", "disclaim-responsibility"),
    # blame-shift: more subjects and verbs of staying out; 插不上话; 不属于…保修范围
    ("二手交易咱这边不介入的", "blame-shift"),
    ("这种纠纷我们客服插不上话", "blame-shift"),
    ("赠送的配件不属于我们保修范围", "blame-shift"),
    # brush-off: 白说 / 没得用 for 没用, 着急 among the things that are no use
    ("规定就这样，您说了也白说", "brush-off"),
    ("您再着急也没用", "brush-off"),
    ("您骂我也没得用", "brush-off"),
    # sarcasm: 嫌吵就别住
    ("嫌吵就别住这儿", "sarcasm"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("text", "rule"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_systematic_variant_is_flagged(matcher, text, rule, form) -> None:
    line = as_form(form, text)
    assert rule in judged(matcher, line), line


@pytest.mark.parametrize(("text", "rule"), [
    # one character heard as another, as a recogniser writes it
    ("这个规定我也说不太清处", "disclaim-knowledge"),
    ("唉我这边一点法子都没友", "give-up-helpless"),
    ("那是厂家发的货，关我们客服啥子是", "disclaim-responsibility"),
    ("这个我们真的搞不太顶", "give-up-unable"),
])
def test_homophones_of_systematic_variants_follow_from_the_same_rules(matcher, text, rule) -> None:
    assert rule in judged(matcher, text)


# (line, the agent's next turn): benign at major
NEAR_MISSES = [
    # the customer's state, a picture, an offer to find out (Wu 侬 as "you")
    ("您说不太清楚的话可以发个截图给我", None),
    ("这个图片有点糊，看不太清楚", None),
    ("这个我也说不太清楚，我帮您问一下技术", None),
    ("这个我也弄不灵清，我帮侬问问师傅", None),
    ("这个已经超出我的知识范围了，我请专业的同事来跟您说", None),
    ("这个我们真的搞不太定", "我给您转到技术部门，今天下班前他们会联系您"),
    # somebody else's words, reported
    ("师傅说这个他一个人管不动", None),
    # not yet known, and somebody is on it
    ("原因我们还没搞清楚，师傅正在排查", None),
    # a denial of the disclaimer
    ("我们怎么会不管呢，我这就帮您联系物业", None),
    # the customer not accepting, not the agent
    ("您不认这个账的话我们可以帮您申请复核", None),
    # a product that is not in a promotion (不参与活动 is common in shop chats,
    # so 不参与 is not a blame-shift verb)
    ("我们这款不参与满减活动的哦", None),
    # owning it after all
    ("跟我们扯不上关系的问题我帮您问一下", None),
    # an offer follows what only sounds like a brush-off
    ("您别着急，着急也没用，我马上帮您催一下", None),
    # accommodating: a quieter room offered
    ("嫌吵的话我给您换个安静的房间", None),
]


@pytest.mark.parametrize("form", ["plain", "spaced"])
@pytest.mark.parametrize(("text", "next_turn"), NEAR_MISSES, ids=[t for t, _ in NEAR_MISSES])
def test_systematic_near_miss_stays_benign(matcher, text, next_turn, form) -> None:
    line = as_form(form, text)
    found = judged(matcher, line, next_turn=next_turn)
    assert not found, (line, found)
