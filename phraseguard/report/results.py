"""What the score reports show, read from the results store.

``phraseguard score`` and ``phraseguard report`` both build a
:class:`ScoreResults` from the store and hand it to a writer, so the summary
after a batch and the one printed later from the store are the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phraseguard.calls.scoring import AgentSummary, ViolationCount
from phraseguard.calls.store import CallFilter, CallRow, FailureRow, HitRow, Store

#: How many of the lowest-scoring calls and most frequent violations to show.
WORST_CALLS = 5
TOP_VIOLATIONS = 10


@dataclass(frozen=True)
class ScoreResults:
    """Everything a score report shows; built by :func:`load_results`."""

    store: str
    calls: list[CallRow]  # every matching call: ok, failed and in progress
    hits: list[HitRow]  # every hit, counted (deductions) or not
    agents: list[AgentSummary]  # lowest mean score first
    violations: list[ViolationCount]  # most frequent first, counted hits only
    failures: list[FailureRow]
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def scored(self) -> list[CallRow]:
        return [c for c in self.calls if c.status == "ok"]

    @property
    def in_progress(self) -> list[CallRow]:
        return [c for c in self.calls if c.status == "in_progress"]

    @property
    def mean_score(self) -> float | None:
        scores = [c.score for c in self.scored if c.score is not None]
        return sum(scores) / len(scores) if scores else None

    def worst_calls(self, n: int = WORST_CALLS) -> list[CallRow]:
        """The n lowest-scoring finished calls that lost points."""
        lost = [c for c in self.scored if c.score is not None and c.hits]
        return sorted(lost, key=lambda c: (c.score, c.call_id, c.pk))[:n]

    def deductions_of(self, call: int) -> list[HitRow]:
        return [h for h in self.hits if h.call == call and h.counted]


def load_results(store: Store, where: CallFilter | None = None) -> ScoreResults:
    """Read the calls matching ``where`` (all by default) and what reports say of them."""
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
    return ScoreResults(
        store=str(store.path),
        calls=store.calls(where),
        hits=store.hits(where),
        agents=store.agent_summaries(where),
        violations=store.rule_counts(where, limit=TOP_VIOLATIONS),
        failures=store.failures(where),
        filters=filters,
    )
