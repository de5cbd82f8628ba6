"""Fixtures for the live-monitoring tests.

- ``ko_lexicon``: a small Korean lexicon (the real model is Korean) with
  words the model does return on the committed clips (대통령, 선택, 지역).
- ``ko_clips`` (top-level conftest): ``tests/data/audio/ko-free``, real
  speech committed with its attribution.
- ``pulse``: a private PulseAudio daemon with a null sink, per DESIGN.md
  ("Live capture without hardware"); its monitor is the default input.
- ``alsa_home``: a private HOME whose ``.asoundrc`` defines an ALSA capture
  device reading raw PCM from a file (instant and deterministic).
- ``start_live``: ``phraseguard live --events -`` in a subprocess, its events
  read as they come (helpers in ``live_helpers.py``).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from live_helpers import ASOUNDRC, KO_LEXICON, LiveProcess, cli_env, need, sox


@pytest.fixture(scope="session")
def ko_lexicon(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "ko.toml"
    path.write_text(KO_LEXICON, encoding="utf-8")
    return path




@pytest.fixture(scope="session")
def espeak_unsure(tmp_path_factory) -> Path:
    """espeak-ng saying "I really don't know" in Korean, 16 kHz mono 16-bit.

    Self-made speech, so the capture tests need no file from outside the
    repository. The Korean model hears "... 겠어요" at the end (rule "unsure").
    """
    need("espeak-ng", "sox")
    out = tmp_path_factory.mktemp("espeak")
    raw = out / "raw.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "140", "-w", str(raw),
                    "잘 모르겠습니다. 저는 정말 모르겠어요."], check=True, capture_output=True)
    wav = out / "unsure.wav"
    sox(raw, "-r", "16000", "-c", "1", "-b", "16", wav)
    return wav


@pytest.fixture
def start_live(tmp_path: Path) -> Iterator:
    started: list[LiveProcess] = []

    def start(args: list[str | Path], *, env: dict[str, str] | None = None) -> LiveProcess:
        p = LiveProcess(args, env=env or cli_env(), cwd=tmp_path,
                        stderr_path=tmp_path / f"stderr-{len(started)}.txt")
        started.append(p)
        return p

    yield start
    for p in started:
        p.close()


# --- sound servers ------------------------------------------------------------------


@dataclass
class Pulse:
    """A private PulseAudio daemon: ``env`` reaches it, ``play`` plays into its sink."""

    env: dict[str, str]
    proc: subprocess.Popen
    sink: str = "vsink"

    def play(self, wav: Path, *, wait: bool = True) -> subprocess.Popen:
        p = subprocess.Popen(["paplay", f"--device={self.sink}", str(wav)], env=self.env)
        if wait:
            assert p.wait(timeout=120) == 0, "paplay failed"
        return p

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def pulse(tmp_path: Path) -> Iterator[Pulse]:
    """PulseAudio with a null sink at 16 kHz mono, exactly as DESIGN.md describes."""
    need("pulseaudio", "paplay", "pactl")
    runtime = tmp_path / "xdg"
    home = tmp_path / "home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    env = cli_env(XDG_RUNTIME_DIR=runtime, HOME=home)
    log = open(tmp_path / "pulseaudio.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit=yes",
         "--use-pid-file=no", "--system=no",
         "-L", "module-native-protocol-unix auth-anonymous=1",
         "-L", "module-null-sink sink_name=vsink rate=16000 channels=1"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    server = Pulse(env=env, proc=proc)
    try:
        deadline = time.monotonic() + 20
        while True:
            info = subprocess.run(["pactl", "info"], env=env, capture_output=True, text=True)
            if info.returncode == 0 and "vsink" in info.stdout:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("pulseaudio did not start: "
                            + (tmp_path / "pulseaudio.log").read_text()[-2000:])
            time.sleep(0.1)
        yield server
    finally:
        server.stop()
        log.close()


@dataclass
class AlsaHome:
    env: dict[str, str]
    device: str


@pytest.fixture
def alsa_home(tmp_path: Path):
    """Make an ALSA file-plugin capture device that plays ``wav`` (returns its env)."""

    def make(wav: Path, name: str = "pgtestin") -> AlsaHome:
        home = tmp_path / "alsa-home"
        runtime = tmp_path / "alsa-xdg"  # empty: no sound server to be found
        home.mkdir(exist_ok=True)
        runtime.mkdir(mode=0o700, exist_ok=True)
        raw = tmp_path / "input.raw"
        sox(wav, "-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1", raw)
        (home / ".asoundrc").write_text(ASOUNDRC.format(infile=raw, name=name))
        return AlsaHome(cli_env(HOME=home, XDG_RUNTIME_DIR=runtime), name)

    return make
