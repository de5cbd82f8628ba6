"""Block folding: the numpy path gives exactly what the plain ``str.translate`` path gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from phraseguard.engine.block import _fold_array, _fold_plain
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher

_MATCHER = Matcher(load_lexicon())
_TABLE = _MATCHER._norm.fold_table(_MATCHER._coarse_fold, keep_newlines=True,
                                   fold_key=_MATCHER._fold_key)
_ARRAY = np.array([0 if v is None else v for v in _TABLE], dtype=np.uint32)

LINE = st.text(st.one_of(st.sampled_from(list("我们不管 不 知道，。？ \u3000\r\t😀們")),
                         st.characters(exclude_categories=("Cs",), exclude_characters="\n")),
               max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=12), st.sampled_from([None, 0.25, 0.5]))
def test_array_and_plain_folds_agree(lines: list[str], density: float | None) -> None:
    text = "\n".join(lines)
    assert _fold_array(text, _ARRAY, density) == _fold_plain(text, _TABLE, density)


def test_scan_block_of_a_large_block_equals_scanning_each_line() -> None:
    lines = ["您好，请问有什么可以帮您？", "这个我们不管的", "不 知 道 您 说 的 是 哪个",
             "我也不太清楚呢", "好的 😀 请稍等", ""] * 2000
    block = "\n".join(lines)
    assert len(block) > 32_768  # the numpy path, once prepared
    matcher = Matcher(_MATCHER.lexicon)
    plain = dict(matcher.scan_block(block))  # not prepared: the str.translate path
    matcher.prepare_large_blocks()
    got = dict(matcher.scan_block(block))
    assert got, "the block has hits"
    assert got == plain
    for i, line in enumerate(lines[:12]):
        assert got.get(i, []) == _MATCHER.scan(line)
    assert len(got) == sum(1 for line in lines if _MATCHER.scan(line))
