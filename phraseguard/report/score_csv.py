"""``--csv FILE``: spreadsheet tables.

``FILE`` gets one row per deduction (a hit that cost points): call, agent,
time, rule, matched text, suggestion. Beside it, ``<stem>.calls.csv`` has one
row per call and ``<stem>.agents.csv`` one row per agent, so ``--csv
qa.csv`` writes ``qa.csv``, ``qa.calls.csv`` and ``qa.agents.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO

from phraseguard.output import atomic_write
from phraseguard.report.results import ScoreResults
from phraseguard.report.writer import ReportWriter

HIT_COLUMNS = (
    "call_id", "agent", "team", "date", "time_start", "rule_id", "severity", "points",
    "matched", "suggestion", "kind", "confidence", "utterance", "path",
)  # fmt: skip
CALL_COLUMNS = (
    "call_id", "agent", "team", "date", "status", "score", "deductions", "duration",
    "agent_talk_seconds", "failure", "path", "audio_path",
)  # fmt: skip
AGENT_COLUMNS = (
    "agent", "team", "calls", "mean_score", "min_score", "talk_seconds", "hits",
    "hits_per_hour", "top_violation", "top_violation_count", "suggestion",
)  # fmt: skip


def _f(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{round(value, digits):g}"


class CsvWriter(ReportWriter):
    name = "csv"
    extension = ".csv"
    newline = ""

    def handle(self, results: ScoreResults) -> None:
        """The hits table (one row per deduction)."""
        fp = self.fp
        paths = {c.pk: c.path or "" for c in results.calls}
        w = csv.writer(fp)
        w.writerow(HIT_COLUMNS)
        for h in results.hits:
            if not h.counted:
                continue
            w.writerow([
                h.call_id, h.agent or "", h.team or "", h.date or "", _f(h.time_start),
                h.rule_id, h.severity.label, _f(h.points), h.matched, h.suggestion, h.kind,
                _f(h.confidence), h.utterance, paths.get(h.call, ""),
            ])  # fmt: skip

    def write_calls(self, results: ScoreResults, fp: IO[str]) -> None:
        # Call flow: one column per required item (yes/no; empty: not checked).
        items = results.required_items
        w = csv.writer(fp)
        w.writerow([*CALL_COLUMNS, *items])
        for c in results.calls:
            said = results.checklist.get(c.pk)
            w.writerow([
                c.call_id, c.agent or "", c.team or "", c.date or "", c.status, _f(c.score),
                c.hits, _f(c.duration), _f(c.agent_talk_seconds), c.failure or "",
                c.path or "", c.audio_path or "",
                *(("yes" if said[i] else "no") if said else "" for i in items),
            ])  # fmt: skip

    def write_agents(self, results: ScoreResults, fp: IO[str]) -> None:
        items = results.required_items  # call flow: share of checked calls with the item
        w = csv.writer(fp)
        w.writerow([*AGENT_COLUMNS, *(f"{i}_rate" for i in items)])
        for a in results.agents:
            top = a.top_violations[0] if a.top_violations else None
            rates = results.item_rates.get(a.agent, {})
            w.writerow([
                a.agent, a.team or "", a.calls, _f(a.mean_score), _f(a.min_score),
                _f(a.talk_seconds), a.hits, _f(a.hits_per_hour), top.rule_id if top else "",
                top.count if top else "", top.suggestion if top else "",
                *(_f(rates.get(i)) for i in items),
            ])  # fmt: skip

    @staticmethod
    def companions(path: str | Path) -> tuple[Path, Path]:
        """``qa.csv`` -> (``qa.calls.csv``, ``qa.agents.csv``)."""
        p = Path(path)
        stem = p.name[: -len(p.suffix)] if p.suffix else p.name
        return p.with_name(f"{stem}.calls.csv"), p.with_name(f"{stem}.agents.csv")

    def write_path(self, results: ScoreResults, path: str | Path) -> list[Path]:
        written = super().write_path(results, path)
        calls, agents = self.companions(path)
        for target, method in ((calls, self.write_calls), (agents, self.write_agents)):
            with atomic_write(target, newline="") as fp:  # whole, or yesterday's file
                method(results, fp)
            written.append(target)
        return written
