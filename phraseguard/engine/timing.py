"""Timing rules: dead air, talk-over, fast speech and a slow start, from times.

Only a conversation with times (a recording, Vosk JSON) can be timed; a
plain-text transcript is skipped with a note, never an error. Speech is read
from word times where the recogniser gave them (utterance times otherwise)
and words closer than ``[callflow] join_gap`` seconds form one stretch of
speech. The four checks (thresholds in the lexicon's ``[[timing]]`` tables):

- **dead air**: after the customer stops, nobody speaks for more than
  ``seconds`` before the agent answers (needs both parties);
- **talk-over**: the agent starts speaking while the customer is speaking and
  both go on together for more than ``seconds`` (needs both parties, i.e. a
  stereo recording or a transcript with roles and times);
- **fast speech**: an agent turn of at least ``min_seconds`` of speech runs at
  more than ``chars_per_minute`` (characters without spaces or punctuation,
  per minute of the turn's utterances);
- **slow start**: the agent's first word comes more than ``seconds`` after
  the call starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from phraseguard.engine.conversation import (
    AGENT,
    CUSTOMER,
    FlowHit,
    UtteranceLike,
    has_times,
    role_of,
    speech_spans,
    turns,
)
from phraseguard.engine.flowrules import CallFlowSettings, TimingRule
from phraseguard.engine.hit import Hit, MatchKind

NO_TIMES = "timing rules skipped: the transcript has no times (plain text)"
ONE_PARTY = "dead air and talk-over skipped: only one party's speech (they need stereo or roles)"


@dataclass(frozen=True)
class Stretch:
    """Continuous speech of one role, in seconds; ``utterance`` is where it starts."""

    role: str
    start: float
    end: float
    utterance: int


@dataclass(frozen=True)
class TimingResult:
    hits: list[FlowHit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def stretches(utterances: Sequence[UtteranceLike], role: str, *, join_gap: float,
              unknown_is_agent: bool = True) -> list[Stretch]:
    """The role's speech as stretches: its words, joined across short pauses."""
    spans: list[tuple[float, float, int]] = []
    for i, u in enumerate(utterances):
        if role_of(u, unknown_is_agent=unknown_is_agent) == role:
            spans.extend((s, e, i) for s, e in speech_spans(u))
    spans.sort()
    out: list[Stretch] = []
    for s, e, i in spans:
        if out and s - out[-1].end <= join_gap:
            last = out[-1]
            out[-1] = Stretch(role, last.start, max(last.end, e), last.utterance)
        else:
            out.append(Stretch(role, s, e, i))
    return out


class TimingChecker:
    """Applies a lexicon's timing rules to conversations. Build once."""

    def __init__(self, rules: Sequence[TimingRule], settings: CallFlowSettings) -> None:
        self.rules = tuple(rules)
        self.settings = settings

    def check(self, utterances: Sequence[UtteranceLike], *,
              unknown_is_agent: bool = True, final: bool = True,
              timed: bool | None = None) -> TimingResult:
        """Timing events of one conversation, in time order.

        ``final=False`` (a call still going on) leaves out fast speech for the
        agent's last turn, which may not have ended. ``timed``:
        :func:`has_times` of the utterances, when the caller knows it.
        """
        if not self.rules:
            return TimingResult()
        if not (has_times(utterances) if timed is None else timed):
            return TimingResult(notes=[NO_TIMES])
        gap = self.settings.join_gap
        agent = stretches(utterances, AGENT, join_gap=gap, unknown_is_agent=unknown_is_agent)
        customer = stretches(utterances, CUSTOMER, join_gap=gap,
                             unknown_is_agent=unknown_is_agent)
        hits: list[FlowHit] = []
        notes: list[str] = []
        for rule in self.rules:
            if rule.check in ("dead-air", "talk-over") and not (agent and customer):
                if ONE_PARTY not in notes:
                    notes.append(ONE_PARTY)
                continue
            if rule.check == "dead-air":
                hits.extend(_dead_air(rule, agent, customer))
            elif rule.check == "talk-over":
                hits.extend(_talk_over(rule, agent, customer, gap))
            elif rule.check == "slow-start":
                hits.extend(_slow_start(rule, agent))
            else:
                hits.extend(_fast_speech(rule, utterances, unknown_is_agent, final))
        hits.sort(key=lambda f: (f.start if f.start is not None else 0.0, f.rule_id))
        return TimingResult(hits=hits, notes=notes)


def _flow_hit(rule: TimingRule, reason: str, utterance: int, start: float, end: float,
              value: float) -> FlowHit:
    hit = Hit(rule_id=rule.id, category=rule.category, severity=rule.severity, message=reason,
              suggestions=rule.suggestions, phrase=rule.check, start=0, end=0, matched="",
              normalized="", kind=MatchKind.TIMING, confidence=1.0,
              extra={"rule_message": rule.message, "value": round(value, 3)})
    return FlowHit(hit=hit, utterance=utterance, start=round(start, 3), end=round(end, 3),
                   extra={"value": round(value, 3)})


def _dead_air(rule: TimingRule, agent: list[Stretch], customer: list[Stretch]) -> list[FlowHit]:
    limit = rule.seconds or 0.0
    out = []
    merged = sorted([*agent, *customer], key=lambda s: (s.start, s.end))
    last_end, last_role = None, None
    for s in merged:
        if (last_end is not None and s.role == AGENT and last_role == CUSTOMER
                and s.start - last_end > limit):
            wait = s.start - last_end
            out.append(_flow_hit(rule, f"dead air: the customer waited {wait:.1f} s for an "
                                       f"answer (limit {limit:g} s)",
                                 s.utterance, last_end, s.start, wait))
        if last_end is None or s.end >= last_end:
            last_end, last_role = s.end, s.role
    return out


def _talk_over(rule: TimingRule, agent: list[Stretch], customer: list[Stretch],
               join_gap: float) -> list[FlowHit]:
    limit = rule.seconds or 0.0
    out = []
    for a in agent:
        # Only the customer's speech that began first: the agent cut in.
        pieces = [(max(a.start, c.start), min(a.end, c.end)) for c in customer
                  if c.start < a.start < c.end]
        pieces = [(s, e) for s, e in pieces if e > s]
        if not pieces:
            continue
        start, end = pieces[0]
        for s, e in pieces[1:]:
            if s - end <= join_gap:
                end = max(end, e)
        length = end - start
        if length > limit:
            out.append(_flow_hit(rule, f"talk-over: the agent spoke over the customer for "
                                       f"{length:.1f} s (limit {limit:g} s)",
                                 a.utterance, start, end, length))
    return out


def _slow_start(rule: TimingRule, agent: list[Stretch]) -> list[FlowHit]:
    limit = rule.seconds or 0.0
    if not agent or agent[0].start <= limit:
        return []
    first = agent[0]
    return [_flow_hit(rule, f"slow start: the agent's first words came {first.start:.1f} s "
                            f"into the call (limit {limit:g} s)",
                      first.utterance, 0.0, first.start, first.start)]


def _chars(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def _fast_speech(rule: TimingRule, utterances: Sequence[UtteranceLike], unknown_is_agent: bool,
                 final: bool) -> list[FlowHit]:
    limit = rule.chars_per_minute or 0.0
    out = []
    agent_turns = [t for t in turns(utterances, unknown_is_agent=unknown_is_agent)
                   if t.role == AGENT]
    if not final and agent_turns:
        agent_turns = agent_turns[:-1]
    for t in agent_turns:
        timed = [utterances[i] for i in t.utterances
                 if utterances[i].start is not None and utterances[i].end is not None]
        seconds = sum(u.end - u.start for u in timed)
        if seconds <= 0 or seconds < rule.min_seconds:
            continue
        rate = sum(_chars(u.text) for u in timed) / (seconds / 60.0)
        if rate > limit:
            out.append(_flow_hit(rule, f"fast speech: {rate:.0f} characters a minute over a "
                                       f"turn (limit {limit:g})",
                                 t.utterances[0], timed[0].start, timed[-1].end, rate))
    return out
