"""One alert per occurrence: deduplicating hits across a growing, rewriting hypothesis.

A streaming recogniser revises its hypothesis for the utterance in progress
many times a second ("친애 하는 판사님" becomes "친애 하는 판사 님께 라는"), and
then replaces it with a final result. Matching every revision finds the same
forbidden phrase again and again; the agent must see it once.

An *occurrence* is a rule at a place in the utterance. The place is the
phrase's time in the audio when the recogniser gives word times (robust to
rewrites of other words, which shift character offsets), and otherwise its
ordinal among that rule's hits in the text (the 2nd 不知道 stays the 2nd while
the words around it change). Occurrences live until the utterance's final
result, so a phrase that flickers out of one partial and back into the next is
still the same occurrence.

The final result decides: an occurrence it confirms was already alerted and
is not alerted again; a hit only the final result has is alerted then; an
occurrence the final result no longer contains is *retracted* (the partial was
wrong; the alert cannot be unsaid, but the screen can grey it out and the
score never counted it). Scores and the store use final hits only.

Pure: hits in, decisions out; no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from phraseguard.engine.hit import Hit, one_per_span

#: Two hits of one rule whose audio start times are within this many seconds
#: are one occurrence. Vosk moves a word's boundaries by a few frames between
#: revisions (tens of ms); saying the same phrase twice takes longer than this.
DEDUP_WINDOW_SECONDS = 0.6


@dataclass(frozen=True)
class Located:
    """A hit in one hypothesis, with its audio time when the words have times."""

    hit: Hit
    time: tuple[float, float] | None = None  # (start, end) seconds in the session


@dataclass
class Occurrence:
    """One forbidden phrase said once, tracked through the utterance's revisions."""

    rule_id: str
    ordinal: int  # position among this rule's hits when last seen
    located: Located  # as last seen
    first_seen: Located  # as first alerted
    from_partial: bool  # alerted before the utterance was final

    @property
    def hit(self) -> Hit:
        return self.located.hit


@dataclass
class FinalOutcome:
    """What the final result of an utterance did to its occurrences."""

    new: list[Occurrence] = field(default_factory=list)  # alert now: only the final has them
    confirmed: list[Occurrence] = field(default_factory=list)  # alerted earlier, still there
    retracted: list[Occurrence] = field(default_factory=list)  # alerted, gone from the final


def alertable(hits: Sequence[Hit], *, min_confidence: float = 0.0,
              cost: Callable[[Hit], float] | None = None) -> list[Hit]:
    """The hits worth an alert: confident enough, one per span of text.

    When rules overlap on one span (我们不管 and 不管), the agent said one thing:
    the hit kept is the one scoring keeps (:func:`phraseguard.engine.hit.one_per_span`:
    the costliest by ``cost``, default the severity, then the longest, then
    the earliest).
    """
    eligible = [h for h in hits if h.confidence >= min_confidence]
    kept = [eligible[i] for i in one_per_span(eligible, cost)]
    kept.sort(key=lambda h: (h.start, h.rule_id))
    return kept


class AlertTracker:
    """Tracks the occurrences of the utterance in progress (see the module doc)."""

    def __init__(self, *, window: float = DEDUP_WINDOW_SECONDS) -> None:
        self.window = window
        self._occurrences: list[Occurrence] = []

    @property
    def pending(self) -> list[Occurrence]:
        """Occurrences alerted from partials of the utterance in progress."""
        return list(self._occurrences)

    def partial(self, located: Sequence[Located]) -> list[Occurrence]:
        """Hits of a partial hypothesis; returns the occurrences to alert now."""
        matched, new = self._match(located)
        for occ, loc, ordinal in matched:
            occ.located, occ.ordinal = loc, ordinal
        created = [self._track(loc, ordinal, from_partial=True) for loc, ordinal in new]
        return created

    def final(self, located: Sequence[Located]) -> FinalOutcome:
        """Hits of the final result; settles every occurrence and starts a new utterance."""
        matched, new = self._match(located)
        outcome = FinalOutcome()
        claimed = set()
        for occ, loc, ordinal in matched:
            occ.located, occ.ordinal = loc, ordinal
            outcome.confirmed.append(occ)
            claimed.add(id(occ))
        outcome.new = [self._track(loc, ordinal, from_partial=False) for loc, ordinal in new]
        outcome.retracted = [o for o in self._occurrences if id(o) not in claimed and o.from_partial]
        self._occurrences = []
        return outcome

    def reset(self) -> None:
        """Forget the utterance in progress (the stream was cut)."""
        self._occurrences = []

    # -- internals --------------------------------------------------------------

    def _track(self, loc: Located, ordinal: int, *, from_partial: bool) -> Occurrence:
        occ = Occurrence(loc.hit.rule_id, ordinal, loc, loc, from_partial)
        self._occurrences.append(occ)
        return occ

    def _match(
        self, located: Sequence[Located]
    ) -> tuple[list[tuple[Occurrence, Located, int]], list[tuple[Located, int]]]:
        """Pair each hit with the occurrence it continues, or mark it new."""
        by_rule: dict[str, list[Located]] = {}
        for loc in sorted(located, key=lambda x: (x.hit.start, x.hit.end)):
            by_rule.setdefault(loc.hit.rule_id, []).append(loc)
        matched: list[tuple[Occurrence, Located, int]] = []
        new: list[tuple[Located, int]] = []
        for rule_id, locs in by_rule.items():
            free = [o for o in self._occurrences if o.rule_id == rule_id]
            for ordinal, loc in enumerate(locs):
                occ = self._same(loc, ordinal, free)
                if occ is None:
                    new.append((loc, ordinal))
                else:
                    free.remove(occ)
                    matched.append((occ, loc, ordinal))
        new.sort(key=lambda lo: (lo[0].hit.start, lo[0].hit.rule_id))
        return matched, new

    def _same(self, loc: Located, ordinal: int, free: list[Occurrence]) -> Occurrence | None:
        if loc.time is not None:
            timed = [o for o in free if o.located.time is not None]
            best = None
            for o in timed:
                gap = _time_gap(loc.time, o.located.time)  # type: ignore[arg-type]
                if gap <= self.window and (best is None or gap < best[0]):
                    best = (gap, o)
            if best is not None:
                return best[1]
            if timed:
                # Every tracked occurrence has a time and none is near: a new one.
                return None
        for o in free:
            if o.ordinal == ordinal:
                return o
        return None


def _time_gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """0 when two spans overlap, else the distance between their starts."""
    if a[0] < b[1] and b[0] < a[1]:
        return 0.0
    return abs(a[0] - b[0])
