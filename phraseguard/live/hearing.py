"""What a live session does with each recognised segment: alerts, and the scored call.

    partial: Matcher.scan -> AlertTracker.partial -> hit events (early alerts)
    final:   settle the held utterance (the agent's previous one) with this text,
             Matcher.scan -> AlertTracker.final -> hit / retract events,
             hits waiting for the next utterance -> held (pending event),
             LiveCall.settle (Scorer, store) -> utterance event,
             call flow (when on) -> reminder / timing events
    tick:    per block of audio: a held utterance past pending_seconds is
             confirmed; a first call-flow window may close by the clock

The alerts shown are the hits that cost points (scoring's overlap rule,
confident enough), so a screen never shows a hit the score ignores. A hit
that waits for the agent's next utterance (:mod:`phraseguard.live.pending`)
is never alerted from a partial result; it alerts, with its reason, only
once confirmed, and the store saves the utterance with what was alerted.
The customer's utterances (two-party input) are saved and feed the
call-flow and cross-turn checks; they never alert.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from phraseguard.calls.callflow import with_place
from phraseguard.calls.scoring import HitVerdict, Scorer
from phraseguard.engine.hit import Hit
from phraseguard.live.alerts import AlertTracker, Located, Occurrence, alertable
from phraseguard.live.call import LiveCall, Saved
from phraseguard.live.events import (
    Alert,
    Event,
    Partial,
    Pending,
    Reminder,
    Retract,
    Timing,
    UtteranceDone,
    UtteranceHit,
)
from phraseguard.live.flow import FlowDecision, LiveFlow
from phraseguard.live.parts import LiveOptions, MatcherLike, SegmentLike
from phraseguard.live.pending import PendingHits, Settled
from phraseguard.speech.transcript import Role, Utterance


class Hearing:
    """Turns the recogniser's segments into events and the call's utterances.

    ``audio_time()`` is the session's clock (seconds of audio heard) and
    ``wall()`` the time of day, stamped on every event. ``flow`` is the
    call-flow check (None: off).
    """

    def __init__(self, matcher: MatcherLike, scorer: Scorer, call: LiveCall,
                 options: LiveOptions, *, emit: Callable[[Event], None],
                 audio_time: Callable[[], float], wall: Callable[[], float],
                 flow: LiveFlow | None = None) -> None:
        self.matcher, self.scorer, self.call, self.options = matcher, scorer, call, options
        self._emit, self._t, self._wall = emit, audio_time, wall
        self.tracker = AlertTracker()
        seconds = options.pending_seconds
        if seconds is None:
            seconds = matcher.lexicon.dialogue.pending_seconds
        self.pending = PendingHits(matcher.dialogue, seconds)
        self.flow = flow
        self.alerts = 0
        self.retracted = 0
        self._customer: str | None = None  # the customer's last final utterance
        # (that utterance, and which of the rules that read it can count after it)
        self._customer_checked: tuple[str | None, frozenset[str]] = (None, frozenset())

    @property
    def checklist(self) -> dict[str, bool | None]:
        """Call flow: each required item said (True), missing (False), not decided (None)."""
        return dict(self.flow.checklist) if self.flow is not None else {}

    # -- the agent's speech ---------------------------------------------------------

    def segment(self, seg: SegmentLike) -> None:
        if seg.final:
            self.final(seg)
        else:
            self.partial(seg)

    def partial(self, seg: SegmentLike) -> None:
        found, _waiting = self.pending.split(self.matcher.scan(
            seg.text, customer_rules=self._customer_rules()))
        hits = self._alertable(self._judge_now(found))
        self._emit(Partial(utterance=self.call.utterances, text=seg.text,
                           spans=tuple((h.start, h.end, h.rule_id) for h in hits),
                           t=self._t(), wall=self._wall()))
        for occ in self.tracker.partial([Located(h) for h in hits]):
            self._alert(occ.hit, self.call.utterances, seg.text, occ.located.time,
                        from_partial=True)

    def final(self, seg: SegmentLike) -> None:
        utt = seg.to_utterance(self.options.role)
        # The agent's previous utterance waited for this one.
        self._settled(self.pending.settle(utt.text, by="next utterance"))
        index = self.call.hear(utt)
        found = self.matcher.scan(
            utt.text, pauses=utt.pause_offsets(self.matcher.settings.spoken_pause_seconds),
            customer_rules=self._customer_rules())
        if self.matcher.dialogue.model_reads(found):
            # No rule matched (or only one that speaks after the customer's
            # turn): the meaning model's reading (if the lexicon has one)
            # waits, like a give-up, for the agent's next utterance.
            found = [*found, *self.matcher.dialogue.read(utt.text, self._customer)]
        now, waiting = self.pending.split(found)
        now = self._judge_now(now)
        outcome = self.tracker.final(
            [Located(h, utt.time_of(h.start, h.end)) for h in self._alertable(now)])
        for occ in outcome.new:
            self._alert(occ.hit, index, utt.text, occ.located.time, from_partial=False)
        for occ in outcome.retracted:
            self.retracted += 1
            self._emit(Retract(utterance=index, rule_id=occ.rule_id,
                               matched=occ.hit.matched, t=self._t(), wall=self._wall()))
        # Call-flow hits of this utterance are saved with it (decided first).
        decided = self._flow_decisions()
        if waiting:
            self.pending.hold(index, utt, now, waiting, customer=self._customer,
                              heard_at=self._t())
            held = self.pending.held
            assert held is not None
            self._emit(Pending(utterance=index, text=utt.text, start=utt.start, end=utt.end,
                               rule_ids=tuple(dict.fromkeys(h.rule_id for h in waiting)),
                               until=held.until, t=self._t(), wall=self._wall()))
        else:
            self._saved(self.call.settle(index, now))
        self._flow_events(decided)

    def customer(self, seg: SegmentLike) -> None:
        """A final utterance of the customer (two-party input): saved, never alerted."""
        if not seg.final:
            return
        utt = seg.to_utterance(Role.CUSTOMER)
        self._customer = utt.text
        index = self.call.hear(utt)
        decided = self._flow_decisions()
        # Saved at once, or behind a held agent utterance (the store keeps order).
        self._saved(self.call.settle(index, self.matcher.scan(utt.text, customer_rules=False)))
        self._flow_events(decided)

    # -- the clock ----------------------------------------------------------------

    def tick(self) -> None:
        """Another block of audio was heard: timers that run on audio time."""
        now = self._t()
        if self.pending.due(now):
            self._settled(self.pending.settle(None, by="timeout"))
        if self.flow is not None and self.flow.due(self.call.heard, now):
            self._flow_events(self._flow_decisions())

    def end(self) -> None:
        """The session ended: confirm what waits, and the closing check."""
        self._settled(self.pending.settle(None, by="end"))
        self.tracker.reset()  # the stream ended: no utterance is in progress
        self._flow_events(self._flow_decisions(final=True), at_end=True)

    # -- internals ----------------------------------------------------------------

    def _customer_rules(self) -> frozenset[str]:
        """The rules that read the customer's turn and can count after the last
        one heard (none heard, in a one-voice session: none)."""
        if self._customer_checked[0] != self._customer:  # asked on every partial: once a turn
            self._customer_checked = (self._customer,
                                      self.matcher.dialogue.customer_rules_for(self._customer))
        return self._customer_checked[1]

    def _judge_now(self, hits: list[Hit]) -> list[Hit]:
        """The cross-turn conditions that need no next turn (the customer's turn
        before; where none was heard, a rule that needs one drops its hits)."""
        if not hits:
            return hits
        return self.matcher.dialogue.judge(hits, customer=self._customer)

    def _settled(self, settled: Settled | None) -> None:
        if settled is None:
            return
        held = settled.held
        for h in self._alertable(list(settled.kept)):
            self._alert(h, held.index, held.utterance.text,
                        held.utterance.time_of(h.start, h.end), from_partial=False)
        self._saved(self.call.settle(held.index, settled.hits))

    def _saved(self, saved: Sequence[Saved]) -> None:
        for s in saved:
            self._emit(UtteranceDone(
                index=s.index, text=s.utterance.text, start=s.utterance.start,
                end=s.utterance.end,
                hits=tuple(_utterance_hit(s.utterance, h, v)
                           for h, v in zip(s.hits, s.scored.verdicts, strict=True)),
                score=self.call.score, t=self._t(), wall=self._wall()))

    def _flow_decisions(self, *, final: bool = False) -> list[FlowDecision]:
        """New call-flow decisions, each attached to its utterance in the call."""
        if self.flow is None:
            return []
        decided = self.flow.check(self.call.heard, now=self._t(), final=final)
        for d in decided:
            if d.index is not None:
                self.call.attach(d.index, [with_place(d.flow)])
        return decided

    def _flow_events(self, decided: Sequence[FlowDecision], *, at_end: bool = False) -> None:
        for d in decided:
            if not d.remind:
                continue
            kind = Reminder if d.missing else Timing
            self._emit(kind.of(with_place(d.flow), utterance=d.index,
                               time=(d.flow.start, d.flow.end), at_end=at_end,
                               score=self.call.score, t=self._t(), wall=self._wall()))

    def _alertable(self, hits: list[Hit]) -> list[Hit]:
        return alertable(hits, min_confidence=self.options.min_confidence,
                         cost=self.scorer.points_for)

    def _alert(self, hit: Hit, utterance: int, text: str, time: tuple[float, float] | None,
               *, from_partial: bool) -> None:
        self.alerts += 1
        self._emit(Alert.of(hit, utterance=utterance, text=text, from_partial=from_partial,
                            time=time, t=self._t(), wall=self._wall()))


def _utterance_hit(utt: Utterance, h: Hit, verdict: HitVerdict) -> UtteranceHit:
    time = h.extra.get("time") or utt.time_of(h.start, h.end)  # call-flow hits: their own
    return UtteranceHit(rule_id=h.rule_id, matched=h.matched, char_start=h.start,
                        char_end=h.end, time_start=time[0] if time else None,
                        time_end=time[1] if time else None, counted=verdict.counted,
                        points=verdict.points)


# Occurrence is re-exported for callers that type the tracker's results.
__all__ = ["Hearing", "Occurrence"]
