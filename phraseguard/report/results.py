"""What the score reports show, read from the results store.

``phraseguard score`` and ``phraseguard report`` both build a
:class:`ScoreResults` from the store and hand it to a writer, so the summary
after a batch and the one printed later from the store are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from phraseguard.calls.scoring import UNKNOWN_AGENT, AgentSummary, ViolationCount
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
    # Call flow (scored with --call-flow): required item -> said, per call id,
    # and the share of an agent's checked calls in which each item was said.
    checklist: dict[int, dict[str, bool]] = field(default_factory=dict)
    item_rates: dict[str, dict[str, float]] = field(default_factory=dict)

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


FLOW_DIGEST_SUFFIX = "+flow"  # calls/run.py marks calls scored with call-flow rules


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
    """Read the calls matching ``where`` (all by default) and what reports say of them.

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
    calls = store.calls(where)
    hits = store.hits(where)
    checklist, rates = call_checklists(calls, hits, required)
    return ScoreResults(
        store=str(store.path),
        calls=calls,
        hits=hits,
        checklist=checklist,
        item_rates=rates,
        agents=store.agent_summaries(where),
        violations=store.rule_counts(where, limit=TOP_VIOLATIONS),
        failures=store.failures(where),
        filters=filters,
    )
