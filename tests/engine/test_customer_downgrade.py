"""The customer's turn decides what a bare refusal refuses ([rule.downgrade]
customer, tenth session): after "能不能帮我把发票抬头改成公司名称?" the agent's
这个我们这边弄不了 rules out that one change, a stated limit; after a reported
fault ("空调一直滴水，能换个房吗?") the same words give up on the problem. Lines
written for these tests, not taken from the tuning sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from forms import as_form, judged

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher

ASKED_FOR_ONE_CHANGE = [
    ("能不能帮我把收货地址改成公司？", "这个我们这边弄不了哦。"),
    ("可以把我的会员换成季卡吗", "这个没办法的"),
    ("能给我拆开两个包裹发不？", "这事儿咱整不了哈。"),
    ("我想把体检改到下周二可以吗", "这个我们是办不了。"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("customer", "text"), ASKED_FOR_ONE_CHANGE)
def test_refusing_the_one_change_the_customer_asked_for_is_a_stated_limit(
        matcher, customer, text, form) -> None:
    line = as_form(form, text)
    assert judged(matcher, line, customer=customer) == []
    assert judged(matcher, line, customer=customer, floor=Severity.MINOR) == [
        "limit-without-alternative"]
    # Without the customer's turn (a script line) the same words give up.
    assert judged(matcher, line) != []


@pytest.mark.parametrize(("customer", "text"), [
    ("空调一直滴水，能换个房吗？", "这个我们弄不了。"),
    ("发票开错了抬头，能改成公司吗？", "这个没办法的"),
    ("航班取消了，能给我改签到别的航空吗？", "这个我们办不了。"),
])
def test_a_reported_problem_keeps_the_refusal_a_give_up(matcher, customer, text) -> None:
    assert judged(matcher, text, customer=customer) != []


def test_the_downgraded_hit_names_the_customers_request(matcher) -> None:
    customer = "能不能帮我把收货地址改成公司？"
    (hit,) = matcher.dialogue.judge(matcher.scan("这个我们这边弄不了哦。"), customer=customer)
    assert hit.rule_id == "limit-without-alternative"
    assert "[rule.downgrade] customer" in hit.reason
    assert "「能不能帮我把收货地址改成" in hit.reason


def test_an_alternative_in_the_next_turn_clears_the_downgraded_limit(matcher) -> None:
    assert judged(matcher, "这个我们这边弄不了哦。", customer="能不能帮我把收货地址改成公司？",
                  next_turn="不过您可以在订单详情里申请修改，审核后就改好了",
                  floor=Severity.MINOR) == []


def test_the_limits_own_conditions_in_the_same_turn_still_excuse_it(matcher) -> None:
    # A condition in the line excuses a stated limit (limit-without-alternative's
    # unless) but not a give-up: downgraded by the customer's turn, it is excused.
    text = "这个我们这边弄不了，要是您不急的话"
    assert judged(matcher, text) != []
    assert judged(matcher, text, customer="能不能帮我把收货地址改成公司？",
                  floor=Severity.MINOR) == []


_LEX = ('[[rule]]\nid = "refuse"\ncategory = "x"\nseverity = "major"\nmessage = "m"\n'
        'suggestions = ["s"]\nphrases = ["不给办"]\notherwise = "limit"\n'
        '[rule.downgrade]\ncustomer = ["能不能*6改"]\n[rule.keep]\ncustomer = ["坏"]\n\n'
        '[[rule]]\nid = "limit"\ncategory = "x"\nseverity = "minor"\nmessage = "m"\n'
        'suggestions = ["s"]\n')


def test_a_lexicon_of_its_own_can_downgrade_by_the_customers_turn(tmp_path: Path) -> None:
    path = tmp_path / "own.toml"
    path.write_text(_LEX, encoding="utf-8")
    m = Matcher(load_lexicon(path))

    def rules(customer):
        return [h.rule_id for h in m.dialogue.judge(m.scan("这个不给办"), customer=customer)]

    assert rules("能不能帮我改个时间") == ["limit"]
    assert rules("东西坏了，能不能给我改个时间") == ["refuse"]
    assert rules("你们怎么回事") == ["refuse"]
    assert rules(None) == ["refuse"]


def test_lexicon_why_says_what_the_customers_turn_did(matcher) -> None:
    from phraseguard.engine.explain import explain_turn

    asked = explain_turn(matcher, "这个我们这边弄不了哦。", customer="能不能帮我把收货地址改成公司？")
    assert any("downgrade.customer" in n and "becomes limit-without-alternative" in n
               for n in asked.turn_notes), asked.turn_notes
    broke = explain_turn(matcher, "这个我们这边弄不了哦。", customer="地址填错了，能改成公司吗？")
    assert any("keep.customer 「错」" in n for n in broke.turn_notes), broke.turn_notes


@pytest.fixture(scope="module")
def with_model():
    from phraseguard.engine.meaning_files import use_meaning

    m = Matcher(load_lexicon())
    assert use_meaning(m)
    return m


def test_a_model_give_up_after_one_change_asked_for_is_a_stated_limit(with_model) -> None:
    # No rule lists 挪不了; the meaning model reads a give-up. The customer
    # asked for one change, so the judge makes it the stated limit a rule's
    # hit would be — unless the same turn reports a problem.
    line = "这班车定了那个定了就挪不了了"
    judge = with_model.dialogue
    alone = judge.judge_turn(line, with_model.scan(line))
    assert [(h.rule_id, h.kind.value) for h in alone] == [("give-up", "meaning")]
    asked = judge.judge_turn(line, [], customer="能不能换成明天的")
    assert [(h.rule_id, h.severity) for h in asked] == \
        [("limit-without-alternative", Severity.MINOR)]
    assert "换成" in asked[0].reason
    problem = judge.judge_turn(line, [], customer="车被取消了，能换成明天的吗")
    assert [h.rule_id for h in problem] == ["give-up"]
