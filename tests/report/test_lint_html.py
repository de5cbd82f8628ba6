"""``phraseguard lint --format html``: the script-review page (no browser)."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_html_report import parse

from phraseguard.cli import cli
from phraseguard.lint.linter import LintOptions, lint_paths
from phraseguard.report.lint_html import (
    CONTEXT_CHARS,
    HtmlLintWriter,
    excerpt_of,
    read_excerpts,
    svg_bar_chart,
)
from phraseguard.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

HOSTILE_NAME = "<img src=x onerror=alert(1)>.txt"
HOSTILE_LINE = "客服：<script>window.pwned=1</script>这个我不知道"


def review(paths, default_lexicon, matcher) -> str:
    buf = io.StringIO()
    writer = HtmlLintWriter(default_lexicon, buf)
    writer.start()
    options = LintOptions(include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE)
    for result in lint_paths([str(p) for p in paths], matcher, options):
        writer.handle(result)
    writer.finish()
    return buf.getvalue()


@pytest.fixture
def scripts(tmp_path) -> Path:
    (tmp_path / HOSTILE_NAME).write_text(HOSTILE_LINE + "\n正常的一句话\n", "utf-8")
    (tmp_path / "refund.txt").write_text("您好\n跟我们没关系，您自己去问银行吧。\n不清楚\n", "utf-8")
    (tmp_path / "clean.txt").write_text("您好，我帮您确认一下。\n", "utf-8")
    return tmp_path


def test_hostile_file_name_and_line_show_as_text(scripts, default_lexicon, matcher):
    page = review([scripts], default_lexicon, matcher)
    assert HOSTILE_NAME not in page and "<script>window.pwned" not in page
    assert html.escape(HOSTILE_NAME) in page
    tags = parse(page)
    assert not any(t == "img" for t, _ in tags.tags)
    assert [a.get("type") for a, _ in tags.scripts] == [None]  # the page's own filter script
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    # The finding is highlighted in its escaped line.
    assert (html.escape("客服：<script>window.pwned=1</script>这个我") + "<mark>不知道</mark>"
            in page)


def test_findings_counts_and_suggestions(scripts, default_lexicon, matcher):
    page = review([scripts], default_lexicon, matcher)
    findings = [a for t, a in parse(page).tags if t == "li" and "finding" in a.get("class", "")]
    rules = sorted(a["data-rule"] for a in findings)
    assert rules == sorted(["disclaim-knowledge", "disclaim-knowledge",
                            "disclaim-responsibility", "disclaim-responsibility"])
    row = ('<tr><td><span class="rule-id">disclaim-knowledge</span></td>'
           '<td><span class="sev sev-major">major</span></td><td class="num">2</td>')
    assert row in page
    suggestion = default_lexicon.rules[[r.id for r in default_lexicon.rules].index(
        "disclaim-knowledge")].suggestions[0]
    assert html.escape(suggestion) in page
    assert "1 clean file" in page and "clean.txt" in page
    assert page.count('<rect x="170"') == 2 + 2  # 2 rule bars, 2 severity bars


def test_long_line_shows_a_window_around_the_finding(tmp_path, default_lexicon, matcher):
    f = tmp_path / "long.txt"
    f.write_text("好" * 5000 + "我不知道" + "呀" * 5000 + "\n", "utf-8")
    page = review([f], default_lexicon, matcher)
    assert "好" * CONTEXT_CHARS + "我<mark>不知道</mark>" not in page  # window is bounded
    assert ('<span class="ellipsis">…</span>' + "好" * (CONTEXT_CHARS - 1) + "我<mark>不知道"
            "</mark>" + "呀" * CONTEXT_CHARS + '<span class="ellipsis">…</span>') in page


def test_excerpt_of_clips_both_sides():
    ex = excerpt_of("abcdefghij", 4, 6, context=2)
    assert (ex.before, ex.match, ex.after, ex.clipped_start, ex.clipped_end) == (
        "cd", "ef", "gh", True, True)  # fmt: skip
    ex = excerpt_of("abc", 0, 3, context=2)
    assert (ex.before, ex.after, ex.clipped_start, ex.clipped_end) == ("", "", False, False)


def test_changed_file_shows_the_match_alone(tmp_path, default_lexicon, matcher):
    f = tmp_path / "s.txt"
    f.write_text("这个我不知道\n", "utf-8")
    (result,) = lint_paths([str(f)], matcher, LintOptions())
    f.write_text("全部改掉了\n", "utf-8")
    assert read_excerpts(str(f), result.findings) == {}
    f.unlink()
    assert read_excerpts(str(f), result.findings) == {}
    buf = io.StringIO()
    writer = HtmlLintWriter(default_lexicon, buf)
    writer.start()
    writer.handle(result)
    writer.finish()
    assert '<pre class="line"><mark>不知道</mark></pre>' in buf.getvalue()


def test_bar_chart_escapes_labels_and_scales():
    svg = svg_bar_chart([("<b>x</b>", 4, "sev-major"), ("y", 2, "sev-minor")], width=400)
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg
    widths = [float(w) for w in __import__("re").findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [180.0, 90.0]
    assert svg_bar_chart([]) == '<p class="empty">No findings.</p>'


def test_lint_command_offers_html(scripts):
    out = scripts / "review.html"
    result = CliRunner().invoke(cli, ["lint", "--format", "html", "-o", str(out), "-q",
                                      str(scripts / "refund.txt")])  # fmt: skip
    assert result.exit_code == 1, result.output  # findings at the default --fail-on
    page = out.read_text("utf-8")
    assert page.startswith("<!doctype html>") and "跟我们没关系" in page
