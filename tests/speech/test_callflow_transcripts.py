"""Call flow on transcript files: the Chinese path from Vosk-format JSON (spaced
words with times, homophones) and plain text (no times: timing skipped with a note)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.timing import NO_TIMES
from phraseguard.speech.transcript import Role, load_transcript


def vosk_utterance(words: str, start: float, role: str, *, step: float = 0.3) -> dict:
    """One Vosk final result (spaced Chinese words with times) plus our role key."""
    result = []
    t = start
    for w in words.split():
        dur = step * len(w)
        result.append({"word": w, "start": round(t, 2), "end": round(t + dur, 2), "conf": 0.9})
        t += dur + 0.05
    return {"result": result, "text": words, "role": role,
            "channel": 0 if role == "agent" else 1}


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


def _write_json(tmp_path: Path, name: str, utterances: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"utterances": utterances}, ensure_ascii=False), "utf-8")
    return path


def test_vosk_json_with_greeting_self_introduction_and_closing(tmp_path, flow) -> None:
    # Recogniser spelling: spaced words, 在见 for 再见 (same toneless pinyin),
    # the staff number read out as digits.
    path = _write_json(tmp_path, "good.json", [
        vosk_utterance("您好 我 是 三 零 二 一 号 客服", 0.8, "agent"),
        vosk_utterance("我 的 快递 还 没 到", 4.5, "customer"),
        vosk_utterance("好的 我 帮 您 查 一下", 7.0, "agent"),
        vosk_utterance("谢谢", 10.0, "customer"),
        vosk_utterance("好的 那 在见", 11.0, "agent"),
    ])
    t = load_transcript(path)
    result = flow.check(t.utterances)
    assert result.checklist == {"greeting": True, "self-introduction": True, "closing": True}
    assert result.hits == [] and result.notes == []
    said = result.found["closing"]
    assert (said.hit.matched, said.hit.kind.value, said.utterance) == ("在见", "homophone", 4)
    assert said.start == pytest.approx(11.0 + 0.65 + 0.35)  # the time of the word 在见
    intro = result.found["self-introduction"]
    assert intro.hit.matched == "我 是 三 零 二 一 号 客服"


def test_vosk_json_without_greeting_or_closing_has_placed_missing_items(tmp_path,
                                                                       flow) -> None:
    path = _write_json(tmp_path, "bad.json", [
        vosk_utterance("喂", 0.5, "customer"),
        vosk_utterance("请讲", 1.0, "agent"),
        vosk_utterance("我 的 快递 还 没 到", 2.0, "customer"),
        vosk_utterance("查 一下", 9.8, "agent"),  # the customer waited about 5.9 s
    ])
    t = load_transcript(path)
    result = flow.check(t.utterances)
    assert result.checklist == {"greeting": False, "self-introduction": False,
                                "closing": False}
    reasons = {f.rule_id: f.reason for f in result.hits}
    assert reasons["greeting"] == "no greeting in the first 15 s"
    assert reasons["closing"] == "no farewell in the last 30 s"
    assert reasons["dead-air"].startswith("dead air: the customer waited 5.")
    greeting = next(f for f in result.hits if f.rule_id == "greeting")
    assert (greeting.start, greeting.end) == (1.0, 16.0)
    assert t.utterances[greeting.utterance].role is Role.AGENT


def test_plain_text_transcript_skips_timing_with_a_note(tmp_path, flow) -> None:
    path = tmp_path / "call.txt"
    path.write_text("客服：您好，我是客服小王\n客户：我的快递没到\n客服：好的，我帮您查一下\n",
                    encoding="utf-8")
    result = flow.check(load_transcript(path).utterances)
    assert result.checklist == {"greeting": True, "self-introduction": True, "closing": False}
    assert NO_TIMES in result.notes
    assert [f.reason for f in result.hits] == ["no farewell in the last 2 agent messages"]
