"""Lexicon files: the default loads, ``extends`` merges, every error names file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import default_path, load_lexicon
from phraseguard.errors import LexiconError, LexiconErrors

GOOD_RULE = """\
[[rule]]
id = "refuse"
category = "shirking"
severity = "major"
message = "Refuses"
suggestions = ["我帮您看看"]
phrases = ["不给办"]
"""


def _write(tmp_path: Path, text: str, name: str = "lex.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _errors(path: Path) -> list[LexiconError]:
    with pytest.raises((LexiconErrors, LexiconError)) as info:
        load_lexicon(path)
    exc = info.value
    return exc.errors if isinstance(exc, LexiconErrors) else [exc]


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


# ------------------------------------------------------------------ default


EXPECTED_RULES = {"disclaim-responsibility", "give-up", "disclaim-knowledge", "brush-off",
                  "whatever"}


def test_default_lexicon_loads(default_lexicon) -> None:
    assert {r.id for r in default_lexicon.rules} >= EXPECTED_RULES
    assert default_lexicon.source == "default"
    assert load_lexicon("default").digest == default_lexicon.digest
    assert load_lexicon(default_path()).digest == default_lexicon.digest


def test_every_default_rule_has_suggestions_message_and_phrases(default_lexicon) -> None:
    for rule in default_lexicon.rules:
        assert rule.suggestions and all(s.strip() for s in rule.suggestions), rule.id
        assert rule.message.strip(), rule.id
        assert rule.phrases or rule.variants, rule.id
        assert rule.line is not None, rule.id


def test_default_lexicon_covers_the_standard_phrases(default_lexicon) -> None:
    phrases = {p for r in default_lexicon.rules for p in r.phrases}
    for p in ("我们不管", "跟我们没关系", "没办法解决", "随便", "不清楚", "不知道"):
        assert p in phrases


def test_default_deductions_follow_severity(default_lexicon) -> None:
    for rule in default_lexicon.rules:
        assert rule.deduction == default_lexicon.scoring.deductions[rule.severity.label]


# ------------------------------------------------------------------ extends


def test_extends_default_adds_a_rule(tmp_path: Path, default_lexicon) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n\n' + GOOD_RULE)
    lex = load_lexicon(path)
    ids = [r.id for r in lex.rules]
    assert "refuse" in ids
    assert set(ids) >= EXPECTED_RULES
    assert lex.sources[0] == str(default_path().resolve())
    assert lex.sources[-1] == str(path.resolve())
    assert lex.matching == default_lexicon.matching


def test_extends_overrides_a_rule_key_by_key(tmp_path: Path, default_lexicon) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n\n'
                  '[[rule]]\nid = "give-up"\nseverity = "minor"\n')
    rule = load_lexicon(path).rule("give-up")
    base = default_lexicon.rule("give-up")
    assert rule.severity is Severity.MINOR
    assert rule.phrases == base.phrases
    assert rule.suggestions == base.suggestions
    assert rule.deduction == default_lexicon.scoring.deductions["minor"]


def test_extends_disabled_removes_a_rule(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n\n'
                  '[[rule]]\nid = "whatever"\ndisabled = true\n')
    ids = {r.id for r in load_lexicon(path).rules}
    assert "whatever" not in ids
    assert "give-up" in ids


def test_extends_a_relative_file(tmp_path: Path) -> None:
    _write(tmp_path, GOOD_RULE, "base.toml")
    sub = tmp_path / "team"
    sub.mkdir()
    path = _write(sub, '[lexicon]\nextends = "../base.toml"\n\n'
                  '[[rule]]\nid = "refuse"\nphrases = ["不给办", "不能办"]\n')
    assert load_lexicon(path).rule("refuse").phrases == ("不给办", "不能办")


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    a = _write(tmp_path, '[lexicon]\nextends = "b.toml"\n\n' + GOOD_RULE, "a.toml")
    _write(tmp_path, '[lexicon]\nextends = "a.toml"\n', "b.toml")
    errors = _errors(a)
    assert any("cycle" in e.message for e in errors)


def test_extends_missing_file_names_the_extends_line(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lexicon]\nname = "x"\nextends = "nope.toml"\n\n' + GOOD_RULE)
    [err] = _errors(path)
    assert err.path == str(path.resolve())
    assert err.line == 3
    assert "does not exist" in err.message


def test_missing_lexicon_file(tmp_path: Path) -> None:
    [err] = _errors(tmp_path / "absent.toml")
    assert "no such lexicon file" in err.message


# ------------------------------------------------------------------ errors with lines


BROKEN_CASES = [
    # (name, file text, needle on the expected line, message fragment)
    ("unknown severity", GOOD_RULE.replace('"major"', '"terrible"'), "terrible",
     "unknown severity"),
    ("missing suggestions", GOOD_RULE.replace('suggestions = ["我帮您看看"]\n', ""),
     "[[rule]]", "suggestions"),
    ("empty suggestions", GOOD_RULE.replace('["我帮您看看"]', "[]"), "suggestions",
     "suggestions"),
    ("bad variant", GOOD_RULE + 'variants = ["不{太|是很清楚"]\n', "不{太|是很清楚", "closing"),
    ("variant with leading gap", GOOD_RULE + 'variants = [\n  "ok",\n  "*不给"\n]\n', '"*不给"',
     "gap"),
    ("pattern characters in phrases", GOOD_RULE.replace('["不给办"]', '["不给办", "不*办"]'),
     "phrases", "variants"),
    ("unknown rule key", GOOD_RULE + 'colour = "red"\n', "colour", "unknown key 'colour'"),
    ("unknown context scope", GOOD_RULE + '\n[rule.unless]\nnearby = ["x"]\n', "nearby",
     "unknown unless scope"),
    ("bad context pattern", GOOD_RULE + '\n[rule.unless]\nbefore = ["{a"]\n', "before",
     "closing"),
    ("wrong type of phrases", GOOD_RULE.replace('["不给办"]', "3"), "phrases = 3",
     "list of strings"),
    ("wrong type of fuzzy", GOOD_RULE + 'fuzzy = "yes"\n', "fuzzy", "true or false"),
    ("negative deduction", GOOD_RULE + "deduction = -1\n", "deduction", "deduction"),
    ("wrong type in matching", '[matching]\nmax_gap = "four"\n\n' + GOOD_RULE, "max_gap",
     "wrong type"),
    ("negative int in matching", '[matching]\nmax_gap = -1\n\n' + GOOD_RULE, "max_gap",
     "max_gap must be >= 0 (-1)"),
    ("negative seconds in dialogue", '[dialogue]\npending_seconds = -5\n\n' + GOOD_RULE,
     "pending_seconds", "[dialogue] pending_seconds must be >= 0 (-5)"),
    ("negative start in scoring", '[scoring]\nstart = -5\n\n' + GOOD_RULE, "start",
     "[scoring] start must be >= 0 (-5)"),
    ("confidence above 1 in matching", '[matching]\nmin_confidence = 7\n\n' + GOOD_RULE,
     "min_confidence", "[matching] min_confidence must be between 0 and 1 (7)"),
    ("exact confidence above 1", '[matching]\nexact_confidence = 1.5\n\n' + GOOD_RULE,
     "exact_confidence", "must be between 0 and 1"),
    ("similarity above 1", '[matching]\nfuzzy_min_similarity = 2\n\n' + GOOD_RULE,
     "fuzzy_min_similarity", "must be between 0 and 1"),
    ("confidence above 1 in scoring", '[scoring]\nmin_confidence = 7\n\n' + GOOD_RULE,
     "min_confidence", "[scoring] min_confidence must be between 0 and 1"),
    ("language not a string", '[lexicon]\nlanguage = 5\n\n' + GOOD_RULE, "language",
     "[lexicon] language must be a language code"),
    ("extends outside [lexicon]", 'extends = "default"\n\n' + GOOD_RULE, "extends",
     "unknown section 'extends' (put it under [lexicon])"),
    ("float for int in matching", '[matching]\nmax_gap = 2.5\n\n' + GOOD_RULE, "max_gap",
     "wrong type"),
    ("list for float in matching", '[matching]\n\nmin_confidence = [1]\n\n' + GOOD_RULE,
     "min_confidence", "wrong type"),
    ("unknown matching key", '[matching]\nmax_gapp = 3\n\n' + GOOD_RULE, "max_gapp",
     "unknown [matching] setting"),
    ("unknown section", '[matchin]\nmax_gap = 3\n\n' + GOOD_RULE, "[matchin]",
     "unknown section"),
    ("TOML syntax error", GOOD_RULE + 'phrases2 = ["unterminated\n', "unterminated",
     "TOML syntax"),
    ("duplicate rule id", GOOD_RULE + "\n" + GOOD_RULE, "[[rule]]", "duplicate"),
    ("bad deduction severity", "[scoring.deductions]\nawful = 3\n\n" + GOOD_RULE, "awful",
     "unknown severity"),
]


@pytest.mark.parametrize(("text", "needle", "fragment"), [c[1:] for c in BROKEN_CASES],
                         ids=[c[0] for c in BROKEN_CASES])
def test_error_names_file_and_line(tmp_path: Path, text: str, needle: str,
                                   fragment: str) -> None:
    path = _write(tmp_path, text)
    errors = _errors(path)
    assert len(errors) == 1, [str(e) for e in errors]
    [err] = errors
    assert fragment in err.message
    assert Path(err.path).resolve() == path.resolve()
    if fragment == "duplicate":
        assert err.line == 9  # the second [[rule]]
    else:
        assert err.line == _line_of(path, needle), str(err)
    assert str(err).startswith(f"{err.path}:{err.line}: ")


def test_rule_without_id(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_RULE + "\n" + GOOD_RULE.replace('id = "refuse"\n', ""))
    [err] = _errors(path)
    assert err.line == 9
    assert "'id'" in err.message


def test_no_rules_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lexicon]\nname = "empty"\n')
    [err] = _errors(path)
    assert "no rules" in err.message


def test_error_in_the_extending_file_names_that_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n\n'
                  '[[rule]]\nid = "give-up"\nseverity = "awful"\n')
    [err] = _errors(path)
    assert Path(err.path).resolve() == path.resolve()
    assert err.line == 6


def test_lexicon_errors_carry_every_problem_at_once(tmp_path: Path) -> None:
    text = (
        "[matching]\n"                          # 1
        'max_gap = "x"\n'                       # 2
        "\n"                                    # 3
        "[[rule]]\n"                            # 4
        'id = "a"\n'                            # 5
        'category = "c"\n'                      # 6
        'severity = "awful"\n'                  # 7
        'message = "m"\n'                       # 8
        'suggestions = ["s"]\n'                 # 9
        'phrases = ["p"]\n'                     # 10
        "\n"                                    # 11
        "[[rule]]\n"                            # 12
        'id = "b"\n'                            # 13
        'category = "c"\n'                      # 14
        'severity = "minor"\n'                  # 15
        'message = "m"\n'                       # 16
        'phrases = ["p"]\n'                     # 17
        'variants = ["*q"]\n'                   # 18
    )
    path = _write(tmp_path, text)
    with pytest.raises(LexiconErrors) as info:
        load_lexicon(path)
    got = sorted((e.line, e.message.split(":")[0]) for e in info.value.errors)
    assert [line for line, _ in got] == [2, 7, 12, 18]
    assert all(e.path == str(path.resolve()) for e in info.value.errors)
    assert str(info.value).count("\n") == 3


# ------------------------------------------------------------------ digest


def test_digest_changes_when_a_rule_changes(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_RULE)
    first = load_lexicon(path).digest
    assert load_lexicon(path).digest == first
    path.write_text(GOOD_RULE.replace('["不给办"]', '["不给办", "不能办"]'), encoding="utf-8")
    assert load_lexicon(path).digest != first


def test_digest_of_extending_lexicon_changes_with_its_own_rules(tmp_path: Path,
                                                                 default_lexicon) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n\n' + GOOD_RULE)
    one = load_lexicon(path).digest
    assert one != default_lexicon.digest
    path.write_text(path.read_text(encoding="utf-8").replace('"major"', '"minor"'),
                    encoding="utf-8")
    assert load_lexicon(path).digest != one


def test_settings_are_merged_from_base_and_file(tmp_path: Path, default_lexicon) -> None:
    path = _write(tmp_path, '[lexicon]\nextends = "default"\n\n[matching]\nmax_gap = 6\n\n'
                  '[scoring.deductions]\nmajor = 12\n')
    lex = load_lexicon(path)
    assert lex.matching.max_gap == 6
    assert lex.matching.fillers == default_lexicon.matching.fillers
    assert lex.scoring.deductions["major"] == 12
    assert lex.scoring.deductions["critical"] == default_lexicon.scoring.deductions["critical"]
    assert lex.rule("give-up").deduction == 12


@pytest.mark.parametrize("extended", [False, True])
def test_deeply_nested_lexicon_is_a_one_line_error(tmp_path, extended):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    target = deep
    if extended:
        target = tmp_path / "ours.toml"
        target.write_text(f'[lexicon]\nextends = "{deep}"\n', encoding="utf-8")
    with pytest.raises((LexiconErrors, LexiconError)) as info:
        load_lexicon(target)
    message = str(info.value)
    assert "\n" not in message and message.endswith("TOML nested too deeply to be a lexicon")
    assert message.startswith(f"{target.resolve()}:2: extends" if extended else str(deep.resolve()))
