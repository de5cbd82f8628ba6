"""``--json FILE``: the whole result as one JSON document, for other tools."""

from __future__ import annotations

import json
from dataclasses import asdict

from phraseguard.calls.store import CallRow, HitRow
from phraseguard.report.results import ScoreResults
from phraseguard.report.writer import ReportWriter

#: Bumped when a field changes meaning or disappears (adding fields does not).
JSON_VERSION = 1


def _call(c: CallRow) -> dict:
    d = asdict(c)
    d["id"] = d.pop("pk")
    d["deductions"] = d.pop("hits")
    return d


def _hit(h: HitRow) -> dict:
    d = asdict(h)
    d["id"] = d.pop("pk")
    d["role"] = h.role.value
    d["severity"] = h.severity.label
    d["suggestions"] = list(h.suggestions)
    d["suggestion"] = h.suggestion
    return d


class JsonWriter(ReportWriter):
    """``{"version", "store", "summary", "agents", "violations", "calls", "hits", "failures"}``.

    ``hits`` holds every hit; ``counted`` and ``points`` say which deducted.
    """

    name = "json"
    extension = ".json"

    def handle(self, results: ScoreResults) -> None:
        fp = self.fp
        doc = {
            "version": JSON_VERSION,
            "store": results.store,
            "filters": results.filters,
            "summary": {
                "calls": len(results.calls),
                "scored": len(results.scored),
                "failed": len(results.failures),
                "in_progress": len(results.in_progress),
                "mean_score": results.mean_score,
            },
            "agents": [
                {**asdict(a), "top_violations": [asdict(v) for v in a.top_violations]}
                for a in results.agents
            ],
            "violations": [asdict(v) for v in results.violations],
            "calls": [{**_call(c), **({"checklist": results.checklist[c.pk]}
                                      if c.pk in results.checklist else {})}
                      for c in results.calls],
            "required_rates": results.item_rates,
            "hits": [_hit(h) for h in results.hits],
            "failures": [asdict(f) for f in results.failures],
        }
        json.dump(doc, fp, ensure_ascii=False, indent=2)
        fp.write("\n")
