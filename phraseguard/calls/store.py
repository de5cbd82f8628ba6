"""The SQLite results store: scored calls, their transcripts, hits and failures.

One file (``phraseguard.db`` by default) shared by the three writers and the
readers: the batch runner saves a finished call in ONE transaction, a live
session opens a call ``in_progress`` and appends utterances as they are
spoken, and the reports (terminal, JSON, CSV, HTML) read it back without
rescoring.

Durability: WAL journal with ``synchronous=FULL``, so a call whose transaction
committed survives a crash, a ``kill -9`` or a power cut, and a call whose
transaction did not commit leaves nothing behind. A batch call is never
``in_progress``; a live call stays ``in_progress`` (with everything said so
far) until :meth:`Store.finish_call`.

Schema (``PRAGMA user_version`` = :data:`SCHEMA_VERSION`):

- ``runs``: one row per ``phraseguard score`` run (started, finished, status
  running/complete/interrupted, counts).
- ``calls``: one row per call. ``content_hash`` (sha256 of the file) is
  unique, so a rescored file REPLACES its row rather than adding one; live
  calls have no hash. ``status`` is ok, failed or in_progress; ``failure``
  says why a call failed. ``path`` is the file that was scored and
  ``audio_path`` a recording the report can play (the same file for audio,
  a sibling recording for a transcript, ``--record`` for live).
- ``utterances``: the transcript, one row per utterance with role, times,
  text and the ASR words (JSON), and ``counted`` (is it the agent's speech).
- ``hits``: every match, with character span and times; ``counted`` and
  ``points`` say whether and how much it deducted, ``reason`` why.
- ``failures``: the error type, stage and message of each failed call.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from phraseguard.errors import InputError
from phraseguard.engine.hit import Hit, Severity
from phraseguard.calls.scoring import (
    AgentSummary,
    CallScore,
    CallSummaryInput,
    Deduction,
    ViolationCount,
    count_violations,
    summarize_agents,
)
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word

SCHEMA_VERSION = 1

# Seconds a writer waits for another writer (a batch and a live session may
# share one store) before giving up.
BUSY_TIMEOUT_MS = 30_000

_SCHEMA = """
CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    started         TEXT NOT NULL,
    finished        TEXT,
    status          TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
    lexicon_digest  TEXT,
    lexicon_source  TEXT,
    files           INTEGER NOT NULL DEFAULT 0,
    scored          INTEGER NOT NULL DEFAULT 0,
    skipped         INTEGER NOT NULL DEFAULT 0,
    failed          INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE calls (
    id                  INTEGER PRIMARY KEY,
    call_id             TEXT NOT NULL,
    source              TEXT NOT NULL CHECK (source IN ('audio', 'transcript', 'live', 'unknown')),
    path                TEXT,
    audio_path          TEXT,
    content_hash        TEXT UNIQUE,
    agent               TEXT,
    team                TEXT,
    started             TEXT,
    duration            REAL,
    agent_talk_seconds  REAL,
    status              TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'in_progress')),
    failure             TEXT,
    score               REAL,
    score_start         REAL,
    score_floor         REAL,
    lexicon_digest      TEXT,
    lexicon_source      TEXT,
    model               TEXT,
    run_id              INTEGER REFERENCES runs(id),
    created             TEXT NOT NULL,
    finished            TEXT
);
CREATE INDEX calls_agent ON calls(agent);
CREATE INDEX calls_status ON calls(status);
CREATE INDEX calls_path ON calls(path);
CREATE TABLE utterances (
    id          INTEGER PRIMARY KEY,
    call        INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    role        TEXT NOT NULL,
    counted     INTEGER NOT NULL,
    channel     INTEGER,
    line        INTEGER,
    line_offset INTEGER NOT NULL DEFAULT 0,
    start_time  REAL,
    end_time    REAL,
    text        TEXT NOT NULL,
    words       TEXT NOT NULL,
    UNIQUE (call, idx)
);
CREATE TABLE hits (
    id              INTEGER PRIMARY KEY,
    call            INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    utterance       INTEGER NOT NULL REFERENCES utterances(id) ON DELETE CASCADE,
    utterance_idx   INTEGER NOT NULL,
    hit_idx         INTEGER NOT NULL,
    rule_id         TEXT NOT NULL,
    category        TEXT NOT NULL,
    severity        TEXT NOT NULL,
    message         TEXT NOT NULL,
    suggestions     TEXT NOT NULL,
    phrase          TEXT NOT NULL,
    matched         TEXT NOT NULL,
    normalized      TEXT NOT NULL,
    kind            TEXT NOT NULL,
    confidence      REAL NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    time_start      REAL,
    time_end        REAL,
    counted         INTEGER NOT NULL,
    points          REAL NOT NULL,
    reason          TEXT
);
CREATE INDEX hits_call ON hits(call);
CREATE INDEX hits_rule ON hits(rule_id);
CREATE TABLE failures (
    id          INTEGER PRIMARY KEY,
    call        INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    run_id      INTEGER REFERENCES runs(id),
    stage       TEXT NOT NULL,
    error_type  TEXT NOT NULL,
    message     TEXT NOT NULL,
    created     TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


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


_CALL_COLUMNS = (
    "c.id, c.call_id, c.source, c.path, c.audio_path, c.content_hash, c.agent, c.team, "
    "c.started, c.duration, c.agent_talk_seconds, c.status, c.failure, c.score, "
    "c.score_start, c.lexicon_digest, c.lexicon_source, c.model, c.run_id, c.created, "
    "c.finished, (SELECT COUNT(*) FROM hits h WHERE h.call = c.id AND h.counted)"
)

_HIT_COLUMNS = (
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
            clauses.append(f"{alias}.id IN ({','.join('?' * len(self.ids))})")
            args.extend(self.ids)
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


class Store:
    """A results store on one SQLite file. Use :meth:`open`; close with :meth:`close`.

    Not thread-safe: one Store per thread or process. Workers of a batch never
    open it; the parent process writes their results.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # -- opening -----------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open (and with ``create``, create) the store at ``path``.

        Raises InputError when the file is missing and ``create`` is False, is
        not an SQLite database, or was written by a newer phraseguard.
        """
        path = Path(path)
        if not create and not path.is_file():
            raise InputError(path, "no results store here; run `phraseguard score` first")
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise InputError(path, f"cannot open results store: {exc}") from exc
        store = cls(conn, path)
        try:
            store._setup()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise InputError(path, f"not a phraseguard results store ({exc})") from exc
        except InputError:
            conn.close()
            raise
        return store

    def _setup(self) -> None:
        c = self._conn
        c.execute("PRAGMA foreign_keys = ON")
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        c.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed call survives a power cut, not only a crash; the
        # cost is one fsync per call, small next to seconds of recognition.
        c.execute("PRAGMA synchronous = FULL")
        version = c.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise InputError(
                self.path,
                f"results store has schema version {version}; this phraseguard reads "
                f"{SCHEMA_VERSION}: upgrade phraseguard",
            )
        tables = c.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        if version == 0 and tables[0]:
            raise InputError(self.path, "an SQLite file that is not a phraseguard results store")
        with self._transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    c.execute(statement)
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

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

    def runs(self) -> list[RunRow]:
        rows = self._conn.execute(
            "SELECT id, started, finished, status, lexicon_digest, files, scored, skipped, "
            "failed FROM runs ORDER BY id"
        ).fetchall()
        return [RunRow(*r) for r in rows]

    # -- batch writes: one transaction per call ----------------------------

    def already_scored(self, content_hash: str, lexicon_digest: str) -> bool:
        """True when this file was scored successfully with this lexicon."""
        row = self._conn.execute(
            "SELECT 1 FROM calls WHERE content_hash = ? AND lexicon_digest = ? AND status = 'ok'",
            (content_hash, lexicon_digest),
        ).fetchone()
        return row is not None

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
        counted: Sequence[bool] | None = None,
        lexicon_digest: str | None = None,
        lexicon_source: str | None = None,
        model: str | None = None,
        run_id: int | None = None,
    ) -> int:
        """Save a scored call, its transcript and hits in ONE transaction.

        ``hits[i]`` are the hits of utterance i; ``counted[i]`` whether
        utterance i is agent speech (default: from ``score``'s deductions and
        AGENT role). A previous row for the same content (a rescore) or, for
        a file that could not be hashed, the same path is replaced in the same
        transaction, so a rerun never doubles a call. Returns the call's id.
        """
        if len(hits) != len(transcript.utterances):
            raise ValueError("one hit list per utterance")
        if counted is None:
            counted = [u.role is Role.AGENT for u in transcript.utterances]
        by_hit = {(d.utterance, d.hit): d for d in score.deductions}
        with self._transaction() as c:
            self._delete_previous(c, content_hash, path)
            pk = self._insert_call(
                c,
                meta,
                source=source,
                path=path,
                audio_path=audio_path,
                content_hash=content_hash,
                status="ok",
                score_start=score.start,
                score_floor=score.floor,
                lexicon_digest=lexicon_digest,
                lexicon_source=lexicon_source,
                model=model,
                run_id=run_id,
            )
            for i, (utt, utt_hits) in enumerate(zip(transcript.utterances, hits, strict=True)):
                self._insert_utterance(c, pk, i, utt, utt_hits, counted[i], by_hit)
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
                c,
                meta,
                source=source,
                path=path,
                audio_path=audio_path,
                content_hash=content_hash,
                status="failed",
                failure=reason,
                lexicon_digest=lexicon_digest,
                run_id=run_id,
            )
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
        score_start: float = 100.0,
        score_floor: float = 0.0,
        lexicon_digest: str | None = None,
        lexicon_source: str | None = None,
        model: str | None = None,
    ) -> int:
        """Open a call as ``in_progress`` (committed at once); returns its id."""
        with self._transaction() as c:
            pk = self._insert_call(
                c,
                meta,
                source=source,
                path=path,
                audio_path=audio_path,
                content_hash=None,
                status="in_progress",
                score_start=score_start,
                score_floor=score_floor,
                lexicon_digest=lexicon_digest,
                lexicon_source=lexicon_source,
                model=model,
                run_id=None,
            )
            c.execute("UPDATE calls SET score = ? WHERE id = ?", (score_start, pk))
        return pk

    def append_utterance(
        self,
        call: int,
        utterance: Utterance,
        hits: Sequence[Hit],
        deductions: Iterable[Deduction] = (),
        *,
        counted: bool,
    ) -> int:
        """Append one finished utterance with its hits and commit; returns its index.

        ``deductions`` are :meth:`Scorer.deductions_for` of this utterance
        (their ``hit`` indexes point into ``hits``); ``counted`` is
        :meth:`Scorer.counts`. The call's running score and talk time are
        updated in the same transaction, so a crash loses at most the
        utterance being spoken.
        """
        with self._transaction() as c:
            row = c.execute(
                "SELECT status, score_start, score_floor FROM calls WHERE id = ?", (call,)
            ).fetchone()
            if row is None or row[0] != "in_progress":
                raise ValueError(f"call {call} is not in progress")
            idx = c.execute(
                "SELECT COALESCE(MAX(idx) + 1, 0) FROM utterances WHERE call = ?", (call,)
            ).fetchone()[0]
            by_hit = {(idx, d.hit): d for d in deductions}
            self._insert_utterance(c, call, idx, utterance, hits, counted, by_hit)
            self._refresh_totals(c, call, row[1], row[2])
        return idx

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
        heard is ``failed``.

        The score is recomputed from the stored deductions (start minus
        points, never below the floor), so it is the same however the call
        was written.
        """
        with self._transaction() as c:
            row = c.execute(
                "SELECT score_start, score_floor FROM calls WHERE id = ?", (call,)
            ).fetchone()
            if row is None:
                raise ValueError(f"no call {call}")
            self._refresh_totals(c, call, row[0], row[1])
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

    # -- reads -------------------------------------------------------------

    def call(self, pk: int) -> CallRow | None:
        row = self._conn.execute(
            f"SELECT {_CALL_COLUMNS} FROM calls c WHERE c.id = ?", (pk,)
        ).fetchone()
        return CallRow(*row) if row else None

    def find_by_hash(self, content_hash: str) -> CallRow | None:
        row = self._conn.execute(
            f"SELECT {_CALL_COLUMNS} FROM calls c WHERE c.content_hash = ?", (content_hash,)
        ).fetchone()
        return CallRow(*row) if row else None

    def calls(self, where: CallFilter = CallFilter()) -> list[CallRow]:
        """Calls matching ``where``, oldest call date first, then by id."""
        sql, args = where.where()
        rows = self._conn.execute(
            f"SELECT {_CALL_COLUMNS} FROM calls c WHERE {sql} "
            "ORDER BY c.started IS NULL, c.started, c.id",
            args,
        ).fetchall()
        return [CallRow(*r) for r in rows]

    def count_calls(self, where: CallFilter = CallFilter()) -> dict[str, int]:
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
        where: CallFilter = CallFilter(),
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
            f"SELECT {_HIT_COLUMNS} FROM hits h JOIN calls c ON c.id = h.call "
            f"JOIN utterances u ON u.id = h.utterance WHERE {sql} "
            "ORDER BY c.started IS NULL, c.started, c.id, h.utterance_idx, h.hit_idx",
            args,
        ).fetchall()
        return [_hit_row(r) for r in rows]

    def deductions(
        self, where: CallFilter = CallFilter(), *, call: int | None = None
    ) -> dict[int, list[Deduction]]:
        """Counted hits as scoring :class:`Deduction` values, grouped by call id."""
        out: dict[int, list[Deduction]] = {}
        for h in self.hits(where, call=call, counted=True):
            out.setdefault(h.call, []).append(_deduction(h))
        return out

    def failures(self, where: CallFilter = CallFilter()) -> list[FailureRow]:
        sql, args = where.where()
        rows = self._conn.execute(
            "SELECT f.call, c.call_id, c.path, c.agent, f.stage, f.error_type, f.message, "
            f"f.created FROM failures f JOIN calls c ON c.id = f.call WHERE {sql} "
            "ORDER BY c.path, f.id",
            args,
        ).fetchall()
        return [FailureRow(*r) for r in rows]

    def agent_summaries(
        self, where: CallFilter = CallFilter(), *, top: int = 3
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
        self, where: CallFilter = CallFilter(), *, limit: int | None = None
    ) -> list[ViolationCount]:
        """The most frequent violations (counted hits) with their suggestion."""
        return count_violations(
            (_deduction(h) for h in self.hits(where, counted=True)), limit=limit
        )

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
                meta.call_id,
                fields["source"],
                fields.get("path"),
                fields.get("audio_path"),
                fields.get("content_hash"),
                meta.agent,
                meta.team,
                meta.date,
                fields["status"],
                fields.get("failure"),
                fields.get("score_start"),
                fields.get("score_floor"),
                fields.get("lexicon_digest"),
                fields.get("lexicon_source"),
                fields.get("model"),
                fields.get("run_id"),
                _now(),
            ),
        )
        return int(cur.lastrowid)

    @staticmethod
    def _insert_utterance(
        c: sqlite3.Connection,
        call: int,
        idx: int,
        utt: Utterance,
        hits: Sequence[Hit],
        counted: bool,
        by_hit: dict[tuple[int, int], Deduction],
    ) -> None:
        words = json.dumps(
            [[w.text, w.start, w.end, w.conf] for w in utt.words], ensure_ascii=False
        )
        cur = c.execute(
            "INSERT INTO utterances (call, idx, role, counted, channel, line, line_offset, "
            "start_time, end_time, text, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                call,
                idx,
                utt.role.value,
                int(counted),
                utt.channel,
                utt.line,
                utt.offset,
                utt.start,
                utt.end,
                utt.text,
                words,
            ),
        )
        utt_pk = cur.lastrowid
        for j, h in enumerate(hits):
            span = h.extra.get("time") or utt.time_of(h.start, h.end)  # call-flow hits: their own
            d = by_hit.get((idx, j))
            c.execute(
                "INSERT INTO hits (call, utterance, utterance_idx, hit_idx, rule_id, category, "
                "severity, message, suggestions, phrase, matched, normalized, kind, confidence, "
                "char_start, char_end, time_start, time_end, counted, points, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    call, utt_pk, idx, j, h.rule_id, h.category, h.severity.label, h.message,
                    json.dumps(list(h.suggestions), ensure_ascii=False), h.phrase, h.matched,
                    h.normalized, h.kind.value, float(h.confidence), h.start, h.end,
                    span[0] if span else None, span[1] if span else None,
                    int(d is not None), d.points if d else 0.0,
                    d.reason if d else _not_counted_reason(counted),
                ),
            )  # fmt: skip

    @staticmethod
    def _refresh_totals(c: sqlite3.Connection, call: int, start: float, floor: float) -> None:
        lost, talk = c.execute(
            "SELECT (SELECT COALESCE(SUM(points), 0) FROM hits WHERE call = ?), "
            "(SELECT COALESCE(SUM(MAX(end_time - start_time, 0)), 0) FROM utterances "
            " WHERE call = ? AND counted AND start_time IS NOT NULL AND end_time IS NOT NULL)",
            (call, call),
        ).fetchone()
        c.execute(
            "UPDATE calls SET score = ?, agent_talk_seconds = ? WHERE id = ?",
            (max(floor, start - lost), talk, call),
        )


def _not_counted_reason(counted: bool) -> str:
    if not counted:
        return "not counted: not the agent's speech"
    return "not counted: below min_confidence or overlaps a costlier hit"


def _duration(transcript: Transcript) -> float | None:
    if transcript.duration is not None:
        return transcript.duration
    ends = [u.end for u in transcript.utterances if u.end is not None]
    return max(ends) if ends else None


def _hit_row(r: tuple) -> HitRow:
    r = list(r)
    r[8] = Role(r[8])
    r[11] = Severity.parse(r[11])
    r[13] = tuple(json.loads(r[13]))
    r[23] = bool(r[23])
    return HitRow(*r)


def _deduction(h: HitRow) -> Deduction:
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
