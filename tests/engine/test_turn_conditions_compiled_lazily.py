"""Turn conditions are compiled only when a text could match them, and answer as the regex does."""

from __future__ import annotations

import re

import pytest

from phraseguard.engine.dialogue import DialogueJudge, _Condition
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.normalize import Normalizer
from phraseguard.engine.pattern import anchor_texts, parse


@pytest.fixture(scope="module")
def judge() -> DialogueJudge:
    lexicon = load_lexicon(None)
    judge = DialogueJudge(lexicon)
    for rule in lexicon.rules:
        judge._turns(rule.id)  # every rule's conditions parsed (not compiled)
    return judge


def _texts(pattern_nodes) -> list[str]:
    """Texts around the pattern's anchors: where it may or may not match."""
    out = ["", "好的", "这个没办法呢", "您可以先取消订单，然后重新下单", "我帮您问一下仓库"]
    for anchor in anchor_texts(pattern_nodes)[:4]:
        out += [anchor, f"嗯{anchor}", f"{anchor}呢", f"我帮您{anchor}一下", f"不{anchor}"]
    return out


def test_every_default_condition_finds_what_its_regex_finds(judge) -> None:
    norm = Normalizer(fillers=load_lexicon(None).matching.fillers)
    conditions = judge._compiled
    assert len(conditions) > 100  # the default lexicon's turn conditions, all of them
    for source, condition in conditions.items():
        nodes = parse(source, normalize=norm.fast, context=True)
        regex = re.compile(condition.pattern)
        for text in _texts(nodes):
            found, expected = condition.search(text), regex.search(text)
            assert (found and found.group(0)) == (expected and expected.group(0)), (source, text)


def test_a_text_without_the_anchor_compiles_nothing() -> None:
    norm = Normalizer()
    condition = _Condition(parse("帮您*4{查|看}", normalize=norm.fast, context=True), 8)
    assert condition.search("真的很抱歉") is None
    assert condition._regex is None
    assert condition.search("我帮您再查一下").group(0) == "帮您再查"
    assert condition._regex is not None


@pytest.mark.parametrize("source", ["{我|}{们|}", "{请|}*3{稍等|}", "^{好的|}"])
def test_a_pattern_of_optional_parts_is_never_prefiltered(source) -> None:
    # Such a pattern can match text holding none of its words (even ""): the
    # anchors would wrongly rule the text out.
    norm = Normalizer()
    nodes = parse(source, normalize=norm.fast, context=True)
    condition = _Condition(nodes, 8)
    assert condition._keys is None
    assert condition.search("没有这些字") is not None
