"""MP3 decoding keeps libmpg123's own messages off the real stderr (file descriptor 2).

libmpg123 writes its notes straight to file descriptor 2, below Python, so
the tests run the decoder in a subprocess and read that process's stderr.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DECODE = textwrap.dedent("""
    import sys
    from phraseguard.errors import AudioError
    from phraseguard.speech.audio import read_blocks
    for path in sys.argv[1:]:
        try:
            frames = sum(len(b) for b in read_blocks(path))
            print("ok", frames)
        except AudioError as exc:
            print("error", exc)
""")


def run_python(code: str, *args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, cwd=REPO, timeout=120,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def mp3s(tmp_path_factory) -> dict[str, Path]:
    if not shutil.which("ffmpeg") or not shutil.which("sox"):
        pytest.skip("ffmpeg and sox are needed to make MP3 files (apt-get install ffmpeg sox)")
    folder = tmp_path_factory.mktemp("mp3")
    wav = folder / "tone.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(wav), "synth", "3", "sine",
                    "440"], check=True)
    good = folder / "good.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), str(good)], check=True)
    data = good.read_bytes()
    truncated = folder / "truncated.mp3"  # libmpg123: "Warning: Xing stream size off..."
    truncated.write_bytes(data[:1500])
    corrupt = folder / "corrupt.mp3"  # libmpg123: "Note: Illegal Audio-MPEG-Header..."
    garbled = bytearray(data)
    for i in range(3000, 6000):
        garbled[i] = (i * 7) % 256
    corrupt.write_bytes(bytes(garbled))
    return {"good": good, "truncated": truncated, "corrupt": corrupt}


def test_mp3_decoding_prints_no_decoder_noise(mp3s: dict[str, Path]) -> None:
    done = run_python(DECODE, mp3s["good"], mp3s["truncated"], mp3s["corrupt"])
    assert done.returncode == 0, done.stderr
    good, truncated, corrupt = done.stdout.splitlines()
    assert good == "ok 48000"
    assert truncated.startswith(f"error {mp3s['truncated']}: truncated MP3")
    assert corrupt.startswith(f"error {mp3s['corrupt']}: ")
    assert done.stderr == ""


def test_other_stderr_output_in_the_muted_window_is_kept(mp3s: dict[str, Path]) -> None:
    code = DECODE + textwrap.dedent("""
        import os
        import soundfile
        real_info = soundfile.info
        def noisy_info(path):
            os.write(2, b"Note: Trying to resync...\\n")
            os.write(2, b"[src/libmpg123/parse.c:wetwork():1349] error: Giving up\\n")
            os.write(2, b"something else a user must see\\n")
            return real_info(path)
        soundfile.info = noisy_info
        from phraseguard.speech.audio import probe
        print(probe(sys.argv[1]).format)
    """)
    done = run_python(code, mp3s["good"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "MP3"
    assert done.stderr == "something else a user must see\n"
