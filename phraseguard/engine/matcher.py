"""The matcher: text in, hits out. Pure, compiled once, shared by every front door.

Candidates fast, verification careful:

1. **Candidates.** The text (a line, or a block of many lines) is
   normalised and folded to coarse pinyin keys by one table lookup per
   character (``block.py``), and one Aho-Corasick automaton finds every
   place where a phrase (or its first words, for a pattern with gaps) could
   start: exact spellings, homophones and near-homophones all fold to the
   same keys, so one scan finds them all.
2. **Verification**, only on lines with a candidate: the line is normalised
   with its offset map; each candidate pattern is matched as characters
   (exact/variant), as toneless pinyin (homophone) and as coarse pinyin
   (fuzzy); long phrases are also compared by edit distance on their pinyin
   letters (rapidfuzz). A match must not cross a clause break, must not cut
   a word in two, and must pass the rule's context conditions.

What the constructor builds from the lexicon (regexes, context conditions,
automaton keys) comes compiled from the cache folder (``compiled.py``).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace

import ahocorasick

from phraseguard.engine.block import FoldedBlock
from phraseguard.engine.cache import cached_pickle
from phraseguard.engine.compiled import (
    CompiledLexicon,
    compile_lexicon,
    compiled_key,
    load_compiled,
    load_programs,
)
from phraseguard.engine.contexts import CompiledContext, LazyRegex, OverlapText, context_holds
from phraseguard.engine.dialogue import DialogueJudge
from phraseguard.engine.hit import Hit, MatchKind
from phraseguard.engine.lexicon import Lexicon, MatchingSettings, Rule
from phraseguard.engine.normalize import Normalized
from phraseguard.engine.overlaps import first_kept, resolve
from phraseguard.engine.phonetics import Phonetics
from phraseguard.engine.raw_matches import FormSearch, Pattern, Raw, Seen
from phraseguard.engine.segment import space_density
from phraseguard.engine.spoken import SpokenClauseEnds
from phraseguard.engine.tables import MatcherTables

# Lines joined into one block for the candidate scan: large enough to amortise
# the per-call overhead, small enough to keep memory flat.
_BLOCK_LINES = 512
_BLOCK_CHARS = 1 << 20
# What ``_verify(said=True)`` gives for a line where some match counts: only
# its truth is read (``Matcher.said``), so no hit is made.
_SAID: list = [True]
# Told each step of a match's judging (Matcher._accept): the step, the
# conditions it read (None: none) and their arguments (engine/explain.py).
Trace = Callable[[str, "CompiledContext | None", tuple], None]
# The gaps segment.space_density counts; a line without any has density 0.
_SPACES = re.compile("[ \t\u3000]")

# Which rules that need the customer's turn (``needs_customer``) a scan searches
# for: none (False), all (True), or those named (the rules that can count after
# the customer's turn before: ``DialogueJudge.customer_rules_for``).
CustomerRules = bool | AbstractSet[str]


class Matcher:
    """Finds a lexicon's phrases in text. Build once; ``scan`` any number of times."""

    def __init__(self, lexicon: Lexicon, *, phonetics: Phonetics | None = None,
                 tables: MatcherTables | None = None) -> None:
        self.lexicon = lexicon
        self.settings: MatchingSettings = lexicon.matching
        self.rules: tuple[Rule, ...] = lexicon.rules
        # Every table a scan needs is loaded here, so a scan does no I/O. With
        # the installed pinyin data (no ``phonetics`` given) the compiled
        # lexicon and the fold tables come from the cache folder, and the
        # pinyin tables are loaded only to build what is not there yet.
        # ``tables``: another matcher's (same normalisation), loaded once.
        if tables is None:
            tables = MatcherTables(self.settings, phonetics=phonetics)
        elif not tables.fits(self.settings, phonetics):
            raise ValueError("shared matcher tables were loaded for other fillers, split "
                             "words or pinyin tables than this lexicon's")
        self.tables = tables
        self._norm = tables.norm
        self._exact_fold, self._coarse_fold = tables.exact_fold, tables.coarse_fold
        if phonetics is None:
            key = compiled_key(lexicon, self._norm)
            compiled = load_compiled(lexicon, self._norm, tables.phonetics, key=key)
        else:
            key = None
            compiled = compile_lexicon(lexicon, self._norm, phonetics)
        self._blocks = tables.block_folder()
        self._segmenter = tables.segmenter
        self._spoken = SpokenClauseEnds(frozenset(self.settings.spoken_clause_ends),
                                    frozenset(self.settings.spoken_vocatives),
                                    frozenset(self.settings.spoken_clause_goes_on))
        self._spell = compiled.spell
        self._forms = FormSearch(self.settings, self._exact_fold, self._coarse_fold, self._spell)
        # The regexes compile on first use, from programs an earlier run kept
        # where there are (regex_programs.py): compiling the conditions a first
        # give-up reads was a fifth of a cold lint.
        programs = {} if key is None else load_programs(compiled, key)
        # The dialogue judge's conditions, parsed and keyed already; the judge
        # (and its table of them) is built on first use.
        self._conditions = (compiled.conditions, programs)

        def lazy(source: str | None) -> LazyRegex | None:
            return None if source is None else LazyRegex(source, programs.get(source))

        self._patterns = [
            Pattern(p.rule, p.source, MatchKind(p.kind), LazyRegex(p.chars, programs.get(p.chars)),
                    lazy(p.sound), lazy(p.coarse), p.spelled, p.length)
            for p in compiled.patterns]
        # Per rule: (unless, requires, downgrade, keep).
        self._contexts = [tuple(CompiledContext.from_sources(c, programs) for c in four)
                          for four in compiled.contexts]
        index_of = {r.id: i for i, r in enumerate(self.rules)}
        # Where a hit that fails its rule's ``requires`` goes instead (or None).
        self._otherwise = [index_of.get(r.otherwise) if r.otherwise else None
                           for r in self.rules]
        # Rules whose downgrade also reads the customer's turn: each of their
        # hits carries its ``otherwise`` verdict for the dialogue judge.
        self._customer_downgrade = [bool(r.downgrade.customer) and o is not None
                                    for r, o in zip(self.rules, self._otherwise, strict=True)]
        # Text alone (a plain script, a turn after no customer turn that lets
        # them count) is searched without the forms of rules that speak only
        # after the customer's turn (``needs_customer``): they would be found
        # and always dropped, and 耐心等待 or 建议您联系 are in one agent line in
        # twenty. The automaton with them too is built on first use.
        contextual = frozenset(i for i, p in enumerate(self._patterns)
                               if self.rules[p.rule].needs_customer)
        self._contextual = contextual  # (their patterns, for the edit-distance path)
        self._skips: dict[frozenset[str], frozenset[int]] = {}  # _customer_skip, per rule set
        # Building the two automata is a sixth of a start-up (about 40 ms for
        # the default lexicon); loading them pickled takes 2 ms. The key is the
        # compiled lexicon's, which names the normaliser and fold tables that
        # rename the keys, with the automaton library's own file (tables).
        if key is None:
            candidates = self._build_candidates(compiled, contextual)
        else:
            candidates = cached_pickle(
                "anchors", hashlib.sha1(f"{key}:{tables.automaton_key}".encode()).hexdigest()[:12],
                lambda: self._build_candidates(compiled, contextual))
        self._automaton, self._edit_automaton, search_keys = candidates
        self._has_plain_anchors = bool(search_keys)
        self._compiled = compiled  # its anchors, for the customer automaton (on first use)
        self._customer_automaton: ahocorasick.Automaton | None = None
        # Large blocks read only the lines holding some key's first characters
        # (engine/block.py): those of the keys searched for by default. A search
        # with the customer-turn rules reads every line instead (scan_folded).
        self._blocks.search_for(list(search_keys))
        self._has_edit_anchors = bool(compiled.edit_anchors)
        self._dialogue: DialogueJudge | None = None

    @property
    def dialogue(self) -> DialogueJudge:
        """The judge of this lexicon's cross-turn conditions (built on first use)."""
        if self._dialogue is None:
            conditions, programs = self._conditions
            prepared = {src: (regex, keys, programs.get(regex)) for src, regex, keys in conditions}
            self._dialogue = DialogueJudge(self.lexicon, normalizer=self._norm, prepared=prepared)
        return self._dialogue

    def normalize_fast(self, text: str) -> str:
        """``text`` normalised as the rules see it, without offsets (the meaning model reads it)."""
        return self._norm.fast(text)

    # ------------------------------------------------------------------ build

    def _build_candidates(self, compiled: CompiledLexicon, contextual: frozenset[int]
                          ) -> tuple[ahocorasick.Automaton, ahocorasick.Automaton, tuple[str, ...]]:
        """(the default candidate automaton, the edit-distance one, the renamed
        keys the first searches for): the first without the anchors of rules
        that need the customer's turn."""
        plain = tuple((k, kept) for k, idx in compiled.anchors
                      if (kept := tuple(i for i in idx if i not in contextual)))
        # Bigram anchors for edit-distance matching, searched only in speech
        # transcripts: written text has no recognition errors, and common
        # bigrams (我们, 处理) would make every other line a candidate.
        return (self._build_automaton(plain), self._build_automaton(compiled.edit_anchors),
                tuple(self._blocks.key(k) for k, _ in plain))

    def _build_automaton(self, anchors: tuple[tuple[str, tuple[int, ...]], ...]
                         ) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton()
        for key, indices in anchors:
            # Renamed as the folder renames the text it scans.
            automaton.add_word(self._blocks.key(key), indices)
        if anchors:
            automaton.make_automaton()
        return automaton

    def _anchors_for(self, customer_rules: bool) -> ahocorasick.Automaton | None:
        """The candidate automaton: all but the anchors of rules that need the
        customer's turn, or (``customer_rules``) every rule's; None: it has no
        anchor (a lexicon of such rules alone, searched without them)."""
        if not customer_rules or not self._contextual:  # the default automaton has them all
            return self._automaton if self._has_plain_anchors else None
        if self._customer_automaton is None:
            anchors = self._compiled.anchors
            if not anchors:
                return None
            self._customer_automaton = self._build_automaton(anchors)
        return self._customer_automaton

    def _customer_skip(self, customer_rules: CustomerRules) -> frozenset[int]:
        """The patterns not to search for: every rule's that needs the customer's
        turn (False), none (True), or those of such rules not in the set (the
        rules that can count after this customer turn:
        ``DialogueJudge.customer_rules_for``)."""
        if customer_rules is True:
            return frozenset()
        if customer_rules is False or not customer_rules:
            return self._contextual
        key = frozenset(customer_rules)
        skip = self._skips.get(key)
        if skip is None:
            skip = self._skips[key] = frozenset(
                i for i in self._contextual if self.rules[self._patterns[i].rule].id not in key)
        return skip

    # ------------------------------------------------------------------- scan

    def scan(self, text: str, *, min_confidence: float | None = None,
             pauses: Collection[int] = (), customer_rules: CustomerRules = False) -> list[Hit]:
        """Every forbidden phrase in ``text`` (one line or utterance), in order.

        Spans are offsets into ``text``. ``pauses``: offsets in ``text`` where
        the speaker paused long enough to end a clause (recognised speech with
        word times: ``Utterance.pause_offsets``); they count like a spoken
        clause end where the line has no punctuation. ``customer_rules``: also
        search for the rules that need the customer's turn (``needs_customer``):
        True for all of them, or the set of those that can count after the
        customer's turn before (``DialogueJudge.customer_rules_for``); without
        it (text alone, where they cannot count) they are not searched for.
        Never raises on odd input.
        """
        return self._scan(text, min_confidence, first=False, pauses=pauses,
                          customer_rules=customer_rules)

    def first(self, text: str, *, min_confidence: float | None = None) -> Hit | None:
        """``scan(text)[0]``, or None when ``scan`` finds nothing.

        Cheaper where a line has several matches: matches after the first
        group of overlapping ones are not judged (``overlaps.first_kept``).
        """
        hits = self._scan(text, min_confidence, first=True)
        return hits[0] if hits else None

    def said(self, text: str, *, min_confidence: float | None = None) -> bool:
        """``first(text) is not None``, sooner: judging stops at the first match
        that counts, in pattern order (the call-flow check: was the item said?)."""
        return bool(self._scan(text, min_confidence, first=True, said=True))

    def _scan(self, text: str, min_confidence: float | None, *, first: bool,
              said: bool = False, pauses: Collection[int] = (),
              customer_rules: CustomerRules = False) -> list[Hit]:
        candidates = self._candidates(self._blocks.fold_line(text), customer_rules)
        if self._maybe_speech(text):
            return self._verify(text, candidates, min_confidence, first=first, said=said,
                                pauses=pauses, customer_rules=customer_rules)
        if candidates and (seen := self._could_match(text, candidates)) is not None:
            return self._verify(text, candidates, min_confidence, seen, first=first, said=said,
                                pauses=pauses, customer_rules=customer_rules)
        return []

    def scan_lines(self, lines: Iterable[str], *, min_confidence: float | None = None,
                   customer_rules: CustomerRules = False) -> Iterator[list[Hit]]:
        """``scan`` for many lines, one result list per line, in order.

        Lines are searched in blocks (``scan_block``). Lines must not contain
        newlines.
        """
        block: list[str] = []
        size = 0
        for line in lines:
            block.append(line)
            size += len(line)
            if len(block) >= _BLOCK_LINES or size >= _BLOCK_CHARS:
                yield from self._per_line(block, min_confidence, customer_rules)
                block = []
                size = 0
        if block:
            yield from self._per_line(block, min_confidence, customer_rules)

    def scan_lines_each(self, lines: Sequence[str], customer_rules: Sequence[CustomerRules], *,
                        min_confidence: float | None = None) -> list[list[Hit]]:
        """:meth:`scan_lines` with each line's own ``customer_rules`` (the agent
        turns of a conversation: ``DialogueJudge.customer_rules_per_turn``),
        one block pass per distinct value."""
        out: list[list[Hit]] = [[] for _ in lines]
        # (a conversation has few distinct values: one pass per value)
        values = [c if isinstance(c, bool) else frozenset(c) for c in customer_rules]
        for wanted in dict.fromkeys(values):
            picked = [i for i, c in enumerate(values) if c == wanted]
            for i, hits in zip(picked, self.scan_lines([lines[i] for i in picked],
                                                       min_confidence=min_confidence,
                                                       customer_rules=wanted), strict=True):
                out[i] = hits
        return out

    def _per_line(self, block: list[str], min_confidence: float | None,
                  customer_rules: CustomerRules) -> Iterator[list[Hit]]:
        found = dict(self.scan_block("\n".join(block), min_confidence=min_confidence,
                                     customer_rules=customer_rules))
        for i in range(len(block)):
            yield found.get(i, [])

    def prepare_large_blocks(self) -> None:
        """Fold blocks of 32k characters or more with numpy from now on (about six
        times faster); imports numpy, so call it outside a scan. Idempotent."""
        self._blocks.use_arrays()

    def scan_block(self, block: str, *, min_confidence: float | None = None,
                   customer_rules: CustomerRules = False) -> list[tuple[int, list[Hit]]]:
        """``scan`` for every line of ``block`` (lines joined by ``"\\n"``).

        Returns (line index, hits) for the lines with hits, in order; spans
        are offsets into that line. The whole block is folded and searched in
        one automaton pass, and only lines with a candidate (or that look like
        recogniser output) are verified, so text without candidates costs no
        Python work per line.
        """
        return self.scan_folded(self.fold_block(block), min_confidence=min_confidence,
                                customer_rules=customer_rules)

    def fold_block(self, block: str) -> FoldedBlock:
        """``block`` folded for :meth:`scan_folded`; it also knows where each line is
        (``starts``/``ends``), which spares a caller splitting the block."""
        density = self.settings.spaced_density if self._has_edit_anchors else None
        return self._blocks.fold(block, spaced_density=density)

    def scan_folded(self, fb: FoldedBlock, *, min_confidence: float | None = None,
                    customer_rules: CustomerRules = False) -> list[tuple[int, list[Hit]]]:
        """:meth:`scan_block` of a block folded by :meth:`fold_block`."""
        per_line: dict[int, set[int]] = {}
        if customer_rules and fb.maybe is not None:  # (True, or a non-empty set)
            fb = replace(fb, maybe=None)  # its narrowing knows only the other rules' keys
        if (automaton := self._anchors_for(bool(customer_rules))) is not None:
            for li, indices in fb.anchor_matches(automaton):
                per_line.setdefault(li, set()).update(indices)
        if per_line and not isinstance(customer_rules, bool):
            skip = self._customer_skip(customer_rules)
            per_line = {li: kept for li, found in per_line.items() if (kept := found - skip)}
        # ``spaced`` is exactly the lines that pass _maybe_speech's cheap
        # bound (and only when there are edit anchors): no other line can be
        # speech, and for these _maybe_speech is the density alone, which
        # _verify then reuses. A spaced line without candidates gives hits
        # only through edit-distance anchors in its coarse fold, which (in a
        # block without characters beyond the BMP) is its folded line: when
        # it has none, the line is done without any Python work.
        spaced = set(fb.spaced)
        todo = set(per_line)
        alone = [li for li in fb.spaced if li not in todo]
        if fb.bmp and alone:
            todo.update(li for li, _ in fb.anchor_matches(self._edit_automaton, alone))
        else:
            todo.update(alone)
        out: list[tuple[int, list[Hit]]] = []
        speech = self.settings.spaced_density
        order = sorted(todo)
        for li, line in zip(order, fb.lines(order), strict=True):
            cands = per_line.get(li)
            density = space_density(line) if li in spaced else None
            if density is not None and density >= speech:
                hits = self._verify(line, cands or set(), min_confidence, density=density,
                                    customer_rules=customer_rules)
            elif cands and (seen := self._could_match(line, cands)) is not None:
                hits = self._verify(line, cands, min_confidence, seen, density=density,
                                    customer_rules=customer_rules)
            else:
                continue
            if hits:
                out.append((li, hits))
        return out

    def _maybe_speech(self, text: str) -> bool:
        """Recogniser output, which gets edit-distance matching too."""
        if not self._has_edit_anchors or " " not in text:
            return False
        # Cheap bound first: spaces per character can only overestimate.
        if text.count(" ") < self.settings.spaced_density * len(text) / 2:
            return False
        return space_density(text) >= self.settings.spaced_density

    def _could_match(self, text: str, candidates: set[int]) -> Seen | None:
        """Whether any candidate pattern matches at all (before the careful work).

        None when none does; else what was computed on the way, which
        ``_verify`` reuses instead of normalising and folding again.
        """
        seen = Seen(self._norm.mark(text))
        for idx in candidates:
            pat = self._patterns[idx]
            if pat.chars.search(seen.plain):
                return seen
            if pat.sound is not None and pat.sound.search(seen.sound(self._exact_fold)):
                return seen
            if pat.coarse is not None and pat.coarse.search(seen.coarse(self._coarse_fold)):
                return seen
        return None

    def _candidates(self, folded: str, customer_rules: CustomerRules = False) -> set[int]:
        """The patterns whose anchors occur in ``folded`` (a line's renamed fold)."""
        found: set[int] = set()
        if (automaton := self._anchors_for(bool(customer_rules))) is not None:
            for _, indices in automaton.iter(folded):
                found.update(indices)
        if found and not isinstance(customer_rules, bool):
            found -= self._customer_skip(customer_rules)
        return found

    # ----------------------------------------------------------------- verify

    def _verify(self, text: str, candidates: set[int],
                min_confidence: float | None, seen: Seen | None = None,
                density: float | None = None, *, first: bool = False,
                said: bool = False, pauses: Collection[int] = (),
                customer_rules: CustomerRules = False) -> list[Hit]:
        """The line's hits (``first``: only its first, judging no more than needed;
        ``said``: ``_SAID`` when some match counts, no hit made, else none)."""
        found = self._raws(text, candidates, min_confidence, seen, density, pauses,
                           customer_rules)
        if found is None:
            return []
        groups, nz, seen, spaced = found

        def accept(r: Raw) -> Raw | None:
            return self._accept(r, nz, text, spaced, self._folded(r, seen))

        if said:
            # A match that counts: ``first`` finds one too (resolving keeps
            # at least one of any matches that count).
            for group in groups:
                if any(accept(r) is not None for r in group):
                    return _SAID
            return []
        raws = [r for group in groups for r in group]
        if first:
            one = first_kept(raws, accept, self.rules)
            return [] if one is None else [self._hit(one, nz)]
        kept = [a for r in raws if (a := accept(r)) is not None]
        return [self._hit(r, nz) for r in resolve(kept, self.rules)]

    def _raws(self, text: str, candidates: set[int], min_confidence: float | None,
              seen: Seen | None = None, density: float | None = None,
              pauses: Collection[int] = (), customer_rules: CustomerRules = True
              ) -> tuple[Iterator[list[Raw]], Normalized, Seen, bool] | None:
        """Where each candidate pattern's form matches, before any condition is
        judged, one list per pattern, made as they are read (``said`` and
        ``mentions`` stop at the first that answers); with the normalised
        line (its spoken clause ends include ``pauses``). None: nothing left
        after normalising."""
        s = self.settings
        floor = s.min_confidence if min_confidence is None else min_confidence
        if density is None:
            # No space of any kind between characters: no gap, density 0.
            density = space_density(text) if _SPACES.search(text) else 0.0
        spaced = density >= s.spaced_density
        if seen is None:
            seen = Seen(self._norm.mark(text))
        nz = self._norm.normalize(text, space_breaks=not spaced, marked=seen.marked)
        if not nz.text:
            return None
        if not nz.breaks and (self._spoken or pauses):
            nz = self._spoken.apply(nz, self._segmenter.boundaries(nz.text), pauses=pauses)
        # The folds are made when a pattern first needs them (``seen`` keeps
        # them): a line whose candidates have no sound-alike form needs none.
        edit: dict[int, list[int]] = {}
        if spaced and self._has_edit_anchors:
            coarse_key = self._blocks.key(seen.coarse(self._coarse_fold))
            skip = self._customer_skip(customer_rules)
            for last, indices in self._edit_automaton.iter(coarse_key):
                for idx in indices:
                    if idx not in skip:  # (as the candidate automaton leaves them out)
                        edit.setdefault(idx, []).append(last + 1)
        read = seen  # the narrowed type, for the generator below

        def groups() -> Iterator[list[Raw]]:
            for idx in sorted(candidates.union(edit)):
                found = self._forms.matches(self._patterns[idx], nz.text, read,
                                            edit.get(idx, []), nz.crosses_break)
                yield [r for r in found if r.confidence >= floor]

        return groups(), nz, seen, spaced

    def mentions(self, text: str) -> bool:
        """Whether some rule's listed form is written in ``text`` (exactly or as a
        variant), whether or not its conditions then excuse it.

        The meaning model reads only turns where this is False: where a rule's
        form is present, the rule's conditions have decided (excused by a
        reason, a third party, a harmless sense), and the model does not
        overrule them. A form that runs across a break, or that the rule's
        word check finds inside other words (没收到准信儿 for 准信), is not
        written: the rule did not read that turn, so the model does. Nor is a
        form whose rule's ``[rule.requires]`` does not hold (with no
        ``otherwise`` to go to): the rule says what the form means only with
        that context (您找司机 is blame-and-refer only where somebody else is
        named as in charge) and says nothing of the turn without it. Nor,
        for the same reason, is a form of a rule that ``needs_customer``.
        """
        candidates = self._candidates(self._blocks.fold_line(text))
        if not candidates:
            return False
        found = self._raws(text, candidates, None)
        if found is None:
            return False
        groups, nz, _, spaced = found
        for group in groups:
            for r in group:
                if r.kind not in (MatchKind.EXACT, MatchKind.VARIANT) \
                        or nz.crosses_break(r.start, r.end) \
                        or self.rules[r.pattern.rule].needs_customer:
                    continue
                if self.rules[r.pattern.rule].words:
                    cs, ce = nz.clause_bounds(r.start, r.end)
                    if not self._on_word_boundaries(nz, text, r, cs, ce, spaced):
                        continue
                if self._dropped_by_requires(r, nz, text, spaced):
                    continue
                return True
        return False

    def _dropped_by_requires(self, raw: Raw, nz: Normalized, text: str, spaced: bool) -> bool:
        """Whether the match is dropped because its rule's requires does not hold
        (``_accept``'s last step, as ``lexicon why`` reports it, is "dropped")."""
        if self._otherwise[raw.pattern.rule] is not None \
                or self._contexts[raw.pattern.rule][1].is_empty():
            return False
        steps: list[str] = []
        self._accept(raw, nz, text, spaced, None, lambda step, *_: steps.append(step))
        return steps[-1:] == ["dropped"]

    def _sentence_start(self, nz: Normalized, start: int) -> int:
        """Where, in normalised text, the sentence holding position ``start``
        begins: after the last of ``[matching] sentence_ends`` written before it."""
        at = nz.offsets[start] if start < len(nz.offsets) else len(nz.original)
        ends = self.settings.sentence_ends
        stop = max(nz.original.rfind(c, 0, at) for c in ends) if ends else -1
        first = 0 if stop < 0 else bisect.bisect_right(nz.offsets, stop)
        # Speech has no full stop: a spoken clause end after a word that
        # closes a finished act ends the sentence when a new matter is named
        # before the hit (我给您补上了 | 年费那个退不回来).
        words = self.settings.spoken_sentence_ends
        if nz.spoken and words:
            ends = sorted(p for p in nz.spoken if first < p <= start and nz.text.endswith(words, 0, p))
            for i in range(len(ends) - 1, -1, -1):
                if self._new_matter(nz.text, ends[i - 1] if i else first, ends[i], start):
                    return ends[i]
        return first

    def _new_matter(self, text: str, begin: int, end: int, start: int) -> bool:
        """Whether the speech after the clause ``text[begin:end]`` (ended by a
        ``spoken_sentence_ends`` word) is a new matter by the hit at ``start``:
        a ``spoken_new_matter`` word comes before the hit, or the clause ends
        with an act done for the customer (a ``spoken_finished_acts`` word in
        its last ``spoken_finished_act_chars``: 上门费已经给您退了)."""
        settings = self.settings
        tail = text[max(begin, end - settings.spoken_finished_act_chars):end]
        return (any(m in text[end:start] for m in settings.spoken_new_matter)
                or any(a in tail for a in settings.spoken_finished_acts))

    def _folded(self, raw: Raw, seen: Seen) -> str | None:
        """The line's fold a sound-alike match's overlap conditions read (None: the text)."""
        if raw.kind is MatchKind.HOMOPHONE:
            return seen.sound(self._exact_fold)
        if raw.kind is MatchKind.FUZZY:
            return seen.coarse(self._coarse_fold)
        return None

    def _accept(self, raw: Raw, nz: Normalized, original: str, spaced: bool,
                folded: str | None, trace: Trace | None = None) -> Raw | None:
        """The match as it counts (perhaps under its rule's ``otherwise``), or None.

        ``trace`` (engine/explain.py) is told each step that decided it: the
        step's name, the conditions it read (or None) and their arguments.
        """
        start, end = raw.start, raw.end
        if nz.crosses_break(start, end):
            if trace is not None:
                trace("crosses a break", None, ())
            return None
        rule = self.rules[raw.pattern.rule]
        unless, requires, downgrade, keep = self._contexts[raw.pattern.rule]
        cs, ce = nz.clause_bounds(start, end)
        before = nz.text[cs:start]
        question = "?" if ce in nz.questions else ""
        after = nz.text[end:ce] + question
        clause = nz.text[cs:ce] + question
        # Overlap patterns look no further than the clause either (a polite
        # question in the next sentence does not excuse this one), but than
        # the clause as written: a word around the hit is never cut by a
        # clause end found in speech.
        ws, we = nz.clause_bounds(start, end, spoken=False) if nz.spoken else (cs, ce)
        overlap = OverlapText(nz.text[ws:we] + ("?" if we in nz.questions else ""),
                              (start - ws, end - ws), raw.kind,
                              folded[ws:we] if folded is not None else None)
        # The utterance scope looks at the line without the hit itself: a
        # phrase cannot excuse itself (无法帮您 holds the offer pattern 我…帮您);
        # and, unless the lexicon says otherwise, not at the sentences before
        # the hit's (积分我给您补上了。放映机的事您找影院: help for another problem).
        first = 0 if self.settings.earlier_sentences_excuse else self._sentence_start(nz, start)
        line = (nz.text, first, start, end)
        args = (before, after, clause, line, overlap)
        # A homophone hit's excuses (unless, downgrade) may also hold by sound
        # (contexts.CompiledContext.before_sound): the recogniser that garbled
        # the phrase garbles the words around it as often. What makes a hit
        # count or keeps it major (requires, keep) is read only as written: a
        # sound-alike is already a guess, and a second guess must not add to it.
        easing = args
        if raw.kind is MatchKind.HOMOPHONE and folded is not None:
            easing = (*args, (folded[cs:start], folded[end:ce] + question,
                              folded[cs:ce] + question))
        if context_holds(unless, *easing):
            if trace is not None:
                trace("excused", unless, easing)
            return None
        if rule.words and not self._on_word_boundaries(nz, original, raw, cs, ce, spaced):
            if trace is not None:
                trace("not a whole word", None, args)
            return None
        why = "its [rule.requires] does not hold"
        if requires.is_empty() or context_holds(requires, *args):
            if downgrade.is_empty() or not context_holds(downgrade, *easing):
                if trace is not None:
                    trace("counts", requires, args)
                return self._with_otherwise(raw, args, easing)
            if context_holds(keep, *args):
                if trace is not None:
                    trace("kept", keep, args)
                return self._with_otherwise(raw, args, easing)
            if trace is not None:
                trace("downgrade holds", downgrade, easing)
            why = "its [rule.downgrade] holds"
        other = self._otherwise[raw.pattern.rule]
        if other is None:
            if trace is not None:
                trace("dropped", requires, args)
            return None
        # Downgraded (give-up -> limit-without-alternative): the target's own
        # same-turn conditions decide whether it still counts.
        target = self.rules[other]
        excused = self._excused_as(other, args, easing)
        if excused is not None:
            if trace is not None:
                trace(excused[0], excused[1], easing)
            return None
        if trace is not None:
            trace("downgraded", None, args)
        return Raw(raw.pattern, start, end, raw.kind, raw.confidence, other,
                    f"worded as a stated limit, not {rule.id} ({why}), so {target.id}")

    def _excused_as(self, other: int, args: tuple, easing: tuple
                    ) -> tuple[str, CompiledContext] | None:
        """Why the rule ``other`` (an ``otherwise`` target) would not count the match
        (the step's name and the condition), or None: it would. ``easing``: the
        arguments its excuses read (``args`` and, for a homophone hit, the
        folded text)."""
        target = self.rules[other]
        t_unless, t_requires = self._contexts[other][:2]
        if context_holds(t_unless, *easing):
            return "excused as " + target.id, t_unless
        if not t_requires.is_empty() and not context_holds(t_requires, *args):
            return "dropped as " + target.id, t_requires
        return None

    def _with_otherwise(self, raw: Raw, args: tuple, easing: tuple) -> Raw:
        """``raw`` counting under its own rule; for a rule whose downgrade reads the
        customer's turn, with its ``otherwise`` verdict on this turn for the judge."""
        if not self._customer_downgrade[raw.pattern.rule]:
            return raw
        other = self._otherwise[raw.pattern.rule]
        return raw._replace(as_otherwise=2 if self._excused_as(other, args, easing) else 1)

    def _on_word_boundaries(self, nz: Normalized, original: str, raw: Raw,
                            cs: int, ce: int, spaced: bool) -> bool:
        start, end = raw.start, raw.end
        if spaced:
            # The recogniser's own words are the boundaries. Its words come
            # from its vocabulary, so an exact phrase is trusted as is; only
            # sound-alike matches must line up (布置 道具 is not 不知道).
            if raw.kind in (MatchKind.EXACT, MatchKind.VARIANT):
                return True
            bounds = _space_boundaries(nz, original)
            if start in bounds and end in bounds:
                if raw.kind is MatchKind.FUZZY:
                    return self._words_sound_alike(raw, bounds, nz.text)
                return True
            if raw.kind is not MatchKind.HOMOPHONE:
                return False
            # A sound-alike the recogniser spelled with rare characters is
            # split into odd "words" (我布 庼 傗 for 我不清楚); judge it as the
            # same text without spaces is judged, so spaced and unspaced agree.
        if start == cs and end == ce:
            # The whole clause ("您好，…", "…，再见"): its ends are boundaries
            # whatever the words inside, so it need not be segmented.
            return True
        bounds = self._segmenter.boundaries(nz.text[cs:ce])
        return (start - cs) in bounds and (end - cs) in bounds

    def _words_sound_alike(self, raw: Raw, bounds: frozenset[int], text: str) -> bool:
        """A recogniser garbles a syllable, not a whole word: every word of two
        or more characters in a near-sound-alike match shares a syllable
        (toneless) with the phrase. "没有 单号" and "没有 帮到" are within edit
        distance of 没有办法, but 单号 and 帮到 are words of their own (and the
        unspaced lines, which get no edit-distance matching, have no hit);
        "我们 不 乖" (one garbled syllable) is still 我们不管."""
        fold = self._exact_fold
        keys = set(self._norm.fast(raw.pattern.source).translate(fold))
        cuts = sorted(b for b in bounds if raw.start <= b <= raw.end)
        return all(b - a < 2 or keys.intersection(text[a:b].translate(fold))
                   for a, b in zip(cuts, cuts[1:], strict=False))

    def _hit(self, raw: Raw, nz: Normalized) -> Hit:
        rule = self.rules[raw.rule_index]
        o_start, o_end = nz.span_to_original(raw.start, raw.end)
        how = "listed phrase" if raw.kind is MatchKind.EXACT else f"{raw.kind.value} match of"
        reason = f"{how} 「{raw.pattern.source}」"
        if raw.why:
            reason += f"; {raw.why}"
        if not self._contexts[raw.rule_index][0].is_empty():  # the rule has an ``unless``
            reason += "; nothing in this turn excuses it"
        extra = {}
        if raw.as_otherwise:
            # What the hit is where the customer's turn downgrades it (the
            # dialogue judge decides): the target's hit, or None (excused there).
            other = self._otherwise[raw.rule_index]
            extra["otherwise"] = None if raw.as_otherwise == 2 else self._hit(raw._replace(
                rule=other, as_otherwise=0,
                why=f"worded as {rule.id}, but a stated limit of the one change the customer "
                    f"asked for ([rule.downgrade] customer), so {self.rules[other].id}"), nz)
        return Hit(
            rule_id=rule.id, category=rule.category, severity=rule.severity,
            message=rule.message, suggestions=rule.suggestions, phrase=raw.pattern.source,
            start=o_start, end=o_end, matched=nz.original[o_start:o_end],
            normalized=nz.text[raw.start:raw.end], kind=raw.kind,
            confidence=round(raw.confidence, 3), extra=extra, reason=reason,
        )


def _space_boundaries(nz: Normalized, original: str) -> frozenset[int]:
    """Normalised positions that had whitespace (or a break) before them."""
    bounds = {0, len(nz.text)} | set(nz.breaks)
    offs = nz.offsets
    for i in range(1, len(offs)):
        gap = original[offs[i - 1] + 1 : offs[i]]
        if gap and (gap.isspace() or any(c.isspace() for c in gap)):
            bounds.add(i)
    return frozenset(bounds)
