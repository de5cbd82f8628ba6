"""Reading the results store: calls, transcripts, hits, failures and roll-ups.

:class:`StoreQueries` holds every read of :class:`phraseguard.calls.store.Store`
(which adds the writes); the reports build on these. Nothing here writes.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from phraseguard.calls.rows import (
    ALL_CALLS,
    CALL_COLUMNS,
    HIT_COLUMNS,
    CallFilter,
    CallRow,
    FailureRow,
    HitRow,
    RunRow,
    deduction_of,
    hit_row,
)
from phraseguard.calls.scoring import (
    AgentSummary,
    CallSummaryInput,
    Deduction,
    ViolationCount,
    count_violations,
    summarize_agents,
)
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word


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
            "ORDER BY c.started IS NULL, c.started, c.id",
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
            "ORDER BY c.started IS NULL, c.started, c.id, h.utterance_idx, h.hit_idx",
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

    def agent_summaries(
        self, where: CallFilter = ALL_CALLS, *, top: int = 3
    ) -> list[AgentSummary]:
        """Per-agent roll-up of the finished (``ok``) calls matching ``where``."""
        ok = CallFilter(where.ids, where.agent, where.team, where.since, where.until, "ok")
        deductions = self.deductions(ok)
        return summarize_agents(
            (
                CallSummaryInput(
                    agent=c.agent,
                    team=c.team,
                    score=c.score if c.score is not None else 0.0,
                    agent_talk_seconds=c.agent_talk_seconds or 0.0,
                    deductions=deductions.get(c.pk, ()),
                )
                for c in self.calls(ok)
            ),
            top=top,
        )

    def rule_counts(
        self, where: CallFilter = ALL_CALLS, *, limit: int | None = None
    ) -> list[ViolationCount]:
        """The most frequent violations (counted hits) with their suggestion."""
        return count_violations(
            (deduction_of(h) for h in self.hits(where, counted=True)), limit=limit
        )
