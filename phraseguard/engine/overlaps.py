"""Which of a line's overlapping matches count: the longest, most severe, most certain.

A line's raw matches (before they become hits) may overlap: 我们不管 and
不管, or a phrase and an edit-distance guess at another. :func:`resolve`
keeps the longest, most severe, most certain of each overlapping set.
:func:`first_kept` finds only the first match ``resolve`` would keep, for a
caller that needs no more (the call-flow check: was the greeting said?),
judging as few matches as it can: whether a match is kept depends only on
the matches it overlaps, so a line's matches fall into groups chained by
overlaps, each resolved on its own, and the groups after the first that
keeps a match are never judged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from phraseguard.engine.hit import MatchKind


class _Ruled(Protocol):
    severity: int


class RawMatch(Protocol):
    """A match before it is a hit: its span in normalised text and how it matched."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def kind(self) -> MatchKind: ...
    @property
    def confidence(self) -> float: ...
    @property
    def rule_index(self) -> int: ...


R = TypeVar("R", bound=RawMatch)


def resolve(raws: list[R], rules: Sequence[_Ruled]) -> list[R]:
    """Keep the longest, most severe, most certain match where matches overlap."""
    if len(raws) < 2:  # the usual case: nothing can overlap
        return raws
    # A guess by edit distance never overrides what is written: in speech
    # "没 办法 精确" is the phrase 没办法 (a stated limit), not 没办法解决
    # misheard, just as the same text without spaces is judged.
    written = [r for r in raws if r.kind in (MatchKind.EXACT, MatchKind.VARIANT)]
    raws = [r for r in raws if r.kind is not MatchKind.FUZZY
            or all(r.end <= w.start or r.start >= w.end for w in written)]
    # A rule that speaks only after the customer's turn (``needs_customer``)
    # is resolved apart from the rest: the dialogue judge may drop it there,
    # so it must not push out a rule that reads the words alone (暂没有这方面
    # 的信息 is disclaim-knowledge-lookup's whatever the customer said), nor be
    # pushed out by one the judge then excuses. Where both count, scoring
    # keeps one per span (hit.one_per_span). Each such rule is resolved apart
    # from the others too: they read different things in the customer's turn
    # (a complaint, being sent around), so one the judge drops must not push
    # out another it keeps; the judge keeps one of them per span.
    parts: dict[int, list[R]] = {}
    for r in raws:
        part = r.rule_index if getattr(rules[r.rule_index], "needs_customer", False) else -1
        parts.setdefault(part, []).append(r)
    kept: list[R] = []
    for part_raws in parts.values():
        order = sorted(part_raws,
                       key=lambda r: (-(r.end - r.start), -rules[r.rule_index].severity,
                                      -r.confidence, r.start))
        chosen: list[R] = []
        for r in order:
            if all(r.end <= k.start or r.start >= k.end for k in chosen):
                chosen.append(r)
        kept.extend(chosen)
    return sorted(kept, key=lambda r: (r.start, r.end))


def first_kept(raws: list[R], accept: Callable[[R], R | None], rules: Sequence[_Ruled]
               ) -> R | None:
    """``resolve([accept(r) for r in raws if accepted])[0]`` (None when empty), with
    ``accept`` called only on the groups of overlapping matches up to that one.

    ``accept`` judges a match (context, word boundaries) and gives it as it
    counts, on the same span, or None. Each group keeps its members in the
    order of ``raws``, so ties resolve as in :func:`resolve`.
    """
    order = sorted(range(len(raws)), key=lambda i: raws[i].start)
    group: list[int] = []
    end = -1
    for i in [*order, -1]:
        if i >= 0 and (not group or raws[i].start < end):
            group.append(i)
            end = max(end, raws[i].end)
            continue
        if group:
            kept = [a for j in sorted(group) if (a := accept(raws[j])) is not None]
            kept = resolve(kept, rules)
            if kept:
                return kept[0]
        if i >= 0:
            group, end = [i], raws[i].end
    return None
