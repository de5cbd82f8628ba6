"""The values the results store reads and writes: who took a call, rows, filters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

from phraseguard.calls.scoring import Deduction
from phraseguard.engine.hit import Severity
from phraseguard.speech.transcript import Role


@dataclass(frozen=True)
class CallMeta:
    """Who took a call and when: from a manifest, a filename or the live command."""

    call_id: str
    agent: str | None = None
    team: str | None = None
    date: str | None = None  # ISO date or datetime of the call


@dataclass(frozen=True)
class CallRow:
    """One row of ``calls``; ``hits`` is the number of COUNTED hits (deductions)."""

    pk: int
    call_id: str
    source: str
    path: str | None
    audio_path: str | None
    content_hash: str | None
    agent: str | None
    team: str | None
    date: str | None
    duration: float | None
    agent_talk_seconds: float | None
    status: str
    failure: str | None
    score: float | None
    score_start: float | None
    lexicon_digest: str | None
    lexicon_source: str | None
    model: str | None
    run_id: int | None
    created: str
    finished: str | None
    hits: int


class ListedCall(NamedTuple):
    """One call as the HTML report lists it (no transcript): see ``StoreQueries.call_list``."""

    pk: int
    call_id: str
    agent: str | None
    team: str | None
    date: str | None
    status: str
    score: float | None
    hits: int  # counted hits (deductions)
    duration: float | None
    agent_talk_seconds: float | None
    source: str
    path: str | None
    audio_path: str | None
    failure: str | None
    flow_checked: int  # 1: scored with call-flow rules (its lexicon digest ends "+flow")


@dataclass(frozen=True)
class HitRow:
    """One hit with its call's identity, ready for a report line."""

    pk: int
    call: int  # calls.id
    call_id: str
    agent: str | None
    team: str | None
    date: str | None
    utterance: int  # index in the call's transcript
    hit: int  # index in the utterance's hit list
    role: Role
    rule_id: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]
    phrase: str
    matched: str
    normalized: str
    kind: str
    confidence: float
    char_start: int
    char_end: int
    time_start: float | None
    time_end: float | None
    counted: bool
    points: float
    reason: str | None

    @property
    def suggestion(self) -> str:
        return self.suggestions[0] if self.suggestions else ""


@dataclass(frozen=True)
class FailureRow:
    """Why one call could not be scored."""

    call: int
    call_id: str
    path: str | None
    agent: str | None
    stage: str
    error_type: str
    message: str
    created: str


@dataclass(frozen=True)
class RunRow:
    pk: int
    started: str
    finished: str | None
    status: str
    lexicon_digest: str | None
    files: int
    scored: int
    skipped: int
    failed: int


#: Ends the lexicon digest of a call scored with call-flow rules (a checked call):
#: scored without them is another result, so switching them on scores it again.
FLOW_DIGEST_SUFFIX = "+flow"

#: The number of deductions of call ``c`` (read from the ``hits_deductions`` index).
DEDUCTION_COUNT = "(SELECT COUNT(*) FROM hits h WHERE h.call = c.id AND h.counted)"

CALL_COLUMNS = (
    "c.id, c.call_id, c.source, c.path, c.audio_path, c.content_hash, c.agent, c.team, "
    "c.started, c.duration, c.agent_talk_seconds, c.status, c.failure, c.score, "
    "c.score_start, c.lexicon_digest, c.lexicon_source, c.model, c.run_id, c.created, "
    f"c.finished, {DEDUCTION_COUNT}"
)

HIT_COLUMNS = (
    "h.id, h.call, c.call_id, c.agent, c.team, c.started, h.utterance_idx, h.hit_idx, u.role, "
    "h.rule_id, h.category, h.severity, h.message, h.suggestions, h.phrase, h.matched, "
    "h.normalized, h.kind, h.confidence, h.char_start, h.char_end, h.time_start, "
    "h.time_end, h.counted, h.points, h.reason"
)


@dataclass(frozen=True)
class CallFilter:
    """Which calls a query covers; every field left None means "all".

    ``since``/``until`` compare with the call's date as ISO text, inclusive
    (``until="2024-05-31"`` includes calls of that day with a time part).
    """

    ids: tuple[int, ...] | None = None
    agent: str | None = None
    team: str | None = None
    since: str | None = None
    until: str | None = None
    status: str | None = None

    def where(self, alias: str = "c") -> tuple[str, list]:
        clauses: list[str] = []
        args: list = []
        if self.ids is not None:
            if not self.ids:
                return "0", []
            # One parameter however many ids: a batch of 200,000 calls would
            # pass SQLite's limit on bound parameters as "?, ?, ...".
            clauses.append(f"{alias}.id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(list(self.ids)))
        for column, value in (("agent", self.agent), ("team", self.team), ("status", self.status)):
            if value is not None:
                clauses.append(f"{alias}.{column} = ?")
                args.append(value)
        if self.since is not None:
            clauses.append(f"{alias}.started >= ?")
            args.append(self.since)
        if self.until is not None:
            # "2024-05-31" < "2024-05-31T10:00" as text; the high sentinel
            # makes the whole day count.
            clauses.append(f"{alias}.started <= ?")
            args.append(self.until + "\uffff")
        return (" AND ".join(clauses) or "1"), args


#: The filter that selects every call (the default of every query).
ALL_CALLS = CallFilter()


def hit_row(r: tuple) -> HitRow:
    """A :class:`HitRow` from a row of ``HIT_COLUMNS``."""
    r = list(r)
    r[8] = Role(r[8])
    r[11] = Severity.parse(r[11])
    r[13] = tuple(json.loads(r[13]))
    r[23] = bool(r[23])
    return HitRow(*r)


def deduction_of(h: HitRow) -> Deduction:
    """A counted hit as the scoring :class:`Deduction` it was saved from."""
    return Deduction(
        rule_id=h.rule_id,
        points=h.points,
        utterance=h.utterance,
        hit=h.hit,
        time=h.time_start,
        matched=h.matched,
        suggestion=h.suggestion,
        reason=h.reason or "",
    )
