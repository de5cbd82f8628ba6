"""A required item's listed phrases standing as whole clauses: the check's shortcut.

Most real openings and closings hold a listed phrase as a clause of its own
("您好，…", "…，再见!"). Whether such a phrase counts depends only on that
clause, so it is decided once, when the check is built, by the rule's own
matcher on the phrase alone; afterwards finding it is a string search.
:meth:`WholeClausePhrases.said` is True only where
``matcher.first(text) is not None`` (False: not decided here, ask the
matcher). Why that holds, given the conditions checked:

- The text is not recogniser output (spaces between most words): the matcher
  normalises it with whitespace as a clause break, and matches it as written.
- Every character of the phrase is kept by normalising, and the characters
  dropped on each side include a clause break (or reach the text's end):
  the phrase is the clause, so no match can cross into it from the next one
  and every word-boundary check passes (a whole clause is its own word).
- The phrase has no border (no proper prefix that is also its suffix), so
  another occurrence of it can never overlap and hide this one.
- The rule has no condition on the whole utterance: its ``unless`` and
  ``requires`` see the clause (and whether it ends in a question mark), so a
  phrase that counts alone (``phrase + "。"`` or ``"？"``) counts here.

``tests/engine/test_whole_clause.py`` compares it with the matcher on corpus
openings and closings and on generated near misses.
"""

from __future__ import annotations

from phraseguard.engine.hit import MatchKind
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.segment import space_density

# The clause ends the phrase alone is judged with: a full stop, a question mark.
_PLAIN, _QUESTION = "。", "？"


class WholeClausePhrases:
    """The listed phrases of a one-rule matcher that count as a whole clause."""

    def __init__(self, matcher: Matcher) -> None:
        self._norm = matcher.tables.norm
        self._spaced = matcher.settings.spaced_density
        # phrase (normalised) -> (counts before a plain break, before a "?")
        self.phrases: dict[str, tuple[bool, bool]] = {}
        if len(matcher.rules) != 1:
            return
        rule = matcher.rules[0]
        if rule.unless.utterance or rule.requires.utterance or rule.otherwise:
            return  # what the rest of the line says could change the verdict
        for phrase in rule.phrases:
            p = self._norm.fast(phrase)
            if len(p) != len(phrase) or self._norm.fast(p) != p or _has_border(p):
                continue
            counts = tuple(_counts_alone(matcher, phrase, p, end) for end in (_PLAIN, _QUESTION))
            if any(counts):
                self.phrases[p] = counts  # type: ignore[assignment]

    def said(self, text: str) -> bool:
        """True when a listed phrase that counts stands as a clause of ``text``
        (then ``matcher.first(text)`` finds the item); False: not known here."""
        if not self.phrases:
            return False
        marked = None
        for p, counts in self.phrases.items():
            # Looked for as written first (a C-speed search; the phrases are
            # their own normal form): a phrase only normalising would reveal
            # (traditional characters) is left to the matcher.
            if p not in text:
                continue
            if marked is None:
                # Positions are the text's own (dropped characters marked, not removed).
                marked = self._norm.mark(text)
            i = marked.find(p)
            while i >= 0:
                question = self._whole_clause(text, marked, i, i + len(p))
                if question is not None and counts[question] and not self._is_speech(text):
                    return True
                i = marked.find(p, i + 1)
        return False

    def _whole_clause(self, text: str, marked: str, start: int, end: int) -> bool | None:
        """None unless ``marked[start:end]`` is a whole clause; else whether the
        clause ends in a question mark."""
        ends = self._norm.ends_clause
        i, brk = start - 1, False
        while i >= 0 and marked[i] == "\0":
            # Whitespace ends a clause of text that is not speech (``space_breaks``).
            brk = brk or ends(text[i]) or text[i].isspace()
            i -= 1
        if i >= 0 and not brk:
            return None
        i, brk, question = end, False, False
        while i < len(marked) and marked[i] == "\0":
            ch = text[i]
            if ends(ch):
                brk = True
                question = question or ch in "?？"
            elif ch.isspace():
                brk = True
            i += 1
        if i < len(marked) and not brk:
            return None
        return question

    def _is_speech(self, text: str) -> bool:
        # The matcher's density is this one or 0 (no space at all): below the
        # threshold here, it is below there.
        return space_density(text) >= self._spaced


def _has_border(p: str) -> bool:
    return any(p[:k] == p[-k:] for k in range(1, len(p)))


def _counts_alone(matcher: Matcher, phrase: str, p: str, end: str) -> bool:
    """Whether the phrase, as the whole of a line ending in ``end``, is the
    line's first hit as its own listed phrase."""
    hit = matcher.first(p + end)
    return (hit is not None and hit.phrase == phrase and hit.kind is MatchKind.EXACT
            and (hit.start, hit.end) == (0, len(p)))
