"""Regex programs kept between runs restore exactly the pattern compiling gives.

``engine/regex_programs.py`` keeps what Python's regex compiler makes, so a
first hit does not spend tens of milliseconds compiling the lexicon's long
context conditions. These tests pin that a restored pattern finds what
``re.compile`` finds, for every regex of the default lexicon, that a damaged
or foreign program falls back to compiling, and that the matcher loads the
kept programs and the candidate automata from the cache folder and scans as
a fresh compile does.
"""

from __future__ import annotations

import json
import marshal
import re
from pathlib import Path

import pytest

from phraseguard.engine.compiled import compiled_key, load_compiled
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.phonetics import Phonetics
from phraseguard.engine.regex_programs import (
    compile_program,
    pack_programs,
    programs_key,
    restore,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

PROBES = ["没办法，您可以去营业厅办理", "我帮您查一下，稍后回复您", "不知道您说的是哪个订单呢",
          "这个我们不管，您自己去问吧", "您好，这里是中国移动，工号3021为您服务", "随便您什么时候方便",
          "meiyou banfa jiejue", "這個跟我們沒關係", "那 我 也 不 清楚 了", ""]


def _probe_lines() -> list[str]:
    lines = list(PROBES)
    for path in sorted(CORPUS.glob("*.jsonl"))[:3]:
        with path.open(encoding="utf-8") as fp:
            for i, row in enumerate(fp):
                if i % 97 == 0:
                    lines.append(json.loads(row)["text"])
                if len(lines) > 400:
                    break
    return lines


def test_every_default_lexicon_regex_restored_finds_what_compiling_finds() -> None:
    lexicon = load_lexicon()
    norm = Normalizer(fillers=lexicon.matching.fillers)
    compiled = load_compiled(lexicon, norm, Phonetics.load, key=compiled_key(lexicon, norm))
    sources = compiled.regex_sources()
    programs = dict(zip(sources, pack_programs(sources), strict=True))
    assert None not in programs.values()  # the compiler gave every one
    lines = _probe_lines()
    for source in sources:
        restored, fresh = restore(source, programs[source]), re.compile(source)
        assert restored.pattern == fresh.pattern and restored.flags == fresh.flags
        assert restored.groupindex == fresh.groupindex and restored.groups == fresh.groups
        for line in lines:
            assert [m.span() for m in restored.finditer(line)] == \
                [m.span() for m in fresh.finditer(line)], (source[:60], line)


def test_a_named_group_survives_the_round_trip() -> None:
    source = r"(?P<who>我们|咱们)(?:不管|不负责)"
    restored = restore(source, compile_program(source))
    assert restored.search("这个我们不管").group("who") == "我们"


@pytest.mark.parametrize("damaged", [
    (0, b"\x00\x00\x00\x00", 0, {}, ()),   # not a program the engine accepts
    (0, b"", 0, {}, ()),                    # empty
    ("x", b"", 0, {}, ()),                  # wrong types
])
def test_a_damaged_program_falls_back_to_compiling(damaged: tuple) -> None:
    restored = restore("不知道|不清楚", damaged)
    assert restored.search("我也不清楚").span() == (2, 5)


def test_the_key_names_the_interpreter() -> None:
    import sys

    assert sys.version in programs_key()


def test_a_matcher_from_kept_programs_and_automata_scans_as_a_fresh_compile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = load_lexicon()
    fresh = Matcher(lexicon, phonetics=Phonetics.load())  # nothing cached
    monkeypatch.setenv("PHRASEGUARD_CACHE", str(tmp_path))
    monkeypatch.setattr("phraseguard.engine.cache.prebuilt_dir", lambda: tmp_path / "none")
    cold = Matcher(lexicon)
    names = {p.name.split("-")[0] for p in tmp_path.iterdir()}
    assert {"regex", "anchors"} <= names

    def refuse(*args, **kwargs):
        raise AssertionError("a warm cache must not compile or build again")

    def restore_kept(pattern: str, program: tuple | None) -> re.Pattern:
        assert program is not None, f"no kept program for {pattern[:40]}"
        return restore(pattern, program)

    lines = _probe_lines()
    block = "\n".join(lines)
    expected = [fresh.scan(line) for line in lines]
    expected_block = fresh.scan_block(block)
    monkeypatch.setattr("phraseguard.engine.compiled.pack_programs", refuse)
    monkeypatch.setattr(Matcher, "_build_candidates", refuse)
    monkeypatch.setattr("phraseguard.engine.contexts.restore", restore_kept)
    warm = Matcher(lexicon)
    assert [warm.scan(line) for line in lines] == expected
    assert warm.scan_block(block) == expected_block
    monkeypatch.undo()
    assert [cold.scan(line) for line in lines] == expected
    assert any(expected)


def test_a_warm_matcher_leaves_kept_programs_and_anchors_packed_until_used() -> None:
    # A cold lint restores a handful of the lexicon's 3,000 regexes and never
    # reads the candidate keys (the automata are kept built): decoding them
    # all was a tenth of its start-up. (The first Matcher warms the cache:
    # other tests' lexicons may have pushed the default's tables out of it.)
    Matcher(load_lexicon())
    warm = Matcher(load_lexicon())
    assert "anchors" not in warm._compiled.__dict__
    kept = [p.chars.program for p in warm._patterns if p.chars.program is not None]
    assert kept and all(isinstance(program, bytes) for program in kept)
    assert warm.scan("这个我们不管，您自己去问吧")
    assert "anchors" not in warm._compiled.__dict__
    # The customer-turn search builds its automaton from them, on first use.
    assert warm._anchors_for(True) is not None
    assert warm._compiled.anchors == marshal.loads(warm._compiled.packed_anchors)


def test_kept_programs_of_another_lexicon_are_not_used(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # Programs are kept by position: a file with another count (another
    # build under the same name) must not hand a regex someone else's program.
    from phraseguard.engine import compiled as compiled_module

    real = compiled_module.cached_marshal

    def other_build(name: str, key: str, build, **kwargs):
        return [None, b"x"] if name == "regex-programs" else real(name, key, build, **kwargs)

    monkeypatch.setattr(compiled_module, "cached_marshal", other_build)
    lexicon = load_lexicon()
    norm = Normalizer(fillers=lexicon.matching.fillers)
    key = compiled_key(lexicon, norm)
    assert compiled_module.load_programs(load_compiled(lexicon, norm, Phonetics.load, key=key),
                                         key) == {}
