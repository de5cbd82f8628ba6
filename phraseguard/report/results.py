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

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from phraseguard.calls.rows import FLOW_DIGEST_SUFFIX
from phraseguard.calls.scoring import UNKNOWN_AGENT, AgentSummary, ViolationCount
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
    # The lexicon's required items (call flow), so an item no call missed
    # still shows on the checklist.
    required: tuple[str, ...] = ()

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

    @cached_property
    def _checklists(self) -> tuple[dict[int, dict[str, bool]], dict[str, dict[str, float]]]:
        return call_checklists(self.calls, self.hits, self.required)

    @property
    def checklist(self) -> dict[int, dict[str, bool]]:
        """Call flow (scored with --call-flow): required item -> said, per call id."""
        return self._checklists[0]

    @property
    def item_rates(self) -> dict[str, dict[str, float]]:
        """The share of an agent's checked calls in which each required item was said."""
        return self._checklists[1]

    @property
    def required_items(self) -> list[str]:
        """The required items any call was checked for, in first-seen order."""
        out: list[str] = []
        for items in self.checklist.values():
            out.extend(i for i in items if i not in out)
        return out

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


def call_checklists(calls: list[CallRow], hits: list[HitRow], required: Sequence[str] = ()
                    ) -> tuple[dict[int, dict[str, bool]], dict[str, dict[str, float]]]:
    """Per-call checklist and per-agent rates of each required item.

    A call was checked when it was scored with call-flow rules; an item is
    missing when the call has a "missing" hit for it, said otherwise. Items
    are ``required`` (the lexicon's) plus any item some call missed.
    """
    items = list(required)
    missing: dict[int, set[str]] = {}
    for h in hits:
        if h.kind == "missing":
            missing.setdefault(h.call, set()).add(h.rule_id)
            if h.rule_id not in items:
                items.append(h.rule_id)
    checklist: dict[int, dict[str, bool]] = {}
    per_agent: dict[str, list[dict[str, bool]]] = {}
    for c in calls:
        if c.status != "ok" or not (c.lexicon_digest or "").endswith(FLOW_DIGEST_SUFFIX):
            continue
        said = {i: i not in missing.get(c.pk, set()) for i in items}
        checklist[c.pk] = said
        per_agent.setdefault(c.agent or UNKNOWN_AGENT, []).append(said)
    rates = {agent: {i: sum(s[i] for s in rows) / len(rows) for i in items}
             for agent, rows in per_agent.items()}
    return checklist, rates


def load_results(store: Store, where: CallFilter | None = None, *,
                 required: Sequence[str] = ()) -> ScoreResults:
    """Read the summary of the calls matching ``where`` (all by default).

    ``required`` names the lexicon's required items, so an item no call
    missed still shows on the checklist.
    """
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
        required=tuple(required),
    )
