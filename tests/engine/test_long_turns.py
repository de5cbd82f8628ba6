"""Long spoken agent turns (issue #8, train5 round): the violation is buried among
apologies and fillers, often without punctuation, in regional speech.

Precision: an offer, a reason, a delegation or a promise anywhere in the turn
rescues it; somebody else's words reported and the customer's own words quoted
back are not the agent's. Recall: the compositional families (the agent + a
verb + 不 + its result, 没 + 么子 / 一点 + 办法, 您 + 去 + somewhere + 问吧, ...)
are flagged as written, in traditional characters, speech-spaced and with a
one-character homophone. Lines written for these tests, not taken from the
tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged

from phraseguard.engine.hit import Severity

# (line, the rule that must flag it)
FLAGGED = [
    # give-up: regional "no way at all"
    ("哎哟大哥这个事情我们也冇得么子办法咯", "give-up"),
    # give-up-helpless: none at all, 拿它没辙, 没咒念, 干瞪眼, 插不上手
    ("嗯那个女士这个退款的事情我这边啥招都没有了", "give-up-helpless"),
    ("这个东西坏成这样我们拿它也没辙", "give-up-helpless"),
    ("物业也去看过了人家不配合我们也没咒念", "give-up-helpless"),
    ("系统卡住了我这边也是干瞪眼", "give-up-helpless"),
    ("这种手续我们窗口插不上手的", "give-up-helpless"),
    # give-up-unable: doing it for the customer
    ("这个嘛我们也帮您弄不了", "give-up-unable"),
    # disclaim-knowledge: the agent + a verb + 不 + its result
    ("嗯这个扣费明细那个我也看不明白的", "disclaim-knowledge"),
    ("政策的事那个我这边也讲不清楚的", "disclaim-knowledge"),
    ("具体几号能到我也答不上来", "disclaim-knowledge"),
    ("为啥子扣钱我啷个晓得嘛", "disclaim-knowledge"),
    ("嗯那个多久能批下来我们这边也确定不了", "disclaim-knowledge"),
    ("几点到我也没个准数", "disclaim-knowledge"),
    # a topic the customer raised, then nothing known about it (not clarifying)
    ("嗯您说的这个啊那个我这边真的是不太清楚", "disclaim-knowledge"),
    # disclaim-responsibility: regional 没得 / 莫得, and the company aside
    ("这个事情就莫得我们的事了", "disclaim-responsibility"),
    ("那个是人家物业的事跟我们没得关系的", "disclaim-responsibility"),
    ("你自己搞掂佢啦", "disclaim-responsibility"),
    ("这个事我们实在是管不着", "disclaim-responsibility"),
    ("嗯我们这个只负责卖不负责修的", "disclaim-responsibility"),
    ("嗯这个我也没办法您找领导也没用", "give-up"),
    ("侬问我我问啥人去", "disclaim-knowledge-rhetorical"),
    # push-away: somebody's number, the police, a counter
    ("嗯那个老师是机构的您直接打他们电话吧", "push-away"),
    ("被骗了您报警去吧", "push-away"),
    ("押金的事你去前台问吧", "push-away"),
    ("嗯那个您去找物业吧这个不归我们", "push-away"),
    # blame-shift
    ("我们就是个平台买卖的事我们不掺和", "blame-shift"),
    ("那是他们的问题", "blame-shift"),
    # brush-off
    ("您爱往哪告往哪告", "brush-off"),
    ("不想用就别用呗", "brush-off"),
    ("不满意就换别家", "brush-off"),
    ("那就自己看着办吧", "brush-off"),
    ("您换谁来都一样", "brush-off"),
    ("您再打也没用", "brush-off"),
    ("唔买咪唔买啰", "brush-off"),
    # sarcasm
    ("您别再打过来了", "sarcasm"),
    ("这个呀说了您也不懂", "sarcasm"),
    ("就您事儿多", "sarcasm"),
    ("免费升级您想得美", "sarcasm"),
    # give-up-resigned
    ("您就甭指望了", "give-up-resigned"),
    ("您今天就白跑了", "give-up-resigned"),
    ("我也变不出来啊", "give-up-resigned"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("text", "rule"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_long_turn_family_is_flagged(matcher, text, rule, form) -> None:
    line = as_form(form, text)
    assert rule in judged(matcher, line), line


@pytest.mark.parametrize(("text", "rule"), [
    # one character heard as another, as a recogniser writes it
    ("这个事情我们也冇得么子办发咯", "give-up"),
    ("我这边啥招都没友了", "give-up-helpless"),
    ("我这边也讲不清处的", "disclaim-knowledge"),
    ("您想往那投往那投", "brush-off"),
])
def test_homophones_of_long_turn_families_follow_from_the_same_rules(matcher, text, rule) -> None:
    assert rule in judged(matcher, text)


# (line, the agent's next turn): benign at major. Offers, reasons and
# delegations buried anywhere in a long spoken turn; reported speech; the
# customer's words quoted back; hypotheticals; accommodating 随意.
NEAR_MISSES = [
    ("嗯女士这个我这边确实不清楚那个我马上给仓库打个电话问一下半小时内回您电话", None),
    ("这个情况我们客服这边是真的处理不了那个我给您转到技术部门今天下班前他们会联系您", None),
    ("这个我们网点搞不定得总部来批我今天就把材料报上去", None),
    ("哎呀这个我也说不上来那个我翻一下手册您稍等啊", None),
    ("亲亲这个我也不太懂呢我叫技术客服来跟您说哈", None),
    ("嗯这个我确实不太清楚那个您留个电话我回头联系您", None),
    ("这个我们这边真没办法那个我先记下来跟领导申请一下看看", None),
    ("不好意思啊这个我也说不准那我跟站点说一声让他们尽快给您送", None),
    ("那个具体原因我也不清楚那我这边提个工单让技术查一下", None),
    ("这个呢我们这边是真的帮不上您那个我把银行的客服电话发给您短信您直接打过去他们能处理", None),
    ("嗯这个不是我们的问题哈但是我们还是给您补发一个", None),
    ("这个我们管不了是因为属于交警的职责，我把交警的电话发给您", None),
    ("我们哪里会不管您呢您放心我一直跟着", None),
    ("这个确实没辙", "这样，我给您申请一个补偿券，您刷新一下就能看到"),
    # somebody else's words, reported; the customer's own words quoted back
    ("师傅说这个配件今天修不了，要等配件到，到了第一时间给您装上", None),
    ("商家那边说不归他们管，这个没关系，平台这边直接帮您处理", None),
    ("同事跟您说没办法退那个是他搞错了其实可以退的我这就给您办", None),
    ("您说我们不管那真的没有我们一直在跟进的昨天还催了一次", None),
    # a hypothetical: the customer telling us is how we know
    ("嗯好的幸好您打过来了啊要是您不说的话我们这边也不清楚", None),
    # accommodating 随意 with advice
    ("这个您随意，您要是用得多就选大的，用得少选小的就够了", None),
    # a particular action named before 这个: a stated limit (minor), not giving up
    ("加急这个办不了", None),
    ("今天给您拿出来这个做不到的", None),
    # not understanding what the customer wrote or which thing they mean: clarifying
    ("我看不明白您的问题哈，您这个页面是哪个？", None),
    ("您说的那个检查是B超还是CT呀单子上写的什么您念给我听一下我不太清楚是哪一个", None),
    ("嗯护照的进度那个我这边暂时还不确定啊您把回执上那个号码报给我", None),
    # words that only sound like the phrases
    ("嗯那个先生这个我这边确实也是没办法那个我让我们主管明天给您回个电话", None),
    ("我们遇到过无理收费的如果出现这种情况您及时与我们联系", None),
]


@pytest.mark.parametrize("form", ["plain", "spaced"])
@pytest.mark.parametrize(("text", "next_turn"), NEAR_MISSES, ids=[t for t, _ in NEAR_MISSES])
def test_long_turn_near_miss_stays_benign(matcher, text, next_turn, form) -> None:
    line = as_form(form, text)
    found = judged(matcher, line, next_turn=next_turn)
    assert not found, (line, found)


@pytest.mark.parametrize("text", [
    # what only looked like an offer or a reason
    "嗯那个异响的话我们师傅也再试过了嘛那我们这边也是无能为力了",  # 试过了: not a deadline
    "要不要空腹这个啊我们这边不懂的呀",  # 要不要: not "how about"
    "这个取消了还扣的这种啊我们这边也搞不定的",  # the customer's problem, not a reason
    "那你让我怎么弄嘛，交了钱系统还是这么显示",  # the system is the problem, not a reason
])
def test_words_that_only_look_like_an_offer_or_a_reason_do_not_rescue(matcher, text) -> None:
    assert judged(matcher, text), text


def test_a_limit_after_a_named_action_is_still_a_coaching_point(matcher) -> None:
    assert judged(matcher, "加急这个办不了", floor=Severity.MINOR) == ["limit-without-alternative"]


@pytest.mark.parametrize(("text", "rule"), [
    # "you say..." before the agent's own rhetoric is no quotation
    ("你说我能怎么办", "give-up-rhetorical"),
    ("您说我怎么知道", "disclaim-knowledge"),
    # "其他…反馈" is no report of somebody else's words
    ("其他的反馈我们也不清楚", "disclaim-knowledge"),
])
def test_the_agents_own_words_are_not_taken_for_a_quotation(matcher, text, rule) -> None:
    assert rule in judged(matcher, text)


@pytest.mark.parametrize("form", ["plain", "spaced"])
@pytest.mark.parametrize("text", [
    # a stated limit of a particular action, said on the phone: minor, never major
    "嗯那个先生这个地址的话我们这边是没办法修改的",
    "嗯这个颜色我们没法给您换的",
    "指定快递这个我们没办法安排的",
])
def test_spoken_stated_limit_is_a_coaching_point(matcher, text, form) -> None:
    line = as_form(form, text)
    assert judged(matcher, line, floor=Severity.MINOR) == ["limit-without-alternative"], line


@pytest.mark.parametrize("text", [
    "嗯您这个是家里没办法上网是吧那个光猫的灯是红的还是绿的",  # a symptom, asked back
    "您家里是没法开机了对吧",
])
def test_a_symptom_asked_back_is_no_limit(matcher, text) -> None:
    assert not judged(matcher, text, floor=Severity.MINOR)
