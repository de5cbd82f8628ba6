"""A pause in recognised speech ends a clause (``[matching] spoken_pause_seconds``):
score, live and lint of a timed transcript read "驿站 不归 我们 ‖ 你 自己 去 驿站 闹"
as the written "驿站不归我们，你自己去驿站闹"."""

from __future__ import annotations

import json

from click.testing import CliRunner

from phraseguard.calls.worker import judged_hits
from phraseguard.cli import cli
from phraseguard.speech.transcript import Role, Utterance, Word, parse_transcript_json

WORDS = ["驿站", "不归", "我们", "你", "自己", "去", "驿站", "闹"]


def _words(pause_after: int, gap: float) -> list[dict]:
    """Vosk result words 0.3 s apart, with ``gap`` seconds after word ``pause_after``."""
    out, t = [], 1.0
    for i, w in enumerate(WORDS):
        out.append({"word": w, "start": round(t, 2), "end": round(t + 0.3, 2), "conf": 1.0})
        t += 0.3 + (gap if i == pause_after else 0.05)
    return out


def _transcript(gap: float):
    return parse_transcript_json(json.dumps({
        "utterances": [
            {"role": "customer", "text": "我的包裹在驿站被人冒领了",
             "result": [{"word": "我的包裹在驿站被人冒领了", "start": 0.0, "end": 0.9}]},
            {"role": "agent", "text": " ".join(WORDS), "result": _words(2, gap)},
        ]}, ensure_ascii=False), source="call.json")


def test_pause_offsets_are_where_the_word_after_a_long_gap_starts() -> None:
    words = tuple(Word(w["word"], w["start"], w["end"]) for w in _words(2, 0.8))
    utt = Utterance(text=" ".join(WORDS), role=Role.AGENT, words=words)
    assert utt.pause_offsets(0.5) == (utt.text.index("你"),)
    assert utt.pause_offsets(1.0) == ()
    assert utt.pause_offsets(0) == ()
    assert Utterance(text="驿站 不归 我们").pause_offsets(0.5) == ()  # no word times


def test_a_pause_ends_the_clause_a_scan_reads(matcher) -> None:
    text = " ".join(WORDS)
    assert matcher.scan(text) == []
    found = matcher.scan(text, pauses=[text.index("你")])
    written = matcher.scan("驿站不归我们，你自己去驿站闹")
    assert [h.rule_id for h in found] == [h.rule_id for h in written] == ["push-away-indirect"]


def test_a_pause_inside_a_phrase_does_not_stop_it_matching(matcher) -> None:
    text = "这个 我们 不 管"
    assert [h.rule_id for h in matcher.scan(text, pauses=[text.index("不")])] == \
        [h.rule_id for h in matcher.scan(text)] != []


def test_score_reads_the_pauses_of_a_timed_transcript(matcher) -> None:
    assert judged_hits(matcher, _transcript(gap=0.8))[1][0].rule_id == "push-away-indirect"
    assert judged_hits(matcher, _transcript(gap=0.1))[1] == []


def test_lint_of_a_timed_transcript_reads_its_pauses_too(tmp_path) -> None:
    for gap, name in ((0.8, "paused.json"), (0.1, "fluent.json")):
        data = {"utterances": [{"role": "agent", "text": " ".join(WORDS),
                                "result": _words(2, gap)}]}
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", "-q", "--no-config", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "paused.json" in result.output and "push-away-indirect" in result.output
    assert "fluent.json" not in result.output


def test_spoken_pause_seconds_zero_turns_pauses_off(tmp_path) -> None:
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    lex = tmp_path / "lex.toml"
    lex.write_text('[lexicon]\nname = "no-pauses"\nextends = "default"\n\n'
                   "[matching]\nspoken_pause_seconds = 0\n", encoding="utf-8")
    assert judged_hits(Matcher(load_lexicon(lex)), _transcript(gap=0.8))[1] == []
