"""The values passed between the stages: severities, match kinds and hits."""

from __future__ import annotations

import enum
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

    @property
    def suggestion(self) -> str:
        """The first (preferred) suggestion, or an empty string."""
        return self.suggestions[0] if self.suggestions else ""
