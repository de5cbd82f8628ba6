"""The HTML reports in a real browser: headless Chromium through chromedriver.

Checks what only a browser can: the charts are drawn, clicking a hit moves
the recording to a second before it, injected markup never runs, and the
filters change what is shown. See conftest.py for the browser and where the
screenshots go.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_driver import open_page, screenshot
from synthetic_calls import (
    HOSTILE_AGENT,
    HOSTILE_CALL_ID,
    HOSTILE_TEXT,
    CallSpec,
    build_store,
    hostile_call,
    random_calls,
    write_wav,
)

from phraseguard.calls.store import CallMeta
from phraseguard.lint.linter import LintOptions, lint_paths
from phraseguard.report.html import HtmlWriter
from phraseguard.report.lint_html import HtmlLintWriter
from phraseguard.report.results import ScoreResults, load_results
from phraseguard.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from phraseguard.speech.transcript import Role

pytestmark = pytest.mark.browser

AUDIO_CALL_ID = "with-audio"
TITLE = "phraseguard QA report"


@dataclass(frozen=True)
class Report:
    page: Path
    results: ScoreResults
    audio_call: int  # calls.id of the call with a recording


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Report:
    root = tmp_path_factory.mktemp("browser-report")
    (root / "recordings").mkdir()
    wav = write_wav(root / "recordings" / "call with audio.wav", 30.0)
    chat = [(Role.AGENT, "您好 很 高兴 为您 服务", None), (Role.CUSTOMER, "我 想 退款", None)] * 4
    audio = CallSpec(
        CallMeta(AUDIO_CALL_ID, "alice", "north", "2026-10-03"),
        (*chat, (Role.AGENT, "这个 我 也 不 知道", "disclaim-knowledge")),
        str(root / "with-audio.json"), audio_path=str(wav))  # fmt: skip
    specs = [*random_calls(12, days=4), hostile_call("2026-10-02"), audio]
    store = build_store(root / "r.db", specs)
    results = load_results(store)
    store.close()
    (root / "out").mkdir()
    page = root / "out" / "report.html"
    HtmlWriter().write_path(results, page)
    pk = next(c.pk for c in results.calls if c.call_id == AUDIO_CALL_ID)
    return Report(page, results, pk)


def js(driver, script: str, *args):
    return driver.execute_script(script, *args)


def visible_calls(driver) -> list[dict]:
    return js(driver, """return Array.from(document.querySelectorAll('details.call')).map(
        d => ({id: +d.dataset.call, agent: d.querySelector('.c-agent').textContent,
               date: d.querySelector('.c-date').textContent}));""")


def open_call(driver, details) -> None:
    """Open a call's section and wait for its transcript (built on the toggle event)."""
    details.find_element("css selector", "summary").click()
    deadline = time.monotonic() + 5
    while not details.find_elements("css selector", ".call-body"):
        if time.monotonic() > deadline:
            raise AssertionError("the call's transcript was never rendered")
        time.sleep(0.02)


def choose(driver, control: str, value: str) -> None:
    """Set a filter the way a user does: change the control, fire ``change``."""
    js(driver, """const el = document.getElementById(arguments[0]); el.value = arguments[1];
        el.dispatchEvent(new Event('change', {bubbles: true}));""", control, value)


def test_charts_render_with_bars(chromium, report):
    open_page(chromium, report.page)
    ok = report.results.scored
    days = {c.date[:10] for c in ok}
    expected = {"chart-agents": len({c.agent for c in ok}),
                "chart-rules": len(report.results.violations), "chart-days": len(days)}
    assert len(days) >= 2
    for chart, bars in expected.items():
        sizes = js(chromium, """return Array.from(document.querySelectorAll(
            '#' + arguments[0] + ' svg rect.bar')).map(r => {
              const b = r.getBoundingClientRect(); return [b.width, b.height]; });""", chart)
        assert len(sizes) == bars, chart
        assert all(w > 0 and h > 0 for w, h in sizes), (chart, sizes)
    # The lowest scorer's bar is the shortest: bars are scaled to the scores.
    widths = js(chromium, """return Array.from(document.querySelectorAll(
        '#chart-agents rect.bar')).map(r => r.getBoundingClientRect().width);""")
    assert widths == sorted(widths)
    screenshot(chromium, "report-overview.png")


def test_agent_cards_show_the_stores_numbers(chromium, report):
    open_page(chromium, report.page)
    cards = js(chromium, """return Array.from(document.querySelectorAll('article.agent')).map(
        a => [a.dataset.agent, a.querySelector('.agent-score').textContent,
              Array.from(a.querySelectorAll('.violations .rule-id')).map(e => e.textContent)]);""")
    expected = [[a.agent, f"{a.mean_score:.1f}", [v.rule_id for v in a.top_violations]]
                for a in report.results.agents]
    assert cards == expected


def test_clicking_a_hit_plays_from_a_second_before(chromium, report):
    open_page(chromium, report.page)
    call = chromium.find_element("css selector", f'details[data-call="{report.audio_call}"]')
    assert not call.find_elements("css selector", ".call-body")  # not rendered until opened
    open_call(chromium, call)
    audio = call.find_element("css selector", "audio")
    assert js(chromium, "return arguments[0].currentTime", audio) == 0
    mark = call.find_element("css selector", "mark.hit.timed")
    start = float(mark.get_attribute("data-t"))
    assert start > 1
    mark.click()
    deadline = time.monotonic() + 10
    state = {}
    while time.monotonic() < deadline:
        state = js(chromium, """const a = arguments[0]; return {t: a.currentTime,
            ready: a.readyState, error: a.error && a.error.code};""", audio)
        if state["ready"] >= 1 and state["t"] > 0:
            break
        time.sleep(0.05)
    assert state["error"] is None, state
    # Playback may have run on a little since the seek.
    assert start - 1 <= state["t"] < start - 1 + 0.75, (start, state)
    screenshot(chromium, "report-call-open.png")


def test_injected_markup_shows_as_text_and_never_runs(chromium, report):
    open_page(chromium, report.page)
    assert js(chromium, "return window.pwned") is None
    assert chromium.title == TITLE
    call = next(d for d in chromium.find_elements("css selector", "details.call")
                if d.find_element("css selector", ".c-id").text == HOSTILE_CALL_ID)
    open_call(chromium, call)
    texts = [e.get_attribute("textContent") for e in call.find_elements("css selector", ".u-text")]
    assert HOSTILE_TEXT in texts
    assert js(chromium, "return window.pwned") is None and chromium.title == TITLE
    names = [e.get_attribute("textContent") for e in chromium.find_elements(
        "css selector", "article.agent h3")]
    assert HOSTILE_AGENT in names
    assert js(chromium, "return document.querySelectorAll('img, svg[onload], b').length") == 0


def test_filters_change_the_visible_calls(chromium, report):
    open_page(chromium, report.page)
    calls = report.results.calls
    assert len(visible_calls(chromium)) == len(calls)

    choose(chromium, "f-agent", "bob")
    shown = visible_calls(chromium)
    assert {c["agent"] for c in shown} == {"bob"}
    assert len(shown) == sum(c.agent == "bob" for c in calls) > 0
    assert js(chromium, "return document.getElementById('f-count').textContent") == \
        f"{len(shown)} of {len(calls)} calls"
    assert js(chromium, "return document.querySelectorAll('article.agent').length") == 1

    js(chromium, "document.getElementById('f-reset').click()")
    choose(chromium, "f-rule", "whatever")
    with_rule = {h.call for h in report.results.hits if h.counted and h.rule_id == "whatever"}
    assert {c["id"] for c in visible_calls(chromium)} == with_rule

    js(chromium, "document.getElementById('f-reset').click()")
    choose(chromium, "f-from", "2026-10-02")
    choose(chromium, "f-to", "2026-10-03")
    in_range = {c.pk for c in calls if "2026-10-02" <= c.date[:10] <= "2026-10-03"}
    assert {c["id"] for c in visible_calls(chromium)} == in_range
    assert 0 < len(in_range) < len(calls)
    screenshot(chromium, "report-filtered.png")


def test_lint_review_page(chromium, tmp_path, default_lexicon, matcher):
    hostile = tmp_path / "<img src=x onerror=window.pwned=1>.txt"
    hostile.write_text("<script>window.pwned=2</script>这个我不知道\n", "utf-8")
    (tmp_path / "refund.txt").write_text("跟我们没关系，您自己去问银行吧。\n随便你\n", "utf-8")
    buf = io.StringIO()
    writer = HtmlLintWriter(default_lexicon, buf)
    writer.start()
    options = LintOptions(include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE)
    for result in lint_paths([str(tmp_path)], matcher, options):
        writer.handle(result)
    writer.finish()
    page = tmp_path / "review.html"
    page.write_text(buf.getvalue(), "utf-8")

    open_page(chromium, page)
    assert js(chromium, "return window.pwned") is None
    headings = [e.text for e in chromium.find_elements("css selector", "article.file h3")]
    assert str(hostile) in headings
    lines = [e.get_attribute("textContent") for e in chromium.find_elements("css selector",
                                                                            "pre.line")]
    assert "<script>window.pwned=2</script>这个我不知道" in lines
    bars = js(chromium, """return Array.from(document.querySelectorAll('#chart-rules rect.bar'))
        .map(r => r.getBoundingClientRect().width);""")
    assert len(bars) >= 2 and all(w > 0 for w in bars)
    total = len(chromium.find_elements("css selector", "li.finding"))
    choose(chromium, "f-rule", "disclaim-knowledge")
    shown = js(chromium, """return Array.from(document.querySelectorAll('li.finding'))
        .filter(f => !f.hidden).map(f => f.dataset.rule);""")
    assert shown == ["disclaim-knowledge"] and total > 1
    choose(chromium, "f-rule", "")
    screenshot(chromium, "lint-review.png")
