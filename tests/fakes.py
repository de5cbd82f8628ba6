"""Fast stand-ins for the speech layer, for tests that must not load Vosk.

``FakeEngine`` has :class:`phraseguard.speech.asr.SpeechEngine`'s ``transcribe``
signature. It "recognises" a recording by reading the sidecar text file next
to it (``call.wav.txt`` or ``call.txt``: one utterance per line, optional
``agent:``/``客服:`` prefixes) or returns a fixed transcript, and invents
evenly spaced times so time-dependent code has something to work with.

``FakeRecognizer`` has :class:`phraseguard.speech.asr.Recognizer`'s ``feed``/
``finish`` seam: it emits scripted utterances when the stream reaches their
time, as a live session would see them.

Import with ``from tests.fakes import FakeEngine`` (run pytest as
``python -m pytest`` from the repository root).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from phraseguard.errors import AudioError
from phraseguard.speech.asr import Segment
from phraseguard.speech.audio import CHANNELS, SAMPLE_WIDTH
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word, parse_transcript_text


class FakeEngine:
    """A SpeechEngine that reads ``<audio>.txt`` sidecars instead of listening."""

    def __init__(self, transcript: Transcript | None = None, *, seconds_per_line: float = 2.0,
                 fail: dict[str, str] | None = None) -> None:
        self.transcript = transcript
        self.seconds_per_line = seconds_per_line
        self.fail = dict(fail or {})  # file name -> AudioError message, to simulate bad files
        self.calls: list[Path] = []

    def transcribe(self, path: str | Path, *, agent_channel: str | None = None,
                   mono_role: Role = Role.AGENT, progress=None) -> Transcript:
        path = Path(path)
        self.calls.append(path)
        if path.name in self.fail:
            raise AudioError(f"{path}: {self.fail[path.name]}")
        if not path.is_file():
            raise AudioError(f"{path}: no such file")
        sidecar = self.sidecar(path)
        if sidecar is not None:
            lines = parse_transcript_text(sidecar.read_text(encoding="utf-8"),
                                          default_role=mono_role)
            result = self._timed(lines.utterances, agent_channel)
        elif self.transcript is not None:
            result = dataclasses.replace(self.transcript, source=str(path),
                                         utterances=list(self.transcript.utterances))
        else:
            raise AudioError(f"{path}: FakeEngine found no sidecar {path.name}.txt")
        result.source = str(path)
        if progress:
            progress(result.duration or 0.0, result.duration or 0.0)
        return result

    @staticmethod
    def sidecar(path: Path) -> Path | None:
        for candidate in (path.with_name(path.name + ".txt"), path.with_suffix(".txt")):
            if candidate.is_file() and candidate != path:
                return candidate
        return None

    def _timed(self, lines: Sequence[Utterance], agent_channel: str | None) -> Transcript:
        step = self.seconds_per_line
        agent = CHANNELS.get(agent_channel or "", None)
        out = []
        for i, u in enumerate(lines):
            start, end = i * step, (i + 1) * step
            tokens = u.text.split() or [u.text]
            width = (end - start) / len(tokens)
            words = tuple(Word(t, round(start + k * width, 6), round(start + (k + 1) * width, 6))
                          for k, t in enumerate(tokens))
            channel = None
            if agent is not None and u.role is not Role.UNKNOWN:
                channel = agent if u.role is Role.AGENT else 1 - agent
            out.append(Utterance(text=u.text, role=u.role, start=start, end=end, words=words,
                                 channel=channel))
        return Transcript(utterances=out, duration=len(lines) * step)


class FakeRecognizer:
    """A Recognizer that says scripted text once the stream reaches its time.

    ``script`` is ``[(seconds, "text"), ...]``: each text becomes a final
    segment once that many seconds of audio were fed (a partial with the same
    text comes first). ``finish()`` flushes what is left and restarts time.
    """

    def __init__(self, script: Sequence[tuple[float, str]], sample_rate: int = 16000) -> None:
        self.script = sorted(script)
        self.sample_rate = sample_rate
        self.fed = 0  # samples in the current stream
        self.finished_streams = 0
        self._next = 0

    def feed(self, pcm: bytes) -> list[Segment]:
        if len(pcm) % SAMPLE_WIDTH:
            raise AudioError(f"PCM chunk of {len(pcm)} bytes is not whole 16-bit samples")
        self.fed += len(pcm) // SAMPLE_WIDTH
        now = self.fed / self.sample_rate
        out: list[Segment] = []
        while self._next < len(self.script) and self.script[self._next][0] <= now:
            out += [Segment(self.script[self._next][1], final=False),
                    self._segment(*self.script[self._next])]
            self._next += 1
        return out

    def finish(self) -> list[Segment]:
        out = [self._segment(*item) for item in self.script[self._next:]]
        self.fed, self._next = 0, 0
        self.finished_streams += 1
        return out

    @staticmethod
    def _segment(at: float, text: str) -> Segment:
        tokens = text.split() or [text]
        words = tuple(Word(t, at + 0.3 * k, at + 0.3 * (k + 1)) for k, t in enumerate(tokens))
        return Segment(text=text, final=True, words=words, start=words[0].start, end=words[-1].end)
