"""Quality-inspection scoring: hits in, a call score with its reasons out.

The call-centre convention: a call starts at ``policy.start`` (100), each
violation the AGENT commits deducts its rule's points (resolved by severity in
the lexicon), and the score never drops below ``policy.floor``. Every lost
point is a :class:`Deduction` naming the rule, the utterance, the time and the
phrasing the agent should have used, so a supervisor can explain any score.

Pure: no I/O, no clock. This is the ONE place a score is computed: the batch
workers and the live session use :class:`Scorer`, and the store saves what it
is given (it never sums points itself). A live session scores utterance by
utterance with :meth:`Scorer.score_utterance`, and the running total is the
same number a batch gets for the whole call. The policy's numbers (start,
floor, min_confidence, points per severity) come from the lexicon, whose
defaults are ``lexicons/default.toml`` for every lexicon.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from phraseguard.engine.hit import Hit, one_per_span
from phraseguard.speech.transcript import Role, Transcript, Utterance


class _Policy(Protocol):
    start: float
    floor: float
    min_confidence: float


class _Rule(Protocol):
    id: str
    deduction: float


class _Lexicon(Protocol):
    """What scoring needs from :class:`phraseguard.engine.lexicon.Lexicon`."""

    rules: tuple[_Rule, ...]
    scoring: _Policy


@dataclass(frozen=True)
class Deduction:
    """Points lost for one hit, with everything needed to explain them."""

    rule_id: str
    points: float
    utterance: int  # index of the utterance in the transcript
    hit: int  # index of the hit in that utterance's hit list
    time: float | None  # seconds into the call, None for text
    matched: str
    suggestion: str
    reason: str  # one line a supervisor can read: rule, severity, message


@dataclass(frozen=True)
class HitVerdict:
    """What one hit cost: ``points`` when ``counted``, and why in one line either way."""

    counted: bool
    points: float
    reason: str


@dataclass(frozen=True)
class UtteranceScore:
    """One utterance as scored: whether its speech counts, a verdict per hit, the deductions."""

    counted: bool  # the agent's speech (scored), or not
    verdicts: tuple[HitVerdict, ...]  # one per hit, in hit order
    deductions: tuple[Deduction, ...]  # the counted hits, in hit order


@dataclass(frozen=True)
class CallScore:
    """The score of one call and every point it lost."""

    score: float
    start: float
    floor: float
    deductions: tuple[Deduction, ...]
    agent_talk_seconds: float  # seconds of counted (agent) speech, 0 for text
    ignored_hits: int = 0  # hits not counted: customer speech, low confidence, overlap
    utterances: tuple[UtteranceScore, ...] = ()  # one per utterance of the transcript

    @property
    def lost(self) -> float:
        """Points actually lost (the floor can make this less than the sum)."""
        return self.start - self.score


@dataclass(frozen=True)
class ViolationCount:
    """How often one rule was broken, and what to say instead."""

    rule_id: str
    count: int
    points: float
    suggestion: str


@dataclass(frozen=True)
class CallSummaryInput:
    """One scored call as :func:`summarize_agents` needs it (from the store or a batch)."""

    agent: str | None
    team: str | None
    score: float
    agent_talk_seconds: float
    deductions: Sequence[Deduction] = ()


@dataclass(frozen=True)
class AgentSummary:
    """Per-agent roll-up: the numbers a QA supervisor coaches from."""

    agent: str
    team: str | None
    calls: int
    mean_score: float
    min_score: float
    talk_seconds: float
    hits: int
    hits_per_hour: float | None  # None when there is no timed agent speech (text)
    top_violations: tuple[ViolationCount, ...] = field(default_factory=tuple)


UNKNOWN_AGENT = "(unknown)"


class Scorer:
    """Scores calls with one lexicon's deductions and policy.

    ``unknown_is_agent`` decides whether speech of UNKNOWN role (mono
    recordings, plain text lines) counts as the agent's. The default is True:
    a mono recording in a QA batch is normally the agent's side, and a call
    script is the agent's text. A stereo recording with ``--agent-channel``
    has explicit AGENT/CUSTOMER roles and is not affected.
    """

    def __init__(
        self,
        lexicon: _Lexicon,
        *,
        unknown_is_agent: bool = True,
    ) -> None:
        self.policy = lexicon.scoring
        self.unknown_is_agent = unknown_is_agent
        self._deduction: dict[str, float] = {r.id: float(r.deduction) for r in lexicon.rules}
        # Call-flow rules (missing greeting, dead air...) deduct the same way.
        flow = getattr(lexicon, "flow", None)
        for r in (*getattr(flow, "required", ()), *getattr(flow, "timing", ())):
            self._deduction[r.id] = float(r.deduction)

    def counts(self, utterance: Utterance) -> bool:
        """Whether this utterance's speech is scored (is the agent's)."""
        if utterance.role is Role.AGENT:
            return True
        return utterance.role is Role.UNKNOWN and self.unknown_is_agent

    def score_utterance(self, index: int, utterance: Utterance,
                        hits: Sequence[Hit]) -> UtteranceScore:
        """Score one utterance's hits: a verdict for each, deductions for those that count.

        Customer speech and hits below ``policy.min_confidence`` deduct
        nothing. When two hits overlap in the text (one occurrence matched by
        two rules, e.g. 我们不管 and 不管), only the costlier counts
        (:func:`phraseguard.engine.hit.one_per_span`): the agent said one
        thing and loses points for it once.
        """
        counted = self.counts(utterance)
        if not counted:
            verdict = HitVerdict(False, 0.0, "not counted: not the agent's speech")
            return UtteranceScore(False, tuple(verdict for _ in hits), ())
        confident = [i for i, h in enumerate(hits) if h.confidence >= self.policy.min_confidence]
        kept = {confident[k] for k in one_per_span([hits[i] for i in confident], self.points_for)}
        verdicts: list[HitVerdict] = []
        deductions: list[Deduction] = []
        for i, h in enumerate(hits):
            points = self.points_for(h)
            if i in kept:
                reason = (f"{h.rule_id} ({h.severity.label}, -{points:g}): {h.message}"
                          + (f" [why: {h.reason}]" if h.reason else ""))
                # A call-flow hit has no text span; it carries its place in time.
                span = h.extra.get("time") or utterance.time_of(h.start, h.end)
                deductions.append(Deduction(
                    rule_id=h.rule_id, points=points, utterance=index, hit=i,
                    time=span[0] if span else None, matched=h.matched,
                    suggestion=h.suggestion, reason=reason))
                verdicts.append(HitVerdict(True, points, reason))
            elif i in confident:
                verdicts.append(HitVerdict(False, 0.0, "not counted: overlaps a costlier hit"))
            else:
                verdicts.append(HitVerdict(
                    False, 0.0, f"not counted: confidence {h.confidence:.2f} is below "
                                f"min_confidence {self.policy.min_confidence:g}"))
        return UtteranceScore(True, tuple(verdicts), tuple(deductions))

    def deductions_for(
        self, index: int, utterance: Utterance, hits: Sequence[Hit]
    ) -> list[Deduction]:
        """The deductions of :meth:`score_utterance`, in hit order."""
        return list(self.score_utterance(index, utterance, hits).deductions)

    def points_for(self, hit: Hit) -> float:
        """The rule's deduction from the lexicon (0 for a rule it no longer has)."""
        return self._deduction.get(hit.rule_id, 0.0)

    def total(self, deductions: Iterable[Deduction]) -> float:
        """The score after these deductions, never below the floor."""
        lost = sum(d.points for d in deductions)
        return max(self.policy.floor, self.policy.start - lost)

    def talk_seconds(self, utterances: Iterable[Utterance]) -> float:
        """Seconds of scored (agent) speech; text has no times and counts 0."""
        return sum(
            max(0.0, u.end - u.start)
            for u in utterances
            if self.counts(u) and u.start is not None and u.end is not None
        )

    def score(self, transcript: Transcript, hits: Sequence[Sequence[Hit]]) -> CallScore:
        """Score a whole call; ``hits[i]`` are the matcher's hits for utterance i."""
        if len(hits) != len(transcript.utterances):
            raise ValueError(f"{len(hits)} hit lists for {len(transcript.utterances)} utterances")
        scored = tuple(
            self.score_utterance(i, utt, utt_hits)
            for i, (utt, utt_hits) in enumerate(zip(transcript.utterances, hits, strict=True))
        )
        deductions = tuple(d for u in scored for d in u.deductions)
        return CallScore(
            score=self.total(deductions),
            start=self.policy.start,
            floor=self.policy.floor,
            deductions=deductions,
            agent_talk_seconds=self.talk_seconds(transcript.utterances),
            ignored_hits=sum(len(h) for h in hits) - len(deductions),
            utterances=scored,
        )


def count_violations(
    deductions: Iterable[Deduction], *, limit: int | None = None
) -> list[ViolationCount]:
    """Rules by how often they were broken (ties by rule id), with a suggestion each."""
    counts: Counter[str] = Counter()
    points: dict[str, float] = {}
    suggestion: dict[str, str] = {}
    for d in deductions:
        counts[d.rule_id] += 1
        points[d.rule_id] = points.get(d.rule_id, 0.0) + d.points
        if d.suggestion and d.rule_id not in suggestion:
            suggestion[d.rule_id] = d.suggestion
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if limit is not None:
        ranked = ranked[:limit]
    return [ViolationCount(r, n, points[r], suggestion.get(r, "")) for r, n in ranked]


def summarize_agents(calls: Iterable[CallSummaryInput], *, top: int = 3) -> list[AgentSummary]:
    """Roll calls up per agent, lowest mean score first (who needs coaching).

    An agent's team is the team of their calls; when the calls disagree the
    most common one is shown. Calls without an agent roll up as "(unknown)".
    """
    groups: dict[str, list[CallSummaryInput]] = {}
    for c in calls:
        groups.setdefault(c.agent or UNKNOWN_AGENT, []).append(c)
    out = []
    for agent, cs in groups.items():
        talk = sum(c.agent_talk_seconds for c in cs)
        deds = [d for c in cs for d in c.deductions]
        teams = Counter(c.team for c in cs if c.team)
        out.append(
            AgentSummary(
                agent=agent,
                team=teams.most_common(1)[0][0] if teams else None,
                calls=len(cs),
                mean_score=sum(c.score for c in cs) / len(cs),
                min_score=min(c.score for c in cs),
                talk_seconds=talk,
                hits=len(deds),
                hits_per_hour=len(deds) / (talk / 3600.0) if talk > 0 else None,
                top_violations=tuple(count_violations(deds, limit=top)),
            )
        )
    out.sort(key=lambda a: (a.mean_score, a.agent))
    return out
