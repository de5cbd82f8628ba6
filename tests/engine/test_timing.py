"""Timing rules from word times: dead air, talk-over, fast speech, slow start."""

from __future__ import annotations

import pytest

from phraseguard.engine.flowrules import CallFlowSettings, TimingRule
from phraseguard.engine.hit import MatchKind, Severity
from phraseguard.engine.timing import NO_TIMES, ONE_PARTY, TimingChecker
from tests.engine.test_required import U, W, a, c


def _rule(check: str, **kw) -> TimingRule:
    return TimingRule(id=check, check=check, category="timing", severity=Severity.MINOR,
                      message=check, suggestions=("…",), **kw)


RULES = (_rule("dead-air", seconds=5), _rule("talk-over", seconds=1.5),
         _rule("fast-speech", chars_per_minute=330, min_seconds=4),
         _rule("slow-start", seconds=5))


@pytest.fixture(scope="module")
def checker() -> TimingChecker:
    return TimingChecker(RULES, CallFlowSettings(join_gap=0.5))


def _events(checker, conv):
    return [(f.rule_id, f.start, f.end, f.utterance) for f in checker.check(conv).hits]


def test_dead_air_after_the_customer_stops(checker) -> None:
    conv = [a("您好", 0.5, 1.5), c("我的快递", 2.0, 4.0), a("我帮您查", 10.0, 11.0)]
    assert _events(checker, conv) == [("dead-air", 4.0, 10.0, 2)]
    # Exactly at the limit is no event; an agent's own pause is not dead air.
    assert _events(checker, [a("您好", 0.5, 1.5), c("嗯", 2.0, 4.0), a("好", 9.0, 9.5)]) == []
    assert _events(checker, [a("您好", 0.5, 1.5), a("还在吗", 9.0, 9.5), c("在", 10, 11)]) == []


def test_talk_over_only_when_the_agent_cuts_in(checker) -> None:
    conv = [a("您好", 0.5, 1.5), c("我的快递一直没到", 2.0, 8.0), a("我知道", 6.0, 9.0)]
    hits = checker.check(conv).hits
    assert [(f.rule_id, f.start, f.end) for f in hits] == [("talk-over", 6.0, 8.0)]
    assert hits[0].reason == ("talk-over: the agent spoke over the customer for 2.0 s "
                              "(limit 1.5 s)")
    assert hits[0].hit.kind is MatchKind.TIMING and hits[0].utterance == 2
    # Short overlaps (a backchannel 嗯) and the customer cutting in are not.
    assert _events(checker, [a("您好", 0.5, 1.5), c("快递", 2.0, 8.0), a("嗯", 7.0, 8.2)]) == []
    assert _events(checker, [a("您好请问", 0.5, 4.5), c("我的快递", 2.0, 6.0)]) == []


def test_word_times_beat_utterance_times(checker) -> None:
    # The customer's utterance spans 2-8 s but the words stop at 5 s: the
    # agent starting at 6 s does not talk over anybody.
    cust = U("我的 快递", "customer", 2.0, 8.0, (W("我的", 2.0, 3.0), W("快递", 4.0, 5.0)))
    assert _events(checker, [a("您好", 0.5, 1.5), cust, a("我知道了", 6.0, 7.0)]) == []


def test_fast_speech_over_a_turn(checker) -> None:
    text = "您好请问有什么可以帮您的我们这边马上为您查询一下请稍等"  # 27 characters
    fast = [c("喂", 0.0, 0.4), a(text, 0.5, 4.5)]  # 27 in 4 s = 405 a minute
    hits = checker.check(fast).hits
    assert [f.rule_id for f in hits] == ["fast-speech"]
    assert hits[0].reason == "fast speech: 405 characters a minute over a turn (limit 330)"
    assert _events(checker, [c("喂", 0.0, 0.4), a(text, 0.5, 6.5)]) == []  # 270 a minute
    assert _events(checker, [c("喂", 0.0, 0.4), a(text[:10], 0.5, 1.5)]) == []  # too short


def test_slow_start(checker) -> None:
    assert _events(checker, [c("喂", 3.0, 3.5), a("您好", 7.0, 8.0)]) == [
        ("slow-start", 0.0, 7.0, 1)]
    assert _events(checker, [a("您好", 4.9, 5.5)]) == []


def test_plain_text_is_skipped_with_a_note(checker) -> None:
    result = checker.check([a("您好"), c("喂")])
    assert result.hits == [] and result.notes == [NO_TIMES]


def test_one_party_skips_dead_air_and_talk_over(checker) -> None:
    result = checker.check([a("您好", 6.0, 7.0), a("请讲", 20.0, 21.0)])
    assert [f.rule_id for f in result.hits] == ["slow-start"]
    assert result.notes == [ONE_PARTY]
