"""Lexicon schema for call flow: [[required]], [[timing]], [callflow]; errors name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from tests.engine.test_lexicon import _errors, _line_of, _write

BASE = '[lexicon]\nextends = "default"\n'


def test_default_has_the_three_required_items_and_four_timing_rules(default_lexicon) -> None:
    flow = default_lexicon.flow
    assert [r.id for r in flow.required] == ["greeting", "self-introduction", "closing"]
    assert {r.window for r in flow.required} == {"first", "last"}
    assert all(r.suggestions and r.deduction > 0 for r in flow.required)
    assert {t.check for t in flow.timing} == {"dead-air", "talk-over", "fast-speech",
                                              "slow-start"}
    assert flow.settings.name_like and flow.settings.join_gap == 0.5
    # Forbidden rules are untouched: the matcher never sees required phrases.
    assert not {r.id for r in default_lexicon.rules} & {r.id for r in flow.required}


def test_extending_overrides_and_disables_flow_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, BASE + """
[callflow]
company = "顺丰"
[[required]]
id = "closing"
turns = 1
severity = "major"
[[timing]]
id = "talk-over"
disabled = true
[[timing]]
id = "dead-air"
seconds = 8
""")
    lex = load_lexicon(path)
    closing = next(r for r in lex.flow.required if r.id == "closing")
    assert (closing.turns, closing.severity, closing.deduction) == (1, Severity.MAJOR, 10.0)
    assert closing.phrases  # the rest comes from the default
    assert "talk-over" not in {t.id for t in lex.flow.timing}
    assert next(t for t in lex.flow.timing if t.id == "dead-air").seconds == 8
    assert lex.flow.settings.company == ("顺丰",)
    assert lex.digest != load_lexicon().digest


@pytest.mark.parametrize("body, needle, message", [
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "middle"\nturns = 1\n', 'window = "middle"',
     "'window' must be one of first, last, anywhere"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "first"\n', 'window = "first"', "a 'first' window needs"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'variants = ["您{好"]\nwindow = "anywhere"\n', 'variants', "without a closing"),
    ('[[required]]\nid = "greeting2"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\nsecnds = 3\n', "secnds", "unknown key 'secnds'"),
    ('[[timing]]\nid = "dead"\ncheck = "dead-air"\nmessage = "m"\nseverity = "minor"\n'
     'suggestions = ["s"]\n', "[[timing]]", "a dead-air check needs 'seconds'"),
    ('[[timing]]\nid = "t"\ncheck = "mumble"\nmessage = "m"\nseverity = "minor"\n'
     'suggestions = ["s"]\nseconds = 2\n', 'check = "mumble"', "'check' must be one of"),
    ('[[timing]]\nid = "t"\ncheck = "slow-start"\nmessage = "m"\nseverity = "minor"\n'
     'suggestions = ["s"]\nseconds = -2\n', "seconds = -2", "'seconds' must be a number > 0"),
    ('[[required]]\nid = "give-up"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n', "[[required]]", "is already a rule id"),
    ('[callflow]\ncompnay = ["x"]\n', "compnay", "unknown [callflow] setting 'compnay'"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\noffers = ["请{讲"]\n',
     "[[required]]", "name_frame.offers must be a list of plain texts"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\ntrades = ["快递"]\n'
     'trade_then = "你"\n',
     "[[required]]", "name_frame.trade_then must be a list of plain texts"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\ngreetings = ["您好"]\n',
     "[[required]]", "name_frame needs 'offers', 'name_ends', 'trades' or 'brands'"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\noffers = ["请讲"]\n'
     'min_chars = 9\nmax_chars = 3\n', "[[required]]", "min_chars is larger than max_chars"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\ntrades = ["快递"]\n'
     'addresses = ["先生"]\n',
     "[[required]]", "name_frame.addresses and address_asks come together"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\noffer = ["请讲"]\n',
     "[[required]]", "unknown name_frame key 'offer'"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\noffers = ["请讲"]\n'
     'bare_name_chars = -1\n', "[[required]]", "name_frame.bare_name_chars must be a whole number >= 0"),
    ('[[required]]\nid = "x"\nmessage = "m"\nseverity = "minor"\nsuggestions = ["s"]\n'
     'phrases = ["您好"]\nwindow = "anywhere"\n[required.name_frame]\noffers = ["请讲"]\n'
     'greetings_after_name = ["您好"]\n', "[[required]]",
     "name_frame.greetings_after_name needs bare_name_chars"),
])
def test_bad_flow_rules_name_file_line_and_problem(tmp_path: Path, body, needle, message) -> None:
    path = _write(tmp_path, BASE + body)
    errors = _errors(path)
    assert any(message in e.message and e.line == _line_of(path, needle) for e in errors), \
        [str(e) for e in errors]
