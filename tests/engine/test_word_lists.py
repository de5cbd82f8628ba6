"""[words]: plain word lists written once and used inside patterns as {@name}."""

from __future__ import annotations

from pathlib import Path

from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from tests.engine.test_lexicon import _errors, _line_of, _write

RULE = """
[[rule]]
id = "ours"
category = "give-up"
severity = "major"
message = "m"
suggestions = ["s"]
"""


def _places_rule(tmp_path: Path, variant: str):
    """A lexicon of one rule whose variant uses the word list ``places``."""
    path = _write(tmp_path, '[words]\nplaces = ["营业厅", "驿站"]\n' + RULE +
                  f'variants = ["{variant}"]\n')
    return load_lexicon(path)


def test_a_word_list_is_one_choice_of_a_group_in_a_rule_pattern(tmp_path: Path) -> None:
    lex = _places_rule(tmp_path, "您去{@places}问吧")
    assert lex.rule("ours").variants == ("您去{营业厅|驿站}问吧",)
    m = Matcher(lex)
    assert [h.rule_id for h in m.scan("您去驿站问吧")] == ["ours"]
    assert m.scan("您去门店问吧") == []


def test_a_word_list_may_stand_beside_other_choices(tmp_path: Path) -> None:
    lex = _places_rule(tmp_path, "您去{@places|门店|}问吧")
    assert lex.rule("ours").variants == ("您去{营业厅|驿站|门店|}问吧",)
    m = Matcher(lex)
    assert m.scan("您去门店问吧") and m.scan("您去问吧") and m.scan("您去驿站问吧")


def test_a_later_file_overrides_a_word_list_of_its_base(tmp_path: Path) -> None:
    _write(tmp_path, '[words]\nplaces = ["营业厅"]\n' + RULE + 'variants = ["您去{@places}问吧"]\n',
           name="base.toml")
    ours = _write(tmp_path, '[lexicon]\nextends = "base.toml"\n[words]\nplaces = ["驿站"]\n',
                  name="ours.toml")
    m = Matcher(load_lexicon(ours))
    assert m.scan("您去驿站问吧") and not m.scan("您去营业厅问吧")


def test_in_the_name_frame_a_word_list_entry_stands_for_all_its_words(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n'
                  '[words]\nkinds = ["供水", "调度"]\n'
                  '[[required]]\nid = "self-introduction"\n'
                  '[required.name_frame]\nnot_a_name = ["热线", "{@kinds}"]\noffers = ["请讲"]\n')
    [rule] = [r for r in load_lexicon(path).flow.required if r.id == "self-introduction"]
    frame = rule.name_frame
    assert frame is not None and frame.not_a_name == ("热线", "供水", "调度")


def test_an_unknown_word_list_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[words]\nplaces = ["营业厅"]\n' + RULE +
                  'variants = ["您去{@shops}问吧"]\n')
    [err] = _errors(path)
    assert err.line == _line_of(path, "{@shops}")
    assert "no word list 'shops' in [words] (known: places)" in err.message


def test_a_word_list_holds_plain_words_only(tmp_path: Path) -> None:
    path = _write(tmp_path, '[words]\nplaces = ["营业{厅|部}"]\n' + RULE + 'variants = ["您去问吧"]\n')
    [err] = _errors(path)
    assert err.line == _line_of(path, "places =")
    assert "[words] places must be a list of plain words" in err.message
