"""Labelled agent turns: the file format QA teams write for training and checking.

One tab-separated file, a header and one agent turn a row: the customer's
turn before (``prev_customer``), the turn (``text``), the agent's next turn
(``next_agent``), a ``label`` (major, minor, benign) and, for a major turn,
the labeller's ``category`` (giving_up, ignorance, responsibility, brush_off,
or a team's own names). ``phraseguard lexicon train-meaning`` learns from
these files and ``phraseguard lexicon evaluate`` measures a lexicon on them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from phraseguard.errors import PhraseguardError

LABELS = ("major", "minor", "benign")
COLUMNS = ("prev_customer", "text", "next_agent", "label", "category")


@dataclass(frozen=True)
class Labelled:
    """One labelled agent turn; ``origin`` says where it came from (file:line)."""

    text: str
    label: str  # major (or worse), minor, benign
    category: str  # the labeller's category of a major turn (giving_up...), else ""
    origin: str
    customer: str | None = None
    next_turn: str | None = None


def read_labelled(path: Path) -> list[Labelled]:
    """Labelled turns from a tab-separated file with the columns
    prev_customer, text, next_agent, label, category (more columns are kept out)."""
    try:
        with path.open(encoding="utf-8", newline="") as fp:
            rows = list(csv.DictReader(fp, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError) as exc:
        raise PhraseguardError(f"{path}: cannot read: {exc}") from None
    if not rows or any(c not in rows[0] for c in COLUMNS):
        raise PhraseguardError(f"{path}: expected tab-separated columns {', '.join(COLUMNS)}")
    out = []
    for line, r in enumerate(rows, start=2):
        if r["label"] not in LABELS:
            raise PhraseguardError(f"{path}:{line}: label {r['label']!r} is not one of "
                                   f"{', '.join(LABELS)}")
        if not (r["text"] or "").strip():
            raise PhraseguardError(f"{path}:{line}: the text column is empty")
        out.append(Labelled(r["text"], r["label"], r["category"] or "", f"{path}:{line}",
                            r["prev_customer"] or None, r["next_agent"] or None))
    return out
