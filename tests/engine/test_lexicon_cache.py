"""The parsed lexicon is kept in the cache folder, and never outlives an edit.

``load_lexicon_cached`` (what ``phraseguard lint`` loads) must give exactly
what ``load_lexicon`` gives; reparse when the lexicon, a file it extends or a
file beside it changes; and never keep a lexicon with errors.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from phraseguard.engine import lexicon_cache
from phraseguard.engine.lexicon import LexiconErrors, load_lexicon
from phraseguard.engine.lexicon_cache import load_lexicon_cached

BASE = """
[lexicon]
name = "ours"

[[rule]]
id = "brush-off"
category = "brush-off"
severity = "major"
message = "Brushes the customer off"
phrases = ["你自己看着办"]
suggestions = ["我来帮您处理"]
"""


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PHRASEGUARD_CACHE", str(folder))
    return folder


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # Another modification time, even on file systems with coarse clocks.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def _no_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed again although nothing changed")

    monkeypatch.setattr(lexicon_cache, "load_lexicon", refuse)


def test_the_cached_default_lexicon_is_the_parsed_one(cache: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_lexicon()
    assert load_lexicon_cached() == fresh
    assert any(p.name.startswith("lexicon-") for p in cache.iterdir())
    _no_parse(monkeypatch)
    assert load_lexicon_cached("default") == fresh


def test_an_edit_is_read_again(cache: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    ours = tmp_path / "ours.toml"
    _write(ours, BASE)
    assert load_lexicon_cached(ours).rules[0].phrases == ("你自己看着办",)
    _write(ours, BASE.replace('"你自己看着办"', '"你自己看着办", "爱咋咋地"'))
    assert load_lexicon_cached(ours).rules[0].phrases == ("你自己看着办", "爱咋咋地")
    assert load_lexicon_cached(ours) == load_lexicon(ours)


def test_an_edit_to_the_file_it_extends_is_read_again(cache: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.toml"
    _write(base, BASE)
    child = tmp_path / "child.toml"
    _write(child, '[lexicon]\nname = "child"\nextends = "base.toml"\n')
    assert load_lexicon_cached(child).rules[0].severity.label == "major"
    _write(base, BASE.replace('severity = "major"', 'severity = "critical"'))
    assert load_lexicon_cached(child).rules[0].severity.label == "critical"


def test_a_lexicon_with_errors_is_never_kept(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    _write(bad, BASE.replace('severity = "major"', 'severity = "huge"'))
    for _ in range(2):
        with pytest.raises(LexiconErrors):
            load_lexicon_cached(bad)
    assert not any(p.name.startswith("lexicon-") for p in cache.glob("*"))


def test_an_edit_of_the_same_size_and_time_is_read_again(cache: Path, tmp_path: Path) -> None:
    ours = tmp_path / "ours.toml"
    ours.write_text(BASE, encoding="utf-8")
    stamp = ours.stat()
    assert load_lexicon_cached(ours).rules[0].severity.label == "major"
    ours.write_text(BASE.replace('"major"', '"minor"'), encoding="utf-8")  # same length
    os.utime(ours, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # and the same time
    assert ours.stat().st_size == stamp.st_size
    assert load_lexicon_cached(ours).rules[0].severity.label == "minor"


def test_the_rules_digest_comes_back_with_the_cached_lexicon(tmp_path, cache) -> None:
    path = tmp_path / "ours.toml"
    _write(path, BASE)
    first = load_lexicon_cached(path)
    again = load_lexicon_cached(path)
    # Read from the pickle, not computed again: already in the object's dict.
    assert "rules_digest" in vars(again)
    assert again.rules_digest == first.rules_digest == load_lexicon(path).rules_digest


def test_a_changed_copy_gets_its_own_rules_digest(tmp_path) -> None:
    path = tmp_path / "ours.toml"
    _write(path, BASE)
    lexicon = load_lexicon(path)
    fewer = dataclasses.replace(lexicon, rules=())
    assert fewer.digest == lexicon.digest  # the files' digest is copied as it was
    assert fewer.rules_digest != lexicon.rules_digest
