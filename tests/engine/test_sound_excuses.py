"""A homophone hit's excuses are read by sound too (``[matching] sound_context_min_chars``).

A recogniser that garbles 不清楚 into 布庼傗 garbles the 没关系 after it as
often; the customer's not-knowing, answered, is benign either way. What
makes a hit count or keeps it major is read only as written.
"""

from __future__ import annotations

import pytest

from phraseguard.engine.explain import explain_turn
from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher


def _found(matcher: Matcher, text: str) -> list[tuple[str, Severity]]:
    return [(h.rule_id, h.severity) for h in matcher.scan(text)]


@pytest.mark.parametrize("written, garbled", [
    ("不知道是几类没关系，我这边能查。", "不只道是几类也寐关系，我这边能查。"),
    ("亲不清楚没关系~ 点头像-安全中心", "亲布庼傗没悹嘻~ 点头像-安全中心"),
])
def test_a_garbled_excuse_excuses_a_garbled_phrase(matcher, written, garbled) -> None:
    assert _found(matcher, written) == []
    assert _found(matcher, garbled) == []


def test_the_garbled_phrase_alone_still_counts(matcher) -> None:
    assert _found(matcher, "不只道是几类") == [("disclaim-knowledge", Severity.MAJOR)]


def test_what_keeps_a_hit_major_is_read_only_as_written(matcher) -> None:
    # keep.before 客服这边 would hold by sound; the sound-alike stays a minor limit.
    assert _found(matcher, "嗯加辣的话那个我们客服这边塺伐给您备注上去了") == [
        ("limit-without-alternative", Severity.MINOR)]


def test_one_character_conditions_are_not_read_by_sound(matcher) -> None:
    # 课 sounds like 可 ("{如|…|可|可以}*4" before a limit excuses it): not by sound.
    assert _found(matcher, "调课没姂调。") == [("limit-without-alternative", Severity.MINOR)]


def test_the_explanation_says_the_excuse_held_by_sound(matcher) -> None:
    turn = explain_turn(matcher, "亲布庼傗没悹嘻~ 点头像-安全中心")
    assert turn.judged == []
    (form,) = [f for f in turn.forms if f.rule_id == "disclaim-knowledge"]
    assert (form.kind, form.outcome) == ("homophone", "excused")
    assert "after (by sound)" in form.detail and "没悹嘻" in form.detail


def test_zero_turns_reading_by_sound_off(tmp_path) -> None:
    lex = tmp_path / "lex.toml"
    lex.write_text('[lexicon]\nname = "as-written"\nextends = "default"\n\n'
                   "[matching]\nsound_context_min_chars = 0\n", encoding="utf-8")
    as_written = Matcher(load_lexicon(lex))
    assert [r for r, _ in _found(as_written, "亲布庼傗没悹嘻~ 点头像-安全中心")] == [
        "disclaim-knowledge"]
