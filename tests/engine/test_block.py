"""Block folding: every path (numpy UTF-16, numpy UTF-32, str.translate) folds alike.

The candidate scan folds a block of lines in one go, renames folded values
beyond the BMP into the BMP private-use area, and skips spaced lines whose
folded line holds no edit-distance anchor. Each shortcut must give exactly
what folding and scanning each line on its own gives.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from phraseguard.engine.block import BlockFolder, FoldedBlock
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher

_MATCHER = Matcher(load_lexicon())
_TABLE = _MATCHER._norm.fold_table(_MATCHER._coarse_fold, keep_newlines=True)
_PLAIN = BlockFolder(_TABLE)
_ARRAYS = BlockFolder.from_packed(_PLAIN.pack())
_ARRAYS.use_arrays()

# 𫚕 (beyond the BMP) is the simplified form of 鰤 (in the BMP); 𠀀 has a reading.
LINE = st.text(st.one_of(st.sampled_from(list("我们不管 不 知道，。？ \u3000\r\t😀們鰤𫚕𠀀\0")),
                         st.characters(exclude_categories=("Cs",), exclude_characters="\n")),
               max_size=30)


def _plain(fb: FoldedBlock) -> tuple:
    return (fb.text, fb.folded, [int(x) for x in fb.folded_starts], [int(x) for x in fb.starts],
            [int(x) for x in fb.ends], list(fb.spaced), fb.bmp)


def _reference_fold(line: str) -> str:
    """The fold as it was before renaming: str.translate with the list, beyond-BMP untouched."""
    return line.translate(_TABLE)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=12), st.sampled_from([None, 0.25, 0.5]))
def test_array_and_plain_folds_agree(lines: list[str], density: float | None) -> None:
    text = "\n".join(lines)
    plain = _PLAIN._fold_plain(text, density)
    assert _plain(_ARRAYS._fold_array(text, density)) == _plain(plain)
    # Each folded line is the line's own fold, renamed: one to one, so the
    # renamed keys match exactly where the old ones did.
    for i, line in enumerate(lines):
        assert plain.folded_line(i) == _PLAIN.key(_reference_fold(line))
        assert plain.folded_line(i) == _PLAIN.fold_line(line)
        assert plain.line(i) == line
    positions = list(range(len(plain.folded)))
    expected = [plain.folded.count("\n", 0, p) for p in positions]
    assert plain.lines_of(positions) == expected
    assert _ARRAYS._fold_array(text, density).lines_of(positions) == expected


def test_folded_text_stays_in_the_bmp_for_bmp_input() -> None:
    fb = _ARRAYS._fold_array("我们不知道鰤魚\n" * 5000, None)  # 鰤 simplifies beyond the BMP
    assert fb.bmp
    assert max(fb.folded) <= "\uffff"
    assert _PLAIN.key(_reference_fold("鰤")) == fb.folded_line(0)[5:6]


def test_a_mixed_block_folds_as_its_lines_do() -> None:
    lines = ["您好 😀 𠀀 请问", "这个我们不管的", "鰤𫚕", ""] * 3000
    text = "\n".join(lines)
    fb = _ARRAYS._fold_array(text, 0.5)
    assert not fb.bmp
    assert _plain(fb) == _plain(_PLAIN._fold_plain(text, 0.5))
    for i in range(4):
        assert fb.folded_line(i) == _PLAIN.key(_reference_fold(lines[i]))


def test_the_packed_table_round_trips() -> None:
    again = BlockFolder.from_packed(_PLAIN.pack())
    assert again.pack() == _PLAIN.pack()
    assert np.frombuffer(_PLAIN.pack()[0], dtype=np.uint16)[10] == 10  # the newline is kept


def test_scan_block_of_a_large_block_equals_scanning_each_line() -> None:
    lines = ["您好，请问有什么可以帮您？", "这个我们不管的", "不 知 道 您 说 的 是 哪个",
             "我也不太清楚呢", "好的 😀 请稍等", "", "这 个 我 们 不 管 的",
             "您 好 请 问 有 什 么 可 以 帮 您", "小 妹 也 布 只 到 呢"] * 2000
    block = "\n".join(lines)
    assert len(block) > 32_768  # the numpy path, once prepared
    matcher = Matcher(_MATCHER.lexicon)
    plain = dict(matcher.scan_block(block))  # not prepared: the str.translate path
    matcher.prepare_large_blocks()
    got = dict(matcher.scan_block(block))
    assert got, "the block has hits"
    assert got == plain
    for i, line in enumerate(lines[:9]):
        assert got.get(i, []) == _MATCHER.scan(line)
    assert len(got) == sum(1 for line in lines if _MATCHER.scan(line))
    # Without the emoji line every line is in the BMP: spaced lines without
    # anchors are skipped, and the result is the same.
    bmp_lines = [ln for ln in lines if "😀" not in ln]
    got = dict(matcher.scan_block("\n".join(bmp_lines)))
    assert len(got) == sum(1 for line in bmp_lines if _MATCHER.scan(line))
    for i, line in enumerate(bmp_lines[:8]):
        assert got.get(i, []) == _MATCHER.scan(line)


# Lines made of phrase pieces, so that anchors (and near misses) are common.
_PIECES = ["不知道", "不清楚", "没办法", "我们不管", "随便", "跟我们没关系", "解决", "不了",
           "您好", "请问", "😀", "，", " ", "鰤", "布只到", "没法"]
PIECE_LINE = st.lists(st.one_of(st.sampled_from(_PIECES), LINE), max_size=6).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECE_LINE, min_size=1, max_size=20))
def test_narrowed_lines_find_every_anchor_the_whole_block_has(lines: list[str]) -> None:
    # The array path reads only lines holding some key's first characters;
    # the plain path reads every line: both must find the same anchors.
    folder = BlockFolder.from_packed(_PLAIN.pack())
    folder.use_arrays()
    automaton = _MATCHER._automaton
    folder.search_for(list(automaton.keys()))
    text = "\n".join(lines)
    narrowed = folder._fold_array(text, None)
    whole = folder._fold_plain(text, None)
    assert whole.maybe is None
    if narrowed.bmp:
        assert narrowed.maybe is not None
    assert sorted(narrowed.anchor_matches(automaton)) == sorted(whole.anchor_matches(automaton))


def test_keys_of_two_characters_and_at_line_ends_are_found() -> None:
    import ahocorasick

    folder = BlockFolder.from_packed(_PLAIN.pack())
    folder.use_arrays()
    keys = [folder.fold_line("随便"), folder.fold_line("不知道"), folder.fold_line("没办法解决")]
    automaton = ahocorasick.Automaton()
    for i, k in enumerate(keys):
        automaton.add_word(k, i)
    automaton.make_automaton()
    folder.search_for(keys)
    text = "\n".join(["您好", "随便", "好的不知道", "没办法解", "没办法解决", "", "随"])
    fb = folder._fold_array(text, None)
    assert list(fb.maybe) == [1, 2, 3, 4]  # 没办法解 has the start of a key, not the key
    assert sorted(fb.anchor_matches(automaton)) == [(1, 0), (2, 1), (4, 2)]


def test_line_numbers_are_plain_ints() -> None:
    # numpy integers would leak into findings (and break JSON reports).
    matcher = Matcher(_MATCHER.lexicon)
    matcher.prepare_large_blocks()
    found = matcher.scan_block("\n".join(["您好", "这个我们不管的", "不 知 道 您 说 的 是 哪个"] * 5000))
    assert found and all(type(li) is int for li, _ in found)


def test_narrowing_with_more_leading_characters_than_a_byte_holds() -> None:
    import ahocorasick

    # 400 keys starting with 400 different characters (Hangul syllables fold
    # to themselves), and two-character keys too.
    keys = [chr(0xAC00 + i) + chr(0xAC00 + i + 1) + chr(0xAC00 + 2 * i) for i in range(400)]
    keys += [chr(0xB000 + i) + chr(0xB001 + i) for i in range(50)]
    folder = BlockFolder.from_packed(_PLAIN.pack())
    folder.use_arrays()
    automaton = ahocorasick.Automaton()
    for i, k in enumerate(keys):
        automaton.add_word(folder.fold_line(k), i)
    automaton.make_automaton()
    folder.search_for([folder.fold_line(k) for k in keys])
    assert folder._grams[0].dtype != np.uint8  # the wide path
    lines = ["您好" + keys[i] + "好的" if i % 3 else keys[i][:2] + "。" for i in range(0, 450, 7)]
    text = "\n".join(lines)
    narrowed = folder._fold_array(text, None)
    assert narrowed.maybe is not None and len(narrowed.maybe) < len(lines)
    got = sorted(narrowed.anchor_matches(automaton))
    assert got == sorted(folder._fold_plain(text, None).anchor_matches(automaton))
    assert {li for li, _ in got} >= {n for n, i in enumerate(range(0, 450, 7)) if i % 3}
