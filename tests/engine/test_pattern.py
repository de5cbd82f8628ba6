"""The phrase pattern language: parse, compile to a regex, reject bad patterns."""

from __future__ import annotations

import re

import pytest

from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.pattern import (
    Alt,
    Anchor,
    Gap,
    Lit,
    PatternError,
    anchor_texts,
    literal_length,
    match_work,
    parse,
    to_regex,
)

_NORM = Normalizer()


def _parse(source: str, *, context: bool = False):
    return parse(source, normalize=_NORM.fast, context=context)


def _regex(source: str, *, context: bool = False, max_gap: int = 4) -> re.Pattern:
    return re.compile(to_regex(_parse(source, context=context), max_gap=max_gap))


@pytest.mark.parametrize(
    ("source", "nodes"),
    [
        ("不知道", [Lit("不知道")]),
        ("我們不管", [Lit("我们不管")]),  # literal text is normalised
        ("不{太|是很}清楚", [Lit("不"), Alt(("太", "是很")), Lit("清楚")]),
        ("自己{去|}问", [Lit("自己"), Alt(("去", "")), Lit("问")]),
        ("不归*管", [Lit("不归"), Gap(None), Lit("管")]),
        ("不归*3管", [Lit("不归"), Gap(3), Lit("管")]),
        ("不 知 道", [Lit("不知道")]),
    ],
)
def test_parse_nodes(source: str, nodes: list) -> None:
    assert _parse(source) == nodes


@pytest.mark.parametrize(
    ("source", "matches", "rejects"),
    [
        ("不{太|是很}清楚", ["不太清楚", "不是很清楚"], ["不清楚", "不很清楚"]),
        ("自己{去|}问", ["自己去问", "自己问"], ["自己来问"]),
        ("不归*管", ["不归管", "不归我们管", "不归我们部门管"], ["不归我们这个部门管"]),
        ("不归*2管", ["不归我们管"], ["不归我们部门管"]),
        ("不归*0管", ["不归管"], ["不归我管"]),
        ("{跟|和}我们*4没关系", ["跟我们没关系", "和我们真的没关系"], ["与我们没关系"]),
    ],
)
def test_regex_matches_whole_strings(source: str, matches: list[str], rejects: list[str]) -> None:
    rx = _regex(source)
    for text in matches:
        assert rx.fullmatch(text), text
    for text in rejects:
        assert not rx.fullmatch(text), text


def test_longer_alternative_is_tried_first() -> None:
    rx = _regex("{我|我们}不管")
    assert rx.search("我们不管").group() == "我们不管"


@pytest.mark.parametrize(
    ("source", "nodes"),
    [
        ("^随便", [Anchor("^"), Lit("随便")]),
        ("随便$", [Lit("随便"), Anchor("$")]),
        ("*4{吗|?}", [Gap(4), Alt(("吗", "?"))]),
        ("好吗？", [Lit("好吗"), Lit("?")]),
        ("$", [Anchor("$")]),
    ],
)
def test_context_only_syntax_parses_in_context(source: str, nodes: list) -> None:
    assert _parse(source, context=True) == nodes


@pytest.mark.parametrize(
    ("source", "text", "found"),
    [
        ("$", "", True),
        ("^你", "你好", True),
        ("^你", "好你", False),
        ("*4{吗|?}", "有问题?", True),
        ("*4{吗|?}", "有问题", False),
        ("*4{吗|?}", "还有别的问题吗", True),
    ],
)
def test_context_regex(source: str, text: str, found: bool) -> None:
    assert bool(_regex(source, context=True).search(text)) is found


@pytest.mark.parametrize("source", ["^随便", "随便$"])
def test_anchors_are_rejected_outside_context(source: str) -> None:
    with pytest.raises(PatternError, match="context"):
        _parse(source)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("不{太|是很清楚", "closing"),
        ("不太}清楚", "unexpected"),
        ("不|知道", "unexpected"),
        ("{a{b}}", "plain text"),
        ("{a*|b}", "plain text"),
        ("*不知道", "gap"),
        ("不知道*", "gap"),
        ("*3不知道", "gap"),
        ("{|}", "empty"),
        ("联系{我们|@}", "only punctuation"),   # @ normalises away: not silently optional
        ("联系{我们| }", "only punctuation"),
        ("。。", "nothing to match"),
        ("*", "nothing to match"),
        ("", "nothing to match"),
    ],
)
def test_bad_patterns_raise_pattern_error(source: str, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        _parse(source)


def test_a_written_empty_alternative_still_makes_a_group_optional() -> None:
    assert _parse("自己{去|}问") == [Lit("自己"), Alt(("去", "")), Lit("问")]


def test_a_filler_the_settings_drop_is_not_refused() -> None:
    # With fillers dropped, 啊 is gone from the text as well as the pattern.
    def drop_fillers(text: str) -> str:
        return _NORM.fast(text).replace("啊", "")
    assert parse("没辙{了|啊}", normalize=drop_fillers) == [Lit("没辙"), Alt(("了", ""))]


def test_question_mark_is_kept_as_a_literal() -> None:
    assert _parse("！？") == [Lit("?")]


def test_context_may_start_and_end_with_a_gap() -> None:
    assert _parse("*3不", context=True) == [Gap(3), Lit("不")]
    assert _parse("不*3", context=True) == [Lit("不"), Gap(3)]


def test_anchor_texts_pick_the_most_selective_run() -> None:
    assert anchor_texts(_parse("不知道")) == ["不知道"]
    assert sorted(anchor_texts(_parse("自己{去|}问"))) == ["自己去问", "自己问"]
    assert anchor_texts(_parse("{我们|我}*2不管")) == ["不管"]
    assert anchor_texts(_parse("{跟|和}我们*4没关系")) == ["没关系"]  # a tie: the later run
    assert sorted(anchor_texts(_parse("不归{我们|我}*4管"))) == ["不归我", "不归我们"]


def test_anchor_texts_of_a_pattern_with_hundreds_of_combinations_stay_few() -> None:
    source = "{a|b|c|d}{a|b|c|d}{a|b|c|d}{a|b|c|d}"
    anchors = anchor_texts(_parse(source))
    assert len(anchors) == 64 and all(len(a) == 3 for a in anchors)
    big = _parse("{跟|和|与}{我们|我|咱们|这边|客服}{没关系|无关|没有关系|没啥关系|不相干}")
    anchors = anchor_texts(big)
    assert len(anchors) <= 64
    # Every text the pattern matches contains one of the anchors.
    rx = re.compile(to_regex(big, max_gap=4))
    for a in ("跟", "和", "与"):
        for b in ("我们", "我", "咱们", "这边", "客服"):
            for c in ("没关系", "无关", "没有关系", "没啥关系", "不相干"):
                assert rx.fullmatch(a + b + c)
                assert any(x in a + b + c for x in anchors), a + b + c


def test_a_single_group_with_many_choices_anchors_on_its_choices() -> None:
    options = [chr(97 + i // 26) + chr(97 + i % 26) for i in range(100)]
    anchors = anchor_texts(_parse("{" + "|".join(options) + "}"))
    assert sorted(anchors) == sorted(options)


def test_consecutive_gaps_are_one_gap() -> None:
    assert to_regex(_parse("不***管"), max_gap=4) == "不.{0,12}?管"
    assert to_regex(_parse("不*2*3管"), max_gap=4) == "不.{0,5}?管"
    assert match_work(_parse("不***************管"), max_gap=4) == 61
    assert match_work(_parse("{a|b}*{c|d|e}*2f"), max_gap=4) == 2 * 5 * 3 * 3


def test_literal_length_counts_the_shortest_alternative_and_no_gaps() -> None:
    assert literal_length(_parse("不{太|是很}清楚")) == 4
    assert literal_length(_parse("不归*管")) == 3
    assert literal_length(_parse("自己{去|}问")) == 3


def test_symbol_map_turns_characters_into_classes() -> None:
    def symbols(ch: str) -> list[str]:
        return ["x", "y"] if ch == "a" else [ch]

    rx = re.compile(to_regex(_parse("ab"), max_gap=4, symbols=symbols))
    assert rx.fullmatch("xb") and rx.fullmatch("yb")
    assert not rx.fullmatch("ab")


def test_a_gap_size_is_decimal_digits_only() -> None:
    # Found by the fuzz test: "²" is a digit to str.isdigit but not to int().
    assert _parse("*²", context=True) == [Gap(None), Lit("²")]
    assert _parse("不*６管") == [Lit("不"), Gap(6), Lit("管")]
