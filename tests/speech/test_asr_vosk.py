"""The speech path with the real Korean Vosk model (loaded once per session)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from rapidfuzz.distance import Levenshtein
from speech_helpers import reference_transcripts, transcripts_column, write_stereo

from phraseguard.errors import AudioError
from phraseguard.speech.asr import Recognizer, Segment, recognize_stream
from phraseguard.speech.audio import read_pcm
from phraseguard.speech.transcript import Role, Transcript, load_transcript, save_transcript

pytestmark = pytest.mark.vosk

# Committed clips (tests/data/audio/ko-free) and words the Korean model returns in them.
PRESIDENT = "zeroth_104_003_0374.wav"  # ... 대통령이 ... 선택 ... (recognised word for word)
REGION = "zeroth_104_003_0352.wav"  # 다른 지역에서는 ...
SHORT = "picovoice_leopard_test_ko.wav"  # 3.1 s, another speaker


def assert_well_timed(t: Transcript) -> None:
    """Words have times that rise and stay inside the file."""
    assert t.duration and t.duration > 0
    for u in t.utterances:
        assert u.words, u
        assert u.start == u.words[0].start and u.end == u.words[-1].end
        previous = 0.0
        for w in u.words:
            assert 0.0 <= w.start <= w.end <= t.duration + 0.01, (w, t.duration)
            assert w.start >= previous - 1e-6, (w, previous)
            assert 0.0 <= w.conf <= 1.0
            previous = w.start
    starts = [u.start for u in t.utterances if u.channel == t.utterances[0].channel]
    assert starts == sorted(starts)


def spoken(t: Transcript) -> str:
    return "".join(u.text.replace(" ", "") for u in t.utterances)


def test_real_clips_words_timed_and_found_in_references(ko_engine, ko_clips: Path) -> None:
    refs = reference_transcripts(ko_clips)
    recognised = transcripts_column(ko_clips, "recognised")
    assert len(refs) == 7
    hits = total = 0
    for name, ref in sorted(refs.items()):
        t = ko_engine.transcribe(ko_clips / name)
        assert t.utterances, name
        assert_well_timed(t)
        assert all(u.role is Role.AGENT and u.channel == 0 for u in t.utterances)
        # What the model returned when the clips were checked (their README).
        # Vosk is not bit-for-bit repeatable (a fresh recogniser's first stream
        # may differ by a syllable), but a block lost or misordered on the way
        # would change far more than a tenth of the characters.
        got = " ".join(u.text for u in t.utterances)
        assert Levenshtein.normalized_distance(got, recognised[name]) <= 0.1, (name, got)
        words = [w.text for u in t.utterances for w in u.words if len(w.text) >= 2]
        hits += sum(w in ref.replace(" ", "") for w in words)
        total += len(words)
    assert hits / total > 0.5, f"{hits}/{total} recognised words appear in the references"


def test_reused_recogniser_restarts_time_at_zero(ko_engine, ko_clips: Path) -> None:
    path = ko_clips / PRESIDENT
    first = ko_engine.transcribe(path)
    second = ko_engine.transcribe(path)  # Vosk keeps counting across streams; we must not
    assert_well_timed(second)
    assert second.utterances[0].start == pytest.approx(first.utterances[0].start, abs=0.05)
    assert ko_engine.recognizer(16000) is ko_engine.recognizer(16000)


def test_telephone_ulaw_8k(ko_engine, ko_clips: Path, tmp_path: Path) -> None:
    if not shutil.which("sox"):
        pytest.skip("sox not installed")
    out = tmp_path / "call_ulaw.wav"
    subprocess.run(["sox", str(ko_clips / PRESIDENT), "-r", "8000", "-e", "u-law",
                    "-b", "8", str(out)], check=True)
    assert sf.info(str(out)).subtype == "ULAW"
    t = ko_engine.transcribe(out)
    assert_well_timed(t)
    assert t.duration == pytest.approx(sf.info(str(ko_clips / PRESIDENT)).duration, abs=0.01)
    assert "대통령" in spoken(t)


def test_stereo_split_by_role_real_speech(ko_engine, ko_clips: Path, tmp_path: Path) -> None:
    a, rate = sf.read(str(ko_clips / PRESIDENT), dtype="float32")  # 대통령, 선택
    b, _ = sf.read(str(ko_clips / REGION), dtype="float32")  # 지역
    path = write_stereo(tmp_path / "call.wav", a, b, rate, subtype="PCM_16")
    for agent, agent_words, customer_words in (("left", "대통령", "지역"),
                                                ("right", "지역", "대통령")):
        t = ko_engine.transcribe(path, agent_channel=agent)
        assert_well_timed_per_channel(t)
        agent_text = "".join(u.text.replace(" ", "") for u in t.by_role(Role.AGENT))
        customer_text = "".join(u.text.replace(" ", "") for u in t.by_role(Role.CUSTOMER))
        assert agent_words in agent_text and agent_words not in customer_text
        assert customer_words in customer_text and customer_words not in agent_text
        agent_index = 0 if agent == "left" else 1
        assert {u.channel for u in t.by_role(Role.AGENT)} == {agent_index}
        assert {u.channel for u in t.by_role(Role.CUSTOMER)} == {1 - agent_index}
        starts = [u.start for u in t.utterances]
        assert starts == sorted(starts)  # merged in time order


def assert_well_timed_per_channel(t: Transcript) -> None:
    for channel in {u.channel for u in t.utterances}:
        assert_well_timed(Transcript([u for u in t.utterances if u.channel == channel],
                                     duration=t.duration))


def test_stereo_split_by_time_synthesised(ko_engine, espeak_ko: Path, tmp_path: Path) -> None:
    # Agent speaks in the first window on the left, customer in a later window
    # on the right: whatever the words, each role's times must fall in its window.
    speech, rate = sf.read(str(espeak_ko), dtype="float32")
    gap = np.zeros(int(1.0 * rate), dtype=np.float32)
    left = np.concatenate([speech, gap, np.zeros_like(speech)])
    right = np.concatenate([np.zeros_like(speech), gap, speech])
    path = write_stereo(tmp_path / "call.wav", left, right, rate, subtype="PCM_16")
    t = ko_engine.transcribe(path, agent_channel="left")
    boundary = (len(speech) + len(gap) / 2) / rate
    agent, customer = t.by_role(Role.AGENT), t.by_role(Role.CUSTOMER)
    assert agent and customer
    assert all(w.end <= boundary for u in agent for w in u.words)
    assert all(w.start >= boundary for u in customer for w in u.words)
    mono = ko_engine.transcribe(path, mono_role=Role.CUSTOMER)  # no agent channel: mixed
    assert {u.role for u in mono.utterances} == {Role.CUSTOMER}
    assert {u.channel for u in mono.utterances} == {None}


@pytest.mark.parametrize(("name", "sox_args"), [
    ("alaw8k.wav", ["-r", "8000", "-e", "a-law", "-b", "8"]),
    ("pcm24_44k.wav", ["-r", "44100", "-b", "24"]),
    ("float.wav", ["-e", "floating-point", "-b", "32"]),
    ("speech.flac", []),
    ("speech.ogg", []),
    ("speech.mp3", []),
])
def test_synthesised_speech_in_every_format(ko_engine, espeak_ko: Path, tmp_path: Path,
                                            name: str, sox_args: list[str]) -> None:
    out = tmp_path / name
    if name.endswith(".mp3"):
        if not shutil.which("ffmpeg"):
            pytest.skip("ffmpeg not installed")
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(espeak_ko), str(out)], check=True)
    else:
        subprocess.run(["sox", str(espeak_ko), *sox_args, str(out)], check=True)
    t = ko_engine.transcribe(out)
    assert t.utterances, f"no speech recognised in {name}"
    assert_well_timed(t)


def test_transcript_json_round_trip_from_recogniser(ko_engine, ko_clips, tmp_path) -> None:
    t = ko_engine.transcribe(ko_clips / PRESIDENT)
    back = load_transcript(save_transcript(t, tmp_path / "t.json"))
    assert back == t


def test_progress_reports_audio_seconds(ko_engine, ko_clips) -> None:
    seen: list[tuple[float, float]] = []
    t = ko_engine.transcribe(ko_clips / SHORT,
                             progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (t.duration, t.duration)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_recognizer_seam_streams_partials_and_finals(ko_engine, ko_clips) -> None:
    rec = Recognizer(ko_engine.model, 16000, partials=True)
    seen: list[Segment] = []
    finals = recognize_stream(rec, read_pcm(ko_clips / REGION),
                              on_segment=seen.append)
    assert any(not s.final for s in seen), "no partial results while streaming"
    assert finals and all(s.final and s.words for s in finals)
    assert [s for s in seen if s.final] == finals
    assert rec.stream_seconds == 0.0  # finished: ready for the next stream
    with pytest.raises(AudioError, match="not whole 16-bit samples"):
        rec.feed(b"\x00\x01\x02")
    silence = rec.feed(bytes(16000 * 2)) + rec.finish()
    assert all(not s.final for s in silence)  # silence is no utterance
