"""The tables every matcher of one normalisation loads, loaded once and shared.

A :class:`~phraseguard.engine.matcher.Matcher` needs, besides its compiled
rules, tables that depend only on how text is normalised and folded: the
normaliser (its traditional-to-simplified map), the exact and coarse pinyin
folds, the candidate scan's block folder and jieba's word graph. Loading
them costs about 30 ms a matcher, most of it the 9 MB word graph and the
fold dicts. The call-flow check builds one matcher per required rule (three
in the default lexicon) beside the forbidden-rule matcher of the same
lexicon: with :class:`MatcherTables` all four load these tables once, and
their memos (the normaliser's lazily filled tables, the segmenter's word
boundaries) fill once too.

The tables are loaded here, before any scan (the engine does no I/O while
scanning); what they hold is filled lazily in memory only and is the same
whichever matcher fills it, so sharing never changes a result.
"""

from __future__ import annotations

from pathlib import Path

import ahocorasick

from phraseguard.engine.block import BlockFolder
from phraseguard.engine.cache import file_key
from phraseguard.engine.compiled import load_block_folder, load_folds
from phraseguard.engine.lexicon import MatchingSettings
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.phonetics import Phonetics, tables_key
from phraseguard.engine.segment import Segmenter


class MatcherTables:
    """Normaliser, folds, block folder and word graph for matchers with the same settings.

    ``phonetics`` None: the installed pinyin data, folds from the cache
    folder (the pinyin tables themselves are loaded only when a matcher must
    compile a lexicon the cache lacks, once for all matchers sharing these
    tables). A given :class:`Phonetics`: its own folds, nothing cached.
    """

    def __init__(self, settings: MatchingSettings, *,
                 phonetics: Phonetics | None = None) -> None:
        self.fillers = settings.fillers
        self.split_words = settings.split_words
        self.norm = Normalizer(fillers=settings.fillers, chat_emoji=settings.chat_emoji)
        self._ph = phonetics
        self.given_phonetics = phonetics
        if phonetics is None:
            self.fold_key = "coarse:" + tables_key()
            self.exact_fold, self.coarse_fold = load_folds(self.phonetics)
        else:
            self.fold_key = ""
            self.exact_fold, self.coarse_fold = phonetics.exact, phonetics.fuzzy
        self._blocks = load_block_folder(self.norm, self.coarse_fold, self.fold_key)
        # Names the Aho-Corasick build and the folds that rename the automata's
        # keys, for the matchers' kept automata: read once for all of them.
        self.automaton_key = file_key(Path(ahocorasick.__file__), extra=self.fold_key) \
            if phonetics is None else ""
        self.segmenter = Segmenter(split_words=settings.split_words)

    def fits(self, settings: MatchingSettings, phonetics: Phonetics | None) -> bool:
        """Whether a matcher with ``settings`` and ``phonetics`` may use these tables."""
        return (settings.fillers == self.fillers and settings.split_words == self.split_words
                and phonetics is self.given_phonetics)

    def phonetics(self) -> Phonetics:
        """The pinyin tables, loaded the first time something must be built from them."""
        if self._ph is None:
            self._ph = Phonetics.load()
        return self._ph

    def block_folder(self) -> BlockFolder:
        """A block folder of its own for one matcher (the keys it searches for are its
        own), sharing the table with every other."""
        return self._blocks.sharing()
