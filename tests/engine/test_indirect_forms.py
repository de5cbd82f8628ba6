"""The indirect forms of the forbidden meanings (issue #8): idioms, rhetorical
questions, euphemisms, non-answers, blame-shifting, sending away and sarcasm.
Each family is flagged as written, in traditional characters and speech-spaced,
and its near-misses (an offer, a third party, a reassurance, a warning, the
next turn rescuing it) stay benign."""

from __future__ import annotations

import pytest
from forms import as_form, judged

from phraseguard.engine.hit import Severity

# (line, the new rule that must flag it). Lines written for these tests, not
# taken from the tuning sets.
FLAGGED = [
    # give-up-idiom: idioms of helplessness, nobody-could, hopeless
    ("这台机器我们也是回天乏术了", "give-up-idiom"),
    ("说实话我们心有余而力不足", "give-up-idiom"),
    ("这事我们真的力不从心", "give-up-idiom"),
    ("谁来了都没用，坏成这样了", "give-up-idiom"),
    ("这种情况神仙来了也救不回来", "give-up-idiom"),
    ("屏幕碎成这样，修也是白搭", "give-up-idiom"),
    ("这事已经超出我们的能力范围了", "give-up-idiom"),
    ("这个基本没希望了", "give-up-idiom"),
    ("这事够呛", "give-up-idiom"),
    ("这个我真的帮你不上", "give-up-idiom"),
    # give-up-resigned: resignation that ends what the agent says
    ("那也只能这样了", "give-up-resigned"),
    ("我们已经尽力了", "give-up-resigned"),
    ("您就认了吧", "give-up-resigned"),
    ("系统就是这样的，我们也没招", "give-up-resigned"),
    ("我们也很无奈", "give-up-resigned"),
    ("那这就不好办了", "give-up-resigned"),
    ("我们也拿不出什么好办法", "give-up-resigned"),
    ("你自己再想想办法吧", "give-up-resigned"),
    # disclaim-knowledge-rhetorical
    ("你问我，我问谁去", "disclaim-knowledge-rhetorical"),
    ("这事只有天晓得", "disclaim-knowledge-rhetorical"),
    ("我哪说得清楚", "disclaim-knowledge-rhetorical"),
    ("谁也说不准", "disclaim-knowledge-rhetorical"),
    ("没人知道什么时候修好", "disclaim-knowledge-rhetorical"),
    ("我怎么可能知道", "disclaim-knowledge-rhetorical"),
    ("我又不是算命的", "disclaim-knowledge-rhetorical"),
    ("这个我也摸不着头脑", "disclaim-knowledge-rhetorical"),
    ("我对这个是一问三不知", "disclaim-knowledge-rhetorical"),
    ("这我也不敢打包票", "disclaim-knowledge-rhetorical"),
    # non-answer: when / how much answered with nothing
    ("这个就看运气了", "non-answer"),
    ("随缘吧", "non-answer"),
    ("到时候再说吧", "non-answer"),
    ("这个真没准", "non-answer"),
    ("这个很难说", "non-answer"),
    ("看情况吧", "non-answer"),
    ("反正会到的", "non-answer"),
    # blame-shift
    ("这锅我们不背", "blame-shift"),
    ("那是快递的锅", "blame-shift"),
    ("又不是我们弄坏的", "blame-shift"),
    ("是你手机自己的问题", "blame-shift"),
    ("要怪就怪快递公司", "blame-shift"),
    ("我们也是受害者", "blame-shift"),
    ("这个不在我们职责范围内", "blame-shift"),
    ("平台不掺和这些", "blame-shift"),
    # push-away-indirect
    ("你跟商家理论去", "push-away-indirect"),
    ("你打别的电话吧", "push-away-indirect"),
    ("你问错人了", "push-away-indirect"),
    ("跟我说也没用", "push-away-indirect"),
    ("你自己去营业厅闹", "push-away-indirect"),
    # sarcasm
    ("有本事你去告我们啊", "sarcasm"),
    ("又没人逼你买", "sarcasm"),
    ("嫌贵就别买", "sarcasm"),
    ("早跟你说了", "sarcasm"),
    ("你说的都对", "sarcasm"),
    ("这点小事也值得投诉", "sarcasm"),
    ("至于吗", "sarcasm"),
    ("那你就等着吧", "sarcasm"),
    ("说了多少遍了", "sarcasm"),
    ("你听不懂吗", "sarcasm"),
    ("有完没完", "sarcasm"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("text", "rule"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_indirect_form_is_flagged_by_its_family(matcher, text, rule, form) -> None:
    assert rule in judged(matcher, as_form(form, text)), as_form(form, text)


# (line, the customer's turn before, the agent's next turn): benign.
NEAR_MISSES = [
    # an offer or an escalation in the same turn or the next one
    ("这个我们也是回天乏术，不过我帮您申请换新", None, None),
    ("我们已经尽力了", None, "我再帮您申请一次加急，明天中午前答复您"),
    ("随缘吧", None, "我帮您登记了，有货第一时间通知您"),
    ("看情况吧，我帮您催一下站点", None, None),
    ("虽然是快递那边丢的，但我们先给您补发", None, None),
    ("你跟商家理论去也行，我帮您联系商家", None, None),
    # somebody else, a question, a hypothetical, a warning, reassurance
    ("师傅说他也无能为力，我给您升级处理", None, None),
    ("您是说只能这样了吗？", None, None),
    ("订单一旦取消无法挽回，您确定吗", None, None),
    ("这个钱不会让您认栽的，我们先行赔付", None, None),
    ("除了您本人，没人知道您的密码", None, None),
    ("不是您的问题，是线路检修", None, None),
    # the same words meaning something else
    ("我们会尽力的", None, None),
    ("好的，只能这样了呢，亲爱的", "现在就取消订单?", "取消订单是回退您的实际支付金额的呢"),
    ("已经发出啦，您就等着收货吧", None, None),
    ("运费取决您寄什么快递", None, None),
    ("这个系统就是这样显示的", None, None),
    ("反正您也可以先下单", None, None),
    ("随便您挑，都是现货", None, None),
    ("我哪能让您白等，我这就给您预约", None, None),
]


@pytest.mark.parametrize(("text", "customer", "next_turn"), NEAR_MISSES,
                         ids=[t for t, _, _ in NEAR_MISSES])
def test_near_miss_of_an_indirect_family_stays_benign(matcher, text, customer, next_turn) -> None:
    found = judged(matcher, text, customer=customer, next_turn=next_turn)
    assert not found, found


@pytest.mark.parametrize(("text", "rule"), [
    # one-character homophones, as a recogniser writes them
    ("我们也是回天乏数了", "give-up-idiom"),
    ("这锅我们不被", "blame-shift"),
    ("你问我我问水", "disclaim-knowledge-rhetorical"),
])
def test_homophones_of_indirect_forms_follow_from_the_same_rules(matcher, text, rule) -> None:
    assert rule in [h.rule_id for h in matcher.scan(text)]


def test_indirect_forms_have_the_policy_severities(default_lexicon) -> None:
    severity = {r.id: r.severity for r in default_lexicon.rules}
    for rule in ("give-up-idiom", "give-up-resigned", "disclaim-knowledge-rhetorical",
                 "non-answer"):
        assert severity[rule] == Severity.MAJOR, rule
    for rule in ("blame-shift", "push-away-indirect", "sarcasm"):
        assert severity[rule] == Severity.CRITICAL, rule


def test_hit_of_an_indirect_form_says_why_it_counted(matcher) -> None:
    [hit] = matcher.dialogue.judge(matcher.scan("我们已经尽力了"), next_turn="还有别的事吗")
    assert hit.rule_id == "give-up-resigned"
    assert "nothing offered in this or the agent's next turn" in hit.reason
