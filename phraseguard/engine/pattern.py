"""The phrase pattern language QA staff write in lexicon files.

Deliberately tiny, so nobody has to learn regular expressions:

* plain characters match themselves (after normalisation, so 我們 = 我们);
* ``{a|b|c}`` is one of the alternatives (``不{太|是很}清楚``); an empty
  alternative makes the group optional (``自己{去|}问``);
* ``*`` is a gap of up to the lexicon's ``max_gap`` characters
  (``不归*管`` matches 不归我们部门管); ``*N`` is a gap of up to N;
* in context conditions only: ``^`` is the start of the clause and ``$`` its
  end (``随便`` needs ``$`` after it to be a brush-off, not 随便哪个), and
  ``?`` is a question mark ending the clause (``*4{吗|?}``).

A pattern compiles to a regular expression over a *symbol map*: the identity
for character matching, or a phonetic fold for homophone matching.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Maps one normalised character to the symbols it may appear as.
SymbolMap = Callable[[str], list[str]]


def identity(ch: str) -> list[str]:
    return [ch]


@dataclass(frozen=True)
class Lit:
    text: str


@dataclass(frozen=True)
class Alt:
    options: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    max: int | None  # None: the lexicon's max_gap


@dataclass(frozen=True)
class Anchor:
    where: str  # "^" or "$"


Node = Lit | Alt | Gap | Anchor


class PatternError(ValueError):
    """A pattern that cannot be parsed; the message says what is wrong."""


def _only_marks(text: str) -> bool:
    """Punctuation, symbols and spaces only: what normalising removes from any text."""
    return all(unicodedata.category(c)[0] in "PSZ" for c in text)


def parse(source: str, *, normalize: Callable[[str], str], context: bool = False) -> list[Node]:
    """Parse a pattern; literal text is normalised with ``normalize``."""
    nodes: list[Node] = []
    i = 0
    lit: list[str] = []

    def flush() -> None:
        if lit:
            text = normalize("".join(lit))
            if text:
                nodes.append(Lit(text))
            lit.clear()

    while i < len(source):
        ch = source[i]
        if ch == "{":
            close = source.find("}", i)
            if close < 0:
                raise PatternError(f"'{{' without a closing '}}' in {source!r}")
            inner = source[i + 1 : close]
            if "{" in inner or "*" in inner:
                raise PatternError(f"alternatives may hold only plain text in {source!r}")
            # "?" survives as itself (normalising would drop it); an empty
            # alternative makes the group optional: 自己{去|}问.
            written = inner.split("|")
            options = tuple("?" if o in ("?", "？") else normalize(o) for o in written)
            # Only punctuation, symbols and spaces: a filler the settings drop
            # (啊 with fillers off) is gone from the text too, so its
            # alternative rightly matches nothing there.
            lost = [w for w, o in zip(written, options, strict=True) if w and not o
                    and _only_marks(w)]
            if lost:
                # {联系|@}: the normaliser drops @, so the group would quietly
                # become optional, and with sound-alikes match far too much.
                raise PatternError(f"alternative {lost[0]!r} is only punctuation, symbols or spaces, "
                                   f"which normalising removes, in {source!r}; write an empty "
                                   f"alternative ({{去|}}) if the group is optional")
            if not any(options):
                raise PatternError(f"alternatives are all empty in {source!r}")
            flush()
            nodes.append(Alt(options))
            i = close + 1
        elif ch in "}|":
            raise PatternError(f"unexpected {ch!r} outside '{{...}}' in {source!r}")
        elif ch == "*":
            j = i + 1
            while j < len(source) and source[j].isdecimal():
                j += 1
            flush()
            nodes.append(Gap(int(source[i + 1 : j]) if j > i + 1 else None))
            i = j
        elif ch in "^$":
            if not context:
                raise PatternError(f"{ch!r} (clause start/end) is only for context conditions")
            flush()
            nodes.append(Anchor(ch))
            i += 1
        elif ch in "?？":
            # A question mark is punctuation, which normalising removes; in a
            # context condition it stands for "the clause ends in a question".
            flush()
            nodes.append(Lit("?"))
            i += 1
        else:
            lit.append(ch)
            i += 1
    flush()
    if not any(isinstance(n, Lit | Alt | Anchor) for n in nodes):
        raise PatternError(f"pattern {source!r} has nothing to match")
    if not context and (isinstance(nodes[0], Gap) or isinstance(nodes[-1], Gap)):
        raise PatternError(f"a phrase may not start or end with a gap: {source!r}")
    return nodes


def folded_alternatives(source: str, *, normalize: Callable[[str], str]) -> list[str]:
    """Written alternatives that normalising folds to nothing although they are words.

    A filler the settings drop (嗯, 呃) written as one choice of a group
    (``{吧|嗯}``) becomes an empty choice, which makes the whole group
    optional. ``parse`` must allow it: a team that adds 啊 to its fillers
    would otherwise break every ``{吧|啊}`` in the lexicon it extends. So it
    is a warning, found here, and not an error.
    """
    found: list[str] = []
    for group in re.findall(r"\{([^{}]*)\}", source):
        for written in group.split("|"):
            if (written and written not in ("?", "？") and not normalize(written)
                    and not _only_marks(written)):
                found.append(written)
    return found


def is_literal(nodes: list[Node]) -> bool:
    return len(nodes) == 1 and isinstance(nodes[0], Lit)


def _char_class(ch: str, symbols: SymbolMap) -> str:
    options = symbols(ch)
    if len(options) == 1:
        return re.escape(options[0])
    return "[" + "".join(re.escape(o) for o in options) + "]"


def _text_regex(text: str, symbols: SymbolMap) -> str:
    return "".join(_char_class(c, symbols) for c in text)


def _merge_gaps(nodes: list[Node], max_gap: int) -> list[Node]:
    """Consecutive gaps as one: ``**`` is ``*8``, never a nest of lazy repeats.

    Python's regular expressions backtrack; fifteen gaps in a row would try
    every way of sharing the characters between them (exponential time).
    """
    out: list[Node] = []
    for n in nodes:
        if isinstance(n, Gap) and out and isinstance(out[-1], Gap):
            prev = out[-1]
            out[-1] = Gap((max_gap if prev.max is None else prev.max)
                          + (max_gap if n.max is None else n.max))
        else:
            out.append(n)
    return out


def to_regex(nodes: list[Node], *, max_gap: int, symbols: SymbolMap = identity) -> str:
    """A regular expression (string) for the pattern under a symbol map."""
    parts: list[str] = []
    for n in _merge_gaps(nodes, max_gap):
        if isinstance(n, Lit):
            parts.append(_text_regex(n.text, symbols))
        elif isinstance(n, Alt):
            alts = sorted((_text_regex(o, symbols) for o in n.options), key=len, reverse=True)
            parts.append("(?:" + "|".join(alts) + ")")
        elif isinstance(n, Gap):
            parts.append(f".{{0,{max_gap if n.max is None else n.max}}}?")
        else:
            parts.append("^" if n.where == "^" else "$")
    return "".join(parts)


def match_work(nodes: list[Node], *, max_gap: int) -> int:
    """How many ways the regex may try to match at one position, at most.

    The product of each gap's lengths and each group's alternatives: a
    backtracking match at one start position explores no more paths than
    that, so matching a line costs at most this much per character (linear
    in the line's length). The lexicon refuses patterns above its
    ``[matching] max_pattern_work``.
    """
    work = 1
    for n in _merge_gaps(nodes, max_gap):
        if isinstance(n, Gap):
            work *= (max_gap if n.max is None else n.max) + 1
        elif isinstance(n, Alt):
            work *= len(n.options)
    return work


def anchor_texts(nodes: list[Node], *, limit: int = 64) -> list[str]:
    """Texts for the candidate automaton: wherever the pattern matches, one occurs in the match.

    Between gaps, the pattern falls into runs of literals and groups. The
    anchors are every expansion of the most selective run (the one whose
    shortest expansion is longest: 不管 rather than 我 in ``{我们|我}*2不管``;
    on a tie the later run wins, because phrases end in their key words).
    When that would be more than ``limit`` texts (``{跟|和|与}{我们|我|…}{…}``
    has hundreds), the most selective stretch of consecutive parts within a
    run that expands to at most ``limit`` texts is used instead, and at
    worst a single part: each of its alternatives is an anchor. So there are
    never more anchors than ``limit`` or than one group's alternatives.
    """
    runs: list[list[tuple[str, ...]]] = [[]]
    for n in nodes:
        if isinstance(n, Lit):
            runs[-1].append((n.text,))
        elif isinstance(n, Alt):
            runs[-1].append(n.options)
        else:
            runs.append([])
    runs = [r for r in runs if r]

    def shortest(run: list[tuple[str, ...]]) -> int:
        return sum(min(len(o) for o in opts) for opts in run)

    def count(run: list[tuple[str, ...]]) -> int:
        total = 1
        for opts in run:
            total *= len(opts)
        return total

    best = max(range(len(runs)), key=lambda i: (shortest(runs[i]), i))
    if count(runs[best]) <= limit:
        chosen = runs[best]
    else:
        stretches = [(shortest(run[a:b]), ri, a, run[a:b])
                     for ri, run in enumerate(runs)
                     for a in range(len(run)) for b in range(a + 1, len(run) + 1)
                     if b == a + 1 or count(run[a:b]) <= limit]
        chosen = max(stretches, key=lambda t: (t[0], -count(t[3]), t[1], t[2]))[3]
    return [o for o in ("".join(c) for c in itertools.product(*chosen)) if o]


def has_anchor(nodes: list[Node]) -> bool:
    """Whether the pattern always matches some text (not only optional parts)."""
    return any(isinstance(n, Lit) or (isinstance(n, Alt) and all(n.options)) for n in nodes)


def condition_keys(nodes: list[Node]) -> frozenset[str] | None:
    """The first two characters of each anchor of a condition pattern: one of
    them is in every text it matches. None where the pattern can match
    without any (only optional parts, or a run of optional groups between
    gaps, whose empty expansion ``anchor_texts`` drops)."""
    if not has_anchor(nodes) or _has_optional_run(nodes):
        return None
    anchors = anchor_texts(nodes)
    return frozenset(a[:2] for a in anchors) if anchors else None


def _has_optional_run(nodes: list[Node]) -> bool:
    """Whether some run between gaps is optional groups only."""
    runs: list[list[Node]] = [[]]
    for n in nodes:
        if isinstance(n, (Lit, Alt)):
            runs[-1].append(n)
        else:
            runs.append([])
    return any(run and all(isinstance(n, Alt) and not all(n.options) for n in run)
               for run in runs)


def expand_symbols(text: str, symbols: SymbolMap, *, limit: int = 16) -> list[str]:
    """Every spelling of ``text`` under a symbol map (capped: polyphones multiply)."""
    choices = [symbols(c) for c in text]
    out = ["".join(c) for c in itertools.islice(itertools.product(*choices), limit)]
    return out


def literal_length(nodes: list[Node]) -> int:
    """Characters the pattern needs at least (gaps count zero)."""
    total = 0
    for n in nodes:
        if isinstance(n, Lit):
            total += len(n.text)
        elif isinstance(n, Alt):
            total += min(len(o) for o in n.options)
    return total
