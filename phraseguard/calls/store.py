"""The SQLite results store: scored calls, their transcripts, hits and failures.

One file (``phraseguard.db`` by default) shared by the three writers and the
readers: the batch run saves a finished call in ONE transaction, a live
session opens a call ``in_progress`` and appends utterances as they are
spoken, and the reports (terminal, JSON, CSV, HTML) read it back without
rescoring.

The store saves what it is given: scores, points, which speech counts and
why a hit did not count all come from :class:`phraseguard.calls.scoring.Scorer`.
It never sums points itself, so there is one score, the Scorer's.

Durability: WAL journal with ``synchronous=FULL``, so a call whose transaction
committed survives a crash, a ``kill -9`` or a power cut, and a call whose
transaction did not commit leaves nothing behind. A batch call is never
``in_progress``; a live call stays ``in_progress`` (with everything said so
far) until :meth:`Store.finish_call`.

The parts: :mod:`~phraseguard.calls.schema` (the tables, opening and creating
the file), :mod:`~phraseguard.calls.rows` (the values), :mod:`~phraseguard.calls.queries`
(the reads) and this module (the writes).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from phraseguard.calls.queries import StoreQueries
from phraseguard.calls.rows import (
    CallFilter,
    CallMeta,
    CallRow,
    FailureRow,
    HitRow,
    ListedCall,
    RunRow,
)
from phraseguard.calls.schema import SCHEMA_VERSION, connect
from phraseguard.calls.scoring import CallScore, UtteranceScore
from phraseguard.engine.hit import Hit
from phraseguard.speech.transcript import Role, Transcript, Utterance

__all__ = ["SCHEMA_VERSION", "CallFilter", "CallMeta", "CallRow", "FailureRow", "HitRow",
           "ListedCall", "RunRow", "Store"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(StoreQueries):
    """A results store on one SQLite file. Use :meth:`open`; close with :meth:`close`.

    Not thread-safe: one Store per thread or process. Workers of a batch never
    open it; the parent process writes their results.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._suggestions: dict[tuple[str, ...], str] = {}  # suggestions -> their JSON

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open (and with ``create``, create) the store at ``path``.

        Raises InputError when the file is missing and ``create`` is False, is
        not an SQLite database, or was written by a newer phraseguard.
        """
        return cls(connect(path, create=create), Path(path))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so a concurrent writer
        # waits in busy_timeout instead of failing halfway through a call.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- runs ------------------------------------------------------------

    def start_run(self, *, lexicon_digest: str | None, lexicon_source: str | None) -> int:
        """Record the start of a batch run; returns its id."""
        with self._transaction() as c:
            cur = c.execute(
                "INSERT INTO runs (started, status, lexicon_digest, lexicon_source) "
                "VALUES (?, 'running', ?, ?)",
                (_now(), lexicon_digest, lexicon_source),
            )
            return int(cur.lastrowid)

    def finish_run(
        self, run_id: int, *, status: str, files: int, scored: int, skipped: int, failed: int
    ) -> None:
        """Close a run as ``complete`` or ``interrupted`` with its counts."""
        with self._transaction() as c:
            c.execute(
                "UPDATE runs SET finished = ?, status = ?, files = ?, scored = ?, skipped = ?, "
                "failed = ? WHERE id = ?",
                (_now(), status, files, scored, skipped, failed, run_id),
            )

    # -- batch writes: one transaction per call ----------------------------

    def save_call(
        self,
        meta: CallMeta,
        transcript: Transcript,
        hits: Sequence[Sequence[Hit]],
        score: CallScore,
        *,
        source: str,
        path: str | None,
        audio_path: str | None = None,
        content_hash: str | None = None,
        lexicon_digest: str | None = None,
        lexicon_source: str | None = None,
        model: str | None = None,
        run_id: int | None = None,
    ) -> int:
        """Save a scored call, its transcript and hits in ONE transaction.

        ``hits[i]`` are the hits of utterance i and ``score`` is
        :meth:`Scorer.score` of them (it says which speech counts and what
        each hit cost). A previous row for the same content (a rescore) or,
        for a file that could not be hashed, the same path is replaced in the
        same transaction, so a rerun never doubles a call. Returns the call's id.
        """
        if not len(hits) == len(transcript.utterances) == len(score.utterances):
            raise ValueError("one hit list and one utterance score per utterance")
        with self._transaction() as c:
            self._delete_previous(c, content_hash, path)
            pk = self._insert_call(
                c, meta, source=source, path=path, audio_path=audio_path,
                content_hash=content_hash, status="ok", score_start=score.start,
                score_floor=score.floor, lexicon_digest=lexicon_digest,
                lexicon_source=lexicon_source, model=model, run_id=run_id,
            )  # fmt: skip
            # Every hit of the call in one statement, after its utterances: a
            # call has a few hits (a missing greeting and closing on most).
            rows: list[tuple] = []
            for i, (utt, utt_hits, scored) in enumerate(
                zip(transcript.utterances, hits, score.utterances, strict=True)
            ):
                self._insert_utterance(c, pk, i, utt, utt_hits, scored, rows)
            if rows:
                c.executemany(_INSERT_HIT, rows)
            c.execute(
                "UPDATE calls SET score = ?, duration = ?, agent_talk_seconds = ?, finished = ? "
                "WHERE id = ?",
                (score.score, _duration(transcript), score.agent_talk_seconds, _now(), pk),
            )
        return pk

    def save_failure(
        self,
        meta: CallMeta,
        *,
        source: str,
        path: str | None,
        reason: str,
        error_type: str,
        stage: str,
        content_hash: str | None = None,
        audio_path: str | None = None,
        lexicon_digest: str | None = None,
        run_id: int | None = None,
    ) -> int:
        """Record a call that could not be scored, replacing an earlier attempt."""
        with self._transaction() as c:
            self._delete_previous(c, content_hash, path)
            pk = self._insert_call(
                c, meta, source=source, path=path, audio_path=audio_path,
                content_hash=content_hash, status="failed", failure=reason,
                lexicon_digest=lexicon_digest, run_id=run_id,
            )  # fmt: skip
            c.execute(
                "INSERT INTO failures (call, run_id, stage, error_type, message, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (pk, run_id, stage, error_type, reason, _now()),
            )
        return pk

    def update_meta(self, pk: int, meta: CallMeta) -> None:
        """Correct who took a call (a fixed manifest) without rescoring it."""
        with self._transaction() as c:
            c.execute(
                "UPDATE calls SET call_id = ?, agent = ?, team = ?, started = ? WHERE id = ?",
                (meta.call_id, meta.agent, meta.team, meta.date, pk),
            )

    # -- live writes: a call that grows ------------------------------------

    def begin_call(
        self,
        meta: CallMeta,
        *,
        source: str = "live",
        path: str | None = None,
        audio_path: str | None = None,
        score_start: float,
        score_floor: float,
        lexicon_digest: str | None = None,
        lexicon_source: str | None = None,
        model: str | None = None,
    ) -> int:
        """Open a call as ``in_progress`` (committed at once) at ``score_start``; returns its id."""
        with self._transaction() as c:
            pk = self._insert_call(
                c, meta, source=source, path=path, audio_path=audio_path, content_hash=None,
                status="in_progress", score_start=score_start, score_floor=score_floor,
                lexicon_digest=lexicon_digest, lexicon_source=lexicon_source, model=model,
                run_id=None,
            )  # fmt: skip
            c.execute(
                "UPDATE calls SET score = ?, agent_talk_seconds = 0 WHERE id = ?",
                (score_start, pk),
            )
        return pk

    def append_utterance(
        self,
        call: int,
        utterance: Utterance,
        hits: Sequence[Hit],
        scored: UtteranceScore,
        *,
        score: float,
        agent_talk_seconds: float,
    ) -> int:
        """Append one finished utterance with its hits and commit; returns its index.

        ``scored`` is :meth:`Scorer.score_utterance` of it; ``score`` and
        ``agent_talk_seconds`` are the call's running totals after it (the
        Scorer's, not summed here). They are saved in the same transaction,
        so a crash loses at most the utterance being spoken.
        """
        with self._transaction() as c:
            row = c.execute("SELECT status FROM calls WHERE id = ?", (call,)).fetchone()
            if row is None or row[0] != "in_progress":
                raise ValueError(f"call {call} is not in progress")
            idx = c.execute(
                "SELECT COALESCE(MAX(idx) + 1, 0) FROM utterances WHERE call = ?", (call,)
            ).fetchone()[0]
            self._insert_utterance(c, call, idx, utterance, hits, scored)
            c.execute(
                "UPDATE calls SET score = ?, agent_talk_seconds = ? WHERE id = ?",
                (score, agent_talk_seconds, call),
            )
        return idx

    def append_hits(
        self,
        call: int,
        utterance_idx: int,
        hits: Sequence[Hit],
        scored: UtteranceScore,
        *,
        score: float,
    ) -> None:
        """Add hits to an utterance already saved, with the call's new score, and commit.

        For what is decided after the utterance was said: a live session's
        missing greeting (its window closes later) or closing (at the end).
        ``scored`` is :meth:`Scorer.score_utterance` of ``hits`` alone.
        """
        if len(scored.verdicts) != len(hits):
            raise ValueError("one verdict per hit")
        with self._transaction() as c:
            row = c.execute(
                "SELECT u.id, u.role, u.channel, u.line, u.line_offset, u.start_time, "
                "u.end_time, u.text, (SELECT COUNT(*) FROM hits h WHERE h.utterance = u.id) "
                "FROM utterances u WHERE u.call = ? AND u.idx = ?",
                (call, utterance_idx)).fetchone()
            if row is None:
                raise ValueError(f"call {call} has no utterance {utterance_idx}")
            utt = Utterance(text=row[7], role=Role(row[1]), start=row[5], end=row[6],
                            channel=row[2], line=row[3], offset=row[4])
            self._insert_hits(c, call, row[0], utterance_idx, utt, hits, scored.verdicts,
                              first=row[8])
            c.execute("UPDATE calls SET score = ? WHERE id = ?", (score, call))

    def finish_call(
        self,
        call: int,
        *,
        duration: float | None = None,
        audio_path: str | None = None,
        failure: str | None = None,
    ) -> CallRow:
        """Close an in-progress call: ``ok``, or ``failed`` with ``failure``.

        A call that ends with a ``failure`` (a live session whose headset was
        unplugged) but has utterances stays ``ok``, with the failure kept as
        a note: what was said before the end is real speech, and a violation
        in it must count in the agent's scores. Only a call with nothing
        heard is ``failed``. The score is the one the last utterance saved.
        """
        with self._transaction() as c:
            if c.execute("SELECT 1 FROM calls WHERE id = ?", (call,)).fetchone() is None:
                raise ValueError(f"no call {call}")
            heard = c.execute(
                "SELECT 1 FROM utterances WHERE call = ? LIMIT 1", (call,)).fetchone()
            status = "failed" if failure and heard is None else "ok"
            c.execute(
                "UPDATE calls SET status = ?, failure = ?, finished = ?, "
                "duration = COALESCE(?, duration), audio_path = COALESCE(?, audio_path) "
                "WHERE id = ?",
                (status, failure, _now(), duration, audio_path, call),
            )
        found = self.call(call)
        assert found is not None
        return found

    # -- internals -----------------------------------------------------------

    @staticmethod
    def _delete_previous(c: sqlite3.Connection, content_hash: str | None, path: str | None) -> None:
        if content_hash is not None:
            c.execute("DELETE FROM calls WHERE content_hash = ?", (content_hash,))
        if path is not None:
            # A file that could not be hashed (unreadable) failed with no
            # hash; its retry replaces that row instead of adding another.
            c.execute(
                "DELETE FROM calls WHERE path = ? AND content_hash IS NULL AND source != 'live'",
                (path,),
            )

    @staticmethod
    def _insert_call(c: sqlite3.Connection, meta: CallMeta, **fields) -> int:
        cur = c.execute(
            "INSERT INTO calls (call_id, source, path, audio_path, content_hash, agent, team, "
            "started, status, failure, score_start, score_floor, lexicon_digest, "
            "lexicon_source, model, run_id, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                meta.call_id, fields["source"], fields.get("path"), fields.get("audio_path"),
                fields.get("content_hash"), meta.agent, meta.team, meta.date, fields["status"],
                fields.get("failure"), fields.get("score_start"), fields.get("score_floor"),
                fields.get("lexicon_digest"), fields.get("lexicon_source"), fields.get("model"),
                fields.get("run_id"), _now(),
            ),
        )  # fmt: skip
        return int(cur.lastrowid)

    def _insert_utterance(
        self,
        c: sqlite3.Connection,
        call: int,
        idx: int,
        utt: Utterance,
        hits: Sequence[Hit],
        scored: UtteranceScore,
        rows: list[tuple] | None = None,
    ) -> None:
        """Insert the utterance; its hits too, or with ``rows``, their rows appended there."""
        if len(scored.verdicts) != len(hits):
            raise ValueError("one verdict per hit")
        words = json.dumps(
            [[w.text, w.start, w.end, w.conf] for w in utt.words], ensure_ascii=False
        )
        cur = c.execute(
            "INSERT INTO utterances (call, idx, role, counted, channel, line, line_offset, "
            "start_time, end_time, text, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (call, idx, utt.role.value, int(scored.counted), utt.channel, utt.line, utt.offset,
             utt.start, utt.end, utt.text, words),
        )  # fmt: skip
        if not hits:
            return
        found = self._hit_rows(call, cur.lastrowid, idx, utt, hits, scored.verdicts)
        if rows is None:
            c.executemany(_INSERT_HIT, found)
        else:
            rows.extend(found)

    def _insert_hits(self, c: sqlite3.Connection, call: int, utt_pk: int, idx: int,
                     utt: Utterance, hits: Sequence[Hit], verdicts: Sequence,
                     first: int = 0) -> None:
        c.executemany(_INSERT_HIT, self._hit_rows(call, utt_pk, idx, utt, hits, verdicts, first))

    def _hit_rows(self, call: int, utt_pk: int, idx: int, utt: Utterance, hits: Sequence[Hit],
                  verdicts: Sequence, first: int = 0) -> list[tuple]:
        rows = []
        for j, (h, v) in enumerate(zip(hits, verdicts, strict=True), start=first):
            span = h.extra.get("time") or utt.time_of(h.start, h.end)  # call-flow hits: their own
            rows.append((
                call, utt_pk, idx, j, h.rule_id, h.category, h.severity.label, h.message,
                self._suggestions_json(h.suggestions), h.phrase, h.matched,
                h.normalized, h.kind.value, float(h.confidence), h.start, h.end,
                span[0] if span else None, span[1] if span else None,
                int(v.counted), v.points, v.reason,
            ))  # fmt: skip
        return rows

    def _suggestions_json(self, suggestions: Sequence[str]) -> str:
        # The same few suggestions come with every hit of a rule (a missing
        # closing's on most calls): encoded once each.
        key = tuple(suggestions)
        text = self._suggestions.get(key)
        if text is None:
            text = json.dumps(list(key), ensure_ascii=False)
            if len(self._suggestions) >= 1024:
                self._suggestions.clear()
            self._suggestions[key] = text
        return text


_INSERT_HIT = (
    "INSERT INTO hits (call, utterance, utterance_idx, hit_idx, rule_id, category, "
    "severity, message, suggestions, phrase, matched, normalized, kind, confidence, "
    "char_start, char_end, time_start, time_end, counted, points, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _duration(transcript: Transcript) -> float | None:
    if transcript.duration is not None:
        return transcript.duration
    ends = [u.end for u in transcript.utterances if u.end is not None]
    return max(ends) if ends else None
