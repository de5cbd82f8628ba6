"""``phraseguard lint --format html``: a script-review page in the QA report's look.

Shows the files checked, counts by rule and severity (inline SVG bars drawn
here), and per file each finding in its line: the line's text with the
forbidden phrase highlighted, the rule's message and the phrasing to use
instead. Every file name, line of text and lexicon text is escaped with
:func:`html.escape`, and the page carries the same Content-Security-Policy as
the QA report, so a script holding markup shows as text and never runs.

The lint front door hands writers findings, not the lines they sit in, so the
page reads each file with findings once more (the same encoding sniffing,
streamed) to show the line; only a window of :data:`CONTEXT_CHARS` around a
finding is kept, so a 100 MB line costs no more than a short one. Standard
input cannot be read twice: its findings show the matched text alone.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from phraseguard.engine.hit import Severity
from phraseguard.errors import PhraseguardError
from phraseguard.lint.linter import FileResult, Finding
from phraseguard.lint.textio import read_lines
from phraseguard.report.html import generated_at, header_markup, read_asset, render_page
from phraseguard.report.lint_formats import LintWriter

#: Characters of the line shown on each side of a finding.
CONTEXT_CHARS = 80

_SEVERITY_ORDER = sorted(Severity, reverse=True)


@dataclass(frozen=True)
class Excerpt:
    """The text around a finding: ``before`` + ``match`` + ``after``, clipped."""

    before: str
    match: str
    after: str
    clipped_start: bool  # the line goes on before ``before``
    clipped_end: bool  # and after ``after``


def excerpt_of(text: str, start: int, end: int, *, context: int = CONTEXT_CHARS) -> Excerpt:
    """The window of ``text`` around ``text[start:end]``."""
    lo = max(0, start - context)
    hi = min(len(text), end + context)
    return Excerpt(text[lo:start], text[start:end], text[end:hi], lo > 0, hi < len(text))


def read_excerpts(path: str, findings: Sequence[Finding], *,
                  context: int = CONTEXT_CHARS) -> dict[int, Excerpt]:
    """Excerpts for ``findings`` of one file, by index in ``findings``.

    A finding whose line cannot be found again with the same text (the file
    changed since it was linted, or cannot be read now) gets no excerpt; the
    page then shows the matched text alone rather than a wrong line.
    """
    wanted: dict[int, list[int]] = {}
    for i, f in enumerate(findings):
        wanted.setdefault(f.line, []).append(i)
    out: dict[int, Excerpt] = {}
    try:
        with open(path, "rb") as fp:
            for ln in read_lines(fp, path):
                for i in wanted.get(ln.number, ()):
                    if i in out:
                        continue
                    f = findings[i]
                    start = f.column - 1 - ln.column
                    end = f.end_column - 1 - ln.column
                    if start < 0 or end > len(ln.text):
                        continue  # in another segment of a very long line
                    if ln.text[start:end] != f.hit.matched:
                        continue
                    out[i] = excerpt_of(ln.text, start, end, context=context)
                if len(out) == len(findings):
                    break
    except (OSError, PhraseguardError):
        # Unreadable now (moved, or changed encoding since it was linted):
        # the findings found so far keep their lines, the others show alone.
        return out
    return out


@dataclass(frozen=True)
class FileReview:
    """One file as the page shows it."""

    path: str
    findings: tuple[Finding, ...]
    excerpts: dict[int, Excerpt]
    error: str | None
    lines: int
    suppressed: int


# -- markup (every piece of text goes through html.escape) ---------------------


def _e(text: object) -> str:
    return html.escape(str(text))


def svg_bar_chart(items: Sequence[tuple[str, int, str]], *, width: int = 560) -> str:
    """Horizontal bars for ``(label, value, css class)``; labels escaped."""
    if not items:
        return '<p class="empty">No findings.</p>'
    label_w, row_h = 170, 26
    plot = width - label_w - 50
    most = max(v for _, v, _ in items) or 1
    height = len(items) * row_h + 8
    rows = []
    for i, (label, value, cls) in enumerate(items):
        y = 4 + i * row_h
        w = max(2.0, value / most * plot)
        shown = label if len(label) <= 22 else label[:21] + "…"
        rows.append(
            f'<g class="row"><title>{_e(label)}: {value}</title>'
            f'<text x="{label_w - 8}" y="{y + row_h / 2}" class="label" text-anchor="end" '
            f'dominant-baseline="middle">{_e(shown)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="3" '
            f'class="bar {_e(cls)}"></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + row_h / 2}" class="value" '
            f'dominant-baseline="middle">{value}</text></g>'
        )
    return (
        f'<svg class="bars fluid" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        + "".join(rows)
        + "</svg>"
    )


def _line_markup(f: Finding, ex: Excerpt | None) -> str:
    if ex is None:
        return f'<pre class="line"><mark>{_e(f.hit.matched)}</mark></pre>'
    dots = '<span class="ellipsis">…</span>'
    return (
        '<pre class="line">'
        + (dots if ex.clipped_start else "")
        + _e(ex.before)
        + f"<mark>{_e(ex.match)}</mark>"
        + _e(ex.after)
        + (dots if ex.clipped_end else "")
        + "</pre>"
    )


def _finding_markup(f: Finding, ex: Excerpt | None) -> str:
    h = f.hit
    how = "" if h.kind.value in ("exact", "variant") else (
        f'<span class="loc">{_e(h.kind.value)} {h.confidence:.2f}</span>'
    )
    suggestion = (
        f'<div class="suggest"><span class="say">Say instead</span>'
        f"<span>{_e(h.suggestion)}</span></div>"
        if h.suggestion
        else ""
    )
    return (
        f'<li class="finding" data-rule="{_e(h.rule_id)}" data-severity="{_e(h.severity.label)}">'
        f'<div class="f-head"><span class="loc">{f.line}:{f.column}</span>'
        f'<span class="sev sev-{_e(h.severity.label)}">{_e(h.severity.label)}</span>'
        f'<span class="rule-id">{_e(h.rule_id)}</span><span>{_e(h.message)}</span>{how}</div>'
        f"{_line_markup(f, ex)}{suggestion}</li>"
    )


def _file_markup(review: FileReview) -> str:
    n = len(review.findings)
    items = "".join(
        _finding_markup(f, review.excerpts.get(i)) for i, f in enumerate(review.findings)
    )
    return (
        f'<article class="card file" data-path="{_e(review.path)}">'
        f"<header><h3>{_e(review.path)}</h3>"
        f'<span class="hint">{n} finding{"s" if n != 1 else ""} · {review.lines} lines'
        + (f" · {review.suppressed} silenced" if review.suppressed else "")
        + f'</span></header><ol class="findings">{items}</ol></article>'
    )


def _kpi(label: str, value: object, extra: str = "") -> str:
    return (
        f'<div class="kpi card {extra}"><div class="kpi-value">{_e(value)}</div>'
        f'<div class="kpi-label">{_e(label)}</div></div>'
    )


def _rule_table(findings: Iterable[Finding]) -> str:
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for f in findings:
        counts[f.hit.rule_id] += 1
        first.setdefault(f.hit.rule_id, f)
    rows = []
    for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        h = first[rule].hit
        rows.append(
            f'<tr><td><span class="rule-id">{_e(rule)}</span></td>'
            f'<td><span class="sev sev-{_e(h.severity.label)}">{_e(h.severity.label)}</span></td>'
            f'<td class="num">{n}</td><td>{_e(h.message)}</td>'
            f'<td><div class="suggest"><span>{_e(h.suggestion or "–")}</span></div></td></tr>'
        )
    return (
        '<table class="rule-table"><thead><tr><th>Rule</th><th>Severity</th><th>Count</th>'
        "<th>Why it matters</th><th>Say instead</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _filter_bar(findings: Sequence[Finding]) -> str:
    rules = sorted({f.hit.rule_id for f in findings})
    sev = [s.label for s in _SEVERITY_ORDER]
    rule_opts = "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in rules)
    sev_opts = "".join(f'<option value="{_e(s)}">{_e(s)}</option>' for s in sev)
    return (
        '<nav class="filters" aria-label="Filters"><div class="wrap filters-inner">'
        f'<label>Rule <select id="f-rule"><option value="">All rules</option>{rule_opts}'
        "</select></label>"
        f'<label>Severity <select id="f-sev"><option value="">All severities</option>{sev_opts}'
        "</select></label>"
        '<span class="count" id="f-count" aria-live="polite"></span></div></nav>'
    )


def render_review(reviews: Sequence[FileReview], *, generated: str) -> str:
    """The whole script-review page for these files."""
    findings = [f for r in reviews for f in r.findings]
    with_findings = [r for r in reviews if r.findings]
    errors = [r for r in reviews if r.error]
    clean = [r for r in reviews if not r.findings and not r.error]
    by_rule = Counter(f.hit.rule_id for f in findings)
    sev_of = {f.hit.rule_id: f.hit.severity.label for f in findings}
    by_sev = Counter(f.hit.severity for f in findings)

    kpis = (
        _kpi("files checked", len(reviews))
        + _kpi("files with findings", len(with_findings))
        + _kpi("findings", len(findings), "score-poor" if findings else "score-good")
        + _kpi("silenced", sum(r.suppressed for r in reviews))
        + _kpi("could not be read", len(errors), "score-poor" if errors else "")
    )
    rule_chart = svg_bar_chart(
        [(r, n, f"sev-{sev_of[r]}") for r, n in sorted(by_rule.items(), key=lambda kv: (-kv[1],
                                                                                      kv[0]))]
    )
    sev_chart = svg_bar_chart(
        [(s.label, by_sev[s], f"sev-{s.label}") for s in _SEVERITY_ORDER if by_sev[s]]
    )
    parts = [
        header_markup("script review", f"{len(reviews)} files", generated),
        _filter_bar(findings),
        '<main class="wrap"><section id="overview"><h2>Overview</h2>',
        f'<div class="kpis">{kpis}</div><div class="charts">',
        '<figure class="card chart-card" id="chart-rules"><figcaption>Findings by rule'
        f'</figcaption><div class="chart">{rule_chart}</div></figure>',
        '<figure class="card chart-card" id="chart-severity"><figcaption>Findings by severity'
        f'</figcaption><div class="chart">{sev_chart}</div></figure></div>',
    ]
    if findings:
        parts.append(f'<h2>Rules</h2><div class="card">{_rule_table(findings)}</div>')
    parts.append("</section>")
    if errors:
        parts.append('<section id="errors"><h2>Files that could not be read</h2>'
                     '<ul class="errors">')
        parts += [f"<li><code>{_e(r.path)}</code>: {_e(r.error)}</li>" for r in errors]
        parts.append("</ul></section>")
    parts.append('<section id="files"><h2>Findings</h2>')
    if not with_findings:
        parts.append('<p class="clean">No forbidden phrases found.</p>')
    parts += [_file_markup(r) for r in with_findings]
    if clean:
        names = "".join(f"<li><code>{_e(r.path)}</code></li>" for r in clean)
        parts.append(
            f'<div class="card clean-files"><details><summary>{len(clean)} clean '
            f'file{"s" if len(clean) != 1 else ""}</summary><ul>{names}</ul></details></div>'
        )
    parts.append("</section></main>")
    return render_page(
        title="phraseguard script review",
        body="".join(parts),
        css=read_asset("report.css"),
        scripts=[read_asset("lint.js")],
    )


class HtmlLintWriter(LintWriter):
    """``--format html``: collects the files, writes the page at :meth:`finish`."""

    name = "html"
    extension = ".html"

    def start(self) -> None:
        self.reviews: list[FileReview] = []

    def handle(self, result: FileResult) -> None:
        findings = tuple(result.findings)
        readable = findings and Path(result.path).is_file()
        excerpts = read_excerpts(result.path, findings) if readable else {}
        self.reviews.append(
            FileReview(result.path, findings, excerpts, result.error, result.lines,
                       result.suppressed)
        )

    def finish(self) -> None:
        self.fp.write(render_review(self.reviews, generated=generated_at()))
