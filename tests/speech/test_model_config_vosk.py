"""The real Korean model through a per-session copy of its configuration: the
changed chunk size reaches Kaldi, the copy is gone once the model is loaded,
and recognisers built afterwards still transcribe a committed clip."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from speech_helpers import reference_transcripts

from phraseguard.speech.asr import SpeechEngine

pytestmark = pytest.mark.vosk

CLIPS = Path(__file__).resolve().parents[1] / "data" / "audio" / "ko-free"
CLIP = CLIPS / "zeroth_104_003_0374.wav"
FRAME = 160  # samples in one 10 ms frame at 16 kHz


def partial_change_frames(engine: SpeechEngine, pcm: bytes) -> tuple[list[int], str]:
    """Frames fed when each partial result changed (fed one frame at a time), and the final text."""
    rec = engine.recognizer(16000)
    changes, finals = [], []
    for i in range(0, len(pcm), FRAME * 2):
        for seg in rec.feed(pcm[i:i + FRAME * 2]):
            if seg.final:
                finals.append(seg.text)
            else:
                changes.append(round(rec.stream_seconds * 100))
    finals += [s.text for s in rec.finish()]
    return changes, " ".join(finals)


def cer(ref: str, hyp: str) -> float:
    a, b = ref.replace(" ", ""), hyp.replace(" ", "")
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1] / len(a)


def test_a_changed_chunk_reaches_kaldi_and_the_copy_is_gone_once_loaded(
        ko_model_path, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    engine = SpeechEngine(ko_model_path, partials=True, frames_per_chunk=9)
    # Vosk read every file while loading: the copy is already removed, and the
    # recogniser below is built (and decodes) without it.
    assert list(tmp_path.iterdir()) == []
    pcm = CLIP.read_bytes()[44:]  # 16-bit mono PCM after the WAV header
    changes, text = partial_change_frames(engine, pcm)
    steps = [b - a for a, b in zip(changes, changes[1:], strict=False)]
    # The decoder advances whole chunks: 9 frames here (Kaldi's own 24 otherwise).
    assert steps and all(s % 9 == 0 for s in steps), steps
    assert min(steps) < 24
    reference = reference_transcripts(CLIPS)[CLIP.name]
    assert cer(reference, text) <= 0.05, text
    transcript = engine.transcribe(CLIP)
    assert cer(reference, " ".join(u.text for u in transcript.utterances)) <= 0.05


def test_an_old_layout_model_decodes_through_a_new_layout_copy(ko_model_path, tmp_path,
                                                                monkeypatch):
    # The Korean model rearranged the old way (Vosk's ConfigureV1: no conf/model.conf).
    old = tmp_path / "old-layout"
    old.mkdir()
    for src, name in (("am/final.mdl", "final.mdl"), ("conf/mfcc.conf", "mfcc.conf"),
                      ("graph/HCLr.fst", "HCLr.fst"), ("graph/Gr.fst", "Gr.fst"),
                      ("graph/disambig_tid.int", "disambig_tid.int"),
                      ("graph/phones/word_boundary.int", "word_boundary.int"),
                      ("ivector", "ivector")):
        (old / name).symlink_to(ko_model_path / src)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    engine = SpeechEngine(old, frames_per_chunk=21)
    assert list(tmp.iterdir()) == []
    text = " ".join(u.text for u in engine.transcribe(CLIP).utterances)
    assert cer(reference_transcripts(CLIPS)[CLIP.name], text) <= 0.1, text
    assert sorted(p.name for p in old.iterdir()) == sorted(
        ["final.mdl", "mfcc.conf", "HCLr.fst", "Gr.fst", "disambig_tid.int",
         "word_boundary.int", "ivector"])
