"""A compiled lexicon from the cache matches exactly what compiling gives, and never goes stale.

The matcher keeps its compiled lexicon and fold tables in the cache folder
(``engine/compiled.py``), so a cold run loads neither pypinyin's tables nor
recompiles. These tests pin that the cached copy behaves as a fresh compile,
that the key moves with the rules (not with the process), and that a warm
cache really spares the pinyin tables.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from phraseguard.engine import phonetics as phonetics_module
from phraseguard.engine.compiled import CompiledLexicon, compile_lexicon, compiled_key
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.phonetics import Phonetics

REPO = Path(__file__).resolve().parents[2]

LINES = ["这个我们不管，您自己去问吧", "我看不清楚这张图", "这个 小妹 也 布 知道 呢",
         "没办法，系统就是这样", "您好，请问有什么可以帮您？", "這個跟我們沒關係",
         "这个我处理不了，您找别人吧", "随便你吧"]


def test_packed_compile_round_trips() -> None:
    lexicon = load_lexicon()
    compiled = compile_lexicon(lexicon, Normalizer(fillers=lexicon.matching.fillers),
                               Phonetics.load())
    assert CompiledLexicon.unpack(compiled.pack()) == compiled


def test_a_matcher_from_a_cold_and_a_warm_cache_scans_as_a_fresh_compile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = load_lexicon()
    fresh = Matcher(lexicon, phonetics=Phonetics.load())  # compiled here, no cache
    monkeypatch.setenv("PHRASEGUARD_CACHE", str(tmp_path))
    monkeypatch.setattr("phraseguard.engine.cache.prebuilt_dir", lambda: tmp_path / "none")
    cold = Matcher(lexicon)  # builds and keeps
    assert any(p.name.startswith("matcher-") for p in tmp_path.iterdir())

    def refuse(*args, **kwargs):
        raise AssertionError("a warm cache must not load the pinyin tables")

    monkeypatch.setattr(Phonetics, "load", refuse)
    warm = Matcher(lexicon)
    for line in LINES:
        assert cold.scan(line) == fresh.scan(line) == warm.scan(line), line
    assert fresh.scan(LINES[0]) and fresh.scan(LINES[2])
    block = "\n".join(LINES * 3)
    assert warm.scan_block(block) == fresh.scan_block(block)


def test_the_key_follows_the_rules_settings_and_pinyin_data(
        monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = load_lexicon()
    norm = Normalizer(fillers=lexicon.matching.fillers)
    key = compiled_key(lexicon, norm)
    rule = dataclasses.replace(lexicon.rules[0], phrases=(*lexicon.rules[0].phrases, "不晓得"))
    edited = dataclasses.replace(lexicon, rules=(rule, *lexicon.rules[1:]))
    assert compiled_key(edited, norm) != key
    looser = dataclasses.replace(lexicon, matching=dataclasses.replace(
        lexicon.matching, max_gap=lexicon.matching.max_gap + 1))
    assert compiled_key(looser, norm) != key
    assert compiled_key(lexicon, norm) == key
    other = "x" + phonetics_module.tables_key()
    monkeypatch.setattr("phraseguard.engine.compiled.tables_key", lambda: other)
    assert compiled_key(lexicon, norm) != key  # another pypinyin's data


def test_the_key_is_the_same_in_every_process() -> None:
    # String hashing is randomised per process: a key built from a set's
    # order would miss the cache on every run.
    probe = ("from phraseguard.engine.compiled import compiled_key;"
             "from phraseguard.engine.lexicon import load_lexicon;"
             "from phraseguard.engine.normalize import Normalizer;"
             "lx = load_lexicon(); print(compiled_key(lx, Normalizer(fillers=lx.matching.fillers)))")
    keys = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED=seed)
        keys.add(subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                                text=True, check=True).stdout.strip())
    assert len(keys) == 1


def test_prebuild_ships_the_call_flow_matchers_a_first_score_needs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from phraseguard.engine import compiled as compiled_module
    from phraseguard.engine.callflow import CallFlow
    from phraseguard.engine.prebuild import build

    monkeypatch.setenv("PHRASEGUARD_CACHE", str(tmp_path))
    monkeypatch.setattr("phraseguard.engine.cache.prebuilt_dir", lambda: tmp_path / "none")
    build()
    before = sorted(p.name for p in tmp_path.iterdir())

    def refuse(*args, **kwargs):
        raise AssertionError("prebuild should have compiled every call-flow item")

    monkeypatch.setattr(compiled_module, "compile_lexicon", refuse)
    monkeypatch.setattr(compiled_module, "pack_programs", refuse)
    flow = CallFlow(load_lexicon())
    assert flow.check([]).checklist is not None
    # Only the candidate automata are new: the build has no Aho-Corasick.
    after = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("anchors-"))
    assert after == before
    assert any(name.startswith("regex-programs-") for name in before)
