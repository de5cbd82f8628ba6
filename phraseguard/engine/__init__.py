"""The matching engine: lexicon, patterns, normalisation, phonetic folds, word
boundaries, the matcher and the ``Hit`` it returns.

Owns: everything that turns text into hits. Pure after construction: a
``Matcher`` loads its tables when it is built, and ``scan`` does no I/O.
May import: only the standard library, third-party packages and
``phraseguard.errors``. Nothing else in phraseguard.
"""
