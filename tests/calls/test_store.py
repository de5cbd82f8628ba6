"""The SQLite results store: round trip, replace-on-rescore, live calls, queries."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from batch_fakes import FakeLexicon

from phraseguard.calls.scoring import Scorer
from phraseguard.calls.store import SCHEMA_VERSION, CallFilter, CallMeta, Store
from phraseguard.engine.hit import Hit, MatchKind, Severity
from phraseguard.errors import InputError
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word

TEXT = "这个 我 不 知道"
WORDS = (Word("这个", 4.0, 4.3), Word("我", 4.3, 4.5), Word("不", 4.5, 4.7), Word("知道", 4.7, 5.1))


def know_hit(conf: float = 1.0) -> Hit:
    return Hit("know", "ignorance", Severity.MAJOR, "says they don't know", ("我帮您确认一下",),
               "不知道", 5, 9, "不 知道", "不知道", MatchKind.EXACT, conf)  # fmt: skip


def call(customer_says_it: bool = True):
    utts = [
        Utterance("您好", Role.AGENT, 0.0, 1.0, (Word("您好", 0.0, 1.0),), channel=0),
        Utterance(TEXT, Role.CUSTOMER, 2.0, 3.0, channel=1),
        Utterance(TEXT, Role.AGENT, 4.0, 5.1, WORDS, channel=0),
    ]
    hits = [[], [know_hit()] if customer_says_it else [], [know_hit()]]
    t = Transcript(utts, source="c1.wav", duration=6.0)
    return t, hits, Scorer(FakeLexicon()).score(t, hits)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "r.db")
    yield s
    s.close()


ALICE = CallMeta("c1", "alice", "t1", "2024-05-01")


def save(store, meta=ALICE, content_hash="h1", **kw):
    t, hits, score = call()
    return store.save_call(meta, t, hits, score, source="audio", path="/x/c1.wav",
                           audio_path="/x/c1.wav", content_hash=content_hash,
                           lexicon_digest="L1", **kw)  # fmt: skip


def test_round_trip(store):
    t, _, _ = call()
    pk = save(store)
    row = store.call(pk)
    assert (row.call_id, row.agent, row.team, row.date, row.status) == (
        "c1", "alice", "t1", "2024-05-01", "ok")  # fmt: skip
    assert (row.score, row.hits, row.duration, row.audio_path) == (90.0, 1, 6.0, "/x/c1.wav")
    assert row.agent_talk_seconds == pytest.approx(2.1)
    assert store.transcript(pk).utterances == t.utterances
    hits = store.hits()
    assert [(h.role, h.counted, h.points, h.time_start, h.time_end) for h in hits] == [
        (Role.CUSTOMER, False, 0.0, 2.0, 3.0),
        (Role.AGENT, True, 10.0, 4.5, 5.1),
    ]
    assert hits[1].suggestion == "我帮您确认一下" and hits[1].severity is Severity.MAJOR
    assert hits[0].reason == "not counted: not the agent's speech"
    assert [h.rule_id for h in store.hits(counted=True)] == ["know"]
    assert store.already_scored("h1", "L1") and not store.already_scored("h1", "L2")


def test_rescore_replaces_not_doubles(store):
    save(store)
    pk = save(store, CallMeta("c1", "bob"))
    counts = store._conn.execute(
        "SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(*) FROM utterances), "
        "(SELECT COUNT(*) FROM hits)"
    ).fetchone()
    assert counts == (1, 3, 2)
    assert store.call(pk).agent == "bob"


def test_failure_then_success_replaces_the_failed_row(store):
    store.save_failure(CallMeta("c1"), source="audio", path="/x/c1.wav", reason="truncated",
                       error_type="AudioError", stage="transcribe", content_hash="h1")  # fmt: skip
    assert [(f.call_id, f.stage, f.message) for f in store.failures()] == [
        ("c1", "transcribe", "truncated")]  # fmt: skip
    assert not store.already_scored("h1", "L1")
    save(store)
    assert store.failures() == [] and store.count_calls() == {"ok": 1, "failed": 0,
                                                                "in_progress": 0}  # fmt: skip


def test_unhashable_failure_replaced_by_path(store):
    for _ in range(2):
        store.save_failure(CallMeta("c9"), source="audio", path="/x/c9.wav",
                           reason="permission denied", error_type="PermissionError",
                           stage="read")  # fmt: skip
    assert store.count_calls()["failed"] == 1


def begin(s: Store, call_id: str) -> int:
    return s.begin_call(CallMeta(call_id, "alice"), lexicon_digest="L1", score_start=100.0,
                        score_floor=0.0)


def append_all(s: Store, pk: int, utterances, hits) -> int:
    """Append utterances as a live session does: scored one by one, running totals."""
    scorer = Scorer(FakeLexicon())
    deductions, heard = [], []
    for i, (u, h) in enumerate(zip(utterances, hits, strict=True)):
        scored = scorer.score_utterance(i, u, h)
        deductions += scored.deductions
        heard.append(u)
        idx = s.append_utterance(pk, u, h, scored, score=scorer.total(deductions),
                                 agent_talk_seconds=scorer.talk_seconds(heard))
        assert s.call(pk).status == "in_progress"
    return idx


def test_live_call_grows_and_survives_reopen(tmp_path):
    s = Store.open(tmp_path / "r.db")
    pk = begin(s, "live-1")
    t, hits, _ = call()
    i = append_all(s, pk, t.utterances, hits)
    assert i == 2 and s.call(pk).score == 90.0
    s._conn.close()  # a crash: no finish_call
    s = Store.open(tmp_path / "r.db")
    assert s.call(pk).status == "in_progress"
    assert len(s.transcript(pk).utterances) == 3
    row = s.finish_call(pk, duration=6.0, audio_path="/rec/live-1.wav")
    assert (row.status, row.score, row.hits, row.duration) == ("ok", 90.0, 1, 6.0)
    assert row.audio_path == "/rec/live-1.wav"
    assert row.agent_talk_seconds == pytest.approx(2.1)
    with pytest.raises(ValueError):
        append_all(s, pk, t.utterances[:1], [[]])
    s.close()


def test_live_call_ended_by_a_failure_is_failed_only_when_nothing_was_heard(tmp_path):
    s = Store.open(tmp_path / "r.db")
    silent = begin(s, "live-silent")
    assert s.finish_call(silent, failure="input device lost").status == "failed"
    heard = begin(s, "live-heard")
    t, hits, _ = call()
    append_all(s, heard, t.utterances[:1], hits[:1])
    row = s.finish_call(heard, failure="input device lost")
    assert (row.status, row.failure) == ("ok", "input device lost")
    assert [a.calls for a in s.agent_summaries()] == [1]
    s.close()


def test_filters_and_rollups(store):
    save(store)
    save(store, CallMeta("c2", "bob", "t2", "2024-05-03T10:00"), content_hash="h2")
    assert [c.call_id for c in store.calls(CallFilter(agent="bob"))] == ["c2"]
    assert [c.call_id for c in store.calls(CallFilter(until="2024-05-03"))] == ["c1", "c2"]
    assert [c.call_id for c in store.calls(CallFilter(since="2024-05-02"))] == ["c2"]
    assert store.calls(CallFilter(ids=())) == []
    agents = store.agent_summaries()
    assert [(a.agent, a.calls, a.mean_score, a.hits) for a in agents] == [
        ("alice", 1, 90.0, 1), ("bob", 1, 90.0, 1)]  # fmt: skip
    assert [(v.rule_id, v.count, v.suggestion) for v in store.rule_counts()] == [
        ("know", 2, "我帮您确认一下")]  # fmt: skip


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(InputError, match="no results store here"):
        Store.open(tmp_path / "none.db", create=False)
    (tmp_path / "junk.db").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(InputError, match="not a phraseguard results store"):
        Store.open(tmp_path / "junk.db")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(InputError, match="not a phraseguard results store"):
        Store.open(tmp_path / "other.db")
    newer = sqlite3.connect(tmp_path / "newer.db")
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(InputError, match="upgrade phraseguard"):
        Store.open(tmp_path / "newer.db")


def test_wal_mode(store):
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_score_is_saved_as_the_scorer_gave_it(store):
    """The store keeps the Scorer's numbers: it does not sum points or guess who counts."""
    t, hits, score = call()

    class EveryoneCounts(Scorer):  # a policy the store cannot know: customers count too
        def counts(self, utterance):
            return True

    unusual = EveryoneCounts(FakeLexicon()).score(t, hits)
    pk = store.save_call(ALICE, t, hits, unusual, source="audio", path="/x/c1.wav")
    assert store.call(pk).score == unusual.score == 80.0
    assert [(h.counted, h.points) for h in store.hits()] == [(True, 10.0), (True, 10.0)]
    with pytest.raises(ValueError, match="utterance score"):
        store.save_call(ALICE, t, hits, replace(score, utterances=()), source="audio",
                        path="/x/c2.wav")


NEW_STORE_SCRIPT = """
import sys, time
from phraseguard.calls.store import Store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
s = Store.open(sys.argv[1])
run = s.start_run(lexicon_digest="L", lexicon_source="default")
s.finish_run(run, status="complete", files=0, scored=0, skipped=0, failed=0)
s.close()
print("ok")
"""


def test_several_processes_creating_one_new_store_all_work(tmp_path):
    """Runs started together on a new --db: one creates the schema, the others wait and use it."""
    import os
    import subprocess
    import sys
    import time

    db = tmp_path / "new.db"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    start_at = str(time.time() + 1.5)
    procs = [subprocess.Popen([sys.executable, "-c", NEW_STORE_SCRIPT, str(db), start_at],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for _ in range(6)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, [err for _, err in results]
    with Store.open(db, create=False) as s:
        assert len(s.runs()) == 6


class _LockedThenFree:
    """A connection whose WAL switch is refused a few times, as when several runs
    create one new store at once."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.tries = 0

    def execute(self, sql: str):
        self.tries += 1
        if self.tries <= self.refusals:
            raise sqlite3.OperationalError("database is locked")


def test_switching_a_new_store_to_wal_waits_out_another_run(monkeypatch) -> None:
    from phraseguard.calls import schema

    monkeypatch.setattr(schema, "WAL_RETRY_SECONDS", 0.001)
    conn = _LockedThenFree(refusals=3)
    schema._journal_wal(conn)  # no error: the fourth try gets it
    assert conn.tries == 4


def test_a_store_locked_past_the_busy_timeout_is_a_clear_error(monkeypatch) -> None:
    from phraseguard.calls import schema

    monkeypatch.setattr(schema, "WAL_RETRY_SECONDS", 0.001)
    monkeypatch.setattr(schema, "BUSY_TIMEOUT_MS", 20)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        schema._journal_wal(_LockedThenFree(refusals=10**9))
