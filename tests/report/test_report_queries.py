"""The report's SQL roll-ups: the same numbers as the Python roll-ups, over indexes.

``phraseguard report`` summarises 200,000 calls in well under two seconds
because the per-agent and per-rule roll-ups are SQL aggregates over covering
indexes (``bench/bench_report_scale.py`` times it). These tests pin that the
aggregates equal :func:`summarize_agents` and :func:`count_violations` over
every row (ties included), that the queries use the indexes, and that a
store of schema version 1 gains them.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from synthetic_calls import CallSpec, build_store, random_calls, save_call
from synthetic_store import bulk_store

from phraseguard.calls.rows import deduction_of
from phraseguard.calls.schema import SCHEMA_VERSION
from phraseguard.calls.scoring import CallSummaryInput, count_violations, summarize_agents
from phraseguard.calls.store import CallFilter, CallMeta, Store
from phraseguard.speech.transcript import Role


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> str:
    """2,000 calls of 40 agents: the shape of a month, small enough for the suite."""
    return str(bulk_store(tmp_path_factory.mktemp("month") / "m.db", calls=2000, agents=40,
                          teams=4, utterances=8, failed_every=250))


def python_rollups(store: Store, where: CallFilter):
    """The roll-ups the slow way: every row through the scoring module's functions."""
    ok = CallFilter(where.ids, where.agent, where.team, where.since, where.until, "ok")
    deductions: dict[int, list] = {}
    for h in store.hits(ok, counted=True):
        deductions.setdefault(h.call, []).append(deduction_of(h))
    agents = summarize_agents(
        CallSummaryInput(agent=c.agent, team=c.team, score=c.score or 0.0,
                         agent_talk_seconds=c.agent_talk_seconds or 0.0,
                         deductions=deductions.get(c.pk, ()))
        for c in store.calls(ok))  # fmt: skip
    violations = count_violations(deduction_of(h) for h in store.hits(where, counted=True))
    return agents, violations


def assert_same(got, expected):
    g_agents, g_rules = got
    e_agents, e_rules = expected
    assert [a.agent for a in g_agents] == [a.agent for a in e_agents]
    for g, e in zip(g_agents, e_agents, strict=True):
        assert (g.team, g.calls, g.hits, g.top_violations) == \
            (e.team, e.calls, e.hits, e.top_violations)
        assert (g.mean_score, g.min_score, g.talk_seconds) == pytest.approx(
            (e.mean_score, e.min_score, e.talk_seconds))
        assert g.hits_per_hour == pytest.approx(e.hits_per_hour)
    assert g_rules == e_rules


@pytest.mark.parametrize("where", [
    CallFilter(), CallFilter(agent="li.wei"), CallFilter(team="team-02"),
    CallFilter(since="2026-10-05", until="2026-10-09"), CallFilter(ids=tuple(range(1, 900, 7))),
], ids=["all", "agent", "team", "dates", "ids"])  # fmt: skip
def test_sql_rollups_equal_the_python_rollups(month, where):
    with Store.open(month, create=False) as store:
        got = store.rollups(where)
        assert got[0] and got[1]
        assert_same(got, python_rollups(store, where))


def test_ties_resolve_as_the_python_rollups_do(tmp_path):
    # One agent in two teams equally often (the earlier team wins), and a
    # rule whose suggestion changed between runs (the first said wins).
    base = random_calls(6, days=3)
    store = build_store(tmp_path / "t.db", base)
    lines = ((Role.AGENT, "这个 我 也 不 知道", "disclaim-knowledge"),)
    for k, (team, day, suggestion) in enumerate([("west", "2026-09-02", "先查一下"),
                                                 ("east", "2026-09-01", "我来确认"),
                                                 ("west", "2026-09-04", "先查一下"),
                                                 ("east", "2026-09-03", "我来确认")]):
        save_call(store, CallSpec(CallMeta(f"t{k}", "zed", team, day), lines, f"/t/{k}.json",
                                  rule_overrides={"disclaim-knowledge": ("m", suggestion)}))
    got = store.rollups(CallFilter())
    zed = next(a for a in got[0] if a.agent == "zed")
    assert zed.team == "east"
    assert zed.top_violations[0].suggestion == "我来确认"
    assert_same(got, python_rollups(store, CallFilter()))
    store.close()


def test_worst_calls_and_mean_match_the_rows(month):
    with Store.open(month, create=False) as store:
        ok = [c for c in store.calls() if c.status == "ok"]
        lost = sorted((c for c in ok if c.hits), key=lambda c: (c.score, c.call_id, c.pk))
        assert store.worst_calls(limit=5) == lost[:5]
        assert store.mean_score() == pytest.approx(sum(c.score for c in ok) / len(ok))
        assert store.count_calls() == {"ok": len(ok), "failed": 8, "in_progress": 0}


def plan(conn: sqlite3.Connection, sql: str, args=()) -> str:
    return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args))


def test_the_report_queries_use_the_indexes(month, monkeypatch):
    seen: list[tuple[str, tuple]] = []
    with Store.open(month, create=False) as store:
        real = store._conn

        class Recorder:
            def execute(self, sql, args=()):
                seen.append((sql, tuple(args)))
                return real.execute(sql, args)

        store._conn = Recorder()  # type: ignore[assignment]
        store.count_calls()
        store.mean_score()
        store.worst_calls()
        store.rollups()
        store.calls(CallFilter(since="2026-10-03"))
        store.calls(CallFilter(team="team-01"))
        store._conn = real
        plans = {sql: plan(real, sql, args) for sql, args in seen}
    expected = {
        "SELECT c.status, COUNT(*)": "COVERING INDEX calls_worst",
        "AVG(c.score)": "COVERING INDEX calls_",  # calls_worst or calls_report
        "ORDER BY c.score, c.call_id": "INDEX calls_worst",
        "GROUP BY c.agent, c.team": "COVERING INDEX calls_report",
        "SUM(h.points)": "COVERING INDEX hits_deductions",
        "c.started >= ?": "INDEX calls_started",
        "c.team = ?": "INDEX calls_team",
    }
    for needle, index in expected.items():
        (sql,) = [s for s in plans if needle in s]
        assert index in plans[sql], (needle, plans[sql])
    # No report query reads a whole table of calls or hits row by row.
    for sql, p in plans.items():
        assert not re.search(r"SCAN [ch]\b(?! USING)", p), (sql, p)
    # The per-call deduction count is read from the index, never the hits rows.
    assert any("SEARCH h USING COVERING INDEX hits_deductions" in p for p in plans.values())


def test_a_version_1_store_gains_the_indexes_and_keeps_its_calls(tmp_path):
    path = tmp_path / "v1.db"
    store = build_store(path, random_calls(5))
    before = store.calls()
    store.close()
    # Make it what phraseguard wrote before schema version 2.
    conn = sqlite3.connect(path)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                                "AND sql IS NOT NULL").fetchall():  # fmt: skip
        conn.execute(f"DROP INDEX {name}")
    conn.executescript("CREATE INDEX calls_agent ON calls(agent); CREATE INDEX calls_status ON "
                       "calls(status); CREATE INDEX calls_path ON calls(path); CREATE INDEX "
                       "hits_call ON hits(call); CREATE INDEX hits_rule ON hits(rule_id); "
                       "PRAGMA user_version = 1;")
    conn.close()
    with Store.open(path, create=False) as store:
        assert store.calls() == before
        conn = store._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"calls_report", "calls_worst", "calls_started", "calls_team",
                "hits_deductions"} <= indexes
        assert not {"calls_status", "hits_call"} & indexes
