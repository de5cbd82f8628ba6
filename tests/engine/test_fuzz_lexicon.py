"""Fuzzing the lexicon loader and the pattern compiler: no input crashes or hangs them.

Whatever a QA lead types (or a file holds), loading answers with a lexicon
or with LexiconError(s) naming the file; a pattern parses or raises
PatternError; and a pattern the loader accepts compiles and matches any
text quickly. Each example is bounded in time by hypothesis's deadline, the
whole test by pytest-timeout.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phraseguard.engine.lexicon import _check_pattern, load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.pattern import PatternError, anchor_texts, match_work, parse, to_regex
from phraseguard.errors import LexiconError, LexiconErrors

_NORM = Normalizer()
# The default lexicon's [matching] numbers (the defaults live only in default.toml).
_MATCHING = load_lexicon().matching
_FAST = settings(max_examples=400, deadline=timedelta(seconds=2),
                 suppress_health_check=[HealthCheck.too_slow])
_SLOW = settings(max_examples=100, deadline=timedelta(seconds=10),
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

PATTERN_CHARS = st.sampled_from(list("{}|*^$?？0123456789") + list("不管我们没关系知道随便清楚")
                                + list("ab ，。\\\"'\n"))
PATTERNS = st.one_of(st.text(PATTERN_CHARS, max_size=30), st.text(max_size=20))
TEXTS = st.text(st.sampled_from(list("不管我们没关系知道随便清楚你自己去问 ，。？a1")), max_size=300)


@pytest.mark.timeout(300)
@_FAST
@given(PATTERNS, st.booleans())
def test_any_pattern_parses_or_raises_pattern_error(source: str, context: bool) -> None:
    try:
        nodes = parse(source, normalize=_NORM.fast, context=context)
    except PatternError:
        return
    regex = to_regex(nodes, max_gap=4)
    re.compile(regex)
    assert match_work(nodes, max_gap=4) >= 1
    if not context:
        assert len(anchor_texts(nodes)) <= max(64, sum(len(getattr(n, "options", ())) for n in nodes))


@pytest.mark.timeout(300)
@_FAST
@given(PATTERNS, st.booleans(), TEXTS)
def test_an_accepted_pattern_matches_any_text_quickly(source: str, context: bool,
                                                      text: str) -> None:

    try:
        _check_pattern(source, _NORM.fast, _MATCHING, context=context)
    except PatternError:
        return
    nodes = parse(source, normalize=_NORM.fast, context=context)
    rx = re.compile(to_regex(nodes, max_gap=4))
    for _ in rx.finditer(_NORM.fast(text) * 3):
        pass
    if not context:
        anchors = anchor_texts(nodes)
        assert anchors and all(anchors)
        for m in rx.finditer(_NORM.fast(text)):
            if m.end() > m.start():
                assert any(a in m.group() for a in anchors), (source, m.group(), anchors)


def _toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # JSON's escapes are TOML's too


VALUES = st.one_of(
    PATTERNS.map(_toml_string),
    st.lists(PATTERNS.map(_toml_string), max_size=3).map(lambda v: "[" + ", ".join(v) + "]"),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["true", "false", "1e999", "-0.5", "{}", "[]", '"critical"', '"major"',
                     '"default"', '"/dev/zero"', '"lex.toml"', "nan", "inf"]),
)
RULE_KEYS = st.sampled_from(["id", "category", "severity", "message", "suggestions", "phrases",
                             "variants", "deduction", "fuzzy", "words", "disabled", "bogus"])
SECTION_LINES = st.lists(st.tuples(st.sampled_from(
    ["max_gap", "max_pattern_work", "fillers", "split_words", "min_confidence", "start",
     "deductions", "extends", "name", "x"]), VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    max_size=3)


GOOD_PHRASES = st.lists(st.sampled_from(["不管", "我们不管", "不知道", "随便", "没办法"]),
                       min_size=1, max_size=3)


@st.composite
def lexicon_files(draw) -> str:
    """Mostly well-formed lexicons with fuzzed patterns, now and then broken anywhere."""
    parts = []
    for section in draw(st.lists(st.sampled_from(["lexicon", "matching", "scoring", "other"]),
                                 max_size=2, unique=True)):
        lines = draw(SECTION_LINES) if draw(st.integers(0, 3)) == 0 else []
        parts.append(f"[{section}]\n" + "\n".join(lines))
    for i in range(draw(st.integers(1, 3))):
        lines = [f'id = "r{i}"', 'category = "c"', 'severity = "major"', 'message = "m"',
                 'suggestions = ["s"]',
                 "phrases = [" + ", ".join(_toml_string(p) for p in draw(GOOD_PHRASES)) + "]",
                 "variants = [" + ", ".join(_toml_string(p) for p in draw(
                     st.lists(PATTERNS, max_size=2))) + "]"]
        if draw(st.integers(0, 3)) == 0:
            key = draw(RULE_KEYS)
            lines = [ln for ln in lines if not ln.startswith(key + " ")]
            lines.append(f"{key} = {draw(VALUES)}")
        for scope in draw(st.lists(st.sampled_from(["unless", "requires"]), max_size=1)):
            lines.append(f"[rule.{scope}]\nclause = [{_toml_string(draw(PATTERNS))}]")
        parts.append("[[rule]]\n" + "\n".join(lines))
    text = "\n\n".join(p for p in parts if not p.startswith("[other]")) + "\n"
    if draw(st.integers(0, 9)) == 0:  # now and then, damage it
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["[", "\x00", "\"", "\ufffd", "[[rule]"])) \
            + text[cut:]
    return text


@pytest.mark.timeout(600)
@_SLOW
@given(lexicon_files(), st.sampled_from(["您好，这个我们不管。", "不 知 道", "随便吧"]))
def test_any_lexicon_file_loads_or_fails_with_lexicon_errors(text: str, sample: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lex.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            lexicon = load_lexicon(path)
        except (LexiconError, LexiconErrors) as exc:
            assert str(path.resolve()) in str(exc) or str(path) in str(exc) or "/dev/zero" in \
                str(exc)
            return
        matcher = Matcher(lexicon)
        for hit in matcher.scan(sample) + matcher.scan(sample * 20):
            assert 0 <= hit.start < hit.end


@pytest.mark.timeout(300)
@settings(max_examples=150, deadline=timedelta(seconds=2))
@given(st.binary(max_size=400))
def test_any_bytes_as_a_lexicon_file_fail_cleanly(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lex.toml"
        path.write_bytes(data)
        with contextlib.suppress(LexiconError, LexiconErrors):
            load_lexicon(path)
