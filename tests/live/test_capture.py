"""Capture without a sound card: device resolution, rate fallback, failure detection,
file pacing, level and recording (a fake sounddevice where a device is needed)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import soundfile as sf

from phraseguard.errors import AudioError
from phraseguard.speech import capture
from phraseguard.speech.capture import (
    DeviceInfo,
    DeviceSource,
    FileSource,
    WavRecorder,
    _BlockQueue,
    resolve_device,
    rms_dbfs,
)

DEVICES = [
    DeviceInfo(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", 2, 44100.0),
    DeviceInfo(3, "Jabra EVOLVE 20 MS: USB Audio (hw:1,0)", 1, 16000.0),
    DeviceInfo(5, "pulse", 32, 44100.0),
    DeviceInfo(6, "default", 32, 44100.0, is_default=True),
]


@pytest.mark.parametrize(
    ("spec", "index"),
    [(None, 6), ("", 6), ("3", 3), (3, 3), ("jabra", 3), ("USB Audio", 3), ("PULSE", 5),
     ("default", 6)],
)
def test_resolve_device(spec, index):
    assert resolve_device(spec, DEVICES).index == index


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("9", r"no input device with index 9 \(devices: #0 HDA.*#3 Jabra.*#5 pulse, #6 default\)"),
        ("headset", r"no input device matches 'headset' \(devices: #0 .*#6 default\)"),
        ("hw:", r"'hw:' matches 2 input devices \(devices: #0 HDA.*, #3 Jabra.*\(hw:1,0\)\); use "
                r"the index"),
    ],
)
def test_resolve_device_errors_list_the_devices(spec, message):
    with pytest.raises(AudioError, match=message):
        resolve_device(spec, DEVICES)


def test_resolve_device_without_devices_or_default():
    with pytest.raises(AudioError, match="no audio input device found"):
        resolve_device(None, [])
    with pytest.raises(AudioError, match="no default input device; pick one with --device"):
        resolve_device(None, DEVICES[:2])


def test_rms_dbfs():
    assert rms_dbfs(b"") == capture.SILENCE_DBFS
    assert rms_dbfs(bytes(3200)) == capture.SILENCE_DBFS
    full = np.full(1600, 32767, dtype="<i2").tobytes()
    assert rms_dbfs(full) == pytest.approx(0.0, abs=0.01)
    half = np.full(1600, 16384, dtype="<i2").tobytes()
    assert rms_dbfs(half) == pytest.approx(-6.02, abs=0.01)


def test_block_queue_never_blocks_the_producer_and_counts_drops():
    q = _BlockQueue(2)
    for block in (b"a", b"b", b"c", b"d"):
        q.put(block)
    assert q.dropped == 2
    assert [q.get(0), q.get(0), q.get(0)] == [b"a", b"b", None]


# --- a fake sounddevice -------------------------------------------------------------


class FakePortAudioError(Exception):
    pass


class FakeStream:
    """Records how it was opened; the test drives the callback by hand."""

    def __init__(self, refuse_rates=(), **kwargs):
        if kwargs["samplerate"] in refuse_rates:
            raise FakePortAudioError(f"Invalid sample rate [PaErrorCode -9997] "
                                     f"({kwargs['samplerate']})")
        self.kwargs = kwargs
        self.active = False
        self.closed = False

    def start(self):
        self.active = True

    def abort(self, ignore_errors=True):
        self.active = False

    def close(self, ignore_errors=True):
        self.closed = True

    def deliver(self, pcm: bytes, *, overflow: bool = False) -> None:
        self.kwargs["callback"](memoryview(pcm), len(pcm) // 2, None,
                                SimpleNamespace(input_overflow=overflow))


@pytest.fixture
def fake_sd(monkeypatch):
    opened: list[FakeStream] = []
    refuse: set[int] = set()

    def stream(**kwargs):
        s = FakeStream(refuse_rates=refuse, **kwargs)
        opened.append(s)
        return s

    module = SimpleNamespace(RawInputStream=stream, PortAudioError=FakePortAudioError,
                             opened=opened, refuse=refuse)
    monkeypatch.setattr(capture, "_sounddevice", lambda: module)
    return module


def test_device_opens_at_the_model_rate_and_only_enqueues(fake_sd):
    src = DeviceSource(DEVICES[1], preferred_rate=16000, block_seconds=0.1)
    src.start()
    (stream,) = fake_sd.opened
    assert (stream.kwargs["samplerate"], stream.kwargs["channels"]) == (16000, 1)
    assert (stream.kwargs["blocksize"], stream.kwargs["dtype"]) == (1600, "int16")
    stream.deliver(b"\x01\x00" * 1600)
    stream.deliver(b"\x02\x00" * 1600, overflow=True)
    assert src.overflows == 1
    assert src.backlog_seconds == pytest.approx(0.2)
    assert src.read(0.1) == b"\x01\x00" * 1600
    assert src.read(0.1) == b"\x02\x00" * 1600
    src.stop()
    assert src.at_end and not stream.active
    src.close()
    assert stream.closed


def test_device_falls_back_to_its_default_rate(fake_sd):
    fake_sd.refuse.add(16000)
    src = DeviceSource(DEVICES[0], preferred_rate=16000)
    src.start()
    assert src.sample_rate == 44100
    assert fake_sd.opened[-1].kwargs["samplerate"] == 44100


def test_stereo_only_device_is_mixed_down_outside_the_callback(fake_sd, monkeypatch):
    original = FakeStream.__init__

    def stereo_only(self, refuse_rates=(), **kwargs):
        if kwargs["channels"] == 1:
            raise FakePortAudioError("Invalid number of channels [PaErrorCode -9998]")
        original(self, refuse_rates, **kwargs)

    monkeypatch.setattr(FakeStream, "__init__", stereo_only)
    src = DeviceSource(DEVICES[0], preferred_rate=16000)
    src.start()
    stream = fake_sd.opened[-1]
    assert (src.sample_rate, stream.kwargs["channels"]) == (16000, 2)
    stream.deliver(np.array([[100, 300], [-100, -300]], dtype="<i2").tobytes())
    assert np.frombuffer(src.read(0.1), dtype="<i2").tolist() == [200, -200]


def test_device_that_cannot_open_says_why(fake_sd):
    fake_sd.refuse.update({16000, 44100})
    with pytest.raises(AudioError, match=r"cannot open input device #0 HDA.*16000 Hz x1: "
                                         r"Invalid sample rate"):
        DeviceSource(DEVICES[0], preferred_rate=16000).start()


def test_device_that_stops_is_an_error_after_its_audio_is_read(fake_sd):
    src = DeviceSource(DEVICES[1], preferred_rate=16000)
    src.start()
    stream = fake_sd.opened[0]
    stream.deliver(bytes(3200))
    src._on_finished()  # PortAudio ended the stream (server gone, device unplugged)
    stream.active = False
    assert src.read(0.1) == bytes(3200)  # what was captured comes first
    with pytest.raises(AudioError, match="stopped delivering audio"):
        src.read(0.1)


def test_device_that_stalls_is_an_error(fake_sd):
    src = DeviceSource(DEVICES[1], preferred_rate=16000, stall_seconds=0.2)
    src.start()
    assert src.read(0.05) is None  # quiet for a moment: fine
    time.sleep(0.25)
    with pytest.raises(AudioError, match=r"delivered no audio for 0\.\d s"):
        src.read(0.05)


# --- file source and recording ------------------------------------------------------------


@pytest.fixture
def tone(tmp_path: Path) -> Path:
    path = tmp_path / "tone.wav"
    t = np.arange(8000) / 16000
    sf.write(str(path), (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 16000,
             subtype="PCM_16")
    return path


def drain(src) -> bytes:
    out = b""
    while not src.at_end:
        block = src.read(0.05)
        if block:
            out += block
    return out


def test_file_source_real_time_pace(tone):
    src = FileSource(tone, block_seconds=0.1)
    t0 = time.monotonic()
    src.start()
    pcm = drain(src)
    elapsed = time.monotonic() - t0
    src.close()
    assert len(pcm) == 8000 * 2
    # Five 0.1 s blocks, each released when its last sample is due: 0.5 s.
    assert 0.48 <= elapsed < 1.5


def test_file_source_fast(tone):
    src = FileSource(tone, fast=True, block_seconds=0.1)
    t0 = time.monotonic()
    src.start()
    pcm = drain(src)
    assert time.monotonic() - t0 < 0.3
    assert np.frombuffer(pcm, dtype="<i2").tolist() == sf.read(str(tone), dtype="int16")[0].tolist()
    assert src.name == "file tone.wav (fast)"


def test_file_source_missing_file_fails_at_once(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        FileSource(tmp_path / "nope.wav")


def test_recording_is_valid_even_after_kill_9_and_spares_the_old_one(tmp_path):
    path = tmp_path / "rec.wav"
    sf.write(path, np.ones(800, dtype="<i2"), 8000, subtype="PCM_16")  # yesterday's recording
    before = path.read_bytes()
    code = (
        "import os\n"
        "from phraseguard.speech.capture import WavRecorder\n"
        f"r = WavRecorder({str(path)!r}, 16000)\n"
        "r.write(bytes(32000)); r.write(b'\\x01\\x00' * 8000)\n"
        "os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False)
    assert path.read_bytes() == before  # renamed into place only when closed
    (partial,) = tmp_path.glob(".rec.wav.*.partial.wav")  # what was captured, kept beside it
    info = sf.info(str(partial))
    assert (info.frames, info.samplerate, info.channels) == (24000, 16000, 1)


def test_recording_round_trip(tmp_path):
    rec = WavRecorder(tmp_path / "r.wav", 8000)
    rec.write(np.arange(-5, 5, dtype="<i2").tobytes())
    rec.close()
    data, rate = sf.read(str(tmp_path / "r.wav"), dtype="int16")
    assert rate == 8000 and data.tolist() == list(range(-5, 5))


def test_two_channel_device_keeps_both_parties_apart_when_asked(fake_sd):
    src = DeviceSource(DEVICES[0], preferred_rate=16000, two_channels=True)
    src.start()
    stream = fake_sd.opened[-1]
    assert stream.kwargs["channels"] == 2 and src.channels == 2  # stereo asked for first
    block = np.array([[100, 300], [-100, -300]], dtype="<i2").tobytes()
    stream.deliver(block)
    assert src.read(0.1) == block  # interleaved, not mixed down
    mono = DeviceSource(DEVICES[1], preferred_rate=16000, two_channels=True)
    mono.start()
    assert mono.channels == 1  # a one-channel device is the agent alone
