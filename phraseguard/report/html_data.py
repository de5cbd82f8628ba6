"""The data of the HTML QA report: what the page embeds, and the transcripts it loads.

The page embeds, as JSON:

- ``summary``: the unfiltered view, from the store's roll-ups (the numbers
  ``phraseguard report`` prints): the overview, a card per agent, the most
  frequent violations and the mean score per day;
- ``calls``: every call in a compact, column-wise form (one array per field,
  names and days as indexes into ``names``, a time of day in seconds), about
  55 bytes a call, from
  which the page's script recomputes everything when a filter is set;
- ``rules``: each rule's message, severity, category and suggestions;
- ``flow``: the call flow's required items, whose checklist per call is the
  ``flow`` column and whose rates per agent are in each agent's summary
  (:mod:`phraseguard.report.html_flow`).

A call's transcript, hits (call-flow hits too: missing items and timing
events, with no text span but their place in time, which the page puts on
the call's timeline) and recording link are in its **shard**, the
transcripts of :data:`SHARD_CALLS` consecutive calls, which the page loads
when the call is opened (see :mod:`phraseguard.report.html`).

Every value is plain data: the page's script only ever puts it into the page
as text, and :func:`phraseguard.report.html.json_for_script` escapes it.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from phraseguard.calls.scoring import UNKNOWN_AGENT
from phraseguard.calls.store import CallFilter, HitRow, ListedCall, Store
from phraseguard.report.html_flow import FlowColumn
from phraseguard.report.results import ScoreResults
from phraseguard.tunables import whole

#: Bumped when the embedded JSON changes shape (the page's script reads it).
DATA_VERSION = 4

#: Calls per shard (phraseguard/tunables.toml [report] shard_calls, 200: why,
#: see there).
SHARD_CALLS = whole("report", "shard_calls")

#: Call statuses, in the order the compact ``status`` column numbers them.
STATUSES = ("ok", "failed", "in_progress")

#: The compact ``audio`` column: no recording, one the page can play, one the
#: store names but that is not on disk.
NO_AUDIO, AUDIO, AUDIO_MISSING = 0, 1, 2


# -- recordings ----------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    """Where the page finds a call's recording: a URL the page can play, or why not."""

    src: str | None  # relative URL from the report, or a file:// URI
    missing: str | None  # the recorded path when the file is not there


def recording_path(call: Any) -> str | None:
    """The recording the store names for a call (an audio call is its own recording)."""
    if call.audio_path:
        return call.audio_path
    return call.path if call.source == "audio" and call.path else None


def locate_recording(call: Any, out_dir: Path | None) -> Recording | None:
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


# -- transcripts -----------------------------------------------------------------


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


def _round(value: float | None, digits: int = 2) -> float | int | None:
    """Rounded, and written without ``.0`` when whole (a byte or two a call)."""
    if value is None:
        return None
    value = round(value, digits)
    return int(value) if value == int(value) else value


def day_of(date: str | None) -> str | None:
    """``YYYY-MM-DD`` of an ISO date or datetime; None for anything else."""
    if not date or len(date) < 10:
        return None
    day = date[:10]
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    return day


def _time_of_day(date: str) -> int | str:
    """What follows the day in ``date``: ``THH:MM:SS`` as seconds since midnight (six
    bytes a call instead of twelve), anything else as written."""
    rest = date[10:]
    if len(rest) == 9 and rest[0] == "T" and rest[3] == rest[6] == ":":
        h, m, sec = rest[1:3], rest[4:6], rest[7:9]
        if (h + m + sec).isdigit():
            return int(h) * 3600 + int(m) * 60 + int(sec)
    return rest


#: Hits with no text span that the page puts on the call's timeline (call flow).
FLOW_KINDS = ("missing", "timing")


def hit_data(h: HitRow) -> dict[str, Any]:
    """A call's hit for the page: the README's hit field names (rule details in ``rules``).

    A call-flow hit (a missing item, a timing event) also carries its own
    ``message`` ("no farewell in the last 30 s", "the customer waited 6.6 s"),
    which differs from call to call, unlike a forbidden-phrase rule's.
    """
    data = {
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
    if h.kind in FLOW_KINDS:
        data["message"] = h.message
    return data


def transcript_data(utterances: Sequence[tuple], hits: Sequence[HitRow]) -> list[list]:
    """``[role, start, end, segments]`` per ``(role, start, end, text)`` utterance;
    segments index the call's hits."""
    by_utt: dict[int, list[tuple[int, int, int]]] = {}
    for i, h in enumerate(hits):
        by_utt.setdefault(h.utterance, []).append((h.char_start, h.char_end, i))
    return [
        [role, _round(start), _round(end), mark_segments(text, by_utt.get(k, ()))]
        for k, (role, start, end, text) in enumerate(utterances)
    ]


def shard_data(store: Store, calls: Sequence[ListedCall],
               recordings: Sequence[Recording | None]) -> list[dict[str, Any]]:
    """The details of ``calls`` (one shard): file, recording, hits and transcript each."""
    ids = [c.pk for c in calls]
    utts: dict[int, list[tuple]] = defaultdict(list)
    for call, role, start, end, text in store.utterance_texts(ids):
        utts[call].append((role, start, end, text))
    hits: dict[int, list[HitRow]] = defaultdict(list)
    for h in store.hits(CallFilter(ids=tuple(ids))):
        hits[h.call].append(h)
    out = []
    for c, rec in zip(calls, recordings, strict=True):
        call_hits = hits.get(c.pk, [])
        out.append({
            "id": c.pk,
            "file": c.path,
            "src": c.source,
            "audio": rec.src if rec else None,
            "audioMissing": rec.missing if rec else None,
            "failure": c.failure,
            "h": [hit_data(h) for h in call_hits],
            "t": transcript_data(utts.get(c.pk, []), call_hits),
        })  # fmt: skip
    return out


# -- the page's data -------------------------------------------------------------


class _Index:
    """Names to small numbers, in first-seen order (the compact columns use them)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self._ids: dict[str, int] = {}

    def __call__(self, name: str | None) -> int:
        if name is None:
            return -1
        if name not in self._ids:
            self._ids[name] = len(self.names)
            self.names.append(name)
        return self._ids[name]


@dataclass
class ReportData:
    """The page's JSON (``page``) and what the shards are made from."""

    page: dict[str, Any]
    calls: list[ListedCall]  # in the page's order: call i is in shard i // SHARD_CALLS
    recordings: list[Recording | None]

    def shards(self, store: Store) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """``(shard number, details of its calls)`` for every shard, in order."""
        for n, first in enumerate(range(0, len(self.calls), SHARD_CALLS)):
            last = first + SHARD_CALLS
            yield n, shard_data(store, self.calls[first:last], self.recordings[first:last])


def build_report_data(results: ScoreResults, store: Store, *, out_dir: Path | None,
                      generated: str) -> ReportData:
    """Everything the page embeds (see the module docstring) for ``results``.

    ``store`` is the results store ``results`` came from; ``out_dir`` is the
    report's folder, for relative recording links (None: file:// links).
    """
    where = results.where
    agents, teams, days, rules = _Index(), _Index(), _Index(), _Index()
    deductions: dict[int, list] = defaultdict(list)
    for call, rule, points in store.deduction_points(where):
        deductions[call] += [rules(rule), _round(points)]
    cols: dict[str, list] = {k: [] for k in (
        "cid", "agent", "team", "day", "time", "status", "score", "n", "dur", "talk", "audio",
        "ded", "flow")}  # fmt: skip
    flow = FlowColumn(results.required, store.missing_items(where))
    calls: list[ListedCall] = []
    recordings: list[Recording | None] = []
    by_day: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0])  # calls, sum, deductions
    for c in store.call_list(where):
        rec = locate_recording(c, out_dir)
        day = day_of(c.date)
        calls.append(c)
        recordings.append(rec)
        cols["cid"].append(c.call_id)
        cols["agent"].append(agents(c.agent or UNKNOWN_AGENT))
        cols["team"].append(teams(c.team or None))
        cols["day"].append(days(day))
        cols["time"].append(_time_of_day(c.date) if day else (c.date or ""))
        cols["status"].append(STATUSES.index(c.status))
        cols["score"].append(_round(c.score))
        cols["n"].append(c.hits)
        cols["dur"].append(_round(c.duration, 1))
        cols["talk"].append(_round(c.agent_talk_seconds, 1) or 0)
        cols["audio"].append(NO_AUDIO if rec is None else AUDIO if rec.src else AUDIO_MISSING)
        cols["ded"].append(deductions.get(c.pk, 0))
        cols["flow"].append(flow.value(c))
        if day and c.status == "ok" and c.score is not None:
            d = by_day[day]
            d[0] += 1
            d[1] += c.score
            d[2] += c.hits
    page = {
        "version": DATA_VERSION,
        "store": results.store,
        "generated": generated,
        "filters": dict(results.filters),
        "rules": _rules_data(store, results),
        "names": {"agents": agents.names, "teams": teams.names, "days": days.names,
                  "rules": rules.names},  # fmt: skip
        "calls": cols,
        "failures": [[i, c.path or c.call_id, c.failure or ""]
                     for i, c in enumerate(calls) if c.status == "failed"],
        "summary": _summary(results, by_day, flow),
        "flow": flow.page(),
        "shards": {"size": SHARD_CALLS, "src": None},
    }
    return ReportData(page, calls, recordings)


def _rules_data(store: Store, results: ScoreResults) -> dict[str, dict[str, Any]]:
    """Per rule: message, severity, category and suggestions.

    A counted hit's texts when the rule has one; the suggestion the text
    report shows for the rule when it is among the most frequent.
    """
    shown = {v.rule_id: v.suggestion for v in results.violations}
    out = {}
    for rule, message, severity, category, suggestions, _ in store.rule_texts(results.where):
        options = json.loads(suggestions)
        out[rule] = {
            "message": message,
            "severity": severity,
            "category": category,
            "suggestion": shown.get(rule) or (options[0] if options else ""),
            "suggestions": options,
        }
    return out


def _summary(results: ScoreResults, by_day: dict[str, list[float]], flow: FlowColumn
             ) -> dict[str, Any]:
    """The unfiltered view, from the store's roll-ups (``phraseguard report``'s numbers)."""
    def counts(vs) -> list[dict[str, Any]]:
        return [{"rule": v.rule_id, "count": v.count, "points": v.points} for v in vs]

    return {
        "calls": results.total,
        "failed": results.counts["failed"],
        "mean": results.mean_score,
        "deductions": sum(a.hits for a in results.agents),
        "talk": sum(a.talk_seconds for a in results.agents),
        "agents": [{
            "agent": a.agent, "team": a.team, "calls": a.calls, "mean": a.mean_score,
            "min": a.min_score, "talk": a.talk_seconds, "hits": a.hits,
            "perHour": a.hits_per_hour, "top": counts(a.top_violations),
            "flow": flow.rates(a.agent),
        } for a in results.agents],  # fmt: skip
        "rules": counts(results.violations),
        "days": [{"day": day, "calls": int(n), "mean": total / n, "hits": int(hits)}
                 for day, (n, total, hits) in sorted(by_day.items())],
    }
