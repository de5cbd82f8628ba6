"""The call-flow check as one front door: required items and timing together.

What every place that scores a conversation (``score``, ``live``, ``lint``)
calls: :class:`CallFlow` builds the required-phrase matchers and the timing
checker once from a lexicon; :meth:`CallFlow.check` returns one call's
checklist, its call-level hits (missing items, timing events) and notes
(timing skipped on plain text...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from phraseguard.engine.conversation import FlowHit, UtteranceLike, has_times
from phraseguard.engine.lexicon import Lexicon
from phraseguard.engine.phonetics import Phonetics
from phraseguard.engine.required import Found, RequiredChecker
from phraseguard.engine.tables import MatcherTables
from phraseguard.engine.timing import TimingChecker


@dataclass(frozen=True)
class CallFlowResult:
    """One call: the checklist of required items, call-level hits, notes."""

    checklist: dict[str, bool | None] = field(default_factory=dict)
    hits: list[FlowHit] = field(default_factory=list)
    found: dict[str, Found] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class CallFlow:
    """A lexicon's required and timing rules, compiled once."""

    def __init__(self, lexicon: Lexicon, *, company: Sequence[str] | None = None,
                 timing: bool = True, phonetics: Phonetics | None = None,
                 tables: MatcherTables | None = None) -> None:
        self.lexicon = lexicon
        self.required = RequiredChecker(lexicon, company=company, phonetics=phonetics,
                                        tables=tables)
        rules = lexicon.flow.timing if timing else ()
        self.timing = TimingChecker(rules, lexicon.flow.settings)

    def __bool__(self) -> bool:
        return bool(self.required.rules or self.timing.rules)

    def check(self, utterances: Sequence[UtteranceLike], *,
              agent: str | Sequence[str] | None = None, unknown_is_agent: bool = True,
              final: bool = True, now: float | None = None,
              locate: bool = True) -> CallFlowResult:
        """Check one conversation; see :meth:`RequiredChecker.check` for the options
        (``locate=False``: ``found`` stays empty, the rest is the same, sooner)."""
        timed = has_times(utterances)
        req = self.required.check(utterances, agent=agent, unknown_is_agent=unknown_is_agent,
                                  final=final, now=now, locate=locate, timed=timed)
        tim = self.timing.check(utterances, unknown_is_agent=unknown_is_agent, final=final,
                                timed=timed)
        hits = sorted([*req.hits, *tim.hits],
                      key=lambda f: (f.utterance if f.utterance is not None else -1,
                                     f.start if f.start is not None else 0.0))
        return CallFlowResult(checklist=req.checklist, hits=hits, found=req.found,
                              notes=[*req.notes, *tim.notes])
