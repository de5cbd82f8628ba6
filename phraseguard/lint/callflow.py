"""``lint --call-flow``: a call script that lacks a greeting or a closing.

A script is read as a conversation: each non-blank line an utterance
(``客服:``/``客户:`` prefixes set the role, otherwise the line is the
agent's). The lexicon's required items are checked in their windows (the
first line(s) for a greeting, the last for a closing); a missing one is a
finding on the first or last line of its window. Timing rules need times, so
scripts skip them. Only the first and last lines matter, so a long file is
read once more keeping just those (bounded memory).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from phraseguard.engine.callflow import CallFlow
from phraseguard.errors import InputError
from phraseguard.lint.linter import Finding, LintOptions
from phraseguard.lint.textio import read_lines
from phraseguard.speech.transcript import ROLE_PREFIXES

# Lines kept from each end of a script: far more than any window's turns.
_KEEP = 64
_PREFIX = re.compile(
    r"^\s*(" + "|".join(re.escape(k) for k in ROLE_PREFIXES) + r")\s*[:：]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class _Line:
    text: str
    role: str
    number: int
    start: float | None = None
    end: float | None = None
    words: tuple = field(default_factory=tuple)


def _read(path: Path) -> list[_Line]:
    head: list[_Line] = []
    tail: deque[_Line] = deque(maxlen=_KEEP)
    with path.open("rb") as fp:
        for ln in read_lines(fp, str(path)):
            if ln.column or not ln.text.strip():
                continue  # a later segment of a very long line, or a blank line
            m = _PREFIX.match(ln.text)
            role = ROLE_PREFIXES[m.group(1).lower()].value if m else "agent"
            line = _Line(ln.text[m.end():] if m else ln.text, role, ln.number)
            if len(head) < _KEEP:
                head.append(line)
            else:
                tail.append(line)
    return head + list(tail)


def flow_findings(path: str, flow: CallFlow, options: LintOptions) -> list[Finding]:
    """Findings for the required items a script lacks (no file: no findings)."""
    p = Path(path)
    if not p.is_file():
        return []
    try:
        lines = _read(p)
    except (InputError, OSError):
        return []  # the forbidden-phrase pass already reported why
    if not lines:
        return []
    result = flow.check(lines, unknown_is_agent=True)
    out = []
    for f in result.hits:
        if f.utterance is None or f.hit.severity < options.min_severity:
            continue
        out.append(Finding(path, lines[f.utterance].number, 1, 1, f.hit))
    return out
