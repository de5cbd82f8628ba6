"""Audio sources for live monitoring: an input device, or a recording played back.

Both sources hand the live session 16-bit mono PCM blocks through one small
interface (:class:`AudioSource`): ``start()``, ``read(timeout)``, ``stop()``,
``close()``. A device source follows vosk's ``test_microphone.py``: the
PortAudio callback only copies the block onto a queue, so a recogniser that is
busy for a moment never makes the sound card drop audio; the queue absorbs it
and the session catches up. A file source is the same pipeline fed from
:func:`phraseguard.speech.audio.read_pcm`, at real-time pace or as fast as possible.

Every sounddevice/PortAudio failure becomes an
:class:`~phraseguard.errors.AudioError` carrying PortAudio's own message. A
device that stops delivering audio mid-session (unplugged headset, sound
server gone) also surfaces as an AudioError from :meth:`AudioSource.read`, but
only after every block captured before it has been read, so nothing already
heard is lost.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile as sf

from phraseguard.errors import AudioError
from phraseguard.output import commit, discard, replaceable, temporary_sibling
from phraseguard.speech.audio import (
    SAMPLE_RATE,
    SAMPLE_WIDTH,
    mix_down,
    probe,
    read_blocks,
    read_pcm,
    to_pcm_bytes,
)

# --- Tunable numbers of live capture ------------------------------------------

#: Seconds of audio per captured block: 0.05 s = 800 frames at 16 kHz. A block
#: reaches the recogniser when its last sample is captured, so this is the
#: latency capture adds (25 ms on average). Vosk's own lag before a word shows
#: in a partial result is far larger (about half a second, see
#: bench/bench_live.py); smaller blocks than this only add per-call overhead.
BLOCK_SECONDS = 0.05
#: Seconds of audio the queue may hold while the recogniser catches up (600 s =
#: 19 MB at 16 kHz). A recogniser this far behind is broken, not busy; past the
#: bound blocks are dropped and counted rather than growing memory without end
#: (a misconfigured device can deliver audio thousands of times faster than
#: real time, as ALSA's ``file`` plugin over ``null`` does).
MAX_BACKLOG_SECONDS = 600.0
#: A running device that delivers no block for this long is treated as gone.
#: Real devices and PulseAudio monitors deliver silence continuously, so a
#: stall of seconds means the stream died without PortAudio saying so.
STALL_SECONDS = 3.0
#: Level reported for digital silence (log of zero), in dBFS.
SILENCE_DBFS = -120.0


@dataclass(frozen=True)
class DeviceInfo:
    """One input device as PortAudio lists it."""

    index: int
    name: str
    channels: int  # maximum input channels
    default_rate: float  # the device's default sample rate, Hz
    host_api: str = ""
    is_default: bool = False

    def label(self) -> str:
        """``#3 USB Headset`` as the screen and errors show it."""
        return f"#{self.index} {self.name}"


class AudioSource(Protocol):
    """What the live session reads audio from (a device or a recording)."""

    name: str  # what the screen and the session_start event show
    sample_rate: int  # rate of the PCM blocks (known after start())
    overflows: int  # blocks the device or queue reported lost

    def start(self) -> None: ...

    def read(self, timeout: float) -> bytes | None:
        """The next block of 16-bit mono PCM; None when none arrived within ``timeout``."""
        ...

    @property
    def at_end(self) -> bool:
        """True once the source is stopped or exhausted and every block was read."""
        ...

    @property
    def backlog_seconds(self) -> float:
        """Seconds of audio captured but not yet read."""
        ...

    def stop(self) -> None:
        """Stop capturing; blocks already queued can still be read."""
        ...

    def close(self) -> None: ...


# --- devices -------------------------------------------------------------------


def _sounddevice():
    """Import sounddevice, turning a missing PortAudio library into an AudioError."""
    try:
        import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio is absent
        raise AudioError(
            f"cannot load PortAudio ({exc}); install it (apt-get install libportaudio2)"
        ) from None
    return sounddevice


def list_devices() -> list[DeviceInfo]:
    """Every device that can record, in PortAudio's order, the default one flagged."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
    except sd.PortAudioError as exc:
        raise AudioError(f"cannot list audio devices: {exc}") from None
    try:
        default_in = sd.default.device[0]
        if default_in is None or default_in < 0:
            default_in = sd.query_devices(kind="input")["index"]
    except (sd.PortAudioError, TypeError, KeyError, ValueError):
        default_in = -1
    out = []
    for d in devices:
        if int(d["max_input_channels"]) <= 0:
            continue
        api = apis[d["hostapi"]]["name"] if 0 <= d["hostapi"] < len(apis) else ""
        out.append(
            DeviceInfo(
                index=int(d["index"]),
                name=str(d["name"]),
                channels=int(d["max_input_channels"]),
                default_rate=float(d["default_samplerate"]),
                host_api=api,
                is_default=int(d["index"]) == default_in,
            )
        )
    return out


def resolve_device(spec: str | int | None, devices: list[DeviceInfo] | None = None) -> DeviceInfo:
    """The input device ``--device`` names: an index, or a (unique) part of a name.

    None means the system's default input. A name matches exactly first
    (case-insensitive), then as a substring; several substring matches are
    ambiguous. Errors list the devices there are, so the user can pick one.
    """
    devices = list_devices() if devices is None else devices
    if not devices:
        raise AudioError("no audio input device found (is a microphone or sound server available?)")
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        for d in devices:
            if d.is_default:
                return d
        raise AudioError(f"no default input device; pick one with --device ({_listing(devices)})")
    text = str(spec).strip()
    if text.isdigit():
        for d in devices:
            if d.index == int(text):
                return d
        raise AudioError(f"no input device with index {text} ({_listing(devices)})")
    exact = [d for d in devices if d.name.lower() == text.lower()]
    if len(exact) == 1:
        return exact[0]
    found = [d for d in devices if text.lower() in d.name.lower()]
    if len(found) == 1:
        return found[0]
    if not found:
        raise AudioError(f"no input device matches {text!r} ({_listing(devices)})")
    raise AudioError(
        f"{text!r} matches {len(found)} input devices ({_listing(found)}); use the index"
    )


def _listing(devices: list[DeviceInfo]) -> str:
    return "devices: " + ", ".join(d.label() for d in devices) if devices else "no devices"


def rms_dbfs(pcm: bytes) -> float:
    """Root-mean-square level of 16-bit PCM in dB relative to full scale (0 = loudest)."""
    if len(pcm) < SAMPLE_WIDTH:
        return SILENCE_DBFS
    samples = np.frombuffer(pcm[: len(pcm) // SAMPLE_WIDTH * SAMPLE_WIDTH], dtype="<i2")
    rms = math.sqrt(float(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20.0 * math.log10(rms / 32768.0))


class _BlockQueue:
    """A bounded FIFO of PCM blocks that never blocks the producer.

    The device callback calls :meth:`put`; a full queue drops the block and
    counts it (the bound is minutes of audio, see MAX_BACKLOG_SECONDS).
    """

    def __init__(self, max_blocks: int) -> None:
        self._q: queue.Queue[bytes] = queue.Queue(maxsize=max(1, max_blocks))
        self.dropped = 0

    def put(self, block: bytes) -> None:
        try:
            self._q.put_nowait(block)
        except queue.Full:
            self.dropped += 1

    def put_wait(self, block: bytes, stop: threading.Event) -> bool:
        """Blocking put for producers that can wait (files); False when stopped."""
        while not stop.is_set():
            try:
                self._q.put(block, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def get(self, timeout: float) -> bytes | None:
        try:
            return self._q.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def qsize(self) -> int:
        return self._q.qsize()


class DeviceSource:
    """Live capture from an input device through a sounddevice callback.

    Opens at ``preferred_rate`` (the model's); when the device refuses it,
    falls back to the device's default rate (``sample_rate`` then says which,
    and the recogniser must be created at that rate). Mono is asked for first;
    a device that only records in stereo is mixed down outside the callback.
    """

    def __init__(
        self,
        device: DeviceInfo,
        *,
        preferred_rate: int = SAMPLE_RATE,
        block_seconds: float = BLOCK_SECONDS,
        max_backlog_seconds: float = MAX_BACKLOG_SECONDS,
        stall_seconds: float = STALL_SECONDS,
        two_channels: bool = False,
    ) -> None:
        self.device = device
        # Keep a two-channel device's channels apart (live --agent-channel:
        # agent on one side, customer on the other) instead of mixing them.
        self._two_channels = two_channels
        self.name = device.label()
        self.sample_rate = int(preferred_rate)
        self.overflows = 0  # PortAudio "input overflow" flags (audio lost in the driver)
        self._preferred_rate = int(preferred_rate)
        self._block_seconds = block_seconds
        self._max_blocks = max(1, int(max_backlog_seconds / block_seconds))
        self._stall_seconds = stall_seconds
        self._queue = _BlockQueue(self._max_blocks)
        self._channels = 1
        self._stream = None
        self._stopped = False
        self._finished = threading.Event()  # PortAudio ended the stream by itself
        self._last_block = 0.0  # monotonic time of the newest callback
        self._sd = None

    @property
    def dropped(self) -> int:
        """Blocks dropped because the queue was full."""
        return self._queue.dropped

    @property
    def backlog_seconds(self) -> float:
        return self._queue.qsize() * self._block_seconds

    @property
    def at_end(self) -> bool:
        return self._stopped and self._queue.qsize() == 0

    def _callback(self, indata, frames, time_info, status) -> None:
        # Runs on PortAudio's thread: copy and enqueue, nothing else. Any
        # delay here is a delay of the sound card's buffer.
        if status.input_overflow:
            self.overflows += 1
        self._last_block = time.monotonic()
        self._queue.put(bytes(indata))

    def _on_finished(self) -> None:
        self._finished.set()

    def start(self) -> None:
        """Open and start the stream; AudioError (with PortAudio's words) on failure."""
        sd = self._sd = _sounddevice()
        attempts: list[tuple[int, int]] = [(self._preferred_rate, 1)]
        default_rate = int(round(self.device.default_rate)) or self._preferred_rate
        if default_rate != self._preferred_rate:
            attempts.append((default_rate, 1))
        if self.device.channels > 1:
            stereo = [(rate, min(2, self.device.channels)) for rate, _ in list(attempts)]
            # Both parties wanted: stereo first, mono only when it cannot open.
            attempts = [*stereo, *attempts] if self._two_channels else [*attempts, *stereo]
        errors = []
        for rate, channels in attempts:
            try:
                stream = sd.RawInputStream(
                    samplerate=rate,
                    blocksize=max(1, int(rate * self._block_seconds)),
                    device=self.device.index,
                    channels=channels,
                    dtype="int16",
                    callback=self._callback,
                    finished_callback=self._on_finished,
                )
            except (sd.PortAudioError, ValueError) as exc:
                errors.append(f"{rate} Hz x{channels}: {exc}")
                continue
            self.sample_rate, self._channels, self._stream = rate, channels, stream
            break
        else:
            raise AudioError(f"cannot open input device {self.name}: {'; '.join(errors)}")
        try:
            self._last_block = time.monotonic()
            self._stream.start()
        except sd.PortAudioError as exc:
            self._stream.close(ignore_errors=True)
            self._stream = None
            raise AudioError(f"cannot start input device {self.name}: {exc}") from None

    def read(self, timeout: float) -> bytes | None:
        block = self._queue.get(0.0)
        if block is None and not self._stopped:
            self._check_alive()
            block = self._queue.get(timeout)
        if block is None:
            return None
        if self._channels == 2 and self._two_channels:
            return block  # interleaved; ``channels`` says so
        if self._channels > 1:
            frames = np.frombuffer(block, dtype="<i2").reshape(-1, self._channels)
            block = to_pcm_bytes(mix_down(frames))
        return block

    @property
    def channels(self) -> int:
        """Channels in each block read: 2 (interleaved) only when both were asked for."""
        return 2 if self._two_channels and self._channels == 2 else 1

    def _check_alive(self) -> None:
        # Only called with an empty queue: everything captured has been read.
        stream = self._stream
        if stream is None:
            raise AudioError(f"input device {self.name} is not open")
        if self._finished.is_set() or not stream.active:
            raise AudioError(f"input device {self.name} stopped delivering audio (disconnected?)")
        silent = time.monotonic() - self._last_block
        if silent > self._stall_seconds:
            raise AudioError(
                f"input device {self.name} delivered no audio for {silent:.1f} s (disconnected?)"
            )

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self._stream is not None:
            # abort() rather than stop(): stop() waits for buffers to drain, which
            # hangs on a stream whose server has gone away.
            self._stream.abort(ignore_errors=True)

    def close(self) -> None:
        self.stop()
        if self._stream is not None:
            self._stream.close(ignore_errors=True)
            self._stream = None


class FileSource:
    """A recording fed through the live pipeline, at real-time pace or as fast as possible.

    Blocks come from a reader thread through the same kind of queue as a
    device's. At real-time pace the thread releases each block when its time
    comes, like a microphone would; with ``fast`` the queue's bound paces the
    reader instead (a file can wait, nothing is dropped).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        fast: bool = False,
        block_seconds: float = BLOCK_SECONDS,
        max_backlog_seconds: float = MAX_BACKLOG_SECONDS,
        two_channels: bool = False,
    ) -> None:
        self.path = Path(path)
        self.info = probe(self.path)  # fails early (AudioError) on a missing/bad file
        # A stereo file's channels kept apart (interleaved blocks) when asked
        # for; any other file is mixed down to one channel.
        self.channels = 2 if two_channels and self.info.channels == 2 else 1
        self.name = f"file {self.path.name}" + (" (fast)" if fast else "")
        self.sample_rate = self.info.sample_rate
        self.overflows = 0
        self.dropped = 0
        self._fast = fast
        self._block_seconds = block_seconds
        self._queue = _BlockQueue(max(1, int(max_backlog_seconds / block_seconds)))
        self._stop = threading.Event()
        self._done = threading.Event()
        self._error: AudioError | None = None
        self._thread: threading.Thread | None = None

    @property
    def backlog_seconds(self) -> float:
        return self._queue.qsize() * self._block_seconds

    @property
    def at_end(self) -> bool:
        return self._done.is_set() and self._queue.qsize() == 0 and self._error is None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="phraseguard-file", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        frames = 0
        try:
            for block in self._blocks():
                if self._stop.is_set():
                    break
                frames += len(block) // (SAMPLE_WIDTH * self.channels)
                if not self._fast:
                    # Released when its last sample has been "spoken", as a
                    # microphone's callback would deliver it.
                    wait = started + frames / self.sample_rate - time.monotonic()
                    if wait > 0 and self._stop.wait(wait):
                        break
                if not self._queue.put_wait(block, self._stop):
                    break
        except AudioError as exc:
            self._error = exc
        except Exception as exc:  # noqa: BLE001 - any failure ends the replay as an error
            # An OSError on the decoder's pipe, a numpy error...: not the end of
            # the input, which would pass for a complete replay (exit 0).
            detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            self._error = AudioError(f"{self.path}: reading failed mid-way ({detail})")
        finally:
            self._done.set()

    def _blocks(self):
        if self.channels == 1:
            return read_pcm(self.path, block_seconds=self._block_seconds, info=self.info)
        return (np.ascontiguousarray(b, dtype="<i2").tobytes()
                for b in read_blocks(self.path, block_seconds=self._block_seconds,
                                     info=self.info))

    def read(self, timeout: float) -> bytes | None:
        block = self._queue.get(0.0)
        if block is None and not self._done.is_set():
            block = self._queue.get(timeout)
        if block is None and self._done.is_set() and self._error is not None:
            error, self._error = self._error, None
            raise error
        return block

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout=5.0)


# --- recording -------------------------------------------------------------------

# libsndfile's SFC_SET_UPDATE_HEADER_AUTO (sndfile.h): rewrite the WAV header
# after every write, so a recording cut short by a crash or kill -9 still says
# how long it is. soundfile binds sf_command but not this constant.
_SFC_SET_UPDATE_HEADER_AUTO = 0x1061


class WavRecorder:
    """``--record FILE.wav``: the session's audio, written block by block.

    16-bit mono at the capture rate, into a temporary file beside FILE.wav
    that replaces it when the recording is closed (:mod:`phraseguard.output`):
    an earlier recording of the same name survives a session that is killed.
    The header is kept up to date as it goes (see _SFC_SET_UPDATE_HEADER_AUTO),
    so after a kill -9 the temporary ``.FILE.wav.*.partial.wav`` is still a
    valid recording of what was captured.
    """

    def __init__(self, path: str | Path, sample_rate: int, *, channels: int = 1) -> None:
        self.path = Path(path)
        self.channels = channels
        self.frames = 0
        target = replaceable(self.path)
        try:
            self._tmp = temporary_sibling(target, suffix=".partial.wav") if target else None
            self._file = sf.SoundFile(
                str(self._tmp or self.path), mode="w", samplerate=int(sample_rate),
                channels=channels, subtype="PCM_16", format="WAV",
            )
        except (sf.LibsndfileError, RuntimeError, OSError) as exc:
            if getattr(self, "_tmp", None) is not None:
                discard(self._tmp)
            raise AudioError(f"{self.path}: cannot write recording: {exc}") from None
        self._target = target
        try:
            from soundfile import _ffi, _snd  # private, but the documented C call

            _snd.sf_command(self._file._file, _SFC_SET_UPDATE_HEADER_AUTO, _ffi.NULL, 1)
        except (ImportError, AttributeError):  # header is still written on close
            pass

    def write(self, pcm: bytes) -> None:
        whole = len(pcm) // (SAMPLE_WIDTH * self.channels) * SAMPLE_WIDTH * self.channels
        samples = np.frombuffer(pcm[:whole], dtype="<i2").reshape(-1, self.channels)
        self._file.write(samples)
        self.frames += len(samples)

    def close(self) -> None:
        """Finish the file and put it in place of FILE.wav."""
        if self._file.closed:
            return
        self._file.close()
        if self._tmp is not None and self._target is not None:
            commit(self._tmp, self._target)
