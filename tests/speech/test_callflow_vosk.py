"""Call flow on real speech: a stereo call built with sox from the committed Korean
clips (agent left, customer right, known gaps and overlaps), transcribed by the
real Vosk model; timing events must fall within 0.3 s of the constructed truth."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.lexicon import load_lexicon

CLIPS = Path(__file__).resolve().parents[1] / "data" / "audio" / "ko-free"
KO_BASE = Path(__file__).resolve().parents[1] / "data" / "ko_base.toml"
TOLERANCE = 0.3

# Thresholds low enough for a 32 s call; phrases the Korean model returns for
# these clips (0374 comes back word for word, 0352 nearly).
# The closing phrase is a common word the model hears the same on every run:
# the proper noun 라이몬디 in the same clip came out as "PRI 몬디" in one
# full-suite run under load (Vosk's decoding is not bit-for-bit the same
# from run to run), which made a call-flow test fail on recognition noise.
KO_FLOW = f"""
[lexicon]
extends = "{KO_BASE}"

[[rule]]
id = "ko-unused"
category = "test"
severity = "minor"
message = "a forbidden phrase nobody says here"
suggestions = ["다른 말"]
phrases = ["금지어"]

[[required]]
id = "opening"
severity = "minor"
message = "says the opening phrase"
suggestions = ["대통령"]
phrases = ["대통령"]
window = "first"
seconds = 10

[[required]]
id = "hello"
severity = "minor"
message = "says hello"
missing = "no hello"
suggestions = ["안녕하세요"]
phrases = ["안녕하세요"]
window = "first"
seconds = 10

[[required]]
id = "closing"
severity = "minor"
message = "says the closing phrase"
suggestions = ["어려울"]
phrases = ["어려울"]
window = "last"
seconds = 10

[[timing]]
id = "dead-air"
severity = "minor"
message = "dead air"
suggestions = ["…"]
seconds = 2

[[timing]]
id = "talk-over"
severity = "minor"
message = "talk-over"
suggestions = ["…"]
seconds = 1

[[timing]]
id = "slow-start"
severity = "minor"
message = "slow start"
suggestions = ["…"]
seconds = 2
"""


def speech_bounds(path: Path) -> tuple[float, float]:
    """Seconds of the first and last 20 ms frame within 30 dB of the clip's peak."""
    x, rate = sf.read(str(path))
    frame = int(rate * 0.02)
    n = len(x) // frame
    rms = np.sqrt(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1)) + 1e-9
    db = 20 * np.log10(rms)
    loud = np.where(db > db.max() - 30)[0]
    return float(loud[0] * 0.02), float((loud[-1] + 1) * 0.02)


@dataclass(frozen=True)
class Placed:
    clip: str
    speech_at: float  # where its first speech frame lands in the call

    def offset(self) -> float:
        return self.speech_at - speech_bounds(CLIPS / self.clip)[0]

    def speech(self) -> tuple[float, float]:
        on, off = speech_bounds(CLIPS / self.clip)
        return self.offset() + on, self.offset() + off


def build_channel(tmp: Path, name: str, placed: list[Placed]) -> Path:
    """One channel: each clip padded to its place with sox, mixed together."""
    parts = []
    for i, p in enumerate(placed):
        part = tmp / f"{name}{i}.wav"
        subprocess.run(["sox", str(CLIPS / p.clip), str(part), "pad", f"{p.offset():.4f}"],
                       check=True)
        parts.append(part)
    out = tmp / f"{name}.wav"
    if len(parts) == 1:
        shutil.copy(parts[0], out)
    else:
        subprocess.run(["sox", "-m", *map(str, parts), str(out)], check=True)
    return out


@pytest.fixture(scope="module")
def stereo_call(tmp_path_factory) -> tuple[Path, dict[str, tuple[float, float]]]:
    """The call and its timing truth (event -> (start, end) seconds)."""
    if not shutil.which("sox"):
        pytest.skip("sox is needed to build the stereo call (apt-get install sox)")
    tmp = tmp_path_factory.mktemp("callflow")
    a1 = Placed("zeroth_104_003_0374.wav", 3.0)  # slow start: first words at 3 s
    c1 = Placed("zeroth_104_003_0294.wav", a1.speech()[1] + 0.5)
    a2 = Placed("picovoice_leopard_test_ko.wav", c1.speech()[1] + 3.0)  # 3 s of dead air
    c2 = Placed("zeroth_104_003_0451.wav", a2.speech()[1] + 0.6)
    a3 = Placed("zeroth_104_003_0352.wav", c2.speech()[1] - 2.0)  # cuts in for 2 s
    left = build_channel(tmp, "agent", [a1, a2, a3])
    right = build_channel(tmp, "customer", [c1, c2])
    call = tmp / "call.wav"
    # -M merges the two mono files into one stereo file (left, right); the
    # shorter one is padded with silence.
    subprocess.run(["sox", "-M", str(left), str(right), str(call)], check=True)
    truth = {
        "slow-start": (0.0, a1.speech()[0]),
        "dead-air": (c1.speech()[1], a2.speech()[0]),
        "talk-over": (a3.speech()[0], c2.speech()[1]),
    }
    return call, truth


@pytest.mark.vosk
@pytest.mark.slow
def test_timing_events_on_a_real_stereo_call(tmp_path, ko_engine, stereo_call) -> None:
    call, truth = stereo_call
    transcript = ko_engine.transcribe(call, agent_channel="left")
    roles = {u.role.value for u in transcript.utterances}
    assert roles == {"agent", "customer"}, [(u.role, u.text) for u in transcript.utterances]
    lex_file = tmp_path / "ko_flow.toml"
    lex_file.write_text(KO_FLOW, encoding="utf-8")
    result = CallFlow(load_lexicon(lex_file)).check(transcript.utterances)
    events = {f.rule_id: f for f in result.hits if f.hit.kind.value == "timing"}
    assert set(events) == set(truth), [(f.rule_id, f.start, f.end) for f in result.hits]
    for rule_id, (start, end) in truth.items():
        got = events[rule_id]
        assert abs(got.start - start) <= TOLERANCE and abs(got.end - end) <= TOLERANCE, (
            rule_id, (got.start, got.end), (start, end))
        assert transcript.utterances[got.utterance].role.value == "agent"
    # Required phrases on the same call: said in their windows, or missing
    # with the window as their place.
    assert result.checklist == {"opening": True, "hello": False, "closing": True}
    (hello,) = [f for f in result.hits if f.rule_id == "hello"]
    assert hello.reason == "no hello in the first 10 s"
    assert abs(hello.start - truth["slow-start"][1]) <= TOLERANCE
    assert hello.end == pytest.approx(hello.start + 10)
