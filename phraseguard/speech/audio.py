"""Audio in: probe and decode recordings in chunks, split channels.

Every recording goes through here before the recogniser sees it. libsndfile
(through ``soundfile``) reads WAV (PCM 8/16/24/32-bit, float, μ-law, A-law),
FLAC, OGG and MP3 in place; anything it cannot open (AAC/M4A, AMR, WMA...)
falls back to ``ffmpeg`` streaming raw PCM through a pipe. Nothing ever loads a
whole file: a two-hour call is read :data:`BLOCK_SECONDS` at a time.

Samples come out as ``int16`` arrays of shape ``(frames, channels)`` at the
file's own sample rate: Vosk takes 16-bit PCM at any rate, so there is no
resampling here. Every failure (missing, empty, truncated, corrupt, unknown
format, decoder missing) is an :class:`~phraseguard.errors.AudioError` whose
one-line message names the file and carries the decoder's own words.

A recording may also be an fsspec URL (``s3://bucket/call.wav``; see
:mod:`phraseguard.speech.remote`): the object is opened as a file and
libsndfile decodes it from there, in the same blocks. Local paths take
exactly the path they always did.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from phraseguard.errors import AudioError, InputError
from phraseguard.speech import remote

# --- Constants (the only tunable numbers of the audio layer) -----------------

#: Rate of the official Vosk models and of live capture; recordings keep their own.
SAMPLE_RATE = 16000
#: Bytes per sample handed to the recogniser (signed 16-bit little-endian PCM).
SAMPLE_WIDTH = 2
#: Seconds of audio per decoded block: 0.25 s = 4000 frames at 16 kHz, 2000 at
#: 8 kHz. Small enough that partial results stay timely, large enough that the
#: per-call overhead of decoding and of ``AcceptWaveform`` is negligible.
BLOCK_SECONDS = 0.25
#: A decoded stream may fall short of the frame count its header promises by
#: this fraction (MP3/OGG lengths are estimates, encoder padding differs)...
TRUNCATION_TOLERANCE = 0.02
#: ...or by this many seconds, whichever is larger, before it counts as truncated.
TRUNCATION_TOLERANCE_SECONDS = 0.1
#: Placeholder data sizes that streaming WAV writers leave in the header when
#: they never go back to fix it; such a header says "unknown length", not "truncated".
_WAV_SIZE_PLACEHOLDERS = (0, 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF - 8)
#: Channel names accepted by ``--agent-channel`` mapped to channel indices.
CHANNELS = {"left": 0, "right": 1}
#: File name endings treated as audio when a folder is given.
AUDIO_EXTENSIONS = (
    ".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".mp3",
    ".m4a", ".aac", ".amr", ".wma", ".au", ".aiff", ".aif", ".caf", ".webm",
)
#: Executables of the fallback decoder (Debian/Ubuntu: ``apt-get install ffmpeg``).
FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
_INSTALL_FFMPEG = "install ffmpeg (apt-get install ffmpeg, brew install ffmpeg) to read it"

_DATA_SIZE_RE = re.compile(r"^data\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)


@dataclass(frozen=True)
class AudioInfo:
    """What a recording holds, read from its header without decoding it."""

    path: Path | str  # a str only for a URL (Path would fold its "//")
    sample_rate: int
    channels: int
    frames: int
    format: str  # container, e.g. "WAV", "FLAC", "MP3", or ffmpeg's format name
    subtype: str  # encoding, e.g. "PCM_16", "ULAW", "FLOAT", or ffmpeg's codec name
    decoder: str = "soundfile"  # "soundfile" or "ffmpeg"

    @property
    def duration(self) -> float:
        """Length in seconds (frames / sample rate)."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def probe(path: str | Path) -> AudioInfo:
    """Read a recording's header: rate, channels, length, format.

    Tries libsndfile first and ffprobe second. Raises AudioError naming the
    file when it is missing, empty, truncated or in no format either can read.
    A URL is read by libsndfile alone (see :func:`_probe_url`).
    """
    if remote.is_url(path):
        return _probe_url(str(path))
    path = Path(path)
    _check_file(path)
    try:
        with _DecoderNoise() as noise, noise.muted():
            info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        return _ffprobe(path, sndfile_error=_sf_message(exc))
    if info.frames <= 0 or info.samplerate <= 0 or info.channels <= 0:
        raise AudioError(f"{path}: no audio in file ({info.format}, {info.frames} frames)")
    if info.format == "WAV" or info.format == "WAVEX":
        _check_wav_length(path, info)
    return AudioInfo(
        path=path,
        sample_rate=int(info.samplerate),
        channels=int(info.channels),
        frames=int(info.frames),
        format=info.format,
        subtype=info.subtype,
    )


def read_blocks(
    path: str | Path,
    *,
    block_seconds: float = BLOCK_SECONDS,
    info: AudioInfo | None = None,
) -> Iterator[np.ndarray]:
    """Yield the recording as int16 arrays of shape ``(frames, channels)``.

    Each block holds ``block_seconds`` of audio (the last may be shorter), at
    the file's own rate; memory use does not grow with the file's length.
    Pass ``info`` from :func:`probe` to skip probing twice. Raises AudioError
    naming the file when decoding fails part-way or the stream is shorter than
    its header says (a truncated file).
    """
    info = info or probe(path)
    block_frames = max(1, round(block_seconds * info.sample_rate))
    if info.decoder == "ffmpeg":
        yield from _ffmpeg_blocks(info, block_frames)
        return
    got = 0
    # Only MP3 goes through libmpg123, the library that prints; other formats
    # skip the file-descriptor juggling.
    noise = _DecoderNoise() if info.format == "MP3" else contextlib.nullcontext(None)
    try:
        with noise as quiet, contextlib.ExitStack() as stack:
            mute = quiet.muted if quiet is not None else contextlib.nullcontext
            with mute():
                f = stack.enter_context(_sound_file(info.path))
            # Read as float and convert here: libsndfile hands float WAVs to an
            # int16 reader unscaled (0.5 comes out as 0), and clipping must be ours.
            # A plain read loop, not SoundFile.blocks(): blocks() trusts the
            # header's frame count and pads a short (truncated) MP3 with stale
            # buffer contents instead of stopping.
            while True:
                with mute():
                    block = f.read(block_frames, dtype="float32", always_2d=True)
                if not len(block):
                    break
                got += len(block)
                # Outside the muted window: the consumer (a progress bar)
                # may write to stderr between blocks.
                yield float_to_int16(block)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise AudioError(
            f"{info.path}: decoding failed after {got / info.sample_rate:.2f} s: {_sf_message(exc)}"
        ) from None
    _check_complete(info, got)


def read_pcm(
    path: str | Path,
    *,
    channel: int | None = None,
    block_seconds: float = BLOCK_SECONDS,
    info: AudioInfo | None = None,
) -> Iterator[bytes]:
    """Yield 16-bit mono PCM bytes, as the recogniser takes them.

    ``channel`` picks one channel (0 = left, 1 = right); None mixes all
    channels down to one. Blocks are those of :func:`read_blocks`.
    """
    info = info or probe(path)
    if channel is not None and not 0 <= channel < info.channels:
        raise AudioError(f"{info.path}: has {info.channels} channel(s), no channel {channel}")
    for block in read_blocks(info.path, block_seconds=block_seconds, info=info):
        mono = mix_down(block) if channel is None else block[:, channel]
        yield to_pcm_bytes(mono)


def channel_index(name: str) -> int:
    """Map ``left``/``right`` (as on the command line) to a channel index."""
    try:
        return CHANNELS[name.strip().lower()]
    except KeyError:
        raise AudioError(f"unknown channel {name!r} (use left or right)") from None


def split_channels(block: np.ndarray) -> list[np.ndarray]:
    """Split a ``(frames, channels)`` block into one contiguous 1-D array per channel."""
    block = np.asarray(block)
    if block.ndim == 1:
        return [np.ascontiguousarray(block)]
    return [np.ascontiguousarray(block[:, i]) for i in range(block.shape[1])]


def mix_down(block: np.ndarray) -> np.ndarray:
    """Average all channels of a ``(frames, channels)`` int16 block into one."""
    block = np.asarray(block)
    if block.ndim == 1:
        return block
    if block.shape[1] == 1:
        return block[:, 0]
    # Sum in int32 so two loud channels cannot wrap around before the division.
    return (block.astype(np.int32).sum(axis=1) // block.shape[1]).astype(np.int16)


def to_pcm_bytes(samples: np.ndarray) -> bytes:
    """Little-endian signed 16-bit bytes of a 1-D sample array."""
    return np.ascontiguousarray(samples, dtype="<i2").tobytes()


def float_to_int16(samples: np.ndarray) -> np.ndarray:
    """Convert float samples in [-1, 1] to int16, clipping anything outside."""
    scaled = np.rint(np.asarray(samples, dtype=np.float32) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype(np.int16)


def is_audio_file(path: str | Path) -> bool:
    """True when a file name ends like a recording (used to expand folders)."""
    return Path(path).suffix.lower() in AUDIO_EXTENSIONS


# --- internals ---------------------------------------------------------------


@contextmanager
def _sound_file(path: Path | str) -> Iterator[sf.SoundFile]:
    """libsndfile on a local path, or on the open object of a URL."""
    if not remote.is_url(path):
        with sf.SoundFile(str(path)) as f:
            yield f
        return
    with _url_file(str(path)) as fp, sf.SoundFile(fp) as f:
        yield f


@contextmanager
def _url_file(url: str) -> Iterator:
    try:
        with remote.open_url(url) as fp:
            yield fp
    except InputError as exc:
        raise AudioError(str(exc)) from None


def _probe_url(url: str) -> AudioInfo:
    """The header of a recording at a URL, read through its file object.

    Only libsndfile's formats (WAV, FLAC, OGG, MP3...): ffmpeg, the fallback
    for local files, would need the object copied out first.
    """
    try:
        size = remote.size(url)
    except InputError as exc:
        raise AudioError(str(exc)) from None
    if size == 0:
        raise AudioError(f"{url}: empty file (0 bytes)")
    with _url_file(url) as fp:
        try:
            info = sf.info(fp)
        except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
            raise AudioError(
                f"{url}: cannot decode ({_sf_message(exc)}); a recording at a URL must be "
                "WAV, FLAC, OGG or MP3 (copy other formats to a shared path, where ffmpeg "
                "reads them)"
            ) from None
    if info.frames <= 0 or info.samplerate <= 0 or info.channels <= 0:
        raise AudioError(f"{url}: no audio in file ({info.format}, {info.frames} frames)")
    if info.format in ("WAV", "WAVEX"):
        _check_wav_length(url, info)
    return AudioInfo(
        path=url,
        sample_rate=int(info.samplerate),
        channels=int(info.channels),
        frames=int(info.frames),
        format=info.format,
        subtype=info.subtype,
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(f"{path}: no such file")
    if not path.is_file():
        raise AudioError(f"{path}: not a file")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioError(f"{path}: cannot read: {exc.strerror}") from None
    if size == 0:
        raise AudioError(f"{path}: empty file (0 bytes)")


#: What libmpg123 prints on its own (it writes to file descriptor 2 directly,
#: and libsndfile gives no way to turn it off): "Note: Trying to resync...",
#: "Warning: Xing stream size off...", "[src/libmpg123/parse.c:...] error: ...".
_MPG123_NOISE = re.compile(rb"^(?:Note: |Warning: |Error: |\[[^\]]*libmpg123[^\]]*\] )")


class _DecoderNoise:
    """Keeps libmpg123's messages off the terminal while libsndfile decodes.

    Inside :meth:`muted`, file descriptor 2 points at a temporary file; on
    leaving the ``with`` block everything caught there that is not libmpg123
    noise is written to the real stderr, so nothing else printed in those
    windows is lost. The decoder's problems still reach the user: libsndfile
    reports them as errors, which become one-line AudioErrors.
    """

    def __enter__(self) -> _DecoderNoise:
        self._sink = tempfile.TemporaryFile()
        return self

    @contextmanager
    def muted(self) -> Iterator[None]:
        try:
            sys.stderr.flush()  # Python's own pending text goes out first, unmuted
            saved = os.dup(2)
        except (OSError, ValueError):
            yield  # no file descriptor 2 to redirect (a closed or odd stderr)
            return
        try:
            os.dup2(self._sink.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)

    def __exit__(self, *exc: object) -> None:
        self._sink.seek(0)
        kept = [line for line in self._sink.read().splitlines(keepends=True)
                if line.strip() and not _MPG123_NOISE.match(line)]
        self._sink.close()
        if kept:
            with contextlib.suppress(OSError):
                os.write(2, b"".join(kept))


def _sf_message(exc: BaseException) -> str:
    """libsndfile's own words, without soundfile's "Error opening 'path': " prefix."""
    text = str(exc).strip()
    text = re.sub(r"^Error opening .*?: ", "", text)
    text = re.sub(r"^Error\s*:\s*", "", text)
    return " ".join(text.split()).rstrip(".") or type(exc).__name__


def _check_wav_length(path: Path | str, info: sf._SoundFileInfo) -> None:
    # libsndfile quietly shortens a WAV whose data chunk runs past the end of
    # the file; its log keeps both sizes ("data : 64000 (should be 31978)").
    match = _DATA_SIZE_RE.search(getattr(info, "extra_info", "") or "")
    if not match:
        return
    declared, actual = int(match.group(1)), int(match.group(2))
    if declared in _WAV_SIZE_PLACEHOLDERS or declared <= actual:
        return
    bytes_per_second = max(1, info.samplerate * info.channels) * _bytes_per_sample(info.subtype)
    raise AudioError(
        f"{path}: truncated WAV: header promises {declared / bytes_per_second:.2f} s, "
        f"file holds {actual / bytes_per_second:.2f} s"
    )


def _bytes_per_sample(subtype: str) -> int:
    return {
        "PCM_S8": 1, "PCM_U8": 1, "ULAW": 1, "ALAW": 1, "PCM_16": 2, "PCM_24": 3,
        "PCM_32": 4, "FLOAT": 4, "DOUBLE": 8,
    }.get(subtype, 2)


def _check_complete(info: AudioInfo, got: int) -> None:
    missing = info.frames - got
    allowed = max(info.frames * TRUNCATION_TOLERANCE, TRUNCATION_TOLERANCE_SECONDS * info.sample_rate)
    if missing > allowed:
        raise AudioError(
            f"{info.path}: truncated {info.format}: header promises {info.duration:.2f} s, "
            f"stream ends at {got / info.sample_rate:.2f} s"
        )


def _ffprobe(path: Path, *, sndfile_error: str) -> AudioInfo:
    ffprobe = shutil.which(FFPROBE)
    if ffprobe is None or shutil.which(FFMPEG) is None:
        raise AudioError(
            f"{path}: cannot decode ({sndfile_error}); if it is audio in another format, "
            f"{_INSTALL_FFMPEG}"
        )
    cmd = [
        ffprobe, "-v", "error", "-select_streams", "a:0",
        "-show_entries", "stream=sample_rate,channels,codec_name,duration"
        ":format=format_name,duration",
        "-of", "json", str(path),
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise AudioError(f"{path}: cannot run {FFPROBE}: {exc}") from None
    reason = _last_line(done.stderr).replace(f"{path}: ", "")
    try:
        data = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        data = {}
    streams = data.get("streams") or []
    if done.returncode != 0 or not streams:
        why = reason or "no audio stream"
        raise AudioError(f"{path}: not a readable audio file (libsndfile: {sndfile_error}; "
                         f"ffmpeg: {why})")
    stream = streams[0]
    rate = int(stream.get("sample_rate") or 0)
    channels = int(stream.get("channels") or 0)
    duration = _float(stream.get("duration")) or _float((data.get("format") or {}).get("duration"))
    if rate <= 0 or channels <= 0:
        raise AudioError(f"{path}: ffprobe found no usable audio stream ({stream})")
    return AudioInfo(
        path=path,
        sample_rate=rate,
        channels=channels,
        frames=round((duration or 0.0) * rate),
        format=str((data.get("format") or {}).get("format_name", "unknown")),
        subtype=str(stream.get("codec_name", "unknown")),
        decoder="ffmpeg",
    )


def _ffmpeg_blocks(info: AudioInfo, block_frames: int) -> Iterator[np.ndarray]:
    ffmpeg = shutil.which(FFMPEG)
    if ffmpeg is None:
        raise AudioError(f"{info.path}: needs ffmpeg to decode; {_INSTALL_FFMPEG}")
    cmd = [
        ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-i", str(info.path),
        "-map", "0:a:0", "-f", "s16le", "-acodec", "pcm_s16le",
        "-ac", str(info.channels), "-ar", str(info.sample_rate), "-",
    ]
    block_bytes = block_frames * info.channels * SAMPLE_WIDTH
    # stderr goes to a file, not a pipe: a corrupt file can make ffmpeg write
    # more errors than a pipe buffer holds, which would deadlock the reader.
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors)
        except OSError as exc:
            raise AudioError(f"{info.path}: cannot run {FFMPEG}: {exc}") from None
        got = 0
        try:
            assert proc.stdout is not None
            pending = b""
            while True:
                chunk = proc.stdout.read(block_bytes - len(pending))
                if not chunk:
                    break
                pending += chunk
                if len(pending) < block_bytes:
                    continue
                got += block_frames
                yield np.frombuffer(pending, dtype="<i2").reshape(-1, info.channels)
                pending = b""
            whole = len(pending) // (info.channels * SAMPLE_WIDTH) * info.channels * SAMPLE_WIDTH
            if whole:
                got += whole // (info.channels * SAMPLE_WIDTH)
                yield np.frombuffer(pending[:whole], dtype="<i2").reshape(-1, info.channels)
            code = proc.wait()
        finally:
            # Closing the generator early (a failed consumer) must not leave ffmpeg running.
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        errors.seek(0)
        reason = _last_line(errors.read().decode("utf-8", "replace")).replace(f"{info.path}: ", "")
    if code != 0:
        raise AudioError(f"{info.path}: ffmpeg failed (exit {code}): {reason or 'no message'}")
    if got == 0:
        raise AudioError(f"{info.path}: ffmpeg decoded no audio{': ' + reason if reason else ''}")
    if info.frames:
        _check_complete(info, got)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
