"""Writers for ``phraseguard lint`` results: text, json and sarif.

Each writer follows one lifecycle (``start``, ``handle`` per file,
``finish``), so the text writer streams while the JSON and SARIF writers
collect and write once. ``LINT_WRITERS`` maps the ``--format`` name to the
class; the ``text`` line format is also the golden format of the CLI tests.
"""

from __future__ import annotations

from typing import IO

from phraseguard import __version__
from phraseguard.engine.hit import MatchKind, Severity
from phraseguard.engine.lexicon import Lexicon
from phraseguard.lint.linter import FileResult, Finding
from phraseguard.report.json_values import finite
from phraseguard.report.writer import ReportWriter

INFORMATION_URI = "https://github.com/phraseguard/phraseguard"


class LintWriter(ReportWriter):
    """A report writer for lint: ``handle`` gets one file's result at a time."""

    def __init__(self, lexicon: Lexicon, fp: IO[str] | None = None) -> None:
        super().__init__(fp)
        self.lexicon = lexicon


def finding_line(f: Finding) -> str:
    """``path:line:col: severity rule: message 「matched」 → suggestion  [why: reason]``."""
    h = f.hit
    how = "" if h.kind in (MatchKind.EXACT, MatchKind.VARIANT) else f" ({h.kind.value} {h.confidence:.2f})"
    arrow = f" → {h.suggestion}" if h.suggestion else ""
    why = f"  [why: {h.reason}]" if h.reason else ""
    # A missing item (lint --call-flow) has no matched text to quote.
    quoted = "" if h.kind is MatchKind.MISSING else f" 「{h.matched}」{how}"
    return (f"{f.path}:{f.line}:{f.column}: {h.severity.label} {h.rule_id}: "
            f"{h.message}{quoted}{arrow}{why}")


class TextWriter(LintWriter):
    """One line per finding, for people and editors (``path:line:col: ...``)."""

    name = "text"
    extension = ".txt"

    def handle(self, result: FileResult) -> None:
        for f in result.findings:
            self.fp.write(finding_line(f) + "\n")


def finding_dict(f: Finding) -> dict:
    """A finding as plain JSON data (the ``--format json`` item): where, then the hit.

    The hit's fields are :meth:`Hit.to_dict`'s, the names every output uses;
    ``char_start``/``char_end`` are offsets in the line's text.
    """
    return {"path": f.path, "line": f.line, "column": f.column, "end_column": f.end_column,
            **f.hit.to_dict()}


class JsonWriter(LintWriter):
    """A JSON list of findings (see ``finding_dict`` for the fields)."""

    name = "json"
    extension = ".json"

    def start(self) -> None:
        self.items: list[dict] = []

    def handle(self, result: FileResult) -> None:
        self.items.extend(finding_dict(f) for f in result.findings)

    def finish(self) -> None:
        # json is imported by the writers that use it: the text report, the
        # default, starts a few milliseconds sooner without it.
        import json

        json.dump(finite(self.items), self.fp, ensure_ascii=False, indent=2, allow_nan=False)
        self.fp.write("\n")


_SARIF_LEVEL = {Severity.CRITICAL: "error", Severity.MAJOR: "error", Severity.MINOR: "warning",
                Severity.INFO: "note"}


class SarifWriter(LintWriter):
    """SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

    name = "sarif"
    extension = ".sarif"

    def start(self) -> None:
        self.results: list[dict] = []
        self.notifications: list[dict] = []
        self.rule_index = {r.id: i for i, r in enumerate(self.lexicon.rules)}

    def handle(self, result: FileResult) -> None:
        if result.error:
            self.notifications.append({
                "level": "error",
                "message": {"text": f"{result.path}: {result.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": {
                    "uri": _uri(result.path)}}}],
            })
        for f in result.findings:
            h = f.hit
            self.results.append({
                "ruleId": h.rule_id,
                "ruleIndex": self.rule_index.get(h.rule_id, -1),
                "level": _SARIF_LEVEL[h.severity],
                "message": {"text": f"{h.message}: 「{h.matched}」. Say instead: {h.suggestion}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path)},
                    "region": {"startLine": f.line, "startColumn": f.column,
                               "endLine": f.line, "endColumn": f.end_column,
                               "snippet": {"text": h.matched}},
                }}],
                "partialFingerprints": {"phraseguard/v1": f"{h.rule_id}:{h.normalized}:{f.line}"},
                "properties": h.to_dict(),  # the hit fields every output shares
            })

    def finish(self) -> None:
        rules = [{
            "id": r.id,
            "name": r.id.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": r.message},
            "fullDescription": {"text": f"{r.message} (category: {r.category})"},
            "help": {"text": "Say instead: " + " / ".join(r.suggestions)},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "properties": {"category": r.category, "severity": r.severity.label,
                           "tags": [r.category]},
        } for r in self.lexicon.rules]
        doc = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "phraseguard", "version": __version__,
                                    "semanticVersion": __version__,
                                    "informationUri": INFORMATION_URI, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": not self.notifications,
                                 "toolExecutionNotifications": self.notifications}],
                "results": self.results,
            }],
        }
        import json

        json.dump(finite(doc), self.fp, ensure_ascii=False, indent=2, allow_nan=False)
        self.fp.write("\n")


def _uri(path: str) -> str:
    from pathlib import PurePath
    from urllib.parse import quote

    posix = PurePath(path).as_posix()
    return quote(posix[2:] if posix.startswith("./") else posix, safe="/:")


LINT_WRITERS: dict[str, type[LintWriter]] = {
    w.name: w for w in (TextWriter, JsonWriter, SarifWriter)
}
