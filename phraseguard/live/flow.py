"""The call-flow check during a live session (issue #11): reminders and timing events.

:class:`~phraseguard.engine.callflow.CallFlow` checks a conversation; here it
is run on the session's utterances as they come (``final=False``, ``now`` =
seconds of audio heard) and once more when the session ends (``final=True``),
and each decision is reported once:

- a required item of a *first* window (greeting, self-introduction) that has
  not come by the time its window closes is a **reminder** then (the first
  15 s of the agent's speech, or the agent's first turn where there are no
  times); an item said in time is never reminded, however late the check;
- items of a *last* or *anywhere* window (the farewell) are decided when the
  session ends (the closing check), and so is a first window that never closed;
- **timing** events (dead air, talk-over, fast speech) as soon as the
  utterances that show them are final. Dead air and talk-over need both
  parties: the engine finds them only when the conversation has customer
  speech, i.e. a two-party input (stereo ``--input`` file or a two-channel
  device with ``--agent-channel``). A headset is the agent alone: then they
  are skipped, as ``score`` skips them on a mono recording.
- slow start is left out: a live session starts when monitoring starts, not
  when the call is answered, so its first seconds say nothing about the agent.

The utterance each event belongs to is the one ``score`` would attach it to
(index in the call), so the store holds the same hits either way.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.conversation import FlowHit
from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import Lexicon
from phraseguard.engine.tables import MatcherTables
from phraseguard.speech.transcript import Utterance

#: Timing checks that mean nothing in a live session (see the module doc).
NOT_LIVE = frozenset({"slow-start"})


@dataclass(frozen=True)
class FlowDecision:
    """A call-flow hit decided now: on utterance ``index`` of the call (None: no
    agent speech to attach it to); ``remind`` is False for a rule with
    ``live_reminder = false`` (saved and scored, but no reminder shown)."""

    index: int | None
    flow: FlowHit
    remind: bool = True

    @property
    def missing(self) -> bool:
        return self.flow.hit.kind is MatchKind.MISSING


def live_call_flow(lexicon: Lexicon, *, company: Sequence[str] | None = None,
                   tables: MatcherTables | None = None) -> CallFlow:
    """The lexicon's call-flow rules as a live session checks them (no slow start).

    ``tables``: the session matcher's (``Matcher.tables``), so the call-flow
    matchers load no tables of their own."""
    flow = dataclasses.replace(
        lexicon.flow, timing=tuple(t for t in lexicon.flow.timing if t.check not in NOT_LIVE))
    return CallFlow(dataclasses.replace(lexicon, flow=flow), company=company or None,
                    tables=tables)


class LiveFlow:
    """One session's call-flow state: what was already decided and reported."""

    def __init__(self, flow: CallFlow, *, agent: str | None = None) -> None:
        self.flow = flow
        self.agent = agent
        rules = flow.required.rules
        self._remind = {r.id: r.live_reminder for r in rules}
        self._decided: set[str] = set()  # required items found or reported missing
        self._timed: set[tuple[str, float | None]] = set()  # timing events reported
        self.checklist: dict[str, bool | None] = {}  # as of the last check
        self._seconds = {r.id: r.seconds for r in rules if r.window == "first" and r.seconds}

    def due(self, heard: Sequence[Utterance], now: float) -> bool:
        """Whether the clock alone may have closed a first window still open.

        A timed first window runs from the agent's first word (as in
        :mod:`phraseguard.engine.required`); between utterances only the clock
        can close it, so the session asks this on every block of audio.
        """
        open_ = [s for r, s in self._seconds.items() if r not in self._decided]
        if not open_:
            return False
        starts = [u.start for u in heard if u.start is not None
                  and getattr(u.role, "value", u.role) != "customer"]
        return bool(starts) and now >= min(starts) + min(open_)

    def check(self, heard: Sequence[Utterance], *, now: float,
              final: bool = False) -> list[FlowDecision]:
        """What became decided since the last check, in time order.

        ``heard`` is every final utterance of the call in the order heard
        (the indices events and the store use).
        """
        if not heard:
            return []
        # Chronological for the engine (two recognisers finish out of order);
        # an utterance without times keeps its place.
        order = sorted(range(len(heard)), key=lambda i: (
            heard[i].start if heard[i].start is not None else -math.inf, i))
        result = self.flow.check([heard[i] for i in order], agent=self.agent, final=final,
                                 now=now)
        self.checklist = dict(result.checklist)
        out: list[FlowDecision] = []
        for f in result.hits:
            if f.hit.kind is MatchKind.MISSING:
                if f.rule_id in self._decided:
                    continue
                self._decided.add(f.rule_id)
                remind = self._remind.get(f.rule_id, True)
            else:
                key = (f.rule_id, f.start)
                if key in self._timed:
                    continue
                self._timed.add(key)
                remind = True
            index = order[f.utterance] if f.utterance is not None else None
            out.append(FlowDecision(index, f, remind))
        self._decided.update(r for r, said in result.checklist.items() if said)
        return out
