"""What the score reports show, read from the results store.

``phraseguard score`` and ``phraseguard report`` both build a
:class:`ScoreResults` from the store and hand it to a writer, so the summary
after a batch and the one printed later from the store are the same.

The summary (counts, mean, agents, worst calls, violations, failures) is read
at once with SQL roll-ups, which stay fast for a month of a large centre
(200,000 calls). Every call and every hit (:attr:`ScoreResults.calls`,
:attr:`ScoreResults.hits`, which the JSON and CSV files list) are read only
when a writer asks for them, from the same store and filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from phraseguard.calls.scoring import AgentSummary, ViolationCount
from phraseguard.calls.store import CallFilter, CallRow, FailureRow, HitRow, Store

#: How many of the lowest-scoring calls and most frequent violations to show.
WORST_CALLS = 5
TOP_VIOLATIONS = 10


@dataclass(frozen=True)
class ScoreResults:
    """Everything a score report shows; built by :func:`load_results`."""

    store: str
    where: CallFilter
    counts: dict[str, int]  # calls per status: ok, failed, in_progress
    mean_score: float | None  # over finished calls
    agents: list[AgentSummary]  # lowest mean score first
    violations: list[ViolationCount]  # most frequent first, counted hits only
    worst: list[CallRow]  # the WORST_CALLS lowest-scoring calls that lost points
    worst_deductions: dict[int, list[HitRow]]  # their deductions, by call id
    failures: list[FailureRow]
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Number of calls matching the filter (any status)."""
        return sum(self.counts.values())

    @cached_property
    def calls(self) -> list[CallRow]:
        """Every matching call (ok, failed, in progress), in report order; read on first use."""
        with Store.open(self.store, create=False) as store:
            return store.calls(self.where)

    @cached_property
    def hits(self) -> list[HitRow]:
        """Every hit of the matching calls, counted or not; read on first use."""
        with Store.open(self.store, create=False) as store:
            return store.hits(self.where)

    @property
    def scored(self) -> list[CallRow]:
        return [c for c in self.calls if c.status == "ok"]

    @property
    def in_progress(self) -> list[CallRow]:
        return [c for c in self.calls if c.status == "in_progress"]

    def worst_calls(self, n: int = WORST_CALLS) -> list[CallRow]:
        """The n lowest-scoring finished calls that lost points (n <= WORST_CALLS)."""
        return self.worst[:n]

    def deductions_of(self, call: int) -> list[HitRow]:
        """A call's deductions (read once for the worst calls, else from :attr:`hits`)."""
        if call in self.worst_deductions:
            return self.worst_deductions[call]
        return [h for h in self.hits if h.call == call and h.counted]


def load_results(store: Store, where: CallFilter | None = None) -> ScoreResults:
    """Read the summary of the calls matching ``where`` (all by default)."""
    where = where or CallFilter()
    filters = {
        k: str(v)
        for k, v in (
            ("agent", where.agent),
            ("team", where.team),
            ("since", where.since),
            ("until", where.until),
        )
        if v is not None
    }
    worst = store.worst_calls(where, limit=WORST_CALLS)
    agents, violations = store.rollups(where, limit=TOP_VIOLATIONS)
    return ScoreResults(
        store=str(store.path),
        where=where,
        counts=store.count_calls(where),
        mean_score=store.mean_score(where),
        agents=agents,
        violations=violations,
        worst=worst,
        worst_deductions={c.pk: store.hits(call=c.pk, counted=True) for c in worst},
        failures=store.failures(where),
        filters=filters,
    )
