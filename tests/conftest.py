"""Shared fixtures for the engine, lint and CLI tests.

Building a ``Matcher`` for the default lexicon costs about 0.3 s, so one is
built per session and shared (it is pure: ``scan`` keeps no state that
changes results).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def default_lexicon():
    from phraseguard.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def matcher(default_lexicon):
    from phraseguard.matcher import Matcher

    return Matcher(default_lexicon)
