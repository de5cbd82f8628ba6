"""Hits that wait for the agent's next utterance before they alert (issue #8).

A give-up ("没办法") or a "don't know" is not a violation when the agent
goes on to offer something ("我帮您申请一下"): the lexicon says so with
``unless.next_turn``, and :meth:`DialogueJudge.waits_for_next_turn` names the
hits it applies to. In a live session such a hit is *held*, not alerted (not
from a partial result either), until one of:

- the agent's next final utterance: ``judge(held, next_turn=its text)``
  returns what still counts (nothing when it offered something);
- ``[dialogue] pending_seconds`` of audio after the held utterance ended
  with no agent utterance: ``judge(held, next_turn=None)`` confirms it;
- the end of the session: confirmed the same way.

Time here is audio time (seconds of audio heard), so a replay with
``--input --fast`` settles exactly as it would in real time. Pure: no I/O,
no clock of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from phraseguard.engine.hit import Hit
from phraseguard.speech.transcript import Utterance


class JudgeLike(Protocol):
    """The part of :class:`phraseguard.engine.dialogue.DialogueJudge` used here."""

    def waits_for_next_turn(self, hit: Hit) -> bool: ...

    def judge(self, hits: Sequence[Hit], *, customer: str | None = None,
              next_turn: str | None = None) -> list[Hit]: ...


@dataclass(frozen=True)
class Held:
    """An agent utterance whose waiting hits are not settled yet."""

    index: int  # the utterance's index in the call
    utterance: Utterance
    others: tuple[Hit, ...]  # its hits that did not wait (already judged and alerted)
    waiting: tuple[Hit, ...]
    customer: str | None  # the customer's turn before it (two-party input), or None
    until: float  # audio time at which it is confirmed without a next utterance


@dataclass(frozen=True)
class Settled:
    """A held utterance, settled: the hits of it that still count."""

    held: Held
    kept: tuple[Hit, ...]  # judged waiting hits that count (each with its reason)
    by: str  # "next utterance", "timeout" or "end"

    @property
    def hits(self) -> list[Hit]:
        """Everything the utterance is saved with."""
        return [*self.held.others, *self.kept]


class PendingHits:
    """At most one held agent utterance (the next agent utterance settles it)."""

    def __init__(self, judge: JudgeLike, seconds: float) -> None:
        self.judge = judge
        self.seconds = seconds
        self.held: Held | None = None

    def waits(self, hit: Hit) -> bool:
        return self.judge.waits_for_next_turn(hit)

    def split(self, hits: Sequence[Hit]) -> tuple[list[Hit], list[Hit]]:
        """(hits that count now, hits that wait for the next utterance)."""
        now = [h for h in hits if not self.waits(h)]
        return now, [h for h in hits if self.waits(h)]

    def hold(self, index: int, utterance: Utterance, others: Sequence[Hit],
             waiting: Sequence[Hit], *, customer: str | None, heard_at: float) -> None:
        """Hold ``waiting`` until the next agent utterance or ``seconds`` after this one."""
        assert self.held is None, "settle the held utterance first"
        said = utterance.end if utterance.end is not None else heard_at
        self.held = Held(index, utterance, tuple(others), tuple(waiting), customer,
                         until=round(max(said, 0.0) + self.seconds, 3))

    def due(self, now: float) -> bool:
        """Whether the held utterance has waited ``seconds`` of audio."""
        return self.held is not None and now >= self.held.until

    def settle(self, next_turn: str | None, *, by: str) -> Settled | None:
        """Judge the held hits with the agent's next utterance (None: there was none)."""
        held, self.held = self.held, None
        if held is None:
            return None
        kept = self.judge.judge(held.waiting, customer=held.customer, next_turn=next_turn)
        if by == "timeout":
            # The judge says "no next agent turn"; here, none came in time.
            kept = [replace(h, reason=f"{h.reason} (none within {self.seconds:g} s)")
                    for h in kept]
        return Settled(held, tuple(kept), by)
