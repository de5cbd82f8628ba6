"""Build the slow tables into a folder, for shipping them in the wheel.

    PHRASEGUARD_CACHE=<folder> python -m phraseguard.engine.prebuild

``setup.py`` runs this while building a wheel, with the cache folder pointed
at the package's ``engine/prebuilt``: the real loading code builds each table
exactly as a first run would, under the same content keys, so an installed
package finds them all and its first run builds nothing (see ``cache.py``).
Built: the pinyin fold tables, the default lexicon's two normalise-and-fold
translation tables, and the SQLite copy of jieba's dictionary.
"""

from __future__ import annotations

import sys

from phraseguard.engine.cache import cache_dir
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.phonetics import Phonetics, tables_key
from phraseguard.engine.segment import WordGraph


def build() -> list[str]:
    """Build every table into the cache folder; the names of the files there."""
    folder = cache_dir()
    phonetics = Phonetics.load(cache=folder)
    lexicon = load_lexicon()
    normalizer = Normalizer(fillers=lexicon.matching.fillers)
    # The same calls, with the same keys, as Matcher's constructor makes.
    for keep_newlines in (False, True):
        normalizer.fold_table(phonetics.fuzzy, keep_newlines=keep_newlines,
                              fold_key="coarse:" + tables_key())
    WordGraph(cache=folder)
    return sorted(p.name for p in folder.iterdir())


if __name__ == "__main__":
    for name in build():
        print(name)
    sys.exit(0)
