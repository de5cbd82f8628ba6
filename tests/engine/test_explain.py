"""Why a turn is or is not flagged (engine/explain.py): each form found, and the step
that decided it, agreeing with what the matcher and the dialogue judge do."""

from __future__ import annotations

import pytest

from phraseguard.engine.explain import explain_line, explain_turn
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_lexicon(None))


def _form(forms, rule_id):
    (f,) = [f for f in forms if f.rule_id == rule_id]
    return f


def test_an_excused_form_names_the_condition_and_the_text_it_matched(matcher) -> None:
    f = _form(explain_line(matcher, "签收了的话就没办法退了"), "give-up")
    assert f.outcome == "excused" and f.matched == "没办法"
    assert f.detail == "unless.utterance matched 「了的话」"
    assert matcher.scan("签收了的话就没办法退了") == []


def test_a_stated_limit_is_downgraded_to_the_rule_otherwise_names(matcher) -> None:
    f = _form(explain_line(matcher, "这个没办法修改呢"), "give-up")
    assert f.outcome == "downgraded" and f.counts_as == "limit-without-alternative"
    assert [h.rule_id for h in matcher.scan("这个没办法修改呢")] == ["limit-without-alternative"]


def test_a_form_inside_a_longer_word_is_cut_by_the_word_check(matcher) -> None:
    forms = explain_line(matcher, "我们不管理这个的")  # 管理: to manage
    assert forms and all(f.outcome == "not a whole word" for f in forms)
    assert "split_words" in forms[0].detail


def test_a_form_that_counts_says_which_requires_condition_held(matcher) -> None:
    f = _form(explain_line(matcher, "这个真的没办法"), "give-up")
    assert f.outcome == "counts" and f.counts_as == "give-up"
    assert f.detail.startswith("requires.after matched")


def test_the_next_turn_that_resolves_a_hit_is_quoted(matcher) -> None:
    e = explain_turn(matcher, "小妹也不清楚呐", next_turn="已帮您向站点核实，明日回电您")
    assert e.judged == []
    assert any("unless.next_turn" in n and "resolved" in n for n in e.turn_notes)
    bare = explain_turn(matcher, "小妹也不清楚呐", next_turn="还有别的问题吗")
    assert [h.rule_id for h in bare.judged] == ["disclaim-knowledge"]
    assert any("nothing offered" in n for n in bare.turn_notes)


def test_a_customer_rule_whose_form_counts_says_why_the_turn_is_not_flagged(matcher) -> None:
    # refuse-after-fault needs a fault or a chase in the customer's turn: the
    # form counts in the line, the turn is not flagged, and the notes say why.
    text = "抽到重复款是正常的哦"
    asked = explain_turn(matcher, text, customer="能抽到隐藏款吗？")
    assert any(f.counts_as == "refuse-after-fault" for f in asked.forms)
    assert asked.judged == []
    assert any(n.startswith("refuse-after-fault: requires.customer") for n in asked.turn_notes)
    alone = explain_turn(matcher, text)
    assert any(n.startswith("refuse-after-fault: needs_customer") for n in alone.turn_notes)
    chased = explain_turn(matcher, text, customer="抽了三个重复的，你们就是故意的吧")
    assert [h.rule_id for h in chased.judged] == ["refuse-after-fault"]
    assert not any("requires.customer" in n or "needs_customer" in n for n in chased.turn_notes)


# Lines from the lexicon's own families (README examples), flagged and not.
LINES = ["这个我们不管的", "您找商家去吧", "爱买不买", "随便您挑", "如果您不反馈，我们还不知道呢",
         "我也不知道", "这个没办法修改呢", "没办法，我帮您申请一下", "那是人家店里的事情",
         "同步不过来那我这儿也是干瞪眼", "丢了的话我也没辙啊", "您好，很高兴为您服务"]


@pytest.mark.parametrize("text", LINES)
def test_every_hit_is_a_form_the_explanation_counts(matcher, text) -> None:
    counted = {(f.counts_as, f.matched) for f in explain_line(matcher, text)
               if f.outcome in ("counts", "downgraded")}
    for h in matcher.scan(text):
        assert (h.rule_id, h.normalized) in counted
    if not counted:
        assert matcher.scan(text) == []
