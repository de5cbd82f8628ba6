"""The fakes other tests rely on behave like the real seam."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.errors import AudioError
from phraseguard.speech.transcript import Role, Transcript, Utterance
from tests.fakes import FakeEngine, FakeRecognizer


def test_fake_engine_reads_sidecars(tmp_path: Path) -> None:
    call = tmp_path / "call.wav"
    call.write_bytes(b"not really audio")
    (tmp_path / "call.wav.txt").write_text("客服: 我 不 知道\n客户: 好 的\n那个\n", encoding="utf-8")
    t = FakeEngine(seconds_per_line=3.0).transcribe(call, agent_channel="right")
    assert [(u.role, u.channel, u.start, u.end) for u in t.utterances] == [
        (Role.AGENT, 1, 0.0, 3.0), (Role.CUSTOMER, 0, 3.0, 6.0), (Role.AGENT, 1, 6.0, 9.0)]  # unprefixed: mono_role
    assert [w.text for w in t.utterances[0].words] == ["我", "不", "知道"]
    assert t.utterances[0].words[-1].end == 3.0 and t.duration == 9.0
    assert t.source == str(call)


def test_fake_engine_fixed_transcript_and_failures(tmp_path: Path) -> None:
    call = tmp_path / "c.wav"
    call.write_bytes(b"x")
    fixed = Transcript([Utterance("随便", Role.AGENT, 0.0, 1.0)], duration=1.0)
    engine = FakeEngine(fixed, fail={"bad.wav": "corrupt"})
    assert engine.transcribe(call).utterances == fixed.utterances
    with pytest.raises(AudioError, match="bad.wav: corrupt"):
        engine.transcribe(tmp_path / "bad.wav")
    with pytest.raises(AudioError, match="no such file"):
        engine.transcribe(tmp_path / "gone.wav")
    with pytest.raises(AudioError, match="no sidecar"):
        FakeEngine().transcribe(call)
    assert len(engine.calls) == 3


def test_fake_recognizer_script() -> None:
    rec = FakeRecognizer([(1.0, "我 不 知道"), (3.0, "随便")], sample_rate=8000)
    assert rec.feed(bytes(8000)) == []  # 0.5 s
    first = rec.feed(bytes(8000))  # 1.0 s
    assert [(s.text, s.final) for s in first] == [("我 不 知道", False), ("我 不 知道", True)]
    assert [s.text for s in rec.finish()] == ["随便"]
    assert rec.fed == 0 and rec.finished_streams == 1
