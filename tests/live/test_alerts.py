"""One alert per occurrence: AlertTracker on scripted hypotheses (pure, no Vosk)."""

from __future__ import annotations

import pytest

from phraseguard.engine.hit import Hit, MatchKind, Severity
from phraseguard.live.alerts import AlertTracker, Located, alertable

PHRASES = {"judge": "판사", "drama": "드라마", "bu": "不知道", "zhidao": "知道"}


def hits_in(text: str, *, severity: dict[str, Severity] | None = None,
            confidence: float = 1.0) -> list[Hit]:
    """Every occurrence of each phrase in ``text``, as the matcher would report it."""
    out = []
    for rule, phrase in PHRASES.items():
        at = text.find(phrase)
        while at >= 0:
            out.append(Hit(rule, "test", (severity or {}).get(rule, Severity.MAJOR), "msg",
                           ("say this",), phrase, at, at + len(phrase), phrase, phrase,
                           MatchKind.EXACT, confidence))
            at = text.find(phrase, at + 1)
    return out


def located(text: str, times: dict[int, tuple[float, float]] | None = None) -> list[Located]:
    """Hits of ``text``; ``times`` gives the audio span of the hit starting at a char."""
    return [Located(h, (times or {}).get(h.start)) for h in hits_in(text)]


def run_partials(tracker: AlertTracker, partials: list[str]) -> list[list[str]]:
    """Feed partials; return, per partial, the rules alerted then."""
    return [[o.rule_id for o in tracker.partial(located(p))] for p in partials]


@pytest.mark.parametrize(
    ("partials", "expected"),
    [
        # Growing hypothesis: the alert comes once, when the phrase first appears.
        (["친애", "친애 하는 판사님", "친애 하는 판사 님께", "친애 하는 판사 님께 라는"],
         [[], ["judge"], [], []]),
        # A rewrite of earlier words shifts the offset: still the same occurrence.
        (["친애 하는 판사", "친애하는 판사 님", "아 친애 하는 판사 님"], [["judge"], [], []]),
        # The phrase flickers out of one partial and back: not alerted twice.
        (["판사 님", "반사 님", "판사 님께"], [["judge"], [], []]),
        # A second occurrence of the same rule is a new alert.
        (["판사 님", "판사 님 판사", "판사 님 판사 네"], [["judge"], ["judge"], []]),
        # Two rules in one partial: two alerts at once.
        (["법 관련 드라마 판사"], [["drama", "judge"]]),
    ],
    ids=["grows", "rewrite-shifts-offset", "flicker", "second-occurrence", "two-rules"],
)
def test_partials_alert_once_per_occurrence(partials, expected):
    assert run_partials(AlertTracker(), partials) == expected


def test_final_confirms_partial_alert_without_repeating_it():
    t = AlertTracker()
    assert run_partials(t, ["친애 하는 판사님"]) == [["judge"]]
    outcome = t.final(located("친애 하는 판사 님께 라는", {6: (0.9, 1.2)}))
    assert [o.rule_id for o in outcome.confirmed] == ["judge"]
    assert outcome.new == [] and outcome.retracted == []
    # The occurrence now carries the final's word times.
    assert outcome.confirmed[0].located.time == (0.9, 1.2)


def test_final_only_hit_is_alerted_at_the_final():
    t = AlertTracker()
    run_partials(t, ["법 관련"])
    outcome = t.final(located("법 관련 드라마"))
    assert [o.rule_id for o in outcome.new] == ["drama"]
    assert not outcome.new[0].from_partial


def test_partial_rewritten_away_is_retracted_by_the_final():
    t = AlertTracker()
    run_partials(t, ["판사 님", "판사 님께"])
    outcome = t.final(located("반사 님께"))
    assert [o.rule_id for o in outcome.retracted] == ["judge"]
    assert outcome.new == [] and outcome.confirmed == []


def test_each_utterance_starts_afresh():
    t = AlertTracker()
    run_partials(t, ["판사"])
    t.final(located("판사"))
    # The same phrase in the next utterance is a new occurrence.
    assert run_partials(t, ["판사"]) == [["judge"]]
    assert t.final(located("판사")).confirmed[0].rule_id == "judge"


def test_timed_hits_match_by_time_not_order():
    t = AlertTracker(window=0.6)
    first = t.partial(located("판사", {0: (1.0, 1.3)}))
    assert [o.rule_id for o in first] == ["judge"]
    # A new occurrence appears BEFORE the tracked one (an earlier word was
    # rewritten into the phrase): by time, the old one is matched, the new alerted.
    again = t.partial(located("판사 아 판사", {0: (0.2, 0.5), 5: (1.05, 1.35)}))
    assert len(again) == 1 and again[0].located.time == (0.2, 0.5)
    outcome = t.final(located("판사 아 판사", {0: (0.2, 0.5), 5: (1.02, 1.3)}))
    assert len(outcome.confirmed) == 2 and outcome.new == [] and outcome.retracted == []


def test_timed_hit_far_from_every_tracked_one_is_new():
    t = AlertTracker(window=0.6)
    t.partial(located("판사", {0: (1.0, 1.3)}))
    outcome = t.final(located("판사", {0: (4.0, 4.3)}))
    assert len(outcome.new) == 1 and len(outcome.retracted) == 1


def test_alertable_keeps_the_most_severe_of_overlapping_hits():
    hits = hits_in("我不知道", severity={"bu": Severity.CRITICAL, "zhidao": Severity.MINOR})
    kept = alertable(hits)
    assert [h.rule_id for h in kept] == ["bu"]


def test_alertable_drops_low_confidence_hits():
    assert alertable(hits_in("판사", confidence=0.5), min_confidence=0.7) == []
    assert len(alertable(hits_in("판사", confidence=0.7), min_confidence=0.7)) == 1
