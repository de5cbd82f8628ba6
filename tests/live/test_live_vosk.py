"""``phraseguard live`` end to end with the real Korean Vosk model, without a sound server:
``--input`` (fast and real time) and an ALSA file-plugin capture device."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
import soundfile as sf
from live_helpers import CLIP_HITS, POINTS, PRESIDENT_CLIP, PRESIDENT_TEXT, parse_events, run_cli

from phraseguard.calls.store import Store

pytestmark = pytest.mark.vosk


def check_hits_alerted_early(events, rules: list[str]) -> None:
    """Each rule alerted exactly once, from a partial, before its utterance was final."""
    hits = events.of("hit")
    assert sorted(h["rule_id"] for h in hits) == sorted(rules), events.kinds()
    kinds = events.kinds()
    first_utterance = kinds.index("utterance")
    for h in hits:
        assert h["from_partial"] is True, h
        assert events.lines.index(h) < first_utterance
        assert h["suggestion"] and h["matched"] in h["text"]
    assert not events.of("retract")


@pytest.mark.parametrize("clip", sorted(CLIP_HITS))
def test_input_fast_alerts_saves_and_records(clip, ko_clips, ko_lexicon, ko_model_path, tmp_path):
    db, rec = tmp_path / "pg.db", tmp_path / "rec.wav"
    result = run_cli(["live", "--input", ko_clips / clip, "--fast", "--lexicon", ko_lexicon,
                      "--model", ko_model_path, "--events", "-", "--db", db, "--record", rec,
                      "--agent", "kim"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    events = parse_events(result.stdout)
    start, end = events.one("session_start"), events.one("session_end")
    assert (start["source"], start["sample_rate"], start["agent"]) == (
        f"file {clip} (fast)", 16000, "kim")
    check_hits_alerted_early(events, CLIP_HITS[clip])
    utterances = events.of("utterance")
    counted = [h["rule_id"] for u in utterances for h in u["hits"] if h["counted"]]
    assert sorted(counted) == sorted(CLIP_HITS[clip])
    assert end["score"] == 100 - sum(POINTS[r] for r in CLIP_HITS[clip])
    assert (end["reason"], end["alerts"], end["error"]) == ("end_of_input", len(counted), None)
    duration = sf.info(str(ko_clips / clip)).duration
    assert end["duration"] == pytest.approx(duration, abs=0.01)
    # Plain lines went to stderr because stdout carries the events.
    assert "ALERT" in result.stderr
    with Store.open(db, create=False) as store:
        (call,) = store.calls()
        assert (call.status, call.source, call.agent, call.score) == (
            "ok", "live", "kim", end["score"])
        assert [u.text for u in store.transcript(call.pk).utterances] == [
            u["text"] for u in utterances]
        times = [(h.rule_id, h.time_start) for h in store.hits(call=call.pk)]
        assert all(0 < t < duration for _, t in times)
    assert sf.info(str(rec)).frames == sf.info(str(ko_clips / clip)).frames


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_ends_the_session_cleanly(sig, start_live, ko_clips, ko_lexicon, ko_model_path,
                                         tmp_path):
    # Real-time pace: the signal arrives while the clip is still being "spoken".
    db = tmp_path / "pg.db"
    live = start_live(["--input", ko_clips / PRESIDENT_CLIP, "--lexicon", ko_lexicon,
                       "--model", ko_model_path, "--db", db])
    first = live.wait_for("hit", timeout=60)
    assert first["rule_id"] == "president"
    live.signal(sig)
    assert live.finish() == 0, live.stderr()
    end = live.events.one("session_end")
    assert end["reason"] == "stopped" and end["error"] is None
    # The pending audio was still recognised: the utterance in progress is saved.
    (utterance,) = live.events.of("utterance")
    assert "대통령" in utterance["text"]
    assert end["duration"] < sf.info(str(ko_clips / PRESIDENT_CLIP)).duration
    with Store.open(db, create=False) as store:
        (call,) = store.calls()
        assert call.status == "ok" and call.hits >= 1
        assert len(store.transcript(call.pk).utterances) == 1


def test_alsa_file_device_capture(alsa_home, start_live, ko_clips, ko_lexicon, ko_model_path,
                                  tmp_path: Path):
    """Capture through PortAudio from an ALSA ``file`` device (no sound server).

    The file plugin delivers audio as fast as it is read, so the queue fills
    within milliseconds: --max-backlog keeps the first 10 s (the clip and some
    silence after it) and counts the rest as dropped; the clip itself is heard
    in full and in order.
    """
    alsa = alsa_home(ko_clips / PRESIDENT_CLIP)
    live = start_live(["--device", alsa.device, "--lexicon", ko_lexicon, "--model",
                       ko_model_path, "--db", tmp_path / "pg.db", "--max-backlog", "10"],
                      env=alsa.env)
    start = live.wait_for("session_start", timeout=60)
    assert start["source"].endswith(f" {alsa.device}") and start["sample_rate"] == 16000
    live.wait_for("utterance", timeout=60)
    live.signal(signal.SIGTERM)
    assert live.finish() == 0, live.stderr()
    check_hits_alerted_early(live.events, CLIP_HITS[PRESIDENT_CLIP])
    first = live.events.of("utterance")[0]
    assert first["text"] == PRESIDENT_TEXT
    end = live.events.one("session_end")
    assert end["reason"] == "stopped" and end["dropped"] > 0 and end["score"] == 85


def test_events_file_is_appended_and_flushed(ko_clips, ko_lexicon, ko_model_path, tmp_path):
    events_file = tmp_path / "events.jsonl"
    for _ in range(2):
        result = run_cli(["live", "--input", ko_clips / PRESIDENT_CLIP, "--fast",
                          "--lexicon", ko_lexicon, "--model", ko_model_path,
                          "--events", events_file, "--db", tmp_path / "pg.db"], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        # Without --events -, the plain lines own stdout.
        assert "ALERT president (major): “대통령”" in result.stdout
    events = parse_events(events_file.read_text(encoding="utf-8"))
    assert events.kinds().count("session_start") == 2
    assert events.kinds().count("session_end") == 2
    assert "status" not in events.kinds()
