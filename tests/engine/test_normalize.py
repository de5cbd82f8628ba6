"""Normalisation: folding, dropped characters, the offset map and clause breaks."""

from __future__ import annotations

import pytest

from phraseguard.engine.normalize import Normalizer


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer(fillers="嗯呃")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ", "abc"),  # full-width ASCII -> half width, lower case
        ("AbC", "abc"),
        ("ｗｅｃｈａｔ", "wechat"),
        ("１２３", "123"),
        ("我們不管", "我们不管"),  # traditional -> simplified
        ("跟我們沒關係", "跟我们没关系"),
        ("沒辦法解決", "没办法解决"),
        ("隨便", "随便"),
        # (folds OpenCC makes only inside phrases, from t2s_extra.txt)
        ("那你就自己看著辦吧", "那你就自己看着办吧"),
        ("沒甚麼辦法", "没什么办法"),
        ("我 不 知道", "我不知道"),  # speech-recogniser spaces
        ("我\u3000不\t知道", "我不知道"),
        ("「不知道」", "不知道"),  # quotes and brackets dropped
        ("（不清楚）", "不清楚"),
        ("不知道？好的。", "不知道好的"),  # clause punctuation dropped
        ("不知道!!", "不知道"),
        ("我不呃知道", "我不知道"),  # filler noise
        ("嗯我们不管", "我们不管"),
        ("a\u0301b", "ab"),  # combining mark dropped
        ("e\U000f0001f", "ef"),  # plane-15 private use reserved for the phonetic fold
        ("x\x00y", "xy"),  # control characters
        ("", ""),
    ],
)
def test_normalize_folds_and_drops(norm: Normalizer, text: str, expected: str) -> None:
    assert norm.normalize(text).text == expected


@pytest.mark.parametrize(
    "text",
    ["ＡＢＣ我們不管", "我 不 知道", "「不知道」？好的。", "我不呃知道", "a\u0301b\U000f0001c", "",
     "随便你！！！ 不清楚"],
)
def test_fast_equals_normalize_text(norm: Normalizer, text: str) -> None:
    assert norm.fast(text) == norm.normalize(text).text


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("ＡＢＣ", (0, 1, 2)),
        ("我 不 知道", (0, 2, 4, 5)),
        ("「不知道」", (1, 2, 3)),
        ("我不呃知道", (0, 1, 3, 4)),
        ("不知道？好的。", (0, 1, 2, 4, 5)),
        ("a\u0301b", (0, 2)),
    ],
)
def test_offsets_point_at_the_original_character(norm: Normalizer, text: str,
                                                 offsets: tuple[int, ...]) -> None:
    nz = norm.normalize(text)
    assert nz.offsets == offsets
    for i, ch in enumerate(nz.text):
        assert norm.char(text[nz.offsets[i]]) == ch


@pytest.mark.parametrize(
    ("text", "start", "end", "span"),
    [
        ("我 不 知道", 1, 4, (2, 6)),
        ("「不知道」", 0, 3, (1, 4)),
        ("我們不管", 0, 4, (0, 4)),
    ],
)
def test_span_to_original(norm: Normalizer, text: str, start: int, end: int,
                          span: tuple[int, int]) -> None:
    assert norm.normalize(text).span_to_original(start, end) == span


@pytest.mark.parametrize(
    ("text", "breaks", "questions"),
    [
        ("不知道？好的。", {3}, {3}),
        ("我不，知道了", {2}, set()),
        ("A–B", {1}, set()),  # dash ends a clause
        ("不知道。", set(), set()),  # a break at the very end is not kept
        ("。不知道", set(), set()),  # nor one at the very start
        ("好吗?对", {2}, {2}),
        ("「不知道」", set(), set()),  # quotes do not end a clause
        ("我 不 知道", set(), set()),  # spaces do not, by default
    ],
)
def test_clause_breaks_and_questions(norm: Normalizer, text: str, breaks: set[int],
                                     questions: set[int]) -> None:
    nz = norm.normalize(text)
    assert set(nz.breaks) == breaks
    assert set(nz.questions) & set(nz.breaks) == questions


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        ("不清楚的呢 这个是", {5}),
        ("x\u3000y", {1}),
        (" 开头的空格", set()),  # leading whitespace is no break
        ("我 不 知道", {1, 2}),
    ],
)
def test_space_breaks_turn_whitespace_into_clause_breaks(norm: Normalizer, text: str,
                                                         breaks: set[int]) -> None:
    assert set(norm.normalize(text, space_breaks=True).breaks) == breaks


def test_clause_bounds_and_crosses_break(norm: Normalizer) -> None:
    nz = norm.normalize("我不，知道了。好的")  # 我不|知道了|好的
    assert nz.text == "我不知道了好的"
    assert nz.clause_bounds(2, 4) == (2, 5)
    assert nz.clause_bounds(0, 1) == (0, 2)
    assert nz.crosses_break(1, 4)
    assert not nz.crosses_break(2, 4)
    assert not nz.crosses_break(0, 2)  # a break at the end is not inside


def test_newline_is_kept_only_in_block_mode(norm: Normalizer) -> None:
    assert norm.fast("不知道\n我们不管") == "不知道我们不管"
    assert norm.fast("不知道\n我们不管", keep_newlines=True) == "不知道\n我们不管"
    nz = norm.normalize("不知道\n好的")
    assert set(nz.breaks) == {3}


def test_a_changed_fold_map_names_a_different_table() -> None:
    # The cached tables are keyed by the map's content: swapping one fold
    # for another of the same count must not reuse the old table.
    a = Normalizer(t2s={ord("著"): ord("着")})
    b = Normalizer(t2s={ord("甚"): ord("什")})
    assert a.key != b.key
    assert a.key == Normalizer(t2s={ord("著"): ord("着")}).key


def test_a_space_inside_an_english_name_is_no_clause_break(norm: Normalizer) -> None:
    marked = norm.normalize("我是Iron Bay健身房的小美 请问是陈小姐吗", space_breaks=True)
    iron_bay = marked.text.lower().index("ironbay")
    assert not any(iron_bay < b <= iron_bay + len("ironbay") for b in marked.breaks)
    # ...while a space between Chinese words in a chat still ends a clause
    assert marked.text.index("请问") in marked.breaks
