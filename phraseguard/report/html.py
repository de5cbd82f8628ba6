"""``--html FILE``: the report a QA supervisor opens in a browser.

A page that opens from disk with no network: the CSS and JavaScript are
package data (``assets/``) inlined into the page, the charts are SVG drawn by
that script, and the data is embedded as JSON in ``<script
type="application/json">`` tags (:mod:`phraseguard.report.html_data`). The
page shows an overview (calls, agents, team score, charts by agent, by rule
and over time), a card per agent with the phrasing to coach and the rate of
each call-flow item, and the calls: each one's transcript with its hits
highlighted, its call-flow checklist (greeting, self-introduction, closing:
said or missing) and a timeline of its missing items and timing events and,
where the recording exists, a player that jumps to a second before a hit or
a timeline marker when it is clicked (``assets/report_flow.js`` draws the
call flow).
Filters by agent, team, rule and date range recompute everything in the
browser.

Two shapes, one script:

- up to :data:`SINGLE_FILE_MAX_CALLS` calls, ONE self-contained file: the
  transcripts are in the page too, one JSON block per shard, parsed only when
  a call of the shard is opened;
- above it, the page plus a folder beside it (``qa.html`` and
  ``qa_files/``), written by :mod:`phraseguard.report.html_files`: the page
  embeds the aggregates and the compact call list (under 20 MB and under 2 s
  to open for 200,000 calls), and each shard of transcripts is a small
  script file the page adds with a ``<script>`` tag when one of its calls
  is opened. Script tags load from ``file://`` with no server, where
  ``fetch`` does not.

Hostile text (a transcript, file or agent name with markup) can never run:

- every string this module writes into HTML goes through :func:`html.escape`;
- the embedded JSON (and each shard file's JSON) has ``<``, ``>`` and ``&``
  written as ``\\u003c`` etc., so nothing inside it can close its
  ``<script>`` tag, and the script only ever puts data into the page as text
  nodes (never ``innerHTML``);
- a Content-Security-Policy allows only this page's own script and style (by
  hash), the shard files beside it (``'self'``, only for the folder shape) and
  no network at all, so even markup that slipped through could not run a
  script or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any

from phraseguard.calls.store import Store
from phraseguard.output import atomic_write, replaceable
from phraseguard.report.html_data import SHARD_CALLS, ReportData, build_report_data
from phraseguard.report.html_files import Generation, files_folder, prune
from phraseguard.report.json_values import finite
from phraseguard.report.results import ScoreResults
from phraseguard.report.writer import ReportWriter
from phraseguard.tunables import whole

#: The id of the embedded JSON; ``report.js`` reads it.
DATA_ELEMENT_ID = "pg-data"

#: The id of shard N's JSON block in a single-file report (``pg-shard-N``).
SHARD_ELEMENT_PREFIX = "pg-shard-"

#: The largest report written as one file (phraseguard/tunables.toml [report]
#: single_file_max_calls, 2,000: why, see there); above it, the page and a
#: folder of transcripts beside it (see the module docstring).
SINGLE_FILE_MAX_CALLS = whole("report", "single_file_max_calls")

#: The function a shard file calls with its data (``report.js`` defines it).
SHARD_CALLBACK = "phraseguardShard"


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
    text = json.dumps(finite(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
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


def content_security_policy(*, scripts: Sequence[str], styles: Sequence[str],
                            script_files: bool = False) -> str:
    """A policy allowing only these inline scripts and styles, and no network.

    Media may come from the page's own place or local files, so the
    recordings beside the report play; nothing can be fetched or connected to.
    ``script_files`` also allows scripts from the page's own place
    (``'self'``: the shard files of a folder report; for a page opened from
    disk that is local files, never the network).
    """
    script_src = " ".join([*(_csp_hash(s) for s in scripts), *(["'self'"] if script_files
                                                               else [])]) or "'none'"
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
                data: Any = None, data_id: str = DATA_ELEMENT_ID,
                blocks: Iterable[tuple[str, Any]] = (), script_files: bool = False) -> str:
    """A complete HTML document: ``title`` is escaped here; ``body`` must be markup
    built with escaped text. ``data`` (when given) is embedded as JSON, and so
    is each ``(id, data)`` of ``blocks``; ``script_files`` as for
    :func:`content_security_policy`.
    """
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="'
        + html.escape(content_security_policy(scripts=scripts, styles=[css],
                                              script_files=script_files))
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
    parts += [
        f'<script type="application/json" id="{html.escape(block_id)}">'
        f"{json_for_script(block)}</script>"
        for block_id, block in blocks
    ]
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


# -- the page ---------------------------------------------------------------------


def _options(values: Iterable[str], all_label: str) -> str:
    opts = [f'<option value="">{html.escape(all_label)}</option>']
    opts += [f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values]
    return "".join(opts)


def _filter_bar(data: Mapping[str, Any]) -> str:
    names = data["names"]
    agents = sorted(names["agents"])
    teams = sorted(names["teams"])
    days = sorted(names["days"])
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
<span class="hint"><span id="agent-bars-note"></span>lowest first · click a bar to filter</span>
</figcaption>
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


def render_report(data: Mapping[str, Any], *, shards: Iterable[tuple[int, Any]] = (),
                  script_files: bool = False) -> str:
    """The whole page for :func:`build_report_data`'s ``page`` data.

    ``shards`` are embedded (a single-file report); with ``script_files`` the
    page may load them from the folder ``data["shards"]["src"]`` names.
    """
    subtitle = f"results store {data['store']}"
    if data["filters"]:
        subtitle += " · " + ", ".join(f"{k}={v}" for k, v in data["filters"].items())
    body = header_markup("QA report", subtitle, data["generated"]) + _filter_bar(data) + _SECTIONS
    return render_page(
        title="phraseguard QA report",
        body=body,
        css=read_asset("report.css"),
        scripts=[read_asset("report_flow.js"), read_asset("report.js")],
        data=data,
        blocks=((f"{SHARD_ELEMENT_PREFIX}{n}", calls) for n, calls in shards),
        script_files=script_files,
    )


def shard_script(n: int, calls: Any) -> str:
    """A shard file: one call of the page's loader with the shard's data (escaped JSON)."""
    return f"{SHARD_CALLBACK}({n},{json_for_script(calls)});\n"


class HtmlWriter(ReportWriter):
    """The HTML report (see the module docstring): one file, or a page and its folder."""

    name = "html"
    extension = ".html"

    def __init__(self, fp: IO[str] | None = None, *, out_dir: Path | None = None,
                 single_file_max_calls: int = SINGLE_FILE_MAX_CALLS) -> None:
        super().__init__(fp)
        # Recordings are linked relative to this folder; :meth:`write_path`
        # sets it to the report's folder.
        self.out_dir = out_dir
        self.single_file_max_calls = single_file_max_calls

    def _data(self, results: ScoreResults, store: Store) -> ReportData:
        return build_report_data(results, store, out_dir=self.out_dir, generated=generated_at())

    def handle(self, results: ScoreResults) -> None:
        """One self-contained page on :attr:`fp`, whatever the size (a stream has no folder)."""
        with Store.open(results.store, create=False) as store:
            data = self._data(results, store)
            self.fp.write(render_report(data.page, shards=data.shards(store)))

    def write_path(self, results: ScoreResults, path: str | Path) -> list[Path]:
        """The page at ``path``, and above :attr:`single_file_max_calls` calls its folder.

        Whole or not at all: the folder's new transcripts go into a new
        generation folder that the page is switched to by one atomic rename
        of the page, and older generations are removed only after it. A run
        killed at any point leaves yesterday's page working with its own
        transcripts.
        """
        path = Path(path)
        self.out_dir = path.resolve().parent
        target = replaceable(path)
        if results.total <= self.single_file_max_calls or target is None:
            written = super().write_path(results, path)
            if target is not None:
                prune(target, keep=None)
            return written
        with Store.open(results.store, create=False) as store:
            data = self._data(results, store)
            with Generation(target) as generation:
                for n, calls in data.shards(store):
                    generation.write(f"calls/{n}.js", shard_script(n, calls))
                generation.publish()
                data.page["shards"] = {"size": SHARD_CALLS, "src": generation.url + "calls/"}
                with atomic_write(path) as fp:
                    fp.write(render_report(data.page, script_files=True))
        prune(target, keep=generation.name)
        return [path, files_folder(path)]
