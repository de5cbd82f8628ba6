"""Clause ends in speech, which has no punctuation.

A recogniser writes no commas, and a typist in a hurry writes none either:
"主播说的您找主播去呀客服这边只认订单" is two clauses, but with no mark between
them the lexicon's conditions, which read a hit's clause (``$``, ``^``, the
topic a downgrade looks for), read the whole turn as one. Spoken Chinese ends
a clause with a sentence-final particle (吧, 呢, 呀, 嘛, 了…), so where a line
has no clause punctuation at all, a clause ends after each run of such words
that more words follow (and after a turn's opening 您好 or 抱歉). These ends
bound a clause for the conditions only: a phrase may still match across one,
since a garbled word can look like a particle (我不了卩, 不了解 misheard).

Recognised speech has a better cue where it has word times: a pause. The
front doors that have them (``score``, ``live``) pass the offsets where the
speaker paused at least ``[matching] spoken_pause_seconds``, and each ends a
clause the same way.

The words come from the lexicon (``[matching] spoken_clause_ends``,
``spoken_vocatives`` and ``spoken_clause_goes_on``), so QA staff can change
them; word boundaries come from the same segmenter as the word check, on the
normalised text, so a spaced and an unspaced line get the same ends.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Collection
from dataclasses import dataclass

from phraseguard.engine.normalize import Normalized


@dataclass(frozen=True)
class SpokenClauseEnds:
    """Which words end a spoken clause, and which words around them change that."""

    # Sentence-final particles and the words that are a clause of their own
    # at a turn's start (您好, 好的, 抱歉): a clause ends after a run of them.
    ends: frozenset[str]
    # Words that join such a run without starting one: 是的亲 / 没办法呢亲 end
    # after 亲, but 亲自己… (亲 as "you") does not end a clause.
    vocatives: frozenset[str]
    # Words that show the particle was not one: Cantonese 呢 before a
    # classifier means "this" (呢个情况).
    goes_on: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.ends)

    def positions(self, words: list[str]) -> frozenset[int]:
        """Character positions (in the joined ``words``) where a spoken clause ends."""
        out = set()
        pos = 0
        in_run = False
        for word, following in zip(words, words[1:], strict=False):
            pos += len(word)
            in_run = word in self.ends or (in_run and word in self.vocatives)
            if (in_run and following not in self.ends and following not in self.vocatives
                    and following not in self.goes_on):
                out.add(pos)
        return frozenset(out)

    def apply(self, nz: Normalized, boundaries: frozenset[int], *,
              pauses: Collection[int] = ()) -> Normalized:
        """``nz`` with spoken clause ends, when it has no clause break of its own.

        ``boundaries``: word boundaries of ``nz.text`` (0 and its length
        included). ``pauses``: offsets in ``nz.original`` where the speaker
        paused long enough to end a clause (from word times); each ends the
        clause before the first character at or after it. A line that has
        punctuation keeps exactly the breaks the writer put.
        """
        if nz.breaks:
            return nz
        found = set()
        if self.ends:
            cuts = sorted(boundaries)
            found.update(self.positions([nz.text[a:b]
                                         for a, b in zip(cuts, cuts[1:], strict=False)]))
        for offset in pauses:
            at = bisect.bisect_left(nz.offsets, offset)
            if 0 < at < len(nz.text):
                found.add(at)
        return dataclasses.replace(nz, spoken=frozenset(found)) if found else nz
