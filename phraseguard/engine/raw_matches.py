"""Where a pattern's forms match a normalised line: the raw matches, before any condition.

A candidate pattern (``matcher.py`` found its first symbols) is matched on
the line as characters (exact, variant), as toneless pinyin (homophone), as
coarse pinyin (fuzzy) and, in speech transcripts, by edit distance on its
pinyin letters (rapidfuzz). What comes out is a ``Raw`` match: the matcher
then judges clause breaks, word boundaries and the rule's conditions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from phraseguard.engine.contexts import LazyRegex
from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import MatchingSettings


@dataclass(frozen=True)
class Pattern:
    """One listed phrase or variant of a rule, compiled for each form it is matched in."""

    rule: int  # index into Matcher.rules
    source: str
    kind: MatchKind  # EXACT for a listed phrase, VARIANT for a pattern
    chars: LazyRegex
    sound: LazyRegex | None  # over exact-folded text
    coarse: LazyRegex | None  # over fuzzy-folded text
    spelled: str | None  # coarse pinyin letters, for edit-distance matching
    length: int


class Raw(NamedTuple):  # a tuple: made for every raw match, so cheap to make
    """A place a pattern matched, in the normalised line (end exclusive)."""

    pattern: Pattern
    start: int
    end: int
    kind: MatchKind
    confidence: float
    rule: int = -1  # the rule it counts under (-1: the pattern's own)
    why: str = ""  # what made it count, beyond the phrase itself
    # Its rule's ``otherwise`` judged on the same turn, for a rule whose
    # downgrade reads the customer's turn (the dialogue judge decides): 0 not
    # judged, 1 it would count there, 2 the target's own conditions excuse it.
    as_otherwise: int = 0

    @property
    def rule_index(self) -> int:
        return self.pattern.rule if self.rule < 0 else self.rule


class Seen:
    """A line's normalised text and its folds, each computed once when first needed.

    ``marked`` is the line with each dropped character as NUL
    (``Normalizer.mark``): the matcher builds the offset map from it
    instead of translating the line again.
    """

    __slots__ = ("marked", "plain", "_sound", "_coarse")

    def __init__(self, marked: str) -> None:
        self.marked = marked
        self.plain = marked.replace("\0", "")
        self._sound: str | None = None
        self._coarse: str | None = None

    def sound(self, fold: dict[int, int]) -> str:
        if self._sound is None:
            self._sound = self.plain.translate(fold)
        return self._sound

    def coarse(self, fold: dict[int, int]) -> str:
        if self._coarse is None:
            self._coarse = self.plain.translate(fold)
        return self._coarse


class FormSearch:
    """Finds a pattern's raw matches in every form; one per matcher."""

    def __init__(self, settings: MatchingSettings, exact_fold: dict[int, int],
                 coarse_fold: dict[int, int], spell: Callable[[str], str]) -> None:
        self.settings = settings
        self._exact_fold = exact_fold
        self._coarse_fold = coarse_fold
        self._spell = spell

    def matches(self, pat: Pattern, chars: str, seen: Seen, anchor_ends: list[int],
                crosses: Callable[[int, int], bool] | None = None) -> list[Raw]:
        """Every place ``pat`` matches ``chars`` (the normalised line), one
        match per span, the surest form first: characters, then sound, then
        coarse sound, then (with ``anchor_ends``) edit distance.

        ``crosses(a, b)``: whether a span crosses a clause break. Such a
        match never counts, and it must not hide one that starts inside it
        (…跟进处理喔！如有疑问可以致电: a match from the first clause into
        the second would swallow the second's), so the search goes on from
        its next character instead of from its end.
        """
        s = self.settings
        out: list[Raw] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        def spans(regex: LazyRegex, text: str):
            pos = 0
            while (m := regex.search(text, pos)) is not None:
                a, b = m.span()
                if crosses is not None and b > a and crosses(a, b):
                    pos = a + 1
                    continue
                yield a, b
                pos = b if b > a else a + 1

        conf = s.exact_confidence if pat.kind is MatchKind.EXACT else s.variant_confidence
        for a, b in spans(pat.chars, chars):
            if b > a:
                out.append(Raw(pat, a, b, pat.kind, conf))
                taken.append((a, b))
        if pat.sound is not None:
            for a, b in spans(pat.sound, seen.sound(self._exact_fold)):
                if b > a and free(a, b):
                    out.append(Raw(pat, a, b, MatchKind.HOMOPHONE, s.homophone_confidence))
                    taken.append((a, b))
        if pat.coarse is not None:
            for a, b in spans(pat.coarse, seen.coarse(self._coarse_fold)):
                if b > a and free(a, b):
                    out.append(Raw(pat, a, b, MatchKind.FUZZY, s.fuzzy_pinyin_confidence))
                    taken.append((a, b))
        if pat.spelled is not None and anchor_ends:
            out.extend(self._edit_matches(pat, seen.coarse(self._coarse_fold), anchor_ends,
                                          free, taken))
        return out

    def _edit_matches(self, pat: Pattern, coarse: str, anchor_ends: list[int], free, taken
                      ) -> list[Raw]:
        """Windows around bigram anchors whose pinyin is within edit distance."""
        # Imported here: only speech transcripts reach edit distances, and
        # importing rapidfuzz was a twentieth of a cold ``phraseguard lint``.
        from rapidfuzz.distance import Levenshtein

        s = self.settings
        n = pat.length
        best: dict[tuple[int, int], float] = {}
        for end in anchor_ends:
            # The anchor is two characters ending at ``end``; try every window
            # of n-1..n+1 characters that contains it.
            for size in (n - 1, n, n + 1):
                for start in range(max(0, end - size), min(end - 2, len(coarse) - size) + 1):
                    stop = start + size
                    if stop > len(coarse) or not free(start, stop):
                        continue
                    sim = Levenshtein.normalized_similarity(
                        self._spell(coarse[start:stop]), pat.spelled)
                    if sim >= s.fuzzy_min_similarity:
                        best[(start, stop)] = sim
        out: list[Raw] = []
        for (start, stop), sim in sorted(best.items(), key=lambda kv: -kv[1]):
            if free(start, stop):
                out.append(Raw(pat, start, stop, MatchKind.FUZZY, sim * s.fuzzy_confidence_weight))
                taken.append((start, stop))
        return out
