"""A give-up that names one particular action first is a stated limit
([rule.downgrade], ninth session): 网上改签这个没法弄哈 rules out online
rebooking, it does not abandon the customer. [rule.keep] holds the
downgrade back where only "this" or the agent is named, where 也 / 真 / 就
make the agent helpless, or where the topic is the customer's fault or
what already happened. Lines written for these tests, not taken from the
tuning sets; each holds as written, in traditional characters and
speech-spaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from forms import as_form, judged

from phraseguard.engine.explain import explain_line
from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.errors import LexiconErrors

A_PARTICULAR_ACTION = [
    "网上改签这个没法弄哈",
    "分期暂时没法办哦",
    "合并发货没办法哦亲",
    "加急这个没办法操作",
    "换绑这边没法操作哦",
    "电话里开发票没法办",
    "提前取件是没办法的",
    # give-up-unable's 弄不了 / 办不了 the same way
    "拆单发货我们这边弄不了哈",
    "开专票这个我们办不了",
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize("text", A_PARTICULAR_ACTION)
def test_a_particular_action_named_first_is_a_stated_limit(matcher, text, form) -> None:
    line = as_form(form, text)
    assert judged(matcher, line) == []
    assert set(judged(matcher, line, floor=Severity.MINOR)) == {"limit-without-alternative"}


def test_the_downgraded_hit_says_why(matcher) -> None:
    (hit,) = matcher.scan("网上改签这个没法弄哈")
    assert "[rule.downgrade] holds" in hit.reason
    forms = [f for f in explain_line(matcher, "网上改签这个没法弄哈") if f.rule_id == "give-up"]
    assert forms and all(f.outcome == "downgraded" for f in forms)
    assert all(f.counts_as == "limit-without-alternative" for f in forms)
    assert forms[0].detail.startswith("[rule.downgrade] before matched 「网上改签这个」")


def test_an_alternative_in_the_next_turn_clears_the_downgraded_limit(matcher) -> None:
    assert judged(matcher, "分期暂时没法办哦", next_turn="不过您可以先交一半，考完再交另一半",
                  floor=Severity.MINOR) == []


KEPT = [
    # nothing named but "this" or the agent
    "没办法。",
    "这个我们没法弄",
    "我这边是没法弄",
    "那个这个没法弄",
    # helpless adverbs
    "我们也没办法",
    "积分清零的话我们这也没办法哦",
    "装不下了就没办法了",
    "退款的事真没法弄",
    "今天肯定弄不好了",
    "这玩意儿我们弄不了",
    "退款这事我这边处理不来",
    # the customer's fault, or what already happened
    "此问题我方无法为您处理",
    "验证失败那是没办法的",
    # no way at all
    "这事没什么办法",
    # another disclaimer run on before it (speech has no commas)
    "这个我们不管我没办法",
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize("text", KEPT)
def test_helpless_or_unnamed_no_way_stays_give_up(matcher, text, form) -> None:
    assert {"give-up", "give-up-unable"} & set(judged(matcher, as_form(form, text)))


def test_a_kept_form_says_which_keep_condition_held(matcher) -> None:
    forms = [f for f in explain_line(matcher, "改签我们也没法弄") if f.rule_id == "give-up"]
    assert forms and all(f.outcome == "counts" and f.counts_as == "give-up" for f in forms)
    assert forms[0].detail.endswith("[rule.downgrade] holds, but keep.before matched 「也」")
    (bare,) = [f for f in explain_line(matcher, "没办法呢") if f.rule_id == "give-up"]
    assert bare.detail == ("requires.after matched 「呢」; [rule.downgrade] holds, "
                           "but keep.before matched the start of the clause")


_RULE = ('[[rule]]\nid = "refuse"\ncategory = "x"\nseverity = "major"\nmessage = "m"\n'
         'suggestions = ["s"]\nphrases = ["不给办"]\n')
_TARGET = ('[[rule]]\nid = "limit"\ncategory = "x"\nseverity = "minor"\nmessage = "m"\n'
           'suggestions = ["s"]\n')


@pytest.mark.parametrize(("body", "message"), [
    ('[rule.downgrade]\nbefore = ["^*6"]', "[rule.downgrade] sends hits to 'otherwise'"),
    ('otherwise = "limit"\n[rule.keep]\nbefore = ["也"]', "[rule.keep] only limits a [rule.downgrade]"),
    ('otherwise = "limit"\n[rule.downgrade]\nnext_turn = ["我帮您"]', "downgrade.next_turn is not a condition"),
    ('otherwise = "limit"\n[rule.downgrade]\nbefore = ["^*6"]\n[rule.keep]\ncustomer = ["坏了"]',
     "keep.customer only limits a downgrade.customer"),
    ('otherwise = "limit"\n[rule.downgrade]\nbefore = ["^*6"]\n[rule.keep]\nnext_turn = ["我帮您"]',
     "keep.next_turn is not a condition"),
])
def test_downgrade_and_keep_are_checked_when_the_lexicon_loads(tmp_path: Path, body, message) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(_RULE + body + "\n\n" + _TARGET, encoding="utf-8")
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(path)
    assert any(message in e.message for e in info.value.errors), info.value.errors


def test_a_lexicon_of_its_own_can_downgrade(tmp_path: Path) -> None:
    from phraseguard.engine.matcher import Matcher

    path = tmp_path / "own.toml"
    path.write_text(_RULE + 'otherwise = "limit"\n[rule.downgrade]\nbefore = ["加急*2"]\n'
                    '[rule.keep]\nbefore = ["也*4"]\n\n' + _TARGET, encoding="utf-8")
    m = Matcher(load_lexicon(path))
    assert [h.rule_id for h in m.scan("加急不给办")] == ["limit"]
    assert [h.rule_id for h in m.scan("加急也不给办")] == ["refuse"]
    assert [h.rule_id for h in m.scan("不给办")] == ["refuse"]


def test_a_team_lexicon_can_override_the_defaults_keep(tmp_path: Path) -> None:
    from phraseguard.engine.matcher import Matcher

    path = tmp_path / "team.toml"
    path.write_text('[lexicon]\nname = "team"\nextends = "default"\n\n[[rule]]\nid = "give-up"\n'
                    '[rule.keep]\nbefore = ["@helpless_adverbs", "@nothing_particular", "我们*4"]\n',
                    encoding="utf-8")
    # The default reads a named action as a limit; this team keeps 我们 + 没法 as give-up.
    assert [h.rule_id for h in Matcher(load_lexicon()).scan("加急我们这边没法操作")] == [
        "limit-without-alternative"]
    assert [h.rule_id for h in Matcher(load_lexicon(path)).scan("加急我们这边没法操作")] == ["give-up"]
