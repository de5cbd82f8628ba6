"""Reading the results store: calls, transcripts, hits, failures and roll-ups.

:class:`StoreQueries` holds every read of :class:`phraseguard.calls.store.Store`
(which adds the writes); the reports build on these. Nothing here writes.

The roll-ups (per status, per agent, per rule, the worst calls) are SQL
aggregates over the indexes of :mod:`phraseguard.calls.schema`, not Python
loops over every row, so a store of 200,000 calls summarises in well under
two seconds. They give the numbers :func:`phraseguard.calls.scoring.summarize_agents`
and :func:`~phraseguard.calls.scoring.count_violations` give over the same
rows (``tests/calls/test_store_rollups.py`` checks it), ties included: a
rule's suggestion is the first one its deductions carry in call order, and an
agent's team the most common one, the earliest on a tie.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from phraseguard.calls.rows import (
    ALL_CALLS,
    CALL_COLUMNS,
    DEDUCTION_COUNT,
    FLOW_DIGEST_SUFFIX,
    HIT_COLUMNS,
    CallFilter,
    CallRow,
    FailureRow,
    HitRow,
    ListedCall,
    RunRow,
    deduction_of,
    hit_row,
)
from phraseguard.calls.scoring import (
    UNKNOWN_AGENT,
    AgentSummary,
    Deduction,
    ViolationCount,
)
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word

#: A call's agent as the roll-ups group it (no agent: "(unknown)").
AGENT_KEY = f"COALESCE(NULLIF(c.agent, ''), '{UNKNOWN_AGENT}')"
#: Whether call ``c`` was scored with call-flow rules (checked for its required items).
FLOW_CHECKED = f"(COALESCE(c.lexicon_digest, '') LIKE '%{FLOW_DIGEST_SUFFIX}')"
#: The order of calls in every report: by date (undated last), then id.
CALL_ORDER = "c.started IS NULL, c.started, c.id"


class StoreQueries:
    """The reads of a results store on one SQLite connection."""

    _conn: sqlite3.Connection
    path: Path

    def runs(self) -> list[RunRow]:
        rows = self._conn.execute(
            "SELECT id, started, finished, status, lexicon_digest, files, scored, skipped, "
            "failed FROM runs ORDER BY id"
        ).fetchall()
        return [RunRow(*r) for r in rows]

    def already_scored(self, content_hash: str, lexicon_digest: str) -> bool:
        """True when this file was scored successfully with this lexicon."""
        row = self._conn.execute(
            "SELECT 1 FROM calls WHERE content_hash = ? AND lexicon_digest = ? AND status = 'ok'",
            (content_hash, lexicon_digest),
        ).fetchone()
        return row is not None

    def call(self, pk: int) -> CallRow | None:
        row = self._conn.execute(
            f"SELECT {CALL_COLUMNS} FROM calls c WHERE c.id = ?", (pk,)
        ).fetchone()
        return CallRow(*row) if row else None

    def find_by_hash(self, content_hash: str) -> CallRow | None:
        row = self._conn.execute(
            f"SELECT {CALL_COLUMNS} FROM calls c WHERE c.content_hash = ?", (content_hash,)
        ).fetchone()
        return CallRow(*row) if row else None

    def calls(self, where: CallFilter = ALL_CALLS) -> list[CallRow]:
        """Calls matching ``where``, oldest call date first, then by id."""
        sql, args = where.where()
        rows = self._conn.execute(
            f"SELECT {CALL_COLUMNS} FROM calls c WHERE {sql} "
            f"ORDER BY {CALL_ORDER}",
            args,
        ).fetchall()
        return [CallRow(*r) for r in rows]

    def count_calls(self, where: CallFilter = ALL_CALLS) -> dict[str, int]:
        """Number of calls per status (ok, failed, in_progress) matching ``where``."""
        sql, args = where.where()
        rows = self._conn.execute(
            f"SELECT c.status, COUNT(*) FROM calls c WHERE {sql} GROUP BY c.status", args
        ).fetchall()
        return {"ok": 0, "failed": 0, "in_progress": 0, **dict(rows)}

    def transcript(self, call: int) -> Transcript:
        """The call's transcript as saved (words with times included)."""
        rows = self._conn.execute(
            "SELECT text, role, start_time, end_time, words, channel, line, line_offset "
            "FROM utterances "
            "WHERE call = ? ORDER BY idx",
            (call,),
        ).fetchall()
        meta = self._conn.execute(
            "SELECT path, duration FROM calls WHERE id = ?", (call,)
        ).fetchone()
        utts = [
            Utterance(
                text=text,
                role=Role(role),
                start=start,
                end=end,
                words=tuple(Word(*w) for w in json.loads(words)),
                channel=channel,
                line=line,
                offset=offset,
            )
            for text, role, start, end, words, channel, line, offset in rows
        ]
        return Transcript(utts, source=(meta[0] or "") if meta else "", duration=meta and meta[1])

    def hits(
        self,
        where: CallFilter = ALL_CALLS,
        *,
        call: int | None = None,
        rule: str | None = None,
        counted: bool | None = None,
    ) -> list[HitRow]:
        """Hits in call-date, call, utterance, hit order; ``counted=True`` for deductions only."""
        sql, args = where.where()
        if call is not None:
            sql += " AND h.call = ?"
            args.append(call)
        if rule is not None:
            sql += " AND h.rule_id = ?"
            args.append(rule)
        if counted is not None:
            sql += " AND h.counted = ?"
            args.append(int(counted))
        rows = self._conn.execute(
            f"SELECT {HIT_COLUMNS} FROM hits h JOIN calls c ON c.id = h.call "
            f"JOIN utterances u ON u.id = h.utterance WHERE {sql} "
            f"ORDER BY {CALL_ORDER}, h.utterance_idx, h.hit_idx",
            args,
        ).fetchall()
        return [hit_row(r) for r in rows]

    def deductions(
        self, where: CallFilter = ALL_CALLS, *, call: int | None = None
    ) -> dict[int, list[Deduction]]:
        """Counted hits as scoring :class:`Deduction` values, grouped by call id."""
        out: dict[int, list[Deduction]] = {}
        for h in self.hits(where, call=call, counted=True):
            out.setdefault(h.call, []).append(deduction_of(h))
        return out

    def failures(self, where: CallFilter = ALL_CALLS) -> list[FailureRow]:
        sql, args = where.where()
        rows = self._conn.execute(
            "SELECT f.call, c.call_id, c.path, c.agent, f.stage, f.error_type, f.message, "
            f"f.created FROM failures f JOIN calls c ON c.id = f.call WHERE {sql} "
            "ORDER BY c.path, f.id",
            args,
        ).fetchall()
        return [FailureRow(*r) for r in rows]

    # -- what the HTML report reads, lean: 200,000 calls without their words --

    def call_list(self, where: CallFilter = ALL_CALLS) -> Iterator[ListedCall]:
        """The matching calls in report order, without their transcripts."""
        sql, args = where.where()
        for row in self._conn.execute(
            "SELECT c.id, c.call_id, c.agent, c.team, c.started, c.status, c.score, "
            f"{DEDUCTION_COUNT}, c.duration, c.agent_talk_seconds, c.source, c.path, "
            f"c.audio_path, c.failure, {FLOW_CHECKED} FROM calls c WHERE {sql} "
            f"ORDER BY {CALL_ORDER}",
            args,
        ):
            yield ListedCall._make(row)

    def missing_items(self, where: CallFilter = ALL_CALLS) -> Iterator[tuple[int, str]]:
        """``(call id, rule id)`` of every required item (call flow) the matching calls
        missed: their hits of kind ``missing``."""
        sql, args = where.where()
        yield from self._conn.execute(
            "SELECT h.call, h.rule_id FROM hits h JOIN calls c ON c.id = h.call "
            f"WHERE h.kind = 'missing' AND {sql}",
            args,
        )

    def rule_texts(self, where: CallFilter = ALL_CALLS) -> list[tuple]:
        """``(rule id, message, severity, category, suggestions JSON)`` of each rule with
        hits in the matching calls: a counted hit's, when the rule has one."""
        sql, args = where.where()
        return self._conn.execute(
            "SELECT h.rule_id, h.message, h.severity, h.category, h.suggestions, "
            f"MAX(h.counted) FROM hits h JOIN calls c ON c.id = h.call WHERE {sql} "
            "GROUP BY h.rule_id ORDER BY h.rule_id",
            args,
        ).fetchall()

    def deduction_points(self, where: CallFilter = ALL_CALLS) -> Iterator[tuple[int, str, float]]:
        """``(call id, rule id, points)`` of every counted hit of the matching calls."""
        sql, args = where.where()
        yield from self._conn.execute(
            "SELECT h.call, h.rule_id, h.points FROM hits h JOIN calls c ON c.id = h.call "
            f"WHERE h.counted AND {sql}",
            args,
        )

    def utterance_texts(self, calls: Sequence[int]) -> Iterator[tuple]:
        """``(call id, role, start, end, text)`` of these calls' utterances, by call and index."""
        yield from self._conn.execute(
            "SELECT call, role, start_time, end_time, text FROM utterances "
            "WHERE call IN (SELECT value FROM json_each(?)) ORDER BY call, idx",
            (json.dumps(list(calls)),),
        )

    def mean_score(self, where: CallFilter = ALL_CALLS) -> float | None:
        """The mean score of the finished (``ok``) calls matching ``where``."""
        sql, args = where.where()
        return self._conn.execute(
            f"SELECT AVG(c.score) FROM calls c WHERE c.status = 'ok' AND c.score IS NOT NULL "
            f"AND {sql}", args,
        ).fetchone()[0]

    def worst_calls(self, where: CallFilter = ALL_CALLS, *, limit: int = 5) -> list[CallRow]:
        """The ``limit`` lowest-scoring finished calls that lost points (ties by call id)."""
        sql, args = where.where()
        rows = self._conn.execute(
            f"SELECT {CALL_COLUMNS} FROM calls c WHERE c.status = 'ok' AND c.score IS NOT NULL "
            f"AND {DEDUCTION_COUNT} > 0 AND {sql} ORDER BY c.score, c.call_id, c.id LIMIT ?",
            [*args, limit],
        ).fetchall()
        return [CallRow(*r) for r in rows]

    def agent_summaries(
        self, where: CallFilter = ALL_CALLS, *, top: int = 3
    ) -> list[AgentSummary]:
        """Per-agent roll-up of the finished (``ok``) calls matching ``where``, lowest first."""
        return self.rollups(where, top=top)[0]

    def rule_counts(
        self, where: CallFilter = ALL_CALLS, *, limit: int | None = None
    ) -> list[ViolationCount]:
        """The most frequent violations (counted hits) with their suggestion."""
        return self.rollups(where, limit=limit)[1]

    def rollups(
        self, where: CallFilter = ALL_CALLS, *, top: int = 3, limit: int | None = None
    ) -> tuple[list[AgentSummary], list[ViolationCount]]:
        """:meth:`agent_summaries` and :meth:`rule_counts` together, in one pass each
        over the calls and the deductions."""
        sql, args = where.where()
        # Grouped by the raw columns, in the order of the calls_report index
        # (no sort); agents without a name are merged into "(unknown)" here.
        stats: dict[str, list] = {}
        teams: dict[str, dict[str, int]] = defaultdict(dict)
        for agent, team, n, total, low, talk in self._conn.execute(
            "SELECT c.agent, c.team, COUNT(*), SUM(COALESCE(c.score, 0)), "
            "MIN(COALESCE(c.score, 0)), SUM(COALESCE(c.agent_talk_seconds, 0)) FROM calls c "
            f"WHERE c.status = 'ok' AND {sql} GROUP BY c.agent, c.team",
            args,
        ):
            agent = agent or UNKNOWN_AGENT
            s = stats.setdefault(agent, [0, 0.0, low, 0.0])
            s[0] += n
            s[1] += total
            s[2] = min(s[2], low)
            s[3] += talk
            if team:
                teams[agent][team] = teams[agent].get(team, 0) + n
        by_agent, overall = self._deduction_rollup(where)
        agents = []
        for agent, (calls, total, low, talk) in stats.items():
            rules = by_agent.get(agent, {})
            hits = sum(n for n, _, _ in rules.values())
            agents.append(AgentSummary(
                agent=agent, team=self._most_common_team(where, agent, teams.get(agent, {})),
                calls=calls, mean_score=total / calls, min_score=low, talk_seconds=talk,
                hits=hits, hits_per_hour=hits / (talk / 3600.0) if talk > 0 else None,
                top_violations=tuple(self._ranked(where, rules, agent=agent, limit=top)),
            ))  # fmt: skip
        agents.sort(key=lambda a: (a.mean_score, a.agent))
        return agents, self._ranked(where, overall, agent=None, limit=limit)

    # -- roll-up helpers ---------------------------------------------------

    def _most_common_team(self, where: CallFilter, agent: str, counts: dict[str, int]
                          ) -> str | None:
        """The agent's most common team over their finished calls (the earliest on a tie)."""
        if not counts:
            return None
        most = max(counts.values())
        tied = [t for t, n in counts.items() if n == most]
        if len(tied) > 1:  # rare: ask which of them came first
            sql, args = where.where()
            tied = [self._conn.execute(
                f"SELECT c.team FROM calls c WHERE c.status = 'ok' AND {AGENT_KEY} = ? "
                f"AND c.team IN (SELECT value FROM json_each(?)) AND {sql} "
                f"ORDER BY {CALL_ORDER} LIMIT 1",
                [agent, json.dumps(tied), *args],
            ).fetchone()[0]]  # fmt: skip
        return tied[0]

    def _deduction_rollup(self, where: CallFilter) -> tuple[
            dict[str, dict[str, tuple[int, float, set[str]]]],
            dict[str, tuple[int, float, set[str]]]]:
        """The counted hits as ``{rule: (count, points, suggestions seen)}``: per agent
        over finished calls, and over every call matching ``where``.

        One pass over the covering index ``hits_deductions``. Over a whole
        store the hits lead (CROSS JOIN fixes SQLite's order: the other way
        round is five times slower without ANALYZE statistics); with a
        filter the planner starts from the calls it selects.
        """
        sql, args = where.where()
        join = "hits h CROSS JOIN calls c" if sql == "1" else "hits h JOIN calls c"
        by_agent: dict[str, dict[str, tuple[int, float, set[str]]]] = defaultdict(dict)
        overall: dict[str, tuple[int, float, set[str]]] = {}

        def add(into: dict, rule: str, n: int, points: float, first: str) -> None:
            count, total, seen = into.get(rule, (0, 0.0, set()))
            into[rule] = (count + n, total + points, seen | ({first} if first else set()))

        # Grouped by the raw agent column: an expression in the key (no name
        # as "(unknown)") makes SQLite's sort three times slower; merged here.
        for ok, agent, rule, suggestions, n, points in self._conn.execute(
            "SELECT c.status = 'ok', c.agent, h.rule_id, h.suggestions, COUNT(*), "
            f"SUM(h.points) FROM {join} ON c.id = h.call WHERE h.counted AND {sql} "
            "GROUP BY c.status = 'ok', c.agent, h.rule_id, h.suggestions",
            args,
        ):
            first = (json.loads(suggestions) or [""])[0]
            add(overall, rule, n, points, first)
            if ok:
                add(by_agent[agent or UNKNOWN_AGENT], rule, n, points, first)
        return by_agent, overall

    def _ranked(self, where: CallFilter, rules: dict[str, tuple[int, float, set[str]]], *,
                agent: str | None, limit: int | None) -> list[ViolationCount]:
        ranked = sorted(rules.items(), key=lambda kv: (-kv[1][0], kv[0]))
        if limit is not None:
            ranked = ranked[:limit]
        out = []
        for rule, (count, points, seen) in ranked:
            suggestion = next(iter(seen)) if len(seen) == 1 else ""
            if len(seen) > 1:  # the lexicon changed between runs: the first one said
                suggestion = self._first_suggestion(where, rule, agent)
            out.append(ViolationCount(rule, count, points, suggestion))
        return out

    def _first_suggestion(self, where: CallFilter, rule: str, agent: str | None) -> str:
        sql, args = where.where()
        extra, more = ("", []) if agent is None else (
            f"c.status = 'ok' AND {AGENT_KEY} = ? AND ", [agent])
        row = self._conn.execute(
            "SELECT json_extract(h.suggestions, '$[0]') FROM hits h JOIN calls c "
            f"ON c.id = h.call WHERE h.counted AND h.rule_id = ? AND {extra}"
            f"COALESCE(json_extract(h.suggestions, '$[0]'), '') != '' AND {sql} "
            f"ORDER BY {CALL_ORDER}, h.utterance_idx, h.hit_idx LIMIT 1",
            [rule, *more, *args],
        ).fetchone()
        return row[0] if row else ""
