"""The real capture path: PulseAudio null sink -> monitor -> sounddevice -> live.

The ``pulse`` fixture starts a private PulseAudio daemon whose null sink's
monitor is the default input; ``paplay`` plays speech into the sink while
``phraseguard live`` listens on the default device. Skipped only where the
pulseaudio/paplay binaries are missing.
"""

from __future__ import annotations

import signal

import pytest
import soundfile as sf
from live_helpers import PRESIDENT_CLIP, padded

from phraseguard.calls.store import Store

pytestmark = [pytest.mark.sound, pytest.mark.vosk]


def listen(start_live, pulse, ko_lexicon, ko_model_path, tmp_path, *extra):
    live = start_live(["--lexicon", ko_lexicon, "--model", ko_model_path,
                       "--db", tmp_path / "pg.db", "--record", tmp_path / "rec.wav",
                       "--agent", "kim", *extra], env=pulse.env)
    start = live.wait_for("session_start", timeout=60)
    assert start["source"].endswith(" default") or start["source"].endswith(" pulse"), start
    assert start["sample_rate"] == 16000
    return live


def test_capture_from_the_default_input(pulse, start_live, espeak_unsure, ko_lexicon,
                                        ko_model_path, tmp_path):
    speech = padded(espeak_unsure, tmp_path / "speech.wav", before=1.0, after=1.0)
    live = listen(start_live, pulse, ko_lexicon, ko_model_path, tmp_path)
    pulse.play(speech)
    hit = live.wait_for("hit", timeout=30)
    utterance = live.wait_for("utterance", timeout=30)
    live.signal(signal.SIGTERM)
    assert live.finish() == 0, live.stderr()
    assert (hit["rule_id"], hit["matched"]) == ("unsure", "겠어요")
    assert hit["suggestion"] == "확인해 드리겠습니다"
    assert "겠어요" in utterance["text"]
    # Heard where it was played, after the leading second of silence (give or
    # take the word boundaries Vosk draws and the sink's start-up).
    assert 0.5 < utterance["start"] < utterance["end"]
    end = live.events.one("session_end")
    assert (end["reason"], end["error"], end["overflows"], end["dropped"]) == (
        "stopped", None, 0, 0)
    assert end["score"] == 95 and end["alerts"] == 1
    with Store.open(tmp_path / "pg.db", create=False) as store:
        (call,) = store.calls()
        assert (call.status, call.source, call.agent, call.hits) == ("ok", "live", "kim", 1)
    # The recording holds at least what was played, at the capture rate.
    info = sf.info(str(tmp_path / "rec.wav"))
    assert info.samplerate == 16000
    assert info.duration >= sf.info(str(speech)).duration - 0.5


def test_real_speech_alerts_during_the_utterance(pulse, start_live, ko_clips, ko_lexicon,
                                                 ko_model_path, tmp_path):
    speech = padded(ko_clips / PRESIDENT_CLIP, tmp_path / "speech.wav", after=1.0)
    live = listen(start_live, pulse, ko_lexicon, ko_model_path, tmp_path)
    player = pulse.play(speech, wait=False)
    president = live.wait_for("hit", timeout=30, rule_id="president")
    choice = live.wait_for("hit", timeout=30, rule_id="choice")
    # Both alerts came from partials while the sentence was still being spoken.
    assert president["from_partial"] and choice["from_partial"]
    assert "utterance" not in live.events.kinds()
    assert player.wait(timeout=30) == 0
    live.wait_for("utterance", timeout=30)
    live.signal(signal.SIGINT)
    assert live.finish() == 0, live.stderr()
    end = live.events.one("session_end")
    assert end["alerts"] == 2 and end["retracted"] == len(live.events.of("retract"))
    # Captured audio is not bit-exact, so the final may rewrite a word (a
    # retract); the score is whatever the final utterances deducted.
    counted = [h["points"] for u in live.events.of("utterance") for h in u["hits"]
               if h["counted"]]
    assert end["score"] == 100 - sum(counted) and end["counted_hits"] == len(counted)


def test_sound_server_gone_mid_session(pulse, start_live, espeak_unsure, ko_lexicon,
                                       ko_model_path, tmp_path):
    speech = padded(espeak_unsure, tmp_path / "speech.wav", before=1.0, after=1.0)
    live = listen(start_live, pulse, ko_lexicon, ko_model_path, tmp_path)
    pulse.play(speech)
    live.wait_for("utterance", timeout=30)
    pulse.stop()  # the "device" disappears
    assert live.finish(timeout=30) == 2
    error_lines = [ln for ln in live.stderr().splitlines() if ln.startswith("Error: ")]
    assert len(error_lines) == 1 and "input device" in error_lines[0], live.stderr()
    end = live.events.one("session_end")
    assert end["reason"] == "error" and "input device" in end["error"]
    with Store.open(tmp_path / "pg.db", create=False) as store:
        (call,) = store.calls()
        assert call.status == "ok" and "input device" in call.failure  # heard: scored
        assert any("겠어요" in u.text for u in store.transcript(call.pk).utterances)
    assert sf.info(str(tmp_path / "rec.wav")).duration > 1.0
