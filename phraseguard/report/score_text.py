"""The terminal summary a QA supervisor reads after a batch (and from the store)."""

from __future__ import annotations

from phraseguard.calls.scoring import UNKNOWN_AGENT
from phraseguard.report.results import ScoreResults
from phraseguard.report.writer import ReportWriter


def _num(value: float | None, fmt: str = ".1f") -> str:
    return "-" if value is None else format(value, fmt)


def _width(text: str) -> int:
    # CJK characters take two terminal columns; names are often Chinese.
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class TextWriter(ReportWriter):
    """Plain aligned text: calls, agents (worst first), worst calls, violations, failures."""

    name = "text"
    extension = ".txt"

    def handle(self, results: ScoreResults) -> None:
        fp = self.fp
        out: list[str] = []
        scored, failed = len(results.scored), len(results.failures)
        head = f"Calls: {len(results.calls)} ({scored} scored, {failed} failed"
        if results.in_progress:
            head += f", {len(results.in_progress)} in progress"
        out.append(head + ")")
        if results.filters:
            out.append("Filter: " + ", ".join(f"{k}={v}" for k, v in results.filters.items()))
        if results.mean_score is not None:
            out.append(f"Mean score: {results.mean_score:.1f}")

        if results.agents:
            out += ["", "Agents (lowest mean score first):"]
            rows = [("agent", "team", "calls", "mean", "min", "hits", "hits/h", "top violation")]
            for a in results.agents:
                top = a.top_violations[0].rule_id if a.top_violations else ""
                rows.append((
                    a.agent, a.team or "-", str(a.calls), _num(a.mean_score), _num(a.min_score),
                    str(a.hits), _num(a.hits_per_hour), top,
                ))  # fmt: skip
            out += _table(rows, right={2, 3, 4, 5, 6})

        worst = results.worst_calls()
        if worst:
            out += ["", "Worst calls:"]
            rows = [("call", "agent", "date", "score", "lost points for")]
            for c in worst:
                reasons: dict[str, int] = {}
                for h in results.deductions_of(c.pk):
                    reasons[h.rule_id] = reasons.get(h.rule_id, 0) + 1
                why = ", ".join(f"{r} x{n}" if n > 1 else r for r, n in reasons.items())
                rows.append(
                    (c.call_id, c.agent or UNKNOWN_AGENT, c.date or "-", _num(c.score), why)
                )
            out += _table(rows, right={3})

        if results.violations:
            out += ["", "Most frequent violations (say instead):"]
            rows = [("rule", "count", "points", "suggestion")]
            for v in results.violations:
                rows.append((v.rule_id, str(v.count), _num(v.points, "g"), v.suggestion or "-"))
            out += _table(rows, right={1, 2})

        if results.failures:
            out += ["", "Failed files:"]
            for f in results.failures:
                out.append(f"  {f.path or f.call_id}: {f.message}")
        fp.write("\n".join(out) + "\n")


def _table(rows: list[tuple[str, ...]], *, right: set[int]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = []
        for i, cell in enumerate(r):
            last = i == len(r) - 1
            if i in right:
                cells.append(" " * (widths[i] - _width(cell)) + cell)
            else:
                cells.append(cell if last else _pad(cell, widths[i]))
        lines.append(("  " + "  ".join(cells)).rstrip())
    return lines
