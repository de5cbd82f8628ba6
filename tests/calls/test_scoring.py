"""Table-driven tests of quality-inspection scoring (pure, no lexicon file)."""

from __future__ import annotations

import pytest
from batch_fakes import FakeLexicon, FakePolicy

from phraseguard.calls.scoring import CallSummaryInput, Scorer, count_violations, summarize_agents
from phraseguard.engine.hit import Hit, MatchKind, Severity
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word


def hit(rule: str, start: int, end: int, text: str, conf: float = 1.0) -> Hit:
    return Hit(
        rule_id=rule, category="c", severity=Severity.MAJOR, message=f"{rule} message",
        suggestions=(f"say-{rule}",), phrase=text[start:end], start=start, end=end,
        matched=text[start:end], normalized=text[start:end], kind=MatchKind.EXACT,
        confidence=conf,
    )  # fmt: skip


AGENT, CUSTOMER, UNKNOWN = Role.AGENT, Role.CUSTOMER, Role.UNKNOWN
TEXT = "我 不 知道"
CARE = "我们 不管"


@pytest.mark.parametrize(
    "role, hits, policy, unknown_is_agent, expected",
    [
        # one major hit by the agent
        (AGENT, [hit("know", 2, 6, TEXT)], FakePolicy(), True, 90.0),
        # the customer saying it costs nothing
        (CUSTOMER, [hit("know", 2, 6, TEXT)], FakePolicy(), True, 100.0),
        # unknown role counts as agent by default (mono, plain text)...
        (UNKNOWN, [hit("know", 2, 6, TEXT)], FakePolicy(), True, 90.0),
        # ...and not when mono speech is the customer's
        (UNKNOWN, [hit("know", 2, 6, TEXT)], FakePolicy(), False, 100.0),
        # below min_confidence: ignored; at it: counted
        (AGENT, [hit("know", 2, 6, TEXT, conf=0.69)], FakePolicy(), True, 100.0),
        (AGENT, [hit("know", 2, 6, TEXT, conf=0.7)], FakePolicy(), True, 90.0),
        # two hits add up
        (AGENT, [hit("know", 0, 1, TEXT), hit("know", 2, 6, TEXT)], FakePolicy(), True, 80.0),
        # the floor
        (
            AGENT,
            [hit("care", 0, 1, TEXT), hit("care", 2, 6, TEXT)],
            FakePolicy(floor=70.0),
            True,
            70.0,
        ),
        # another start
        (AGENT, [hit("know", 2, 6, TEXT)], FakePolicy(start=10.0, floor=5.0), True, 5.0),
        # overlapping hits of one occurrence: only the costlier counts
        (AGENT, [hit("care-short", 3, 5, CARE), hit("care", 0, 5, CARE)], FakePolicy(), True, 80.0),
        # a rule the lexicon no longer has costs nothing
        (AGENT, [hit("gone", 2, 6, TEXT)], FakePolicy(), True, 100.0),
    ],
)
def test_call_score(role, hits, policy, unknown_is_agent, expected):
    scorer = Scorer(FakeLexicon(scoring=policy), unknown_is_agent=unknown_is_agent)
    t = Transcript([Utterance(TEXT if hits[0].matched in TEXT else CARE, role=role)])
    result = scorer.score(t, [hits])
    assert result.score == expected
    assert result.lost == policy.start - expected
    assert len(result.deductions) + result.ignored_hits == len(hits)


def test_every_deduction_names_its_reason_time_and_suggestion():
    words = (Word("我", 1.0, 1.2), Word("不", 1.2, 1.4), Word("知道", 1.4, 1.9))
    u = Utterance(TEXT, role=AGENT, start=1.0, end=1.9, words=words)
    t = Transcript([Utterance("您好", role=CUSTOMER, start=0.0, end=0.8), u])
    score = Scorer(FakeLexicon()).score(t, [[], [hit("know", 2, 6, TEXT)]])
    (d,) = score.deductions
    assert (d.rule_id, d.points, d.utterance, d.hit, d.time) == ("know", 10.0, 1, 0, 1.2)
    assert (d.matched, d.suggestion) == ("不 知道", "say-know")
    assert d.reason == "know (major, -10): know message"
    assert score.agent_talk_seconds == pytest.approx(0.9)  # customer speech not counted


def test_hit_lists_must_match_utterances():
    with pytest.raises(ValueError):
        Scorer(FakeLexicon()).score(Transcript([Utterance("x")]), [])


def test_agent_summary_rolls_up_and_sorts_worst_first():
    s = Scorer(FakeLexicon())
    t = Transcript([Utterance(TEXT, role=AGENT, start=0.0, end=1800.0)])
    bad = s.score(t, [[hit("know", 2, 6, TEXT), hit("care", 0, 1, TEXT)]])
    clean = s.score(t, [[]])
    calls = [
        CallSummaryInput("alice", "t1", clean.score, 1800.0, clean.deductions),
        CallSummaryInput("bob", "t2", bad.score, 1800.0, bad.deductions),
        CallSummaryInput("bob", "t2", clean.score, 1800.0, clean.deductions),
        CallSummaryInput(None, None, 50.0, 0.0, ()),
    ]
    agents = summarize_agents(calls)
    assert [a.agent for a in agents] == ["(unknown)", "bob", "alice"]
    bob = agents[1]
    assert (bob.calls, bob.mean_score, bob.min_score, bob.hits) == (2, 85.0, 70.0, 2)
    assert bob.hits_per_hour == pytest.approx(2.0)  # 2 hits in one hour of talk
    assert bob.team == "t2"
    assert [(v.rule_id, v.count, v.suggestion) for v in bob.top_violations] == [
        ("care", 1, "say-care"),
        ("know", 1, "say-know"),
    ]
    assert agents[0].hits_per_hour is None  # no timed speech: no rate


def test_count_violations_orders_by_count_then_rule():
    s = Scorer(FakeLexicon())
    t = Transcript([Utterance(TEXT, role=AGENT)] * 3)
    score = s.score(
        t, [[hit("know", 2, 6, TEXT)], [hit("know", 2, 6, TEXT)], [hit("care", 0, 1, TEXT)]]
    )
    counts = count_violations(score.deductions)
    assert [(v.rule_id, v.count, v.points) for v in counts] == [
        ("know", 2, 20.0),
        ("care", 1, 20.0),
    ]
    assert count_violations(score.deductions, limit=1)[0].rule_id == "know"


def test_a_lexicon_that_does_not_extend_the_default_still_deducts_by_severity(tmp_path):
    """The scoring defaults are default.toml's for every lexicon, not zeros in code."""
    from phraseguard.engine.lexicon import load_lexicon

    own = tmp_path / "own.toml"
    own.write_text('[lexicon]\nname = "own"\n\n[[rule]]\nid = "know"\ncategory = "c"\n'
                   'severity = "major"\nmessage = "m"\nsuggestions = ["s"]\n'
                   'phrases = ["不知道"]\n', "utf-8")
    lexicon, default = load_lexicon(own), load_lexicon()
    assert lexicon.rule("know").deduction == default.scoring.deductions["major"] == 10.0
    assert lexicon.scoring == default.scoring and lexicon.matching == default.matching
    t = Transcript([Utterance(TEXT, role=AGENT)])
    assert Scorer(lexicon).score(t, [[hit("know", 2, 6, TEXT)]]).score == 90.0
