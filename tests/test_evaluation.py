"""The evaluation engine: verdicts per labelled turn and the tallies behind precision/recall."""

from __future__ import annotations

import pytest

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.evaluation import Tally, judge_all, positive, tally, verdicts
from phraseguard.labelled import Labelled


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_lexicon())


def judge_labelled(matcher, examples, floor):
    return verdicts(examples, judge_all(matcher, examples), floor)


def _turn(text: str, label: str, next_turn: str | None = None) -> Labelled:
    return Labelled(text, label, "", "test", "怎么办", next_turn)


def test_a_minor_label_is_a_positive_only_at_minor() -> None:
    limit = _turn("这个没办法修改", "minor")
    assert positive(limit, Severity.MINOR) and not positive(limit, Severity.MAJOR)
    assert positive(_turn("x", "major"), Severity.MAJOR)
    assert not positive(_turn("x", "benign"), Severity.MINOR)


def test_the_next_turn_is_part_of_the_judgement(matcher) -> None:
    # The same give-up: flagged alone, resolved by an offer in the next turn.
    alone, rescued = judge_labelled(matcher, [
        _turn("这个确实没办法解决", "major"),
        _turn("这个确实没办法解决", "benign", "我帮您申请换货"),
    ], Severity.MAJOR)
    assert alone.flagged and not alone.wrong
    assert not rescued.flagged and not rescued.wrong


def test_tally_counts_each_outcome_once() -> None:
    t = Tally(caught=3, false_alarms=1, missed=1, silent=5)
    assert t.precision == 0.75 and t.recall == 0.75
    assert Tally(0, 0, 0, 4).precision == 1.0 and Tally(0, 0, 0, 4).recall == 1.0


def test_tally_of_verdicts(matcher) -> None:
    found = judge_labelled(matcher, [_turn("这个我们不管的", "major"),
                                     _turn("没关系的，我帮您处理", "benign"),
                                     _turn("这个我们不管的", "benign")], Severity.MAJOR)
    assert tally(found) == Tally(caught=1, false_alarms=1, missed=0, silent=1)
