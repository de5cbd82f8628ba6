"""Property tests: the matcher never fails on any text and every span maps back inside it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.normalize import Normalizer

_LEX = load_lexicon()
_MATCHER = Matcher(_LEX)
_NORM = Normalizer(fillers=_LEX.matching.fillers)

PHRASES = sorted({p for r in _LEX.rules for p in r.phrases}
                 | {"不只道", "布知道", "我們不管", "不太清楚", "不归我们部门管", "您还有其他问题吗"})

# Full Unicode range without surrogates (which a str from a file never holds).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)

PIECES = st.one_of(
    st.sampled_from(PHRASES),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=4),
    st.sampled_from([" ", "  ", "\u3000", "\t", "\r", "\n"]),
    st.sampled_from(list("，。？！?!、；：“”「」()（）…—-")),
    st.sampled_from(["😀", "👍🏽", "🇨🇳", "\u200d", "\ufe0f"]),
    st.sampled_from(["\u0301", "\u0308", "\u20dd"]),  # combining marks
    st.just("\x00"),
    st.characters(min_codepoint=0xF0000, max_codepoint=0xFFFFD),  # plane-15 PUA
    st.characters(min_codepoint=0x100000, max_codepoint=0x10FFFD),
    st.sampled_from(["ＡＢＣ", "abc", "123", "嗯", "呃"]),
)
MIXED_TEXT = st.lists(PIECES, max_size=20).map("".join)

LINES = st.lists(st.one_of(MIXED_TEXT, ANY_TEXT).map(lambda t: t.replace("\n", " ")),
                 max_size=6)

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _check_hits(text: str) -> None:
    hits = _MATCHER.scan(text)
    for h in hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start:h.end] == h.matched
        assert h.normalized
        assert 0 < h.confidence <= 1
    # hits are ordered and do not overlap
    for a, b in zip(hits, hits[1:], strict=False):
        assert a.end <= b.start


@SETTINGS
@given(ANY_TEXT)
def test_scan_never_raises_on_any_unicode(text: str) -> None:
    _check_hits(text)


@SETTINGS
@given(MIXED_TEXT)
def test_scan_spans_map_inside_mixed_text(text: str) -> None:
    _check_hits(text)


@SETTINGS
@given(st.one_of(ANY_TEXT, MIXED_TEXT))
def test_normalised_positions_map_inside_the_text(text: str) -> None:
    for space_breaks in (False, True):
        nz = _NORM.normalize(text, space_breaks=space_breaks)
        assert len(nz.offsets) == len(nz.text)
        assert list(nz.offsets) == sorted(set(nz.offsets))
        assert all(0 <= o < len(text) for o in nz.offsets)
        assert all(0 < b < len(nz.text) for b in nz.breaks)
        for i, ch in enumerate(nz.text):
            assert _NORM.char(text[nz.offsets[i]]) == ch
        if nz.text:
            s, e = nz.span_to_original(0, len(nz.text))
            assert 0 <= s < e <= len(text)
    assert _NORM.fast(text) == _NORM.normalize(text).text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_scan_lines_agrees_with_scan(lines: list[str]) -> None:
    assert list(_MATCHER.scan_lines(lines)) == [_MATCHER.scan(line) for line in lines]


@pytest.mark.parametrize("text", ["\x00" * 10, "\U000f0000不知道", "不\u0301知道", "\ud7ff",
                                  "\U0010fffd" * 3, "我\r不\r知道", "？" * 50])
def test_scan_odd_examples(text: str) -> None:
    _check_hits(text)
