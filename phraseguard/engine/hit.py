"""The values passed between the stages: severities, match kinds and hits."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How bad a rule's phrase is; orders ``--min-severity`` and deductions."""

    INFO = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        """Severity from its lower-case name ("minor"); ValueError otherwise."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r} (use one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class MatchKind(enum.Enum):
    """How a hit was found, from the most to the least certain."""

    EXACT = "exact"  # a listed phrase, character for character (after normalising)
    VARIANT = "variant"  # a listed pattern with a gap or alternatives
    HOMOPHONE = "homophone"  # same toneless pinyin, other characters (ASR errors)
    FUZZY = "fuzzy"  # close in pinyin (edit distance / fuzzy initials and finals)
    # No listed form: the meaning model (engine/meaning.py) read the whole turn.
    MEANING = "meaning"
    # Call-flow hits (engine/required.py, engine/timing.py) have no text span:
    MISSING = "missing"  # a required item (greeting, closing) that was not said
    TIMING = "timing"  # dead air, talk-over, fast speech, a slow start


@dataclass(frozen=True)
class Hit:
    """One forbidden phrase found in one utterance (or line) of text.

    ``start``/``end`` are character offsets into the ORIGINAL text the matcher
    was given (end exclusive), so ``text[start:end] == matched``.
    """

    rule_id: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]
    phrase: str  # the lexicon phrase or pattern that matched
    start: int
    end: int
    matched: str  # original text of the span
    normalized: str  # the span after normalisation
    kind: MatchKind
    confidence: float
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    # Why it counted, in words QA reads ("stated limit with nothing offered in
    # this or the agent's next turn"); set by the matcher and the dialogue judge.
    reason: str = field(default="", compare=False)

    @property
    def suggestion(self) -> str:
        """The first (preferred) suggestion, or an empty string."""
        return self.suggestions[0] if self.suggestions else ""

    def to_dict(self) -> dict:
        """The hit as plain JSON data: THE names every output uses for a hit.

        lint JSON and SARIF properties, score JSON and CSV, the HTML report's
        data and live events all spell a hit's fields this way (README,
        "Hit fields"). ``char_start``/``char_end`` are character offsets into
        the text the hit was found in (end exclusive).
        """
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity.label,
            "message": self.message,
            "suggestion": self.suggestion,
            "suggestions": list(self.suggestions),
            "phrase": self.phrase,
            "matched": self.matched,
            "normalized": self.normalized,
            "kind": self.kind.value,
            "confidence": round(float(self.confidence), 4),
            "char_start": self.start,
            "char_end": self.end,
            "reason": self.reason,
        }


#: The keys of :meth:`Hit.to_dict`, in order (also the CSV column names they share).
HIT_FIELDS = ("rule_id", "category", "severity", "message", "suggestion", "suggestions",
              "phrase", "matched", "normalized", "kind", "confidence", "char_start", "char_end",
              "reason")


def one_per_span(hits: Sequence[Hit], cost: Callable[[Hit], float] | None = None) -> list[int]:
    """Indexes of the hits to keep when several cover the same text, in text order.

    One occurrence matched by two rules (我们不管 and 不管) is one thing the
    agent said: keep the costliest (``cost``, default the severity), then the
    most severe, the longest, the earliest. Scoring (what deducts) and live
    alerts (what is shown) both resolve overlaps here, so they agree.
    """
    def rank(i: int) -> tuple:
        h = hits[i]
        c = cost(h) if cost is not None else float(h.severity)
        return (-c, -int(h.severity), -(h.end - h.start), h.start, i)

    kept: list[int] = []
    for i in sorted(range(len(hits)), key=rank):
        h = hits[i]
        if any(h.start < hits[k].end and hits[k].start < h.end for k in kept):
            continue
        kept.append(i)
    return sorted(kept, key=lambda i: (hits[i].start, i))
