"""A large HTML report: the page with the aggregates, its transcripts in a folder beside it.

Above ``SINGLE_FILE_MAX_CALLS`` calls (forced lower here so the suite stays
fast) ``--html qa.html`` writes ``qa.html`` and ``qa_files/<generation>/``;
the page embeds the roll-ups and the compact call list, and loads a call's
transcript from its shard file when the call is opened.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from synthetic_calls import (
    HOSTILE_CALL_ID,
    HOSTILE_PATH,
    HOSTILE_SUGGESTION,
    HOSTILE_TEXT,
    build_store,
    hostile_call,
    random_calls,
)
from synthetic_store import bulk_store
from test_html_report import embedded_data, parse

from phraseguard.calls.store import Store
from phraseguard.report import html as html_report
from phraseguard.report.html import SHARD_CALLBACK, HtmlWriter
from phraseguard.report.html_files import files_folder
from phraseguard.report.results import load_results

SHARD_LINE = re.compile(rf"^{SHARD_CALLBACK}\((\d+),(.*)\);\n$", re.S)


def shard_file(folder: Path, n: int) -> tuple[str, list]:
    """(raw text, parsed calls) of shard ``n`` in a report's generation folder."""
    (generation,) = [p for p in folder.iterdir() if p.is_dir()]
    text = (generation / "calls" / f"{n}.js").read_text("utf-8")
    m = SHARD_LINE.match(text)
    assert m and int(m.group(1)) == n
    return text, json.loads(m.group(2))


def write_folder(results, page: Path) -> list[Path]:
    return HtmlWriter(single_file_max_calls=0).write_path(results, page)


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """2,000 calls of 40 agents, reported as a page and a folder."""
    root = tmp_path_factory.mktemp("month")
    db = bulk_store(root / "m.db", calls=2000, agents=40, teams=4, utterances=8,
                    failed_every=250)  # fmt: skip
    with Store.open(db, create=False) as store:
        results = load_results(store)
    page = root / "out" / "qa.html"
    page.parent.mkdir()
    written = write_folder(results, page)
    return results, page, written, db


def test_page_and_folder_are_written(month):
    results, page, written, _ = month
    assert written == [page, page.parent / "qa_files"]
    data = embedded_data(page.read_text("utf-8"))
    assert data["shards"]["src"].startswith("qa_files/r-")
    (generation,) = list(files_folder(page).iterdir())
    shards = sorted(int(p.stem) for p in (generation / "calls").iterdir())
    assert shards == list(range(-(-2000 // data["shards"]["size"])))
    # The page holds no transcript: no shard blocks, only the data and the two
    # scripts (report_flow.js, report.js).
    assert [a.get("type") for a, _ in parse(page.read_text("utf-8")).scripts] == \
        ["application/json", None, None]


def test_embedded_aggregates_are_the_stores_rollups(month):
    results, page, _, db = month
    data = embedded_data(page.read_text("utf-8"))
    summary = data["summary"]
    with Store.open(db, create=False) as store:
        ok = [c for c in store.calls() if c.status == "ok"]
        hits = store.hits(counted=True)
    assert (summary["calls"], summary["failed"]) == (2000, 8)
    assert summary["mean"] == pytest.approx(sum(c.score for c in ok) / len(ok))
    assert summary["deductions"] == sum(c.hits for c in ok) == len(hits)
    assert [a["agent"] for a in summary["agents"]] == [a.agent for a in results.agents]
    for got, a in zip(summary["agents"], results.agents, strict=True):
        assert (got["calls"], got["hits"], got["team"]) == (a.calls, a.hits, a.team)
        assert got["top"] == [{"rule": v.rule_id, "count": v.count, "points": v.points}
                              for v in a.top_violations]
    by_rule: dict[str, int] = {}
    for h in hits:
        by_rule[h.rule_id] = by_rule.get(h.rule_id, 0) + 1
    assert {r["rule"]: r["count"] for r in summary["rules"]} == by_rule
    by_day: dict[str, list] = {}
    for c in ok:
        by_day.setdefault(c.date[:10], []).append(c)
    assert [d["day"] for d in summary["days"]] == sorted(by_day)
    for d in summary["days"]:
        day = by_day[d["day"]]
        assert (d["calls"], d["hits"]) == (len(day), sum(c.hits for c in day))
        assert d["mean"] == pytest.approx(sum(c.score for c in day) / len(day))


def test_compact_call_list_matches_the_store(month):
    _, page, _, db = month
    data = embedded_data(page.read_text("utf-8"))
    cols, names = data["calls"], data["names"]
    with Store.open(db, create=False) as store:
        rows = store.calls()
    assert cols["cid"] == [c.call_id for c in rows]
    for i in (0, 1, 777, 1999):
        c = rows[i]
        t = cols["time"][i]
        date = names["days"][cols["day"][i]] + \
            f"T{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"
        assert (date, names["agents"][cols["agent"][i]], names["teams"][cols["team"][i]],
                cols["score"][i], cols["n"][i]) == (c.date, c.agent, c.team, c.score, c.hits)
    # About 55 bytes a call: 200,000 calls stay well under 20 MB.
    assert len(page.read_bytes()) < 2000 * 90 + 200_000


def test_a_calls_transcript_is_in_its_shard_file(month):
    _, page, _, db = month
    data = embedded_data(page.read_text("utf-8"))
    size = data["shards"]["size"]
    i = 1234
    _, calls = shard_file(files_folder(page), i // size)
    call = calls[i % size]
    with Store.open(db, create=False) as store:
        row = store.calls()[i]
        transcript = store.transcript(row.pk)
        hits = store.hits(call=row.pk)
    assert (call["id"], call["file"]) == (row.pk, row.path)
    assert ["".join(s if isinstance(s, str) else s[0] for s in u[3]) for u in call["t"]] == \
        [u.text for u in transcript.utterances]
    assert [(u[0], u[1], u[2]) for u in call["t"]] == \
        [(u.role.value, round(u.start, 2), round(u.end, 2)) for u in transcript.utterances]
    assert [(h["rule_id"], h["counted"], h["points"], h["time_start"]) for h in call["h"]] == \
        [(h.rule_id, int(h.counted), h.points, round(h.time_start, 2)) for h in hits]


def test_lazily_loaded_transcripts_are_escaped(tmp_path):
    store = build_store(tmp_path / "h.db", random_calls(4, days=2) + [hostile_call()])
    results = load_results(store)
    store.close()
    page = tmp_path / "r.html"
    write_folder(results, page)
    text, calls = shard_file(files_folder(page), 0)
    for raw in (HOSTILE_TEXT, HOSTILE_PATH, HOSTILE_SUGGESTION, "</script", "<img", "<svg"):
        assert raw not in text
    assert not set("<>&\u2028\u2029") & set(text)
    call = next(c for c in calls if c["file"] == HOSTILE_PATH)
    assert "".join(s if isinstance(s, str) else s[0] for s in call["t"][2][3]) == HOSTILE_TEXT
    data = embedded_data(page.read_text("utf-8"))
    assert HOSTILE_CALL_ID in data["calls"]["cid"]


def test_the_policy_allows_the_shard_files_and_still_no_network(month):
    _, page, _, _ = month
    csp = next(a["content"] for t, a in parse(page.read_text("utf-8")).tags
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'self'" in directives["script-src"].split()
    assert directives["default-src"] == "'none'" and "http" not in csp
    assert "connect-src" not in directives  # falls back to default-src 'none'


def test_a_failed_rewrite_leaves_yesterdays_report_working(month, tmp_path, monkeypatch):
    results, _, _, _ = month
    page = tmp_path / "qa.html"
    write_folder(results, page)
    before = page.read_text("utf-8")
    (old,) = list(files_folder(page).iterdir())
    old_shard = (old / "calls" / "3.js").read_text("utf-8")

    real = html_report.shard_script

    def disk_full(n, calls):
        if n == 5:
            raise OSError(28, "No space left on device")
        return real(n, calls)

    monkeypatch.setattr(html_report, "shard_script", disk_full)
    with pytest.raises(OSError):
        write_folder(results, page)
    assert page.read_text("utf-8") == before
    assert list(files_folder(page).iterdir()) == [old]  # no half-written generation left
    assert (old / "calls" / "3.js").read_text("utf-8") == old_shard

    monkeypatch.setattr(html_report, "shard_script", real)
    write_folder(results, page)
    (new,) = list(files_folder(page).iterdir())
    assert new != old and embedded_data(page.read_text("utf-8"))["shards"]["src"] == \
        f"qa_files/{new.name}/calls/"


KILLED_MID_FOLDER = """
import os, sys
from phraseguard.calls.store import Store
from phraseguard.report import html
from phraseguard.report.html import HtmlWriter
from phraseguard.report.results import load_results
real = html.shard_script
def killed(n, calls):
    if n == 3:
        os.kill(os.getpid(), 9)
    return real(n, calls)
html.shard_script = killed
with Store.open(sys.argv[1], create=False) as store:
    results = load_results(store)
HtmlWriter(single_file_max_calls=0).write_path(results, sys.argv[2])
"""


def test_a_kill_9_mid_folder_leaves_yesterdays_report_and_the_next_run_tidies(month, tmp_path):
    results, _, _, db = month
    page = tmp_path / "qa.html"
    write_folder(results, page)
    before = page.read_text("utf-8")
    (old,) = list(files_folder(page).iterdir())
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_FOLDER, str(db), str(page)],
                          env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == -9, proc.stderr
    assert page.read_text("utf-8") == before
    left = sorted(p.name for p in files_folder(page).iterdir())
    assert old.name in left and len(left) == 2  # the killed run's hidden folder
    write_folder(results, page)
    (new,) = list(files_folder(page).iterdir())
    assert new.name not in left


def test_a_report_that_shrinks_to_one_file_removes_its_folder(month, tmp_path):
    results, _, _, _ = month
    page = tmp_path / "qa.html"
    write_folder(results, page)
    (files_folder(page) / "notes.txt").write_text("mine", "utf-8")
    store = build_store(tmp_path / "small.db", random_calls(3))
    small = load_results(store)
    store.close()
    assert HtmlWriter().write_path(small, page) == [page]
    assert embedded_data(page.read_text("utf-8"))["shards"]["src"] is None
    # Only phraseguard's generations go; the user's file stays.
    assert [p.name for p in files_folder(page).iterdir()] == ["notes.txt"]
