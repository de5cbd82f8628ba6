"""Soft answers that are violations only after what the customer said (fourteenth
session, train37 / train38 / hunt3): pressed about a fault, a charge or a delay,
the agent points to the record, says to wait, sends the customer elsewhere,
has "no information", or refuses the remedy — and nothing else. The same
words answer a customer who asked where to look, or come with a time, a
reason or a step. Lines written for these tests, not taken from the sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged

PRESSED = [
    # (customer's turn, agent's turn, rule)
    ("这个月话费怎么多了五十块？我根本没开过什么业务！", "您好，费用请以详单为准。", "defer-to-record"),
    ("都说了三遍了，这合同到底能不能退？", "请您按规定办理哦。", "defer-to-record"),
    ("快递五天了还没到，到底什么时候能送？", "亲，请您耐心等待哦~", "wait-without-action"),
    ("退款申请一周了没人理，你们管不管？", "您好，请关注后续短信通知。", "wait-without-action"),
    ("我买的热水器装好就漏水，地板都泡了！", "您好，建议您联系品牌售后。", "refer-elsewhere"),
    ("司机绕路多收了我三十块，你们怎么处理？", "这个您要自己找司机协商。", "refer-elsewhere"),
    ("到底什么时候恢复供水？都停了两天了！", "目前还没有收到相关通知。", "no-information"),
    ("药盒子全碎了，药片也压坏了！", "您好，药品售出后不支持退换的。", "refuse-after-fault"),
    # a vague "someone is on it" is no action on the third call: after a promise
    # that failed (说好五点前来修), the same wait again (session 16)
    ("说好五点前来修，现在八点了，我这是第三次打电话了！", "维修人员正在处理，请您耐心等待。",
     "repeat-promise"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("customer", "text", "rule"), PRESSED)
def test_a_bare_soft_answer_to_a_pressing_customer_counts(matcher, customer, text, rule,
                                                          form) -> None:
    assert rule in judged(matcher, as_form(form, text), customer=customer)


@pytest.mark.parametrize(("customer", "text", "rule"), PRESSED)
def test_without_the_customers_turn_it_says_nothing(matcher, customer, text, rule) -> None:
    # A call script or an agent-only recording: whether the pointer answers or
    # deflects depends on what was asked, which is not known.
    assert rule not in judged(matcher, text)


@pytest.mark.parametrize(("customer", "text"), [
    # the customer asked where to look, which figure counts, or whom to call
    ("APP里的话费和短信账单不一样，以哪个为准？", "您好，费用请以详单为准。"),
    ("热水器安装要找谁？需要我自己联系吗？", "您好，建议您联系品牌售后。"),
    # asked, not pressed: a plain question
    ("请问退款一般几天到账？", "亲，请您耐心等待哦~"),
    # the customer asked for one change (a stated limit, not giving up), or
    # to undo their own step
    ("药还没发货，能换成大盒装的吗？", "您好，药品售出后不支持退换的。"),
    ("我点错了取消订单，怎么办，能恢复过来吗", "订单取消后是无法恢复的呢"),
])
def test_the_same_words_answer_a_question_that_asked_for_them(matcher, customer, text) -> None:
    assert judged(matcher, text, customer=customer) == []


@pytest.mark.parametrize(("customer", "text"), [
    ("快递五天了还没到，到底什么时候能送？", "亲，我已经帮您催了站点，请您耐心等待哦~"),
    ("快递五天了还没到，到底什么时候能送？", "亲，站点显示明天下午派送，请您耐心等待哦~"),
    ("这个月话费怎么多了五十块？我根本没开过什么业务！",
     "您好，因为系统显示您开通了彩铃，费用请以详单为准，我帮您退订。"),
    ("我买的热水器装好就漏水，地板都泡了！", "您好，我马上联系品牌售后今天上门，建议您先关掉总阀。"),
])
def test_a_time_a_reason_or_an_action_beside_it_is_an_answer(matcher, customer, text) -> None:
    assert judged(matcher, text, customer=customer) == []


def test_an_action_in_the_next_turn_resolves_it(matcher) -> None:
    customer = "快递五天了还没到，到底什么时候能送？"
    assert "wait-without-action" in judged(matcher, "亲，请您耐心等待哦~", customer=customer,
                                           next_turn="请问还有其他问题吗")
    assert judged(matcher, "亲，请您耐心等待哦~", customer=customer,
                  next_turn="小妹已经帮您联系站点加急，今天六点前给您回电") == []


def test_its_reason_says_what_the_customer_said_and_what_was_missing(matcher) -> None:
    import re

    customer = "快递五天了还没到"
    (hit,) = [h for h in matcher.dialogue.judge(
        matcher.scan("亲，请您耐心等待哦~", customer_rules=True), customer=customer)
              if h.rule_id == "wait-without-action"]
    quoted = re.search("the customer's turn before: 「(.+?)」", hit.reason)
    assert quoted is not None and quoted.group(1) in customer
    assert "nothing offered" in hit.reason


def test_a_plain_script_line_gets_no_finding_from_them(tmp_path) -> None:
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file

    script = tmp_path / "script.txt"
    script.write_text("亲，请您耐心等待哦~\n建议您联系品牌售后。\n", encoding="utf-8")
    result = lint_file(str(script), Matcher(load_lexicon()), LintOptions())
    assert result.error is None and result.findings == []


def test_a_transcript_with_the_customers_turn_gets_the_finding(tmp_path) -> None:
    import json

    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file

    path = tmp_path / "call.json"
    path.write_text(json.dumps({"utterances": [
        {"role": "customer", "text": "快递五天了还没到，到底什么时候能送？"},
        {"role": "agent", "text": "亲，请您耐心等待哦~"},
    ]}, ensure_ascii=False), encoding="utf-8")
    result = lint_file(str(path), Matcher(load_lexicon()), LintOptions())
    assert [f.hit.rule_id for f in result.findings] == ["wait-without-action"]


def test_score_judges_them_with_the_customers_turn_before(matcher) -> None:
    from phraseguard.calls.worker import judged_hits
    from phraseguard.speech.transcript import Role, Transcript, Utterance

    def call(*turns: tuple[Role, str]) -> list[list[str]]:
        t = Transcript([Utterance(text, role) for role, text in turns])
        return [[h.rule_id for h in hs] for hs in judged_hits(matcher, t)]

    chased = call((Role.CUSTOMER, "快递五天了还没到，到底什么时候能送？"),
                  (Role.AGENT, "亲，请您耐心等待哦~"), (Role.AGENT, "请问还有其他问题吗"))
    assert chased == [[], ["wait-without-action"], []]
    # One voice (a mono recording read as the agent's): no customer turn, no hit.
    assert call((Role.AGENT, "亲，请您耐心等待哦~")) == [[]]
    # Asked, not pressed.
    assert call((Role.CUSTOMER, "请问退款一般几天到账？"), (Role.AGENT, "亲，请您耐心等待哦~")) == [
        [], []]
