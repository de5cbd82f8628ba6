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
    condition = _Condition.from_nodes(parse("帮您*4{查|看}", normalize=norm.fast, context=True), 8)
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
    condition = _Condition.from_nodes(nodes, 8)
    assert condition.keys is None
    assert condition.search("没有这些字") is not None


def test_a_matchers_judge_takes_its_conditions_from_the_compiled_lexicon(monkeypatch) -> None:
    # The compiled lexicon (kept in the cache folder) holds every turn
    # condition's regex, keys and kept program, so a first give-up neither
    # parses nor compiles: the same regex and keys as a parse would give.
    from phraseguard.engine import dialogue
    from phraseguard.engine.matcher import Matcher

    lexicon = load_lexicon(None)
    matcher = Matcher(lexicon)
    parsed = DialogueJudge(lexicon, normalizer=matcher._norm)
    for rule in lexicon.rules:
        parsed._turns(rule.id)

    def no_parse(*args, **kwargs):
        raise AssertionError("a prepared condition was parsed again")

    monkeypatch.setattr(dialogue, "parse", no_parse)
    judge = matcher.dialogue
    for rule in lexicon.rules:
        judge._turns(rule.id)
    assert judge._compiled.keys() == parsed._compiled.keys()
    for source, condition in judge._compiled.items():
        assert (condition.pattern, condition.keys) == (
            parsed._compiled[source].pattern, parsed._compiled[source].keys), source
    with_program = sum(c._program is not None for c in judge._compiled.values())
    assert with_program == len(judge._compiled)
