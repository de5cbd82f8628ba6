"""A rule's context conditions, compiled: regexes built on first use.

A rule's ``unless`` and ``requires`` tables (lexicon) say where a match is
excused or needed: the text just before or after it, its clause, the whole
utterance, or patterns overlapping it (also over folded text, so a garbled
不只道您 is as much a polite question as 不知道您). :class:`ContextCompiler`
turns them into :class:`CompiledContext`; :func:`context_holds` asks whether
any condition holds for one match. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import Context
from phraseguard.engine.pattern import literal_length, parse, to_regex
from phraseguard.engine.regex_programs import KeptProgram, restore


class LazyRegex:
    """A regex compiled the first time it is used.

    A lexicon compiles to a few hundred regexes, and compiling them all was a
    third of a cold ``phraseguard lint`` (about 0.1 s); a one-page script
    reaches the careful verification for a handful of rules, so the rest are
    never needed. Compiling is CPU work, not I/O: the first scan still reads
    no file.
    """

    # ``search`` and ``finditer`` (the verification's calls) start unset, and
    # the first use stores the compiled pattern's bound methods in them, so
    # later calls cost no more than on the pattern itself.
    __slots__ = ("pattern", "program", "_compiled", "search", "finditer")

    def __init__(self, pattern: str, program: KeptProgram | None = None) -> None:
        self.pattern = pattern
        # The compiler's program kept from an earlier run (regex_programs.py):
        # restoring it costs microseconds where compiling costs milliseconds.
        self.program = program
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        # Only reached for what the slots lack (or hold unset): search,
        # finditer on first use, match, findall...
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = restore(self.pattern, self.program)
            self.search = compiled.search
            self.finditer = compiled.finditer
        return getattr(compiled, name)


@dataclass(frozen=True)
class CompiledContext:
    """One table of conditions: any of them holding is enough."""

    before: tuple[LazyRegex, ...]
    after: tuple[LazyRegex, ...]
    clause: tuple[LazyRegex, ...]
    utterance: tuple[LazyRegex, ...]
    overlap: tuple[LazyRegex, ...]
    # The overlap patterns again over folded text: a garbled 不只道您 is as
    # much a polite question as 不知道您.
    overlap_sound: tuple[LazyRegex, ...] = ()
    overlap_coarse: tuple[LazyRegex, ...] = ()
    # The before / after / clause conditions over folded text, read for a
    # sound-alike hit when the written text holds none: a recogniser that
    # garbles 不知道 into 不只到 garbles the 没关系 after it as often (不知道
    # 也寐关系 is still the customer's not knowing, answered).
    before_sound: tuple[LazyRegex, ...] = ()
    after_sound: tuple[LazyRegex, ...] = ()
    clause_sound: tuple[LazyRegex, ...] = ()

    def is_empty(self) -> bool:
        return not (self.before or self.after or self.clause or self.utterance or self.overlap)

    @classmethod
    def from_sources(cls, sources: ContextSources,
                     programs: Mapping[str, KeptProgram] | None = None) -> CompiledContext:
        """The conditions from their regex sources (:meth:`ContextCompiler.sources`);
        ``programs``: compiled programs of (some of) them (``regex_programs.py``)."""
        get = (programs or {}).get
        return cls(*(tuple(LazyRegex(p, get(p)) for p in field) for field in sources))


# A table's regex sources, field by field in CompiledContext's order: plain
# data, so a compiled lexicon can be cached (engine/compiled.py).
ContextSources = tuple[tuple[str, ...], ...]


class ContextCompiler:
    """Compiles context tables; patterns shared by many rules are built once."""

    def __init__(self, normalize: Callable[[str], str], max_gap: int,
                 symbols_exact: Callable[[str], list[str]],
                 symbols_coarse: Callable[[str], list[str]], *,
                 sound_min_chars: int = 0) -> None:
        self._normalize = normalize
        # (0: no condition is read by sound)
        self._sound_min_chars = sound_min_chars
        self._max_gap = max_gap
        self._symbols_exact = symbols_exact
        self._symbols_coarse = symbols_coarse
        self._regex: dict[tuple[str, object], str] = {}

    def compile(self, ctx: Context) -> CompiledContext:
        """The conditions of one ``unless`` or ``requires`` table."""
        return CompiledContext.from_sources(self.sources(ctx))

    def sources(self, ctx: Context) -> ContextSources:
        """The regex sources of one table's conditions, in CompiledContext's field order."""
        def comp(pats: tuple[str, ...], fmt: str, symbols=None, *, joined: bool = False
                 ) -> tuple[str, ...]:
            out = []
            for p in pats:
                key = (p, symbols)
                regex = self._regex.get(key)
                if regex is None:  # the shared [lists] recur in many rules
                    nodes = parse(p, normalize=self._normalize, context=True)
                    kw = {"symbols": symbols} if symbols else {}
                    regex = to_regex(nodes, max_gap=self._max_gap, **kw)
                    self._regex[key] = regex
                out.append(fmt % regex)
            if joined and out:
                # "Any of these holds" is one alternation: one search per scope
                # instead of one per pattern (the shared lists are long).
                return ("|".join(f"(?:{o})" for o in out),)
            return tuple(out)

        return (
            comp(ctx.before, "(?:%s)$", joined=True),
            comp(ctx.after, "^(?:%s)", joined=True),
            comp(ctx.clause, "%s", joined=True),
            comp(ctx.utterance, "%s", joined=True),
            comp(ctx.overlap, "%s"),
            comp(ctx.overlap, "%s", self._symbols_exact),
            comp(ctx.overlap, "%s", self._symbols_coarse),
            comp(self._by_sound(ctx.before), "(?:%s)$", self._symbols_exact, joined=True),
            comp(self._by_sound(ctx.after), "^(?:%s)", self._symbols_exact, joined=True),
            comp(self._by_sound(ctx.clause), "%s", self._symbols_exact, joined=True),
        )

    def _by_sound(self, pats: tuple[str, ...]) -> tuple[str, ...]:
        """The conditions long enough to be read by sound (``sound_min_chars``)."""
        if self._sound_min_chars <= 0:
            return ()
        return tuple(p for p in pats if literal_length(
            parse(p, normalize=self._normalize, context=True)) >= self._sound_min_chars)


class OverlapText(NamedTuple):
    """What overlap patterns read: the hit's clause as written, the hit's
    ``span`` in it, and for a sound-alike hit (``kind``) the clause's folded
    text. A clause end found in speech (engine/spoken.py) does not cut it:
    the segmenter's 您好 | 评价 is still 您好评, "your good review"."""

    text: str
    span: tuple[int, int]
    kind: MatchKind
    folded: str | None


def context_holds(ctx: CompiledContext, before: str, after: str, clause: str,
                  line: tuple[str, int, int, int], overlap: OverlapText,
                  sound: tuple[str, str, str] | None = None) -> bool:
    """Whether any condition holds.

    ``line`` is (the whole normalised line, where the utterance scope starts
    in it, the hit's start and end): the utterance scope sees the line from
    that start (the hit's sentence, ``[matching] earlier_sentences_excuse``)
    with the hit blanked out, built only when a condition looks at the
    utterance. ``sound``, for a homophone hit:
    ``before``, ``after`` and ``clause`` folded to sounds (aligned with them
    character for character), read when the written text holds nothing.
    """
    return which_condition(ctx, before, after, clause, line, overlap, sound) is not None


def _overlapping(ctx: CompiledContext, overlap: OverlapText) -> re.Match | None:
    """An overlap pattern's match that overlaps the hit in ``overlap.text``
    (or in its folded text, for a sound-alike hit), or None."""
    if not ctx.overlap:  # overlap_sound and overlap_coarse come from overlap
        return None
    start, end = overlap.span
    checks = [(p, overlap.text) for p in ctx.overlap]
    if overlap.folded is not None:
        extra = (ctx.overlap_sound if overlap.kind is MatchKind.HOMOPHONE
                 else ctx.overlap_coarse)
        checks += [(p, overlap.folded) for p in extra]
    for p, text in checks:
        for m in p.finditer(text):
            if m.start() < end and m.end() > start:
                return m
    return None


def which_condition(ctx: CompiledContext, before: str, after: str, clause: str,
                    line: tuple[str, int, int, int], overlap: OverlapText,
                    sound: tuple[str, str, str] | None = None
                    ) -> tuple[str, str] | None:
    """The first condition that holds, as (scope, the text it matched), or None.

    The matcher asks only whether one holds (:func:`context_holds`);
    ``phraseguard lexicon why`` says which (engine/explain.py).
    """
    # Plain loops, not any(generator): this runs for every raw match.
    for scope, patterns, text in (("before", ctx.before, before), ("after", ctx.after, after),
                                  ("clause", ctx.clause, clause)):
        for p in patterns:
            if (m := p.search(text)):
                return scope, m.group(0)
    if ctx.utterance:
        whole, first, start, end = line
        blanked = whole[first:start] + "\0" * (end - start) + whole[end:]
        for p in ctx.utterance:
            if (m := p.search(blanked)):
                return "utterance", m.group(0)
    m = _overlapping(ctx, overlap)
    if m is not None:
        # (folded text is aligned with the clause: quote the clause)
        return "overlap", overlap.text[m.start():m.end()]
    if sound is not None:
        for scope, patterns, folded, text in (
                ("before", ctx.before_sound, sound[0], before),
                ("after", ctx.after_sound, sound[1], after),
                ("clause", ctx.clause_sound, sound[2], clause)):
            for p in patterns:
                if (m := p.search(folded)):
                    return f"{scope} (by sound)", text[m.start():m.end()]
    return None
