"""The call flow in the HTML report's data: checklists, agent rates, timeline events.

The calls are scored through ``score`` with its default (call flow on), and
the page's embedded data must say what ``--json`` says: the same checklist
per call, the same rate of each item per agent, the missing items and timing
events with their place in time. No browser: ``test_report_flow_browser.py``
checks the drawing.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from flow_calls import CHECKLISTS, TIMED_CALL, TIMED_EVENTS, score, write_calls
from test_html_folder import shard_file
from test_html_report import call_details, embedded_data

from phraseguard.calls.store import Store
from phraseguard.cli import cli
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.report.html import HtmlWriter
from phraseguard.report.html_files import files_folder
from phraseguard.report.html_flow import NOT_CHECKED
from phraseguard.report.results import load_results

ITEMS = ["greeting", "self-introduction", "closing"]


def decode(data: dict, i: int) -> dict[str, bool] | None:
    """Call i's checklist from the page's ``flow`` column (bit k set: item k missed)."""
    value = data["calls"]["flow"][i]
    if value == NOT_CHECKED:
        return None
    return {item: not value >> k & 1 for k, item in enumerate(data["flow"]["items"])}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """The batch scored by default (call flow), plus one call of carol scored without."""
    root = tmp_path_factory.mktemp("flow-report")
    calls = write_calls(root / "calls")
    db = str(root / "qa.db")
    doc = json.loads(score(str(calls), "--db", db, "--json", "-", "--html",
                           str(root / "qa.html")))
    unchecked = root / "unchecked"
    unchecked.mkdir()
    (unchecked / "2026-11-04_carol_0013.txt").write_text("客服：请问有什么可以帮您\n", "utf-8")
    score(str(unchecked), "--db", db, "--no-call-flow")
    return root, doc


def test_default_score_embeds_each_calls_checklist(scored):
    root, doc = scored
    data = embedded_data((root / "qa.html").read_text("utf-8"))
    assert data["flow"]["items"] == ITEMS
    from_json = {c["call_id"]: c["checklist"] for c in doc["calls"]}
    from_page = {cid: decode(data, i) for i, cid in enumerate(data["calls"]["cid"])}
    assert from_page == from_json == CHECKLISTS


def test_agent_rates_in_the_page_are_the_json_outputs(scored):
    root, doc = scored
    data = embedded_data((root / "qa.html").read_text("utf-8"))
    rates = {a["agent"]: a["flow"] for a in data["summary"]["agents"]}
    assert {agent: r["rates"] for agent, r in rates.items()} == doc["required_rates"]
    assert rates["bob"] == {"calls": 2, "rates": {"greeting": 0.5, "self-introduction": 0.5,
                                                  "closing": 0.5}}
    assert rates["alice"]["rates"]["closing"] == 0.5 and rates["alice"]["calls"] == 2


def test_a_call_scored_without_call_flow_has_no_checklist(scored):
    root, _ = scored
    page = root / "all.html"
    with Store.open(root / "qa.db", create=False) as store:
        results = load_results(store, required=ITEMS)
    HtmlWriter().write_path(results, page)
    data = embedded_data(page.read_text("utf-8"))
    i = data["calls"]["cid"].index("0013")
    assert data["calls"]["flow"][i] == NOT_CHECKED and decode(data, i) is None
    agents = {a["agent"]: a for a in data["summary"]["agents"]}
    assert agents["carol"]["flow"] is None  # nothing checked: no rates, not 0%
    assert agents["bob"]["flow"]["calls"] == 2


def test_timed_calls_carry_their_events_place_in_time(scored):
    root, _ = scored
    details = call_details((root / "qa.html").read_text("utf-8"), TIMED_CALL)
    assert details["audio"].endswith(f"_{TIMED_CALL}.wav")
    events = [h for h in details["h"] if h["kind"] in ("missing", "timing")]
    assert {(h["rule_id"], h["kind"], h["time_start"], h["time_end"]) for h in events} == \
        TIMED_EVENTS
    by_rule = {h["rule_id"]: h for h in events}
    assert by_rule["dead-air"]["message"] == \
        "dead air: the customer waited 6.6 s for an answer (limit 5 s)"
    assert by_rule["closing"]["message"] == "no farewell in the last 30 s"
    assert all(h["counted"] and h["points"] == 5 for h in events)
    # A forbidden phrase's message is the rule's, in ``rules``: not repeated per hit.
    (phrase,) = [h for h in details["h"] if h["kind"] not in ("missing", "timing")]
    assert "message" not in phrase and phrase["time_start"] == 23.2


def test_text_calls_have_a_checklist_and_no_timing(scored):
    root, _ = scored
    details = call_details((root / "qa.html").read_text("utf-8"), "0011")
    assert {(h["rule_id"], h["kind"], h["time_start"]) for h in details["h"]} == {
        ("greeting", "missing", None), ("self-introduction", "missing", None)}


def test_the_folder_shape_carries_the_same_call_flow(scored, tmp_path):
    root, _ = scored
    with Store.open(root / "qa.db", create=False) as store:
        results = load_results(store, required=ITEMS)
    single, folder = tmp_path / "one.html", tmp_path / "big.html"
    HtmlWriter().write_path(results, single)
    HtmlWriter(single_file_max_calls=0).write_path(results, folder)
    one, big = (embedded_data(p.read_text("utf-8")) for p in (single, folder))
    assert big["calls"]["flow"] == one["calls"]["flow"]
    assert big["flow"] == one["flow"] and big["summary"]["agents"] == one["summary"]["agents"]
    _, calls = shard_file(files_folder(folder), 0)
    (timed,) = [c for c in calls if c["file"].endswith(f"_{TIMED_CALL}.json")]
    assert {(h["rule_id"], h["kind"], h["time_start"], h["time_end"]) for h in timed["h"]
            if h["kind"] in ("missing", "timing")} == TIMED_EVENTS


def test_report_lists_an_item_no_call_missed(tmp_path, monkeypatch):
    # Every call greets: the greeting is still on the checklist, said, because
    # `report` reads the required items from the lexicon.
    monkeypatch.chdir(tmp_path)
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / "2026-11-02_alice_0001.txt").write_text("客服：您好\n客户：查快递\n", "utf-8")
    db = str(tmp_path / "qa.db")
    score(str(calls), "--db", db)
    result = tmp_path / "r.json"
    assert CliRunner().invoke(cli, ["report", "--db", db, "--no-config", "--json",
                                    str(result)]).exit_code == 0
    (call,) = json.loads(result.read_text("utf-8"))["calls"]
    assert call["checklist"] == {"greeting": True, "self-introduction": False, "closing": False}
    assert [r.id for r in load_lexicon().flow.required] == ITEMS
