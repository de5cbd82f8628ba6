"""A lexicon compiled for the matcher, as plain data that the cache folder keeps.

Compiling a lexicon (parsing every phrase and pattern, spelling it in pinyin
keys, writing its regexes, its context conditions and the automaton's
anchor keys) took about 40 ms of a cold ``phraseguard lint``, and needed the
pinyin tables, about 50 ms more to load; the whole run has 250 ms. What it
produces is strings, numbers and tuples, so :func:`load_compiled` keeps it
in the cache folder (``cache.py``; the wheel ships the default lexicon's)
and a later run loads it in a few milliseconds without the pinyin tables.
The fold tables verification needs (character -> pinyin key) are kept the
same way, as packed arrays (:func:`load_folds`). So are the dialogue
judge's turn conditions (regex and keys, :func:`compile_conditions`): a
first give-up parsed them, 20-30 ms of a one-line lint.

The key names everything the result depends on: the rules and matching
settings as parsed (not the file's bytes: a parser change that reads the
same file differently gives another key), the normaliser (fillers,
traditional-to-simplified table), the pinyin data, and the source of the
modules that compile. Pure apart from the cache read and write, which happen
before any scan.
"""

from __future__ import annotations

import array
import functools
import hashlib
import marshal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from phraseguard.engine import block, contexts, hit, normalize, pattern, phonetics
from phraseguard.engine.block import BlockFolder
from phraseguard.engine.cache import cached_marshal, file_key
from phraseguard.engine.contexts import ContextCompiler, ContextSources
from phraseguard.engine.hit import MatchKind
from phraseguard.engine.lexicon import Lexicon
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.pattern import (
    anchor_texts,
    condition_keys,
    expand_symbols,
    is_literal,
    literal_length,
    parse,
    to_regex,
)
from phraseguard.engine.phonetics import Phonetics, tables_key
from phraseguard.engine.regex_programs import KeptProgram, pack_programs, programs_key

# Bump when the layout of the cached value changes.
_FORMAT = 4
# And of the kept regex programs (load_programs).
_PROGRAMS_FORMAT = 2


@dataclass(frozen=True)
class PatternSource:
    """One phrase or pattern of a rule, as regex sources."""

    rule: int  # index into the lexicon's rules
    source: str
    kind: str  # MatchKind value: "exact" for a listed phrase, "variant" for a pattern
    chars: str
    sound: str | None  # over exact-folded text
    coarse: str | None  # over fuzzy-folded text
    spelled: str | None  # coarse pinyin letters, for edit-distance matching
    length: int


@dataclass(frozen=True)
class CompiledLexicon:
    """Everything the matcher builds from a lexicon before its first scan."""

    patterns: tuple[PatternSource, ...]
    # per rule: unless, requires, downgrade, keep
    contexts: tuple[tuple[ContextSources, ContextSources, ContextSources, ContextSources], ...]
    # ``anchors``, marshalled: the candidate automata are kept built, so a
    # cold lint never reads them, and decoding their 16,000 keys was a fifth
    # of loading the compiled lexicon.
    packed_anchors: bytes
    edit_anchors: tuple[tuple[str, tuple[int, ...]], ...]  # bigram keys, for speech
    letters: dict[int, str]  # pinyin key -> its letters (for edit distances)
    # The dialogue judge's turn conditions: (pattern, its regex, its keys or
    # None), every rule's, once each (engine/dialogue.py).
    conditions: tuple[tuple[str, str, tuple[str, ...] | None], ...] = ()

    @functools.cached_property
    def anchors(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """Coarse key -> pattern indices: the candidate keys of every pattern."""
        return marshal.loads(self.packed_anchors)

    def pack(self) -> tuple:
        """Marshal-able form (tuples, strings, numbers)."""
        return (tuple(tuple(p.__dict__.values()) for p in self.patterns), self.contexts,
                self.packed_anchors, self.edit_anchors, self.letters, self.conditions)

    @classmethod
    def unpack(cls, packed: tuple) -> CompiledLexicon:
        patterns, ctxs, anchors, edit_anchors, letters, conditions = packed
        return cls(tuple(PatternSource(*p) for p in patterns), ctxs, anchors, edit_anchors,
                   letters, conditions)

    def regex_sources(self) -> list[str]:
        """Every regex the matcher may compile for this lexicon: patterns and conditions."""
        found = [src for p in self.patterns for src in (p.chars, p.sound, p.coarse) if src]
        found += [src for four in self.contexts for table in four for field in table
                  for src in field]
        found += [regex for _, regex, _ in self.conditions]
        return list(dict.fromkeys(found))

    def spell(self, folded: str) -> str:
        """Letters of folded text, syllables separated by spaces (as ``Phonetics.spell``)."""
        letters = self.letters
        return " ".join(letters.get(ord(c), c) for c in folded)


class _Speller:
    """A character's pinyin key, primary reading only, memoised."""

    # Phrases fold with the primary reading only, like the text does: every
    # reading of every character would let 复制到 (fu) sound like 不知道
    # (不 also reads fu).
    def __init__(self, ph: Phonetics) -> None:
        self._ph = ph
        self._memo: dict[tuple[str, bool], list[str]] = {}

    def exact(self, ch: str) -> list[str]:
        # Memoised: the lexicon's alternatives repeat the same characters.
        out = self._memo.get((ch, False))
        if out is None:
            out = self._memo[(ch, False)] = self._ph.char_symbols(ch, fuzzy=False)[:1]
        return out

    def coarse(self, ch: str) -> list[str]:
        out = self._memo.get((ch, True))
        if out is None:
            out = self._memo[(ch, True)] = self._ph.char_symbols(ch, fuzzy=True)[:1]
        return out


def compile_lexicon(lexicon: Lexicon, norm: Normalizer, ph: Phonetics) -> CompiledLexicon:
    """Compile every rule's phrases, patterns and context conditions."""
    s = lexicon.matching
    spell = _Speller(ph)
    context = ContextCompiler(norm.fast, s.max_gap, spell.exact, spell.coarse,
                              sound_min_chars=s.sound_context_min_chars)
    patterns: list[PatternSource] = []
    ctxs: list[tuple[ContextSources, ContextSources, ContextSources, ContextSources]] = []
    anchors: dict[str, set[int]] = {}
    edit_anchors: dict[str, set[int]] = {}
    for ri, rule in enumerate(lexicon.rules):
        ctxs.append(tuple(context.sources(c) for c in (rule.unless, rule.requires, rule.downgrade,
                                                        rule.keep)))
        sources = [(p, MatchKind.EXACT) for p in rule.phrases]
        sources += [(v, MatchKind.VARIANT) for v in rule.variants]
        for source, kind in sources:
            nodes = parse(source, normalize=norm.fast)
            if kind is MatchKind.VARIANT and is_literal(nodes):
                kind = MatchKind.EXACT
            chars = to_regex(nodes, max_gap=s.max_gap)
            sound = coarse = spelled = None
            size = literal_length(nodes)
            if rule.fuzzy and size >= s.homophone_min_chars:
                sound = to_regex(nodes, max_gap=s.max_gap, symbols=spell.exact)
            # Near-homophones only for listed phrases: a pattern's
            # alternatives already multiply what it matches (无法帮你 would
            # sound like 无法办理).
            if rule.fuzzy and size >= s.fuzzy_pinyin_min_chars and is_literal(nodes):
                coarse = to_regex(nodes, max_gap=s.max_gap, symbols=spell.coarse)
                if len(nodes[0].text) >= s.fuzzy_min_chars:
                    spelled = ph.spell("".join(spell.coarse(c)[0] for c in nodes[0].text))
            index = len(patterns)
            patterns.append(PatternSource(ri, source, kind.value, chars, sound, coarse, spelled,
                                          size))
            for lead in anchor_texts(nodes):
                for key in expand_symbols(lead, spell.coarse):
                    anchors.setdefault(key, set()).add(index)
            if spelled is not None:
                # Edit-distance candidates: any two adjacent characters of
                # the phrase may survive a garbled third.
                text = nodes[0].text
                for i in range(len(text) - 1):
                    for key in expand_symbols(text[i : i + 2], spell.coarse):
                        edit_anchors.setdefault(key, set()).add(index)
    # Letters after compiling: spelling a rare reading may have named a key.
    letters = {cp: name.lstrip("~") for cp, name in ph.letters.items()}
    return CompiledLexicon(
        tuple(patterns), tuple(ctxs),
        marshal.dumps(tuple((k, tuple(sorted(v))) for k, v in anchors.items())),
        tuple((k, tuple(sorted(v))) for k, v in edit_anchors.items()), letters,
        compile_conditions(lexicon, norm))


def compile_conditions(lexicon: Lexicon, norm: Normalizer
                       ) -> tuple[tuple[str, str, tuple[str, ...] | None], ...]:
    """Every rule's turn-condition patterns as (pattern, regex, keys), as the
    dialogue judge would parse them with ``norm``."""
    out = []
    patterns = dict.fromkeys(p for rule in lexicon.rules for p in rule.turn_patterns())
    for source in patterns:
        nodes = parse(source, normalize=norm.fast, context=True)
        keys = condition_keys(nodes)
        out.append((source, to_regex(nodes, max_gap=lexicon.matching.max_gap),
                    None if keys is None else tuple(sorted(keys))))
    return tuple(out)


def _code_key() -> str:
    """Names the source of the modules whose code decides what compiling gives."""
    modules = (block, contexts, hit, normalize, pattern, phonetics)
    return file_key(Path(__file__), *(Path(m.__file__) for m in modules),
                    extra=f"compiled:{_FORMAT}")


def compiled_key(lexicon: Lexicon, norm: Normalizer) -> str:
    """Cache key of ``lexicon`` compiled with ``norm`` and the installed pinyin data."""
    h = hashlib.sha1(f"{_code_key()}:{tables_key()}:{norm.key}:{lexicon.rules_digest}".encode())
    return h.hexdigest()[:12]


def load_compiled(lexicon: Lexicon, norm: Normalizer,
                  phonetics: Callable[[], Phonetics], *, key: str | None = None
                  ) -> CompiledLexicon:
    """``lexicon`` compiled: from the cache, else compiled (``phonetics()`` loaded) and kept.

    ``key``: ``compiled_key(lexicon, norm)`` when the caller has it already.
    """
    return CompiledLexicon.unpack(cached_marshal(
        "matcher", key or compiled_key(lexicon, norm),
        lambda: compile_lexicon(lexicon, norm, phonetics()).pack()))


def load_programs(compiled: CompiledLexicon, key: str) -> dict[str, KeptProgram]:
    """The packed programs of ``compiled``'s regexes (``key``: its ``compiled_key``).

    From the cache (or the wheel's copy), else compiled, all of them, and
    kept: about half a second once for the default lexicon, then about 2 ms
    to load (see ``regex_programs.py``). Kept in the order of
    ``regex_sources()`` without the sources, which the compiled lexicon holds
    already: reading them again was half the load.
    """
    sources = compiled.regex_sources()
    name = hashlib.sha1(f"{key}:{programs_key()}:{_PROGRAMS_FORMAT}".encode()).hexdigest()[:12]
    packed = cached_marshal("regex-programs", name, lambda: pack_programs(sources))
    if len(packed) != len(sources):  # another build's file under this name: compile on use
        return {}
    return {src: program for src, program in zip(sources, packed, strict=True)
            if program is not None}


def pack_folds(ph: Phonetics) -> tuple[bytes, bytes, bytes]:
    """The exact and fuzzy folds (code point -> pinyin key) as packed arrays."""
    cps = list(ph.exact)
    return (array.array("I", cps).tobytes(), array.array("I", [ph.exact[c] for c in cps]).tobytes(),
            array.array("I", [ph.fuzzy[c] for c in cps]).tobytes())


def load_folds(phonetics: Callable[[], Phonetics]) -> tuple[dict[int, int], dict[int, int]]:
    """(exact, fuzzy) fold dicts for ``str.translate``, from the cache when kept there."""
    packed = cached_marshal("pinyin-folds", tables_key(), lambda: pack_folds(phonetics()))
    cps, exact, fuzzy = (array.array("I", b).tolist() for b in packed)
    return dict(zip(cps, exact, strict=True)), dict(zip(cps, fuzzy, strict=True))


def load_block_folder(norm: Normalizer, coarse_fold: dict[int, int], fold_key: str
                      ) -> BlockFolder:
    """The candidate scan's folder; its table from the cache when ``fold_key`` names the fold.

    ``fold_key`` "" (a fold passed in, not the installed pinyin data): built here.
    """
    def build() -> BlockFolder:
        return BlockFolder(norm.fold_table(coarse_fold, keep_newlines=True))

    if not fold_key:
        return build()
    key = hashlib.sha1(f"{norm.table_key(fold_key)}:{_code_key()}".encode()).hexdigest()[:12]
    return BlockFolder.from_packed(cached_marshal("block-table", key, lambda: build().pack()))
