"""Give-ups said sideways (tenth session, from train27's misses): a rhetorical
"where would I get it?", an idiom of nothing left to do, "that's as far as I
can go", a dismissed view, blame passed with 不赖; and the look-alikes that
stay benign. Lines written for these tests, not taken from the tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged

SIDEWAYS = [
    ("这事我能有啥招儿啊", "give-up-helpless"),          # 招儿 is one word: the form names it
    ("东西都坏了，我上哪儿给您变个新的出来", "give-up-rhetorical"),
    ("唉，巧妇难为无米之炊啊", "give-up-idiom"),
    ("木已成舟了亲", "give-up-idiom"),
    ("电话里我只能帮您到这了", "give-up-resigned"),
    ("您要这么觉得，那就随您怎么想", "brush-off"),
    ("过了保修期坏的就不赖我们了", "blame-shift"),
    # (thirteenth session) impatience told as advice
    ("现在取件都这样，你慢慢习惯吧", "brush-off"),
    ("耐心点等着吧您", "brush-off"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("text", "rule"), SIDEWAYS)
def test_a_give_up_said_sideways_counts(matcher, text, rule, form) -> None:
    assert rule in judged(matcher, as_form(form, text))


@pytest.mark.parametrize("text", [
    "我上哪都得给您找回来",                  # wherever it is, I will find it
    "您明天不来我们就给您改到后天",            # 不来我们 is not 不赖我们
    "随您怎么安排都可以",                      # a choice handed over
])
def test_the_same_shapes_that_help_do_not_count(matcher, text) -> None:
    assert judged(matcher, text) == []


def test_an_idiom_of_helplessness_with_an_offer_after_it_is_excused(matcher) -> None:
    assert judged(matcher, "唉，巧妇难为无米之炊啊", next_turn="不过我可以先给您补发一袋，明天到") == []


@pytest.mark.parametrize(("text", "next_turn"), [
    # a technician sent in the same turn
    ("这个我在电话里确实弄不了，师傅明天上午到您家来修。", None),
    # finding out and the way back named in the next turn
    ("开课时间我这儿也没个准信儿，", "我现在就找教务确认，下班前短信告诉您。"),
    # the company will repair or pay
    ("这种我们柜台也爱莫能助，", "不过您填一下破损报告，我们会按条款赔偿或维修。"),
])
def test_offers_in_other_words_excuse_a_give_up(matcher, text, next_turn) -> None:
    assert judged(matcher, text, next_turn=next_turn) == []


@pytest.mark.parametrize("text", [
    "您说的那个我不知道是指哪一个订单呢",       # asking what the customer meant
    "这个小妹哪能不晓得呀，两万毫安以内都能带",  # of course I know
])
def test_knowing_after_all_is_not_disclaiming_knowledge(matcher, text) -> None:
    assert judged(matcher, text) == []


@pytest.mark.parametrize("text", ["物流显示已经派送了，我这边又能怎么办呢",
                                  "系统早就升级完了，我们还能怎么办？"])
def test_what_can_i_do_after_stating_the_situation_still_gives_up(matcher, text) -> None:
    # (thirteenth session) the state said is no reason: four writers label it giving up
    assert "give-up-rhetorical" in judged(matcher, text)


def test_what_can_i_do_with_a_way_offered_is_not_giving_up(matcher) -> None:
    assert judged(matcher, "物流显示已经派送了，我这边能怎么办呢，我帮您联系站点核实一下") == []
