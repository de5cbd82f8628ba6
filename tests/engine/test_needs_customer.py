"""Rules that speak only after the customer's turn (``needs_customer = true``,
fourteenth session): where the customer's turn is unknown (a plain script, an
agent-only recording, the call's first turn) their hits are dropped, not
counted; they never push out another rule's overlapping match; a turn where
only they matched is still read by the meaning model; and a caller may skip
searching for them where they cannot count. A tiny lexicon written here."""

from __future__ import annotations

from pathlib import Path

import pytest
from waiting_model import waiting_matcher

from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import LexiconErrors

LEX = """\
[[rule]]
id = "wait"
category = "dismissive"
severity = "major"
message = "Tells a chasing customer to wait"
suggestions = ["我帮您催一下"]
needs_customer = true
fuzzy = false
phrases = ["请您耐心等待", "再等等"]

[rule.requires]
customer = ["还没"]

[rule.unless]
next_turn = ["帮您"]

[[rule]]
id = "plain-wait"
category = "dismissive"
severity = "minor"
message = "Says wait"
suggestions = ["我帮您催一下"]
phrases = ["等待"]
"""


def _customer_rule(rule_id: str, phrase: str, customer: str) -> str:
    """A rule that needs the customer's turn, ``customer`` its requires (TOML)."""
    return f"""
[[rule]]
id = "{rule_id}"
category = "dismissive"
severity = "major"
message = "m"
suggestions = ["s"]
needs_customer = true
fuzzy = false
phrases = ["{phrase}"]

[rule.requires]
customer = {customer}
"""


LEX += _customer_rule("sent-back", "请您再等等", '["又让我"]')


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory):
    path = tmp_path_factory.mktemp("lex") / "t.toml"
    path.write_text(LEX, encoding="utf-8")
    return load_lexicon(path)


@pytest.fixture(scope="module")
def m(lexicon) -> Matcher:
    return Matcher(lexicon)


def _judged(m: Matcher, text: str, **context) -> list[str]:
    # (every rule searched for, as a caller that does not gate the search)
    return sorted(h.rule_id for h in m.dialogue.judge(m.scan(text, customer_rules=True),
                                                      **context))


def test_counts_only_where_the_customers_turn_holds_its_condition(m) -> None:
    assert "wait" in _judged(m, "请您耐心等待", customer="快递还没到")
    assert "wait" not in _judged(m, "请您耐心等待", customer="请问几天能到")


def test_dropped_where_the_customers_turn_is_unknown(m) -> None:
    # An ordinary rule with requires.customer is not checked without the turn;
    # this one is dropped (a script line says nothing of what the customer said).
    assert "wait" not in _judged(m, "请您耐心等待")
    assert "wait" not in _judged(m, "请您耐心等待", next_turn="还有别的问题吗")


def test_its_reason_quotes_what_the_customer_said(m) -> None:
    (hit,) = [h for h in m.dialogue.judge(m.scan("请您耐心等待", customer_rules=True),
                                          customer="快递还没到")
              if h.rule_id == "wait"]
    assert "「还没」" in hit.reason
    assert "nothing offered" in hit.reason


def test_the_next_turn_still_resolves_it(m) -> None:
    assert "wait" not in _judged(m, "请您耐心等待", customer="快递还没到",
                                 next_turn="我帮您催一下站点")


def test_it_never_pushes_out_an_overlapping_ordinary_rule(m) -> None:
    # 请您耐心等待 (6 characters) covers 等待 (2): the longer match would win, and
    # with no customer turn nothing would be left.
    assert _judged(m, "请您耐心等待") == ["plain-wait"]
    assert _judged(m, "请您耐心等待", customer="快递还没到") == ["plain-wait", "wait"]


def test_a_turn_where_only_it_matched_is_read_by_the_meaning_model(lexicon) -> None:
    wm = waiting_matcher(lexicon)
    text = "哎呀您再等等吧"
    found = wm.scan(text, customer_rules=True)
    assert [h.rule_id for h in found] == ["wait"] and not wm.mentions(text)
    # No customer turn: the rule says nothing, and the model reads the turn.
    assert [h.rule_id for h in wm.dialogue.judge_turn(
        text, found, next_turn="还有别的问题吗")] == ["give-up"]
    turns = [Turn(AGENT, text), Turn(AGENT, "还有别的问题吗")]
    assert [[h.rule_id for h in hs] for hs in wm.dialogue.judge_dialogue(
        turns, [wm.scan(t.text, customer_rules=True) for t in turns])] == [["give-up"], []]


def test_the_model_is_not_repeated_where_the_rule_counts(lexicon) -> None:
    wm = waiting_matcher(lexicon)
    text = "哎呀您再等等吧"
    assert [h.rule_id for h in wm.dialogue.judge_turn(
        text, wm.scan(text, customer_rules=True), customer="还没到呢",
        next_turn="还有别的问题吗")] == ["wait"]


def test_text_alone_is_scanned_without_them_unless_asked(m) -> None:
    assert {h.rule_id for h in m.scan("请您耐心等待")} == {"plain-wait"}
    assert {h.rule_id for h in m.scan("请您耐心等待", customer_rules=True)} == {"wait", "plain-wait"}
    assert [[h.rule_id for h in hs] for hs in m.scan_lines(["请您耐心等待", "好的"])] == [
        ["plain-wait"], []]
    assert [sorted(h.rule_id for h in hs) for hs in m.scan_lines(
        ["请您耐心等待", "好的"], customer_rules=True)] == [["plain-wait", "wait"], []]


def test_the_judge_says_where_they_can_count(m) -> None:
    judge = m.dialogue
    assert judge.customer_rules_can_count("快递还没到")
    assert not judge.customer_rules_can_count("请问几天能到")
    assert not judge.customer_rules_can_count(None)
    turns = [Turn(AGENT, "您好"), Turn(CUSTOMER, "还没到"), Turn(AGENT, "请您耐心等待"),
             Turn(AGENT, "好的"), Turn(CUSTOMER, "谢谢"), Turn(AGENT, "请您耐心等待")]
    assert judge.customer_rules_per_turn(turns) == [
        frozenset(), frozenset(), {"wait"}, {"wait"}, frozenset(), frozenset()]
    # each rule where its own requires.customer holds
    assert judge.customer_rules_for("还没到，你们又让我等") == {"wait", "sent-back"}
    assert judge.customer_rules_for("你们又让我等") == {"sent-back"}


def test_a_scan_searches_only_the_rules_named(m) -> None:
    # "请您再等等" holds both customer rules' phrases: only the named one is searched
    assert {h.rule_id for h in m.scan("请您再等等", customer_rules={"sent-back"})} == {"sent-back"}
    assert {h.rule_id for h in m.scan("请您再等等", customer_rules={"wait"})} == {"wait"}
    assert {h.rule_id for h in m.scan("请您再等等", customer_rules=True)} == {"wait", "sent-back"}
    assert m.scan("请您再等等", customer_rules=frozenset()) == []
    assert [[h.rule_id for h in hs] for hs in m.scan_lines_each(
        ["请您再等等", "请您再等等", "请您再等等"], [{"wait"}, frozenset(), {"sent-back"}])] == [
        ["wait"], [], ["sent-back"]]


def test_searching_only_where_they_can_count_gives_the_same_judgement(m) -> None:
    turns = [Turn(AGENT, "请您耐心等待"), Turn(CUSTOMER, "还没到"), Turn(AGENT, "请您耐心等待"),
             Turn(CUSTOMER, "几点到"), Turn(AGENT, "请您耐心等待")]
    full = m.dialogue.judge_dialogue(turns, [m.scan(t.text, customer_rules=True)
                                             if t.role != CUSTOMER else [] for t in turns])
    gated = m.dialogue.judge_dialogue(turns, [
        m.scan(t.text, customer_rules=c) if t.role != CUSTOMER else []
        for t, c in zip(turns, m.dialogue.customer_rules_per_turn(turns), strict=True)])
    assert [sorted(h.rule_id for h in hs) for hs in full] == \
        [sorted(h.rule_id for h in hs) for hs in gated] == [
        ["plain-wait"], [], ["plain-wait", "wait"], [], ["plain-wait"]]


@pytest.mark.parametrize(("body", "message"), [
    ("needs_customer = true\n", "write what it looks for there in [rule.requires] customer"),
    ('needs_customer = "yes"\n', "'needs_customer' must be true or false"),
])
def test_lexicon_errors_name_the_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[rule]]\nid = "w"\ncategory = "x"\nseverity = "major"\n'
                    'message = "m"\nsuggestions = ["s"]\nphrases = ["等待"]\n' + body,
                    encoding="utf-8")
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(path)
    assert message in str(info.value)


def test_large_blocks_find_them_in_lines_that_hold_no_other_key(lexicon) -> None:
    # Large blocks are narrowed to the lines holding the first characters of
    # lint's keys (engine/block.py), which leave these rules out: a search
    # that asks for them reads every line.
    from phraseguard.engine.block import ARRAY_MIN_CHARS

    m = Matcher(lexicon)
    m.prepare_large_blocks()
    lines = ["好的收到了谢谢您"] * (ARRAY_MIN_CHARS // 8 + 10) + ["您再等等吧", "请您耐心等待"]
    block = "\n".join(lines)
    assert len(block) >= ARRAY_MIN_CHARS
    last = len(lines) - 1
    with_rules = dict(m.scan_block(block, customer_rules=True))
    assert sorted(with_rules) == [last - 1, last]
    assert [h.rule_id for h in with_rules[last - 1]] == ["wait"]
    assert sorted(h.rule_id for h in with_rules[last]) == ["plain-wait", "wait"]
    without = dict(m.scan_block(block))
    assert sorted(without) == [last] and [h.rule_id for h in without[last]] == ["plain-wait"]


def test_a_lexicon_of_such_rules_alone_is_not_searched_for_them_even_garbled(tmp_path) -> None:
    # Text alone has nothing to search for (no other rule's anchor), and
    # recogniser output garbled past a homophone (多 for 等) is not searched
    # by edit distance for them either; asked for, both paths find it.
    path = tmp_path / "only.toml"
    path.write_text('[[rule]]\nid = "wait"\ncategory = "d"\nseverity = "major"\n'
                    'message = "m"\nsuggestions = ["s"]\nneeds_customer = true\n'
                    'phrases = ["请您耐心等待"]\n\n[rule.requires]\ncustomer = ["还没"]\n',
                    encoding="utf-8")
    m = Matcher(load_lexicon(path))
    for text in ("请您耐心等待", "请 您 耐 心 多 待 吧"):
        assert m.scan(text) == [] and list(m.scan_lines([text])) == [[]]
        assert [h.rule_id for h in m.scan(text, customer_rules=True)] == ["wait"]
    assert m.scan("请 您 耐 心 多 待 吧", customer_rules=True)[0].kind.value == "fuzzy"


def test_each_line_is_searched_as_its_flag_says(m) -> None:
    assert [sorted(h.rule_id for h in hs) for hs in m.scan_lines_each(
        ["请您耐心等待", "请您耐心等待", "好的"], [False, True, True])] == [
        ["plain-wait"], ["plain-wait", "wait"], []]


def test_rules_sharing_customer_patterns_are_found_as_if_each_were_searched(tmp_path) -> None:
    # The gate searches groups of rules by their requires.customer, and skips a
    # group that holds all of one that matched (engine/dialogue.py _CustomerGate):
    # the answer must be what searching each rule alone gives.
    body = "".join(_customer_rule(rid, phrase, customer) for rid, phrase, customer in [
        ("a", "再等等", '["还没"]'),
        ("a-or-b", "请稍等", '["还没", "又让我"]'),
        ("b", "您再等等吧", '["又让我"]'),
        ("c", "耐心等待", '["投诉"]')])
    path = tmp_path / "g.toml"
    path.write_text(body, encoding="utf-8")
    judge = Matcher(load_lexicon(path)).dialogue
    assert judge.customer_rules_for("还没到") == {"a", "a-or-b"}
    assert judge.customer_rules_for("又让我等") == {"a-or-b", "b"}
    assert judge.customer_rules_for("还没到，又让我等，我要投诉") == {"a", "a-or-b", "b", "c"}
    assert judge.customer_rules_for("谢谢") == frozenset()
    assert judge.customer_rules_can_count("投诉") and not judge.customer_rules_can_count("好的")
