"""``--html FILE``: the report a QA supervisor opens in a browser.

One self-contained page that opens from disk with no network: the CSS and
JavaScript are package data (``assets/``) inlined into the page, the charts
are SVG drawn by that script, and the data is embedded as JSON in a
``<script type="application/json">`` tag. The page shows an overview (calls,
agents, team score, charts by agent, by rule and over time), a card per agent
with the phrasing to coach, and the calls: each one's transcript with its hits
highlighted and, where the recording exists, a player that jumps to a second
before a hit when the hit is clicked. Filters by agent, team, rule and date
range recompute everything in the browser.

Hostile text (a transcript, file or agent name with markup) can never run:

- every string this module writes into HTML goes through :func:`html.escape`;
- the embedded JSON has ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so
  nothing inside it can close its ``<script>`` tag, and the script only ever
  puts data into the page as text nodes (never ``innerHTML``);
- a Content-Security-Policy allows only this page's own script and style (by
  hash) and no network at all, so even markup that slipped through could not
  run a script or fetch anything.

A 1,000-call report stays small and quick to open because transcripts are not
rendered until their call is opened, and the call list is paginated.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from phraseguard.calls.scoring import UNKNOWN_AGENT
from phraseguard.calls.store import CallRow, HitRow, Store
from phraseguard.report.results import ScoreResults
from phraseguard.report.writer import ReportWriter
from phraseguard.speech.transcript import Transcript

#: Bumped when the embedded JSON changes shape (the page's script reads it).
DATA_VERSION = 2

#: The id of the embedded JSON; ``report.js`` reads it.
DATA_ELEMENT_ID = "pg-data"


# -- page scaffolding shared with the lint review page -------------------------


def read_asset(name: str) -> str:
    """The text of ``phraseguard/report/assets/<name>`` (package data)."""
    return resources.files("phraseguard.report").joinpath("assets", name).read_text("utf-8")


def json_for_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so a string holding
    ``</script>`` or ``<!--`` cannot end or alter the element; U+2028/2029 are
    escaped too because some tools treat them as line ends. ``JSON.parse``
    restores every character.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(*, scripts: Sequence[str], styles: Sequence[str]) -> str:
    """A policy allowing only these inline scripts and styles, and no network.

    Media may come from the page's own place or local files, so the
    recordings beside the report play; nothing can be fetched or connected to.
    """
    script_src = " ".join(_csp_hash(s) for s in scripts) or "'none'"
    style_src = " ".join(_csp_hash(s) for s in styles) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {style_src}; "
        "media-src 'self' file: blob:; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'; object-src 'none'"
    )


def render_page(*, title: str, body: str, css: str, scripts: Sequence[str] = (),
                data: Any = None, data_id: str = DATA_ELEMENT_ID) -> str:
    """A complete HTML document: ``title`` is escaped here; ``body`` must be markup
    built with escaped text. ``data`` (when given) is embedded as JSON.
    """
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="'
        + html.escape(content_security_policy(scripts=scripts, styles=[css]))
        + '">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        body,
    ]
    if data is not None:
        parts.append(
            f'<script type="application/json" id="{html.escape(data_id)}">'
            f"{json_for_script(data)}</script>"
        )
    parts += [f"<script>{s}</script>" for s in scripts]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def header_markup(kind: str, subtitle: str, generated: str) -> str:
    """The top bar both pages share: product, page kind, source and time (escaped)."""
    return (
        '<header class="top"><div class="wrap top-inner">'
        '<div class="brand"><span class="logo" aria-hidden="true">pg</span>'
        f'phraseguard <span class="kind">{html.escape(kind)}</span></div>'
        f'<div class="meta"><span title="{html.escape(subtitle)}">{html.escape(subtitle)}</span>'
        f"<span>generated {html.escape(generated)}</span></div>"
        "</div></header>"
    )


def generated_at() -> str:
    """Local time of writing, to the minute, for the page header."""
    return datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")


# -- data embedded in the score report -------------------------------------------


@dataclass(frozen=True)
class Recording:
    """Where the page finds a call's recording: a URL the page can play, or why not."""

    src: str | None  # relative URL from the report, or a file:// URI
    missing: str | None  # the recorded path when the file is not there


def recording_path(call: CallRow) -> str | None:
    """The recording the store names for a call (an audio call is its own recording)."""
    if call.audio_path:
        return call.audio_path
    return call.path if call.source == "audio" and call.path else None


def locate_recording(call: CallRow, out_dir: Path | None) -> Recording | None:
    """A playable reference to the call's recording, or None when it has none.

    Relative to the report's folder when the report is written to a file, so
    the report and the recordings can move together; a file:// URI otherwise
    (or across Windows drives, where no relative path exists).
    """
    recorded = recording_path(call)
    if recorded is None:
        return None
    path = Path(recorded).expanduser()
    if not path.is_file():
        return Recording(None, recorded)
    path = path.resolve()
    if out_dir is not None:
        try:
            rel = os.path.relpath(path, out_dir.resolve())
        except ValueError:
            return Recording(path.as_uri(), None)
        return Recording(quote(Path(rel).as_posix(), safe="/"), None)
    return Recording(path.as_uri(), None)


def mark_segments(text: str, spans: Iterable[tuple[int, int, int]]) -> list[str | list]:
    """Split ``text`` into plain strings and ``[text, hit, hit...]`` marks.

    ``spans`` are ``(start, end, hit index)`` character spans (end exclusive).
    Overlapping spans (one phrase matched by two rules) become one mark that
    names every hit, so no character is shown twice. Spans outside the text
    are clipped; empty ones are dropped.
    """
    n = len(text)
    clipped = sorted(
        (max(0, min(s, n)), max(0, min(e, n)), i) for s, e, i in spans if min(e, n) > max(s, 0)
    )
    merged: list[tuple[int, int, list[int]]] = []
    for s, e, i in clipped:
        if merged and s < merged[-1][1]:
            ps, pe, ids = merged[-1]
            merged[-1] = (ps, max(pe, e), ids + [i])
        else:
            merged.append((s, e, [i]))
    out: list[str | list] = []
    pos = 0
    for s, e, ids in merged:
        if s > pos:
            out.append(text[pos:s])
        out.append([text[s:e], *ids])
        pos = e
    if pos < n:
        out.append(text[pos:])
    return out


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _day(date: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or datetime; None for anything else."""
    if not date or len(date) < 10:
        return None
    day = date[:10]
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    return day


def _hit_data(h: HitRow) -> dict[str, Any]:
    """A call's hit for the page: the README's hit field names (rule details in ``rules``)."""
    return {
        "utterance": h.utterance,
        "rule_id": h.rule_id,
        "matched": h.matched,
        "time_start": _round(h.time_start),
        "time_end": _round(h.time_end),
        "counted": int(h.counted),
        "points": h.points,
        "kind": h.kind,
        "confidence": round(h.confidence, 2),
        "reason": h.reason or "",
    }


def _transcript_data(t: Transcript, hits: Sequence[HitRow]) -> list[list]:
    """``[role, start, end, segments]`` per utterance; segments index the call's hits."""
    by_utt: dict[int, list[tuple[int, int, int]]] = {}
    for i, h in enumerate(hits):
        by_utt.setdefault(h.utterance, []).append((h.char_start, h.char_end, i))
    return [
        [u.role.value, _round(u.start), _round(u.end), mark_segments(u.text, by_utt.get(k, ()))]
        for k, u in enumerate(t.utterances)
    ]


def _call_data(call: CallRow, hits: Sequence[HitRow], transcript: Transcript | None,
               out_dir: Path | None) -> dict[str, Any]:
    rec = locate_recording(call, out_dir)
    return {
        "id": call.pk,
        "cid": call.call_id,
        "agent": call.agent or UNKNOWN_AGENT,
        "team": call.team,
        "date": call.date,
        "day": _day(call.date),
        "status": call.status,
        "score": _round(call.score),
        "dur": _round(call.duration, 1),
        "talk": _round(call.agent_talk_seconds) or 0.0,
        "n": call.hits,
        "src": call.source,
        "file": call.path,
        "audio": rec.src if rec else None,
        "audioMissing": rec.missing if rec else None,
        "failure": call.failure,
        "h": [_hit_data(h) for h in hits],
        "t": _transcript_data(transcript, hits) if transcript is not None else [],
    }


def _rules_data(hits: Iterable[HitRow]) -> dict[str, dict[str, Any]]:
    """Per rule: message, severity, category and suggestions, as first seen.

    Counted hits are looked at first so a rule's suggestion is the one its
    deductions carry (the same choice as :func:`phraseguard.calls.scoring.count_violations`).
    """
    rules: dict[str, dict[str, Any]] = {}
    ordered = sorted(hits, key=lambda h: not h.counted)
    for h in ordered:
        if h.rule_id in rules:
            continue
        rules[h.rule_id] = {
            "message": h.message,
            "severity": h.severity.label,
            "category": h.category,
            "suggestion": h.suggestion,
            "suggestions": list(h.suggestions),
        }
    return rules


def build_report_data(results: ScoreResults, transcripts: Mapping[int, Transcript], *,
                      out_dir: Path | None, generated: str) -> dict[str, Any]:
    """Everything the page's script shows, as plain JSON data.

    ``transcripts`` maps a call's id to its transcript (calls without one,
    such as failed calls, show no transcript); ``out_dir`` is the report's
    folder, for relative recording links.
    """
    by_call: dict[int, list[HitRow]] = {}
    for h in results.hits:
        by_call.setdefault(h.call, []).append(h)
    return {
        "version": DATA_VERSION,
        "store": results.store,
        "generated": generated,
        "filters": dict(results.filters),
        "rules": _rules_data(results.hits),
        "calls": [
            _call_data(c, by_call.get(c.pk, ()), transcripts.get(c.pk), out_dir)
            for c in results.calls
        ],
    }


def load_transcripts(store_path: str | Path, calls: Iterable[CallRow]) -> dict[int, Transcript]:
    """The saved transcripts of these calls (failed calls have none), by call id."""
    wanted = [c.pk for c in calls if c.status != "failed"]
    if not wanted:
        return {}
    with Store.open(store_path, create=False) as store:
        return {pk: store.transcript(pk) for pk in wanted}


# -- the page ---------------------------------------------------------------------


def _options(values: Iterable[str], all_label: str) -> str:
    opts = [f'<option value="">{html.escape(all_label)}</option>']
    opts += [f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values]
    return "".join(opts)


def _filter_bar(data: Mapping[str, Any]) -> str:
    calls = data["calls"]
    agents = sorted({c["agent"] for c in calls})
    teams = sorted({c["team"] for c in calls if c["team"]})
    days = sorted({c["day"] for c in calls if c["day"]})
    bounds = f' min="{days[0]}" max="{days[-1]}"' if days else ""
    rules = sorted(data["rules"])
    return (
        '<nav class="filters" aria-label="Filters"><div class="wrap filters-inner">'
        f'<label>Agent <select id="f-agent">{_options(agents, "All agents")}</select></label>'
        f'<label>Team <select id="f-team">{_options(teams, "All teams")}</select></label>'
        f'<label>Rule <select id="f-rule">{_options(rules, "All rules")}</select></label>'
        f'<label>From <input type="date" id="f-from"{bounds}></label>'
        f'<label>To <input type="date" id="f-to"{bounds}></label>'
        '<button type="button" id="f-reset" class="btn">Reset</button>'
        '<span class="count" id="f-count" aria-live="polite"></span>'
        "</div></nav>"
    )


_SECTIONS = """<main class="wrap">
<section id="overview" aria-labelledby="h-overview">
<h2 id="h-overview">Overview</h2>
<div class="kpis" id="kpis"></div>
<div class="charts">
<figure class="card chart-card" id="chart-agents"><figcaption>Mean score by agent
<span class="hint">lowest first · click a bar to filter</span></figcaption>
<div class="chart"></div></figure>
<figure class="card chart-card" id="chart-rules"><figcaption>Most frequent violations
<span class="hint">deductions</span></figcaption><div class="chart"></div></figure>
<figure class="card chart-card wide" id="chart-days" hidden><figcaption>Over time
<span class="hint">mean score per day · deductions</span></figcaption>
<div class="chart"></div></figure>
</div>
</section>
<section id="agents" aria-labelledby="h-agents">
<h2 id="h-agents">Agents <span class="hint">who needs coaching first</span></h2>
<div class="agent-grid" id="agent-list"></div>
</section>
<section id="calls" aria-labelledby="h-calls">
<h2 id="h-calls">Calls</h2>
<div class="toolbar"><label>Sort <select id="f-sort">
<option value="date">Date</option><option value="score">Score, lowest first</option>
<option value="hits">Most deductions</option></select></label>
<span class="hint">Open a call for its transcript. Click a highlighted phrase to hear it.</span>
</div>
<div class="call-head" aria-hidden="true"><span>Date</span><span>Call</span><span>Agent</span>
<span>Team</span><span>Score</span><span>Deductions</span><span>Length</span><span></span></div>
<div id="call-list" class="call-list"></div>
<div class="pager" id="pager"></div>
</section>
<section id="failures" aria-labelledby="h-failures" hidden>
<h2 id="h-failures">Files that could not be scored</h2>
<ul class="failures" id="failure-list"></ul>
</section>
</main>
<noscript><p class="wrap noscript">This report draws its charts and transcripts with
JavaScript, which is turned off. The same data is in <code>phraseguard report --json</code>.
</p></noscript>"""


def render_report(data: Mapping[str, Any]) -> str:
    """The whole page for :func:`build_report_data`'s ``data``."""
    subtitle = f"results store {data['store']}"
    if data["filters"]:
        subtitle += " · " + ", ".join(f"{k}={v}" for k, v in data["filters"].items())
    body = header_markup("QA report", subtitle, data["generated"]) + _filter_bar(data) + _SECTIONS
    return render_page(
        title="phraseguard QA report",
        body=body,
        css=read_asset("report.css"),
        scripts=[read_asset("report.js")],
        data=data,
    )


class HtmlWriter(ReportWriter):
    """The self-contained HTML report (see the module docstring)."""

    name = "html"
    extension = ".html"

    def __init__(self, *, out_dir: Path | None = None) -> None:
        super().__init__()
        # Recordings are linked relative to this folder; :meth:`write_path`
        # sets it to the report's folder.
        self.out_dir = out_dir

    def handle(self, results: ScoreResults) -> None:
        fp = self.fp
        transcripts = load_transcripts(results.store, results.calls)
        data = build_report_data(
            results, transcripts, out_dir=self.out_dir, generated=generated_at()
        )
        fp.write(render_report(data))

    def write_path(self, results: ScoreResults, path: str | Path) -> list[Path]:
        path = Path(path)
        self.out_dir = path.resolve().parent
        return super().write_path(results, path)
