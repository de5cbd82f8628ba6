"""Transcript files: Vosk JSON, our JSON and text in; json, text and srt out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phraseguard.errors import InputError
from phraseguard.speech.transcript import (
    Role,
    Transcript,
    Utterance,
    Word,
    get_writer,
    load_transcript,
    save_transcript,
    to_vosk_json,
)

# What KaldiRecognizer.Result() prints (pretty, 6 decimals, Chinese spaced words).
VOSK_RESULT = """{
  "result" : [{
      "conf" : 1.000000,
      "end" : 1.020000,
      "start" : 0.510000,
      "word" : "我"
    }, {
      "conf" : 0.613421,
      "end" : 1.650000,
      "start" : 1.020000,
      "word" : "不只道"
    }],
  "text" : "我 不只道"
}"""
VOSK_SECOND = '{"result": [{"conf": 0.9, "end": 4.2, "start": 3.6, "word": "随便"}], "text": "随便"}'


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _check_two(t: Transcript) -> None:
    assert [u.text for u in t.utterances] == ["我 不只道", "随便"]
    first = t.utterances[0]
    assert first.words == (Word("我", 0.51, 1.02, 1.0), Word("不只道", 1.02, 1.65, 0.613421))
    assert (first.start, first.end) == (0.51, 1.65)
    assert t.utterances[1].start == 3.6
    assert all(u.role is Role.UNKNOWN for u in t.utterances)


@pytest.mark.parametrize("shape", ["list", "jsonl", "concatenated"])
def test_vosk_result_shapes(tmp_path: Path, shape: str) -> None:
    silence = '{"text": ""}'
    partial = '{"partial": "我 不"}'
    if shape == "list":
        text = f"[{VOSK_RESULT}, {silence}, {VOSK_SECOND}]"
    elif shape == "jsonl":
        text = "\n".join(json.dumps(json.loads(x)) for x in (VOSK_RESULT, silence, VOSK_SECOND))
    else:  # Result() outputs appended one after another by a script
        text = f"{VOSK_RESULT}\n{partial}\n{silence}\n{VOSK_SECOND}\n"
    _check_two(load_transcript(_write(tmp_path, "call.json", text)))


def test_single_result_and_alternatives_and_monologues(tmp_path: Path) -> None:
    one = load_transcript(_write(tmp_path, "one.json", VOSK_RESULT))
    assert [u.text for u in one.utterances] == ["我 不只道"]
    alts = {"alternatives": [{"confidence": 321.0, "text": "不 知道",
                              "result": [{"word": "不", "start": 1.0, "end": 1.2, "conf": 1},
                                         {"word": "知道", "start": 1.2, "end": 1.6, "conf": 1}]},
                             {"confidence": 300.0, "text": "布 知道"}]}
    t = load_transcript(_write(tmp_path, "alt.json", json.dumps(alts, ensure_ascii=False)))
    assert t.utterances[0].text == "不 知道" and t.utterances[0].end == 1.6
    mono = {"schemaVersion": "2.0", "monologues": [
        {"speaker": {"id": "unknown"}, "start": 0.5, "end": 1.2,
         "terms": [{"confidence": 0.8, "start": 0.5, "end": 0.9, "text": "跟", "type": "WORD"},
                   {"confidence": 0.7, "start": 0.9, "end": 1.2, "text": "我们", "type": "WORD"}]}]}
    t = load_transcript(_write(tmp_path, "mono.json", json.dumps(mono, ensure_ascii=False)))
    assert t.utterances[0].text == "跟 我们" and t.utterances[0].words[1].conf == 0.7


def test_default_role_applies_where_json_says_nothing(tmp_path: Path) -> None:
    t = load_transcript(_write(tmp_path, "c.json", VOSK_SECOND), default_role=Role.AGENT)
    assert t.utterances[0].role is Role.AGENT


def test_our_json_round_trips(tmp_path: Path) -> None:
    t = Transcript(
        utterances=[
            Utterance("您好 请问 有 什么 可以 帮 您", Role.AGENT, 0.3, 2.1,
                      (Word("您好", 0.3, 0.8, 0.99), Word("请问", 0.8, 1.2, 0.5)), channel=0),
            Utterance("我 的 快递 呢", Role.CUSTOMER, 2.5, 3.9, (), channel=1),
        ],
        source="calls/0001.wav", duration=12.5,
    )
    path = save_transcript(t, tmp_path / "0001.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["utterances"][0]["result"][0] == {"word": "您好", "start": 0.3, "end": 0.8,
                                                  "conf": 0.99}
    assert data["utterances"][1]["role"] == "customer" and data["utterances"][1]["channel"] == 1
    assert load_transcript(path) == t
    assert [p.name for p in tmp_path.iterdir()] == ["0001.json"]  # no temp file left behind


def test_text_lines_roles_and_offsets(tmp_path: Path) -> None:
    path = _write(tmp_path, "script.txt",
                  "客服：您好，请问有什么可以帮您？\n\nCustomer: 我不知道怎么办\n随便吧\n  客户:  好的\n")
    t = load_transcript(path)
    assert [(u.line, u.role, u.text) for u in t.utterances] == [
        (1, Role.AGENT, "您好，请问有什么可以帮您？"),
        (3, Role.CUSTOMER, "我不知道怎么办"),
        (4, Role.UNKNOWN, "随便吧"),
        (5, Role.CUSTOMER, "好的"),
    ]
    lines = path.read_text(encoding="utf-8").splitlines()
    for u in t.utterances:  # offset + column points back into the original line
        assert lines[u.line - 1][u.offset:].rstrip() == u.text
    assert t.utterances[0].start is None


def test_text_writer_reads_back_with_roles(tmp_path: Path) -> None:
    t = Transcript([Utterance("我 帮 您 确认 一下", Role.AGENT), Utterance("好", Role.CUSTOMER),
                    Utterance("嗯", Role.UNKNOWN), Utterance("agent: 说的", Role.UNKNOWN)])
    path = save_transcript(t, tmp_path / "t.txt")
    assert path.read_text(encoding="utf-8") == (
        "agent: 我 帮 您 确认 一下\ncustomer: 好\n嗯\nunknown: agent: 说的\n")
    back = load_transcript(path)
    assert [(u.role, u.text) for u in back.utterances] == [(u.role, u.text) for u in t.utterances]


def test_srt_writer() -> None:
    t = Transcript([Utterance("不 知道", Role.AGENT, 61.5, 3723.004),
                    Utterance("no time", Role.AGENT),
                    Utterance("好", Role.UNKNOWN, 0.0, 0.25)])
    out = io.StringIO()
    get_writer("srt").write(t, out)
    assert out.getvalue() == ("1\n00:01:01,500 --> 01:02:03,004\nagent: 不 知道\n\n"
                              "2\n00:00:00,000 --> 00:00:00,250\n好\n\n")


@pytest.mark.parametrize(("content", "problem"), [
    ('{"result": [{"word": "x", "start": 0', "invalid JSON at line 1 column"),
    ('{"result": [{"word": "x", "start": "0.1", "end": 1}]}', 'word 1 "x": start must be a number'),
    ('{"result": [{"start": 0, "end": 1}]}', 'missing "word"'),
    ('{"utterances": [{"text": "x", "role": "boss"}]}', "unknown role 'boss'"),
    ('{"utterances": {"text": "x"}}', '"utterances" must be a list'),
    ('{"text": "x", "channel": "left"}', '"channel" must be a whole number'),
    ("42", "expected a Vosk result object"),
    ("", "empty JSON file"),
])
def test_bad_json_names_file_and_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = _write(tmp_path, "bad.json", content)
    with pytest.raises(InputError) as err:
        load_transcript(path)
    assert str(err.value).startswith(f"{path}: ") and problem in str(err.value)


@pytest.mark.parametrize(("content", "problem"), [
    ('{"text": "x", "start": 1e999, "end": 2}',
     "utterance 1: start must be a finite number of seconds, 0 or more, found Infinity"),
    ('{"text": "x", "start": NaN}', "start must be a finite number of seconds, 0 or more, "
                                     "found NaN"),
    ('{"text": "x", "start": -1, "end": 2}', "utterance 1: start must be a finite number of "
                                             "seconds, 0 or more, found -1"),
    ('{"text": "x", "start": 3, "end": 2}', "utterance 1: end 2 s is before start 3 s"),
    ('{"result": [{"word": "x", "start": 0, "end": Infinity}]}',
     'word 1 "x": end must be a finite number of seconds'),
    ('{"result": [{"word": "x", "start": 2, "end": 1}]}', 'word 1 "x": end 1 s is before start'),
    ('{"result": [{"word": "x", "start": 0, "end": 1, "conf": NaN}]}',
     'word 1 "x": conf must be a finite number, found NaN'),
    ('{"duration": -Infinity, "utterances": []}', "duration must be a finite number"),
])
def test_non_finite_or_negative_times_are_refused_on_reading(tmp_path: Path, content: str,
                                                             problem: str) -> None:
    path = _write(tmp_path, "bad.json", content)
    with pytest.raises(InputError) as err:
        load_transcript(path)
    assert str(err.value).startswith(f"{path}: ") and problem in str(err.value)
    assert "\n" not in str(err.value)


def test_unreadable_files(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("我不知道".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_transcript(gbk)
    binary = tmp_path / "call.txt"
    binary.write_bytes(b"RIFF\x00\x00\x00\x00WAVE")
    with pytest.raises(InputError, match="binary file"):
        load_transcript(binary)
    with pytest.raises(InputError, match="no such file"):
        load_transcript(tmp_path / "nope.json")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("客服: 随便\n".encode("utf-16"))
    assert load_transcript(utf16).utterances[0].role is Role.AGENT


def test_vosk_json_shape_matches_recogniser_output() -> None:
    t = Transcript([Utterance("我", Role.AGENT, 0.5, 1.0, (Word("我", 0.5, 1.0, 0.9),), 0)])
    item = to_vosk_json(t)["utterances"][0]
    assert set(item) == {"text", "result", "start", "end", "channel", "role"}
    assert set(item["result"][0]) == {"word", "start", "end", "conf"}


_text = st.text(alphabet=st.sampled_from("我不知道随便清楚 abc，。:"), min_size=1, max_size=12)
_time = st.floats(min_value=0, max_value=7200, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_text, st.sampled_from(list(Role)), _time, _time,
                          st.lists(st.tuples(_text, _time, _time,
                                             st.floats(min_value=0, max_value=1)), max_size=4),
                          st.one_of(st.none(), st.integers(0, 1))), max_size=6))
def test_json_round_trip_property(tmp_path_factory, items) -> None:
    # Times are ordered as a recogniser gives them (end >= start is checked on reading).
    utts = [Utterance(text=tx if tx.strip() or words else "x", role=role, start=min(s, e),
                      end=max(s, e), words=tuple(Word(w, min(a, b), max(a, b), c)
                                                 for w, a, b, c in words), channel=ch)
            for tx, role, s, e, words, ch in items]
    t = Transcript(utts, source="s.wav", duration=12.0)
    path = save_transcript(t, tmp_path_factory.mktemp("rt") / "t.json")
    assert load_transcript(path) == t
