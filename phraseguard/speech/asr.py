"""The one recogniser seam: Vosk in, segments and transcripts out.

:class:`Recognizer` wraps one ``vosk.KaldiRecognizer``: ``feed(bytes)`` returns
the segments (partial and final) the audio so far produced and ``finish()``
closes the stream and readies the recogniser for the next one. Batch
(:class:`SpeechEngine`) and live capture both go through it, so both see the
same words with the same times.

The model is loaded once per process (about 3 s and 0.7 GB for the small
Korean model) and a recogniser is kept per sample rate and reused, because a
fresh one pays its warm-up again on its first stream.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from phraseguard.errors import AudioError, ModelError
from phraseguard.speech import audio, model_config
from phraseguard.speech.transcript import Role, Transcript, Utterance, Word

#: ``progress(done_seconds, total_seconds)``: audio seconds recognised so far.
Progress = Callable[[float, float], None]


@dataclass(frozen=True)
class Segment:
    """What the recogniser said about a stretch of one stream.

    A partial segment is the recogniser's current guess (text only, it may
    still change); a final one is settled, with words and times in seconds
    from the start of the stream.
    """

    text: str
    final: bool
    words: tuple[Word, ...] = ()
    start: float | None = None
    end: float | None = None

    def to_utterance(self, role: Role = Role.UNKNOWN, channel: int | None = None) -> Utterance:
        """This segment as a transcript utterance spoken by ``role``."""
        return Utterance(
            text=self.text, role=role, start=self.start, end=self.end,
            words=self.words, channel=channel,
        )


def _vosk():
    # Imported on first use so that text-only front doors never pay for
    # loading the Vosk shared library; logging is silenced before any model loads.
    import vosk

    vosk.SetLogLevel(-1)
    return vosk


def load_model(model_path: str | Path, *, frames_per_chunk: int | None = None):
    """Load a Vosk model folder, raising ModelError (not Vosk's bare Exception).

    With ``frames_per_chunk``, Vosk loads a per-session copy of the model's
    configuration that sets it (:mod:`phraseguard.speech.model_config`); the
    copy is removed as soon as the model is in memory, because Vosk reads
    every model file while loading and never again. The installed model is
    only read.
    """
    path = Path(model_path)
    if not path.is_dir():
        raise ModelError(f"{path}: no such model folder")
    if frames_per_chunk is None:
        return _load(path, path)
    option = {model_config.FRAMES_PER_CHUNK: str(int(frames_per_chunk))}
    with model_config.derived_model(path, option) as derived:
        return _load(derived, path)


def _load(folder: Path, shown: Path):
    vosk = _vosk()
    try:
        return vosk.Model(str(folder))
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        raise ModelError(f"{shown}: Vosk could not load this model: {exc}") from None


class Recognizer:
    """One streaming recogniser at one sample rate; reusable across streams.

    Feed 16-bit mono little-endian PCM at ``sample_rate``. Times in the
    returned segments count from the start of the current stream: Vosk keeps
    counting across ``Reset()``, so the offset is tracked here and taken off.
    """

    def __init__(self, model: object, sample_rate: int, *, words: bool = True,
                 partials: bool = True) -> None:
        if sample_rate <= 0:
            raise AudioError(f"invalid sample rate {sample_rate}")
        vosk = _vosk()
        self.sample_rate = int(sample_rate)
        self.partials = partials
        self._rec = vosk.KaldiRecognizer(model, float(self.sample_rate))
        self._rec.SetWords(bool(words))
        self._fed = 0  # samples given to Vosk since this recogniser was built
        self._stream_start = 0  # value of _fed when the current stream began
        self._last_partial = ""

    @property
    def stream_seconds(self) -> float:
        """Seconds of audio fed into the current stream so far."""
        return (self._fed - self._stream_start) / self.sample_rate

    def feed(self, pcm: bytes) -> list[Segment]:
        """Recognise more audio; return any new final segment and/or a changed partial."""
        if len(pcm) % audio.SAMPLE_WIDTH:
            # Half a sample would shift every later sample by a byte: noise.
            raise AudioError(f"PCM chunk of {len(pcm)} bytes is not whole 16-bit samples")
        if not pcm:
            return []
        self._fed += len(pcm) // audio.SAMPLE_WIDTH
        if self._rec.AcceptWaveform(pcm):
            self._last_partial = ""
            seg = self._final(self._rec.Result())
            return [seg] if seg else []
        if not self.partials:
            return []
        text = json.loads(self._rec.PartialResult()).get("partial", "")
        if not text or text == self._last_partial:
            return []
        self._last_partial = text
        return [Segment(text=text, final=False)]

    def finish(self) -> list[Segment]:
        """End the stream: return the last final segment and reset for the next stream."""
        seg = self._final(self._rec.FinalResult())
        self.reset()
        return [seg] if seg else []

    def reset(self) -> None:
        """Drop whatever is buffered and start a new stream at time zero."""
        self._rec.Reset()
        self._stream_start = self._fed
        self._last_partial = ""

    def _final(self, raw: str) -> Segment | None:
        result = json.loads(raw)
        offset = self._stream_start / self.sample_rate
        words = tuple(
            Word(
                text=str(w["word"]),
                start=_seconds(float(w["start"]) - offset),
                end=_seconds(float(w["end"]) - offset),
                conf=float(w.get("conf", 1.0)),
            )
            for w in result.get("result", ())
        )
        text = result.get("text", "")
        if not text and not words:
            return None  # silence: Vosk reports an empty result, not an utterance
        if not text:
            text = " ".join(w.text for w in words)
        start = words[0].start if words else None
        end = words[-1].end if words else None
        return Segment(text=text, final=True, words=words, start=start, end=end)


def _seconds(value: float) -> float:
    # Vosk reports times to the microsecond; rounding there drops the float
    # noise the offset subtraction adds (0.2999999 -> 0.3). Never negative.
    return max(0.0, round(value, 6))


def recognize_stream(
    recognizer: Recognizer,
    chunks: Iterable[bytes],
    *,
    on_segment: Callable[[Segment], None] | None = None,
) -> list[Segment]:
    """Feed a whole stream of PCM chunks through ``recognizer``; return its final segments.

    Every segment (partials too) is also passed to ``on_segment`` as it
    appears, which is how a live front door shows text while it is spoken.
    The recogniser is finished (and so reset) even when the chunks fail.
    """
    finals: list[Segment] = []
    try:
        for chunk in chunks:
            for seg in recognizer.feed(chunk):
                if on_segment:
                    on_segment(seg)
                if seg.final:
                    finals.append(seg)
    except BaseException:
        recognizer.reset()
        raise
    for seg in recognizer.finish():
        if on_segment:
            on_segment(seg)
        finals.append(seg)
    return finals


class SpeechEngine:
    """A loaded model plus one reusable recogniser per sample rate.

    Build one per process (a batch worker, the live session) and call
    :meth:`transcribe` for every recording.
    """

    def __init__(self, model_path: str | Path, *, block_seconds: float = audio.BLOCK_SECONDS,
                 partials: bool = False, frames_per_chunk: int | None = None) -> None:
        self.model_path = Path(model_path)
        self.block_seconds = block_seconds
        self.frames_per_chunk = frames_per_chunk  # None: as the model's conf/model.conf says
        self._partials = partials
        self.model = load_model(self.model_path, frames_per_chunk=frames_per_chunk)
        self._recognizers: dict[int, Recognizer] = {}

    def recognizer(self, sample_rate: int) -> Recognizer:
        """The recogniser for ``sample_rate``, built on first use and kept."""
        rec = self._recognizers.get(sample_rate)
        if rec is None:
            rec = Recognizer(self.model, sample_rate, words=True, partials=self._partials)
            self._recognizers[sample_rate] = rec
        return rec

    def transcribe(
        self,
        path: str | Path,
        *,
        agent_channel: str | None = None,
        mono_role: Role = Role.AGENT,
        progress: Progress | None = None,
    ) -> Transcript:
        """Transcribe one recording.

        With ``agent_channel`` ("left" or "right") and a stereo file, each
        channel is recognised on its own: that channel is the agent, the other
        the customer, and the utterances are merged in time order. Otherwise
        (mono files, or no ``agent_channel``) all channels are mixed into one
        speaker whose role is ``mono_role``. ``progress`` is called with audio
        seconds done and total as recognition goes.
        """
        info = audio.probe(path)
        if agent_channel is not None and info.channels > 2:
            raise AudioError(
                f"{info.path}: has {info.channels} channels; --agent-channel needs a stereo file"
            )
        if agent_channel is not None and info.channels == 2:
            agent = audio.channel_index(agent_channel)
            passes = [(agent, Role.AGENT), (1 - agent, Role.CUSTOMER)]
        else:
            # A mono file is one channel; a mixed-down one belongs to no channel.
            passes = [(None, mono_role)]
        total = info.duration * len(passes)
        rec = self.recognizer(info.sample_rate)
        utterances: list[Utterance] = []
        for n, (channel, role) in enumerate(passes):
            chunks = self._chunks(info, channel, rec, info.duration * n, total, progress)
            label = channel if channel is not None else (0 if info.channels == 1 else None)
            for seg in recognize_stream(rec, chunks):
                utterances.append(seg.to_utterance(role, label))
        utterances.sort(key=lambda u: (u.start if u.start is not None else 0.0,
                                       u.channel if u.channel is not None else -1))
        if progress:
            progress(total, total)
        return Transcript(utterances=utterances, source=str(path), duration=info.duration)

    def _chunks(self, info: audio.AudioInfo, channel: int | None, rec: Recognizer,
                base: float, total: float, progress: Progress | None) -> Iterable[bytes]:
        for pcm in audio.read_pcm(info.path, channel=channel, info=info,
                                  block_seconds=self.block_seconds):
            yield pcm
            if progress:
                progress(min(total, base + rec.stream_seconds), total)
