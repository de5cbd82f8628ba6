"""Judging across turns: the agent's next turn, the customer's turn before, and reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.engine.dialogue import DialogueJudge, Turn
from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import LexiconErrors


def _rules(matcher: Matcher, text: str, **context) -> list[str]:
    return [h.rule_id for h in matcher.dialogue.judge(matcher.scan(text), **context)]


@pytest.mark.parametrize(("line", "next_turn", "expected"), [
    # an offer, alternative, escalation or reason in the agent's next turn resolves it
    ("这个没办法呢", "您可以先取消订单，然后重新下单", []),
    ("这个没办法呢", "我帮您申请一下补偿", []),
    ("这个没办法呢", "我给您升级到专员处理", []),
    ("这个没办法呢", "稍后回复您", []),
    ("这个没办法呢", "因为订单已经出库了", []),
    ("小妹也不清楚呢", "我帮您问一下仓库", []),
    ("这个没办法修改呢", "您可以拒收后重新下单", []),
    # nothing offered: it counts
    ("这个没办法呢", "真的很抱歉", ["give-up"]),
    ("这个没办法呢", None, ["give-up"]),
    ("小妹也不清楚呢", "抱歉呢", ["disclaim-knowledge"]),
    ("这个没办法修改呢", "请问还有其他问题吗", ["limit-without-alternative"]),
    # a disclaimer the agent's next turn takes on personally is resolved (eighteenth
    # session); advice, or an apology, is not
    ("这个我们不管", "我帮您问一下", []),
    ("这个我们不管", "您可以问问商家", ["disclaim-responsibility"]),
    ("这个我们不管", "不好意思哈", ["disclaim-responsibility"]),
    # rules without turn conditions are not changed by the next turn
    ("随你便", "我帮您问一下", ["whatever"]),
    # a brush-off is resolved only by the agent taking it on (session 20), not by advice
    ("您要投诉就投诉吧", "投诉我给您登记上了，退款我现在去催，下午五点前给您回电话", []),
    ("你爱买不买", "您可以去别家看看", ["brush-off"]),
])
def test_next_agent_turn_resolves_or_confirms(matcher, line, next_turn, expected) -> None:
    assert _rules(matcher, line, next_turn=next_turn) == expected


def test_reason_says_what_was_missing(matcher) -> None:
    [hit] = matcher.dialogue.judge(matcher.scan("这个没办法呢"), next_turn="真的很抱歉")
    assert "nothing offered in this or the agent's next turn" in hit.reason
    [hit] = matcher.dialogue.judge(matcher.scan("这个没办法呢"), next_turn=None)
    assert "no next agent turn" in hit.reason


def test_stated_limit_is_downgraded_not_dropped(matcher) -> None:
    [hit] = matcher.scan("这个没办法修改呢")
    assert hit.rule_id == "limit-without-alternative"
    assert hit.severity is Severity.MINOR
    assert "stated limit" in hit.reason and "give-up" in hit.reason
    [hit] = matcher.scan("没办法呢")
    assert hit.rule_id == "give-up" and hit.severity is Severity.MAJOR


def test_judge_dialogue_uses_the_next_agent_turn_not_the_customer(matcher) -> None:
    turns = [Turn("customer", "能改地址吗"), Turn("agent", "这个没办法呢"),
             Turn("customer", "那怎么办"), Turn("agent", "您可以拒收后重新下单"),
             Turn("agent", "小妹也不知道呢")]
    hits = [matcher.scan(t.text) for t in turns]
    judged = matcher.dialogue.judge_dialogue(turns, hits)
    assert judged[1] == []  # resolved by the agent's next turn, across the customer's
    assert [h.rule_id for h in judged[4]] == ["disclaim-knowledge"]
    assert judged[0] == judged[2] == []


CUSTOMER_LEX = """\
[lexicon]
name = "t"
extends = "default"

[lists]
asked = ["?", "吗", "什么", "怎么", "多久", "哪"]

[[rule]]
id = "disclaim-knowledge"
[rule.requires]
customer = ["@asked"]
[rule.unless]
customer = ["{我|我也}不知道"]
"""


def test_customer_turn_conditions(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(CUSTOMER_LEX, encoding="utf-8")
    m = Matcher(load_lexicon(path))
    line = "小妹也不清楚呢"
    # the customer asked: it counts, and the reason says so
    [hit] = m.dialogue.judge(m.scan(line), customer="这个什么时候到？", next_turn="抱歉")
    assert "the customer's turn before asked for it" in hit.reason
    # the customer did not ask anything: requires.customer fails
    assert m.dialogue.judge(m.scan(line), customer="好的谢谢", next_turn="抱歉") == []
    # unless.customer holds
    assert m.dialogue.judge(m.scan(line), customer="我也不知道吗", next_turn="抱歉") == []
    # no customer turn known (a script): customer conditions are not applied
    assert [h.rule_id for h in m.dialogue.judge(m.scan(line), next_turn="抱歉")] == [
        "disclaim-knowledge"]


def test_waits_for_next_turn_only_for_rules_with_next_turn_conditions(matcher) -> None:
    judge = matcher.dialogue
    assert all(judge.waits_for_next_turn(h) for h in matcher.scan("没办法呢"))
    assert all(judge.waits_for_next_turn(h) for h in matcher.scan("这个我们不管"))
    assert not any(judge.waits_for_next_turn(h) for h in matcher.scan("随你便"))


def test_every_hit_has_a_reason(matcher) -> None:
    from tests.engine.test_families import family_rows

    lines = [r["text"] for r in family_rows()] + ["我 不 知道", "我們不管", "我不只道"]
    hits = [h for found in matcher.scan_lines(lines) for h in found]
    assert len(hits) > 30
    for hit in hits:
        assert hit.reason.strip(), hit
    judged = DialogueJudge(matcher.lexicon).judge(hits)
    assert all(h.reason for h in judged)


@pytest.mark.parametrize(("body", "message"), [
    ('otherwise = "nope"', "'otherwise' names no rule"),
    ('otherwise = "refuse"', "'otherwise' names another rule's id"),
    ('[rule.requires]\nnext_turn = ["我帮您"]', "requires.next_turn is not a condition"),
    ('[rule.unless]\nnext_turn = ["@nope"]', "no list 'nope' in [lists]"),
])
def test_lexicon_errors_for_turn_keys(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[rule]]\nid = "refuse"\ncategory = "x"\nseverity = "major"\n'
                    'message = "m"\nsuggestions = ["s"]\nphrases = ["不给办"]\n' + body + "\n",
                    encoding="utf-8")
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(path)
    assert any(message in e.message for e in info.value.errors), info.value.errors


def test_rule_without_phrases_must_be_a_downgrade_target(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[rule]]\nid = "empty"\ncategory = "x"\nseverity = "minor"\n'
                    'message = "m"\nsuggestions = ["s"]\n', encoding="utf-8")
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(path)
    assert "another rule's 'otherwise'" in str(info.value)


def _lists_lexicon(tmp_path: Path, lists: str) -> Path:
    path = tmp_path / "t.toml"
    path.write_text('[lexicon]\nname = "t"\nextends = "default"\n\n[lists]\n' + lists + "\n\n"
                    '[[rule]]\nid = "disclaim-knowledge"\n[rule.unless]\nnext_turn = ["@mine"]\n',
                    encoding="utf-8")
    return path


def test_a_list_naming_another_list_takes_its_patterns(tmp_path: Path) -> None:
    # offers and own_help share the agent's own acts this way: written once.
    path = _lists_lexicon(tmp_path, 'shared = ["我去问问仓库"]\nmine = ["@shared", "稍后回您"]')
    m = Matcher(load_lexicon(path))
    line = "这个我也不清楚"
    assert m.dialogue.judge(m.scan(line), next_turn="我去问问仓库") == []
    assert m.dialogue.judge(m.scan(line), next_turn="稍后回您") == []
    assert [h.rule_id for h in m.dialogue.judge(m.scan(line), next_turn="好的")] == [
        "disclaim-knowledge"]


def test_the_default_offers_and_own_help_both_read_the_agent_acts_list() -> None:
    # 费用店里来承担 is written once, in @agent_acts: as an offer it resolves a
    # give-up, as the agent's own help a disclaimer, each in the next turn.
    m = Matcher(load_lexicon())
    for line in ("这个真没办法", "这个不归我们管"):
        assert m.scan(line), line
        assert m.dialogue.judge(m.scan(line), next_turn="好的") != [], line
        assert m.dialogue.judge(m.scan(line), next_turn="费用店里来承担") == [], line


@pytest.mark.parametrize(("lists", "message"), [
    ('mine = ["@nope"]', "[lists] mine: no list 'nope'"),
    ('mine = ["@mine"]', "'@mine' makes a loop (mine → mine)"),
    ('a = ["@mine"]\nmine = ["@a"]', "makes a loop (a → mine → a)"),
    ('mine = "我帮您"', "[lists] mine must be a list of patterns"),
])
def test_list_references_that_cannot_be_resolved_are_errors_at_the_list(
        tmp_path: Path, lists: str, message: str) -> None:
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(_lists_lexicon(tmp_path, lists))
    assert any(message in e.message and e.line for e in info.value.errors), info.value.errors
