"""Audio in: every format decodes to the same samples, in chunks; bad files fail cleanly."""

from __future__ import annotations

import shutil
import subprocess
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from speech_helpers import dominant_freq, tone, write_stereo

from phraseguard.errors import AudioError
from phraseguard.speech import audio

# (file name, soundfile format/subtype, largest sample error allowed, as a
# fraction of full scale: lossless ~0, 8-bit companding ~3%, lossy codecs more)
FORMATS = [
    ("pcm16.wav", dict(subtype="PCM_16"), 0.0001),
    ("pcm24.wav", dict(subtype="PCM_24"), 0.0001),
    ("pcm32.wav", dict(subtype="PCM_32"), 0.0001),
    ("pcmu8.wav", dict(subtype="PCM_U8"), 0.01),
    ("float.wav", dict(subtype="FLOAT"), 0.0001),
    ("double.wav", dict(subtype="DOUBLE"), 0.0001),
    ("ulaw.wav", dict(subtype="ULAW"), 0.03),
    ("alaw.wav", dict(subtype="ALAW"), 0.03),
    ("audio.flac", dict(subtype="PCM_16"), 0.0001),
    ("audio.ogg", dict(format="OGG", subtype="VORBIS"), None),
    # libsndfile's own MP3 writer emits frames mpg123 rejects at 16 kHz, so the
    # MP3 fixture is encoded the way real MP3s are: by LAME through ffmpeg.
    ("audio.mp3", "ffmpeg", None),
]


@pytest.mark.parametrize("rate", [8000, 16000, 44100])
@pytest.mark.parametrize(("name", "kw", "max_err"), FORMATS, ids=[f[0] for f in FORMATS])
def test_formats_decode_to_the_same_signal(tmp_path: Path, name, kw, max_err, rate) -> None:
    signal = tone(1.0, rate, freq=440.0)
    path = tmp_path / name
    if kw == "ffmpeg":
        if not shutil.which("ffmpeg"):
            pytest.skip("ffmpeg not installed (needed to encode the MP3 fixture)")
        sf.write(str(tmp_path / "src.wav"), signal, rate)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(tmp_path / "src.wav"),
                        "-c:a", "libmp3lame", "-b:a", "64k", str(path)], check=True)
    else:
        sf.write(str(path), signal, rate, **kw)
    info = audio.probe(path)
    assert (info.sample_rate, info.channels) == (rate, 1)
    assert info.duration == pytest.approx(1.0, abs=0.1)
    blocks = list(audio.read_blocks(path, info=info))
    got = np.concatenate(blocks)
    assert got.dtype == np.int16 and got.shape[1] == 1
    assert dominant_freq(got[:, 0], rate) == pytest.approx(440.0, abs=3.0)
    if max_err is not None:  # lossless and companded: sample for sample
        want = np.clip(np.rint(signal * 32768), -32768, 32767)
        assert len(got) == len(want)
        assert np.max(np.abs(got[:, 0] - want)) <= max_err * 32768 + 1
    else:  # lossy codecs: same loudness, same tone
        rms = np.sqrt(np.mean((got[:, 0] / 32768.0) ** 2))
        assert rms == pytest.approx(0.5 / np.sqrt(2), rel=0.15)


def test_sox_telephone_ulaw_and_alaw(tmp_path: Path) -> None:
    if not shutil.which("sox"):
        pytest.skip("sox not installed")
    src = tmp_path / "src.wav"
    sf.write(str(src), tone(2.0, 16000, 1000.0), 16000, subtype="PCM_16")
    for enc in ("u-law", "a-law"):
        out = tmp_path / f"{enc}.wav"
        subprocess.run(["sox", str(src), "-r", "8000", "-e", enc, "-b", "8", str(out)], check=True)
        info = audio.probe(out)
        assert (info.sample_rate, info.subtype) == (8000, "ULAW" if enc == "u-law" else "ALAW")
        pcm = b"".join(audio.read_pcm(out, info=info))
        samples = np.frombuffer(pcm, dtype="<i2")
        assert len(samples) == pytest.approx(16000, abs=10)
        assert dominant_freq(samples, 8000) == pytest.approx(1000.0, abs=3.0)


def test_float_samples_are_scaled_and_clipped(tmp_path: Path) -> None:
    path = tmp_path / "loud.wav"
    sf.write(str(path), np.array([0.5, -0.5, 1.5, -1.5, 0.0], dtype=np.float32), 8000,
             subtype="FLOAT")
    got = np.concatenate(list(audio.read_blocks(path)))[:, 0]
    assert got.tolist() == [16384, -16384, 32767, -32768, 0]


def test_blocks_are_bounded_and_cover_the_file(tmp_path: Path) -> None:
    rate = 8000
    path = tmp_path / "long.wav"
    sf.write(str(path), tone(60.0, rate), rate, subtype="PCM_16")
    sizes = [len(b) for b in audio.read_blocks(path, block_seconds=0.25)]
    assert max(sizes) == 2000 and sum(sizes) == 60 * rate
    assert len(sizes) == 240


def test_long_file_is_never_loaded_whole(tmp_path: Path) -> None:
    # 20 minutes of 16 kHz audio is 38 MB of int16; reading it must stay far below that.
    rate, minutes = 16000, 20
    path = tmp_path / "call.wav"
    with sf.SoundFile(str(path), "w", rate, 1, subtype="PCM_16") as f:
        for _ in range(minutes):
            f.write(tone(60.0, rate, amp=0.3))
    tracemalloc.start()
    frames = 0
    for block in audio.read_blocks(path):
        frames += len(block)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert frames == minutes * 60 * rate
    assert peak < 2_000_000, f"peak {peak} bytes while streaming"


def test_stereo_split_and_mix(tmp_path: Path) -> None:
    rate = 8000
    path = write_stereo(tmp_path / "call.wav", tone(1.0, rate, 300.0), tone(1.0, rate, 1200.0),
                        rate, subtype="ULAW")
    info = audio.probe(path)
    assert info.channels == 2
    left = np.frombuffer(b"".join(audio.read_pcm(path, channel=0)), dtype="<i2")
    right = np.frombuffer(b"".join(audio.read_pcm(path, channel=audio.channel_index("right"))),
                          dtype="<i2")
    assert dominant_freq(left, rate) == pytest.approx(300.0, abs=3)
    assert dominant_freq(right, rate) == pytest.approx(1200.0, abs=3)
    block = next(audio.read_blocks(path))
    parts = audio.split_channels(block)
    assert len(parts) == 2 and parts[0].flags.c_contiguous
    mixed = audio.mix_down(np.array([[32767, 32767], [-32768, 0]], dtype=np.int16))
    assert mixed.tolist() == [32767, -16384]  # no wrap-around when both channels are loud
    with pytest.raises(AudioError, match="no channel 2"):
        list(audio.read_pcm(path, channel=2))
    with pytest.raises(AudioError, match="left or right"):
        audio.channel_index("middle")


def test_ffmpeg_fallback_reads_what_libsndfile_cannot(tmp_path: Path) -> None:
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg not installed")
    src = tmp_path / "src.wav"
    sf.write(str(src), tone(2.0, 16000, 440.0), 16000, subtype="PCM_16")
    m4a = tmp_path / "call.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(src), "-c:a", "aac", str(m4a)],
                   check=True)
    info = audio.probe(m4a)
    assert info.decoder == "ffmpeg" and info.sample_rate == 16000 and info.channels == 1
    samples = np.frombuffer(b"".join(audio.read_pcm(m4a, info=info)), dtype="<i2")
    assert len(samples) == pytest.approx(32000, abs=2048)  # AAC adds priming frames
    assert dominant_freq(samples, 16000) == pytest.approx(440.0, abs=3.0)


def test_without_ffmpeg_the_error_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    m4a = tmp_path / "call.m4a"
    m4a.write_bytes(b"\x00\x00\x00\x18ftypM4A " + bytes(200))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(AudioError) as err:
        audio.probe(m4a)
    assert str(m4a) in str(err.value) and "install ffmpeg" in str(err.value)


def _truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    signal = tone(2.0, 16000)
    files = {}
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    files["empty"] = empty
    for name, kw in (("trunc.wav", {}), ("trunc.flac", {}), ("trunc.mp3", {"format": "MP3"}),
                     ("trunc.ogg", {"format": "OGG"})):
        p = tmp_path / name
        sf.write(str(p), signal, 16000, **kw)
        _truncate(p, 0.4)
        files[name] = p
    header = tmp_path / "header_only.wav"
    sf.write(str(header), signal, 16000)
    header.write_bytes(header.read_bytes()[:30])
    files["header_only"] = header
    noise = tmp_path / "noise.wav"
    noise.write_bytes(np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    files["random_bytes"] = noise
    text = tmp_path / "notes.mp3"
    text.write_text("this is a text file, not audio\n" * 20)
    files["text_as_mp3"] = text
    files["missing"] = tmp_path / "missing.wav"
    files["folder"] = tmp_path
    return files


@pytest.mark.parametrize("case", ["empty", "trunc.wav", "trunc.flac", "trunc.mp3", "trunc.ogg",
                                  "header_only", "random_bytes", "text_as_mp3", "missing",
                                  "folder"])
def test_bad_files_fail_with_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    path = _bad_files(tmp_path)[case]
    with pytest.raises(AudioError) as err:
        for _ in audio.read_pcm(path):
            pass
    message = str(err.value)
    assert str(path) in message
    assert "\n" not in message and "Traceback" not in message
    assert len(message) > len(str(path)) + 5  # says what is wrong, not just which file


def test_truncation_messages_say_truncated(tmp_path: Path) -> None:
    files = _bad_files(tmp_path)
    for case in ("trunc.wav", "trunc.mp3"):
        with pytest.raises(AudioError, match="truncated"):
            list(audio.read_blocks(files[case]))


def test_streaming_wav_with_placeholder_length_is_not_truncated(tmp_path: Path) -> None:
    # Recorders that stream a WAV often leave 0xFFFFFFFF as the data size.
    path = tmp_path / "live.wav"
    sf.write(str(path), tone(1.0, 8000), 8000, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    at = data.index(b"data") + 4
    data[at:at + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))
    got = np.concatenate(list(audio.read_blocks(path)))
    assert len(got) == 8000


def test_is_audio_file() -> None:
    assert audio.is_audio_file("a/CALL.WAV") and audio.is_audio_file("x.m4a")
    assert not audio.is_audio_file("x.json") and not audio.is_audio_file("x.txt")
