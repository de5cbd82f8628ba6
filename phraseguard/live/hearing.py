"""What a live session does with each recognised segment: alerts, and the scored call.

    partial: Matcher.scan -> AlertTracker.partial -> hit events (early alerts)
    final:   Matcher.scan -> AlertTracker.final -> hit / retract events,
             LiveCall.add (Scorer, store) -> utterance event

The alerts shown are the hits that cost points (scoring's overlap rule,
confident enough), so a screen never shows a hit the score ignores.
"""

from __future__ import annotations

from collections.abc import Callable

from phraseguard.calls.scoring import HitVerdict, Scorer
from phraseguard.engine.hit import Hit
from phraseguard.live.alerts import AlertTracker, Located, Occurrence, alertable
from phraseguard.live.call import LiveCall
from phraseguard.live.events import Alert, Event, Partial, Retract, UtteranceDone, UtteranceHit
from phraseguard.live.parts import LiveOptions, MatcherLike, SegmentLike
from phraseguard.speech.transcript import Utterance


class Hearing:
    """Turns the recogniser's segments into events and the call's utterances.

    ``audio_time()`` is the session's clock (seconds of audio heard) and
    ``wall()`` the time of day, stamped on every event.
    """

    def __init__(self, matcher: MatcherLike, scorer: Scorer, call: LiveCall,
                 options: LiveOptions, *, emit: Callable[[Event], None],
                 audio_time: Callable[[], float], wall: Callable[[], float]) -> None:
        self.matcher, self.scorer, self.call, self.options = matcher, scorer, call, options
        self._emit, self._t, self._wall = emit, audio_time, wall
        self.tracker = AlertTracker()
        self.alerts = 0
        self.retracted = 0

    def segment(self, seg: SegmentLike) -> None:
        if seg.final:
            self.final(seg)
        else:
            self.partial(seg)

    def partial(self, seg: SegmentLike) -> None:
        hits = self._alertable(self.matcher.scan(seg.text))
        self._emit(Partial(utterance=self.call.utterances, text=seg.text,
                           spans=tuple((h.start, h.end, h.rule_id) for h in hits),
                           t=self._t(), wall=self._wall()))
        for occ in self.tracker.partial([Located(h) for h in hits]):
            self._alert(occ, seg.text, from_partial=True)

    def final(self, seg: SegmentLike) -> None:
        utt = seg.to_utterance(self.options.role)
        hits = self.matcher.scan(utt.text)
        outcome = self.tracker.final(
            [Located(h, utt.time_of(h.start, h.end)) for h in self._alertable(hits)])
        for occ in outcome.new:
            self._alert(occ, utt.text, from_partial=False)
        for occ in outcome.retracted:
            self.retracted += 1
            self._emit(Retract(utterance=self.call.utterances, rule_id=occ.rule_id,
                               matched=occ.hit.matched, t=self._t(), wall=self._wall()))
        index = self.call.utterances
        scored = self.call.add(utt, hits)
        self._emit(UtteranceDone(
            index=index, text=utt.text, start=utt.start, end=utt.end,
            hits=tuple(_utterance_hit(utt, h, v) for h, v in zip(hits, scored.verdicts,
                                                                  strict=True)),
            score=self.call.score, t=self._t(), wall=self._wall()))

    def _alertable(self, hits: list[Hit]) -> list[Hit]:
        return alertable(hits, min_confidence=self.options.min_confidence,
                         cost=self.scorer.points_for)

    def _alert(self, occ: Occurrence, text: str, *, from_partial: bool) -> None:
        self.alerts += 1
        self._emit(Alert.of(occ.hit, utterance=self.call.utterances, text=text,
                            from_partial=from_partial, time=occ.located.time, t=self._t(),
                            wall=self._wall()))


def _utterance_hit(utt: Utterance, h: Hit, verdict: HitVerdict) -> UtteranceHit:
    time = utt.time_of(h.start, h.end)
    return UtteranceHit(rule_id=h.rule_id, matched=h.matched, char_start=h.start,
                        char_end=h.end, time_start=time[0] if time else None,
                        time_end=time[1] if time else None, counted=verdict.counted,
                        points=verdict.points)
