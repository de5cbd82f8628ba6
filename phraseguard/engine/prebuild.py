"""Build the slow tables into a folder, for shipping them in the wheel.

    PHRASEGUARD_CACHE=<folder> python -m phraseguard.engine.prebuild

``setup.py`` runs this while building a wheel, with the cache folder pointed
at the package's ``engine/prebuilt``: the real loading code builds each table
exactly as a first run would, under the same content keys, so an installed
package finds them all and its first run builds nothing (see ``cache.py``).
Built: the pinyin tables (for compiling a user's own lexicon), the
traditional-to-simplified map, the fold tables verification uses, the
candidate scan's block table, the default lexicon compiled for the matcher
(``compiled.py``) with its regexes' compiled programs (``regex_programs.py``),
each of its required call-flow items compiled the same way
(``required_lexicon.py``; with no company configured), and the SQLite copy of
jieba's dictionary. Only the engine's data modules are imported, not the
matcher: the build environment has the dictionaries' packages, not the
matcher's compiled dependencies, so the candidate automata
(``anchors-*.pickle``, objects of the Aho-Corasick extension) are written by
the first run.
"""

from __future__ import annotations

import sys

from phraseguard.engine.cache import cache_dir
from phraseguard.engine.compiled import (
    compiled_key,
    load_block_folder,
    load_compiled,
    load_folds,
    load_programs,
)
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.phonetics import Phonetics, tables_key
from phraseguard.engine.required_lexicon import rule_lexicon
from phraseguard.engine.segment import WordGraph


def build() -> list[str]:
    """Build every table into the cache folder; the names of the files there."""
    folder = cache_dir()
    phonetics = Phonetics.load(cache=folder)
    lexicon = load_lexicon()
    normalizer = Normalizer(fillers=lexicon.matching.fillers)
    # The same calls, with the same keys, as Matcher's constructor makes.
    _exact, coarse = load_folds(lambda: phonetics)
    load_block_folder(normalizer, coarse, "coarse:" + tables_key())
    # The matchers a first `score` builds for the call-flow items (RequiredChecker).
    flow = lexicon.flow.settings
    rule_lexicons = [rule_lexicon(lexicon, rule, flow.company, flow.name_like)
                     for rule in lexicon.flow.required]
    for lex in [lexicon, *(r for r in rule_lexicons if r is not None)]:
        key = compiled_key(lex, normalizer)
        load_programs(load_compiled(lex, normalizer, lambda: phonetics, key=key), key)
    WordGraph(cache=folder)
    return sorted(p.name for p in folder.iterdir())


if __name__ == "__main__":
    for name in build():
        print(name)
    sys.exit(0)
