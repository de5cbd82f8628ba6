"""The results store's file: its schema, and opening (and creating) it safely.

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

Indexes serve the queries the reports make (:mod:`phraseguard.calls.queries`)
so a month of a large centre (200,000 calls) summarises in well under two
seconds: the per-status and per-agent roll-ups read a covering index of the
few call columns they need instead of the wide call rows; the worst calls
walk ``calls_worst`` in score order; ``--since``/``--until`` and ``--team``
have their own; the deductions roll-up and the per-call deduction count read
covering index of ``hits``. ``tests/calls/test_store_indexes.py`` checks
with EXPLAIN QUERY PLAN that they are used.

Migrations: :data:`MIGRATIONS` takes an older store up one version at a time
(version 1 had no report indexes), in the same ``BEGIN IMMEDIATE``
transaction that creates a new store's schema.

Several processes may open the same new file at once (two ``score`` runs
started together): the schema is created and its version checked inside ONE
``BEGIN IMMEDIATE`` transaction, with a busy timeout, so exactly one of them
creates it and the others wait and then find it made.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from phraseguard.errors import InputError

SCHEMA_VERSION = 2

# Milliseconds a writer waits for another writer (a batch and a live session
# may share one store; several runs may create it at once) before giving up.
BUSY_TIMEOUT_MS = 30_000
# Seconds between tries to switch a new store to WAL while another run holds
# it: the switch takes milliseconds, so a few tries a tenth of a second apart.
WAL_RETRY_SECONDS = 0.05

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

# The indexes of the report queries (schema version 2). Covering indexes:
# each holds every column its query reads, so SQLite never touches the wide
# rows (paths, hashes, messages) of 200,000 calls and their hits.
_REPORT_INDEXES = """
CREATE INDEX calls_report ON calls(status, agent, team, score, agent_talk_seconds);
CREATE INDEX calls_worst ON calls(status, score, call_id);
CREATE INDEX calls_started ON calls(started, id);
CREATE INDEX calls_team ON calls(team);
CREATE INDEX hits_deductions ON hits(call, counted, rule_id, points, suggestions)
"""

#: ``{version: statements}``: what takes a store from ``version`` to the next.
#: ``calls_status`` and ``hits_call`` are prefixes of the new indexes, so they go.
MIGRATIONS: dict[int, str] = {
    1: "DROP INDEX IF EXISTS calls_status; DROP INDEX IF EXISTS hits_call;" + _REPORT_INDEXES,
}


def connect(path: str | Path, *, create: bool = True) -> sqlite3.Connection:
    """A connection to the store at ``path``, with the schema in place.

    Raises InputError when the file is missing and ``create`` is False, is
    not an SQLite database, is another program's database, or was written by
    a newer phraseguard.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise InputError(path, "no results store here; run `phraseguard score` first")
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise InputError(path, f"cannot open results store: {exc}") from exc
    try:
        _setup(conn, path)
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc):
            raise InputError(path, f"results store busy: another run held it longer than "
                                   f"{BUSY_TIMEOUT_MS // 1000} s ({exc})") from exc
        raise InputError(path, f"not a phraseguard results store ({exc})") from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise InputError(path, f"not a phraseguard results store ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _setup(c: sqlite3.Connection, path: Path) -> None:
    c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    c.execute("PRAGMA foreign_keys = ON")
    # FULL: a committed call survives a power cut, not only a crash; the
    # cost is one fsync per call, small next to seconds of recognition.
    c.execute("PRAGMA synchronous = FULL")
    if c.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        # The write lock first, THEN look: another process creating the
        # schema right now is waited for (busy timeout), not mistaken for a
        # foreign database half-way through.
        c.execute("BEGIN IMMEDIATE")
        try:
            _create_or_check(c, path)
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")
    # After the schema exists (WAL needs no transaction open; an existing WAL
    # file just stays WAL).
    _journal_wal(c)


def _journal_wal(c: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out other processes doing the same.

    Several runs started together on a new store all switch it to WAL; the
    switch needs the database to themselves, and SQLite answers "database is
    locked" at once, without its busy handler, while another connection
    holds it: so this waits in short steps up to the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            c.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _create_or_check(c: sqlite3.Connection, path: Path) -> None:
    version = c.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return  # another process created it while this one waited for the lock
    if version > SCHEMA_VERSION:
        raise InputError(
            path,
            f"results store has schema version {version}; this phraseguard reads "
            f"{SCHEMA_VERSION}: upgrade phraseguard",
        )
    tables = c.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if version == 0 and tables:
        raise InputError(path, "an SQLite file that is not a phraseguard results store")
    if version == 0:
        _run(c, _SCHEMA + ";" + _REPORT_INDEXES)
    else:
        # An older store: migrate it one version at a time (indexes on a
        # store of 200,000 calls take a few seconds, once).
        for step in range(version, SCHEMA_VERSION):
            _run(c, MIGRATIONS[step])
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _run(c: sqlite3.Connection, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            c.execute(statement)
