"""The call flow in the HTML report, in a real browser (headless Chromium).

The calls are scored through ``score`` (call flow on by default) with a
lexicon whose closing rule says "missing" in markup. Checks what only a
browser can: the timeline draws a marker per event where it belongs,
clicking a marker (or pressing Enter on it) plays the recording from a
second before the event, the markup shows as text, and the agent cards show
the rates ``--json`` gives. In both report shapes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_driver import open_page, screenshot
from flow_calls import (
    CHECKLISTS,
    HOSTILE_MISSING,
    TIMED_CALL,
    TIMED_EVENTS,
    TIMED_SECONDS,
    score,
    write_calls,
    write_hostile_lexicon,
)
from test_report_browser import call_element, js, open_call

from phraseguard.calls.store import Store
from phraseguard.report.html import HtmlWriter
from phraseguard.report.results import load_results

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class FlowReport:
    page: Path
    doc: dict  # score --json of the same calls


@pytest.fixture(scope="module")
def flow_reports(tmp_path_factory) -> dict[str, FlowReport]:
    """The batch as one self-contained page and as a page with its folder."""
    root = tmp_path_factory.mktemp("flow-browser")
    calls = write_calls(root / "calls")
    lexicon = write_hostile_lexicon(root / "ours.toml")
    out = root / "out"
    out.mkdir()
    db = root / "qa.db"
    doc = json.loads(score(str(calls), "--db", str(db), "--lexicon", str(lexicon), "--json",
                           "-", "--html", str(out / "one.html")))
    with Store.open(db, create=False) as store:
        results = load_results(store, required=list(CHECKLISTS[TIMED_CALL]))
    HtmlWriter(single_file_max_calls=0).write_path(results, out / "big.html")
    return {"file": FlowReport(out / "one.html", doc), "folder": FlowReport(out / "big.html", doc)}


def markers(driver, call) -> list[dict]:
    return js(driver, """const bar = arguments[0].querySelector('.tl-bar').getBoundingClientRect();
        return Array.from(arguments[0].querySelectorAll('.tl-marker')).map(m => {
          const b = m.getBoundingClientRect();
          return {rule: m.dataset.rule, kind: m.dataset.kind, t: parseFloat(m.dataset.t),
                  x: (b.left + b.width / 2 - bar.left) / bar.width, w: b.width, h: b.height,
                  label: m.getAttribute('aria-label'), tag: m.tagName};
        });""", call)


def wait_for_time(driver, audio, low: float, high: float) -> float:
    """The player's time once it has moved into [low, high); fails after 10 s."""
    deadline = time.monotonic() + 10
    state = {}
    while time.monotonic() < deadline:
        state = js(driver, """const a = arguments[0]; return {t: a.currentTime,
            ready: a.readyState, error: a.error && a.error.code};""", audio)
        if state["error"] is None and state["ready"] >= 1 and low <= state["t"] < high:
            return state["t"]
        time.sleep(0.05)
    raise AssertionError(f"the player never reached [{low}, {high}): {state}")


@pytest.mark.parametrize("shape", ["file", "folder"])
def test_timeline_draws_a_marker_per_event_where_it_happened(chromium, flow_reports, shape):
    report = flow_reports[shape]
    open_page(chromium, report.page)
    call = call_element(chromium, TIMED_CALL)
    open_call(chromium, call)
    got = markers(chromium, call)
    assert {(m["rule"], m["kind"], m["t"]) for m in got} == {
        (rule, kind, start) for rule, kind, start, _ in TIMED_EVENTS}
    for m in got:
        assert m["tag"] == "BUTTON" and m["w"] > 0 and m["h"] > 0  # focusable, visible
        # The bar is the call's length: a marker sits at its event's start.
        assert abs(m["x"] - m["t"] / TIMED_SECONDS) < 0.01, m
    # The two windows that start at 0 s do not hide each other: separate lanes.
    tops = js(chromium, """return Array.from(arguments[0].querySelectorAll('.tl-marker'))
        .map(m => m.getBoundingClientRect().top);""", call)
    assert len(set(tops)) >= 2
    checklist = js(chromium, """return Array.from(arguments[0].querySelectorAll(
        '.checklist li')).map(li => [li.dataset.item, li.className]);""", call)
    assert checklist == [[item, "said" if said else "missing"]
                         for item, said in CHECKLISTS[TIMED_CALL].items()]
    screenshot(chromium, f"report-flow-timeline-{shape}.png")


@pytest.mark.parametrize("shape", ["file", "folder"])
def test_clicking_a_marker_plays_from_a_second_before_the_event(chromium, flow_reports, shape):
    open_page(chromium, flow_reports[shape].page)
    call = call_element(chromium, TIMED_CALL)
    open_call(chromium, call)
    audio = call.find_element("css selector", "audio")
    dead_air = call.find_element("css selector", ".tl-marker[data-rule='dead-air']")
    dead_air.click()
    # Dead air from 11.4 s: the player jumps to 10.4 s (and may play on a little).
    wait_for_time(chromium, audio, 11.4 - 1, 11.4 - 1 + 0.75)
    # The keyboard does the same: Tab to a marker, press Enter.
    intro = call.find_element("css selector", ".tl-marker[data-rule='self-introduction']")
    js(chromium, "arguments[0].focus()", intro)
    assert js(chromium, "return document.activeElement === arguments[0]", intro)
    intro.send_keys("\ue007")  # Enter
    wait_for_time(chromium, audio, 6.5 - 1, 6.5 - 1 + 0.75)


@pytest.mark.parametrize("shape", ["file", "folder"])
def test_markup_in_a_reason_shows_as_text(chromium, flow_reports, shape):
    open_page(chromium, flow_reports[shape].page)
    call = call_element(chromium, TIMED_CALL)
    open_call(chromium, call)
    reason = f"{HOSTILE_MISSING} in the last 30 s"
    closing = call.find_element("css selector", ".checklist li[data-item='closing'] .why")
    assert closing.get_attribute("textContent") == reason
    marker = call.find_element("css selector", ".tl-marker[data-rule='closing']")
    assert reason in marker.get_attribute("aria-label")
    assert reason in marker.get_attribute("title")
    assert js(chromium, "return window.pwned") is None
    assert js(chromium, "return document.querySelectorAll('img, b').length") == 0


def test_agent_cards_show_each_items_rate(chromium, flow_reports):
    report = flow_reports["file"]
    open_page(chromium, report.page)
    cards = js(chromium, """return Object.fromEntries(Array.from(
        document.querySelectorAll('article.agent')).map(a => [a.dataset.agent,
          Array.from(a.querySelectorAll('.flow-rates li')).map(li =>
            [li.dataset.item, li.querySelector('.rate').textContent])]));""")
    expected = {agent: [[item, f"{round(rate * 100)}%"] for item, rate in rates.items()]
                for agent, rates in report.doc["required_rates"].items()}
    assert cards == expected
    # Under a filter the rates are recomputed from the calls shown: the calls
    # with a 不知道, alice's timed one and bob's 0012.
    js(chromium, """const el = document.getElementById('f-rule');
        el.value = 'disclaim-knowledge'; el.dispatchEvent(new Event('change', {bubbles: true}));""")
    shown = js(chromium, """return Object.fromEntries(Array.from(
        document.querySelectorAll('article.agent')).map(a => [a.dataset.agent,
          Array.from(a.querySelectorAll('.flow-rates .rate')).map(e => e.textContent)]));""")
    assert shown == {agent: ["100%" if said else "0%" for said in CHECKLISTS[call].values()]
                     for agent, call in (("alice", TIMED_CALL), ("bob", "0012"))}
