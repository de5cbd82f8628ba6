"""Helpers of the live tests: the test lexicon, sox, and ``phraseguard`` subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# The lexicon the tests match with. Same format as lexicons/default.toml; its
# language (ko, from ko_base.toml) is the Korean test model's. judge, drama and
# contact serve the scripted-recogniser tests; president, choice and region are
# words the real model returns on the committed clips (CLIP_HITS).
KO_BASE = REPO / "tests" / "data" / "ko_base.toml"
KO_LEXICON = f"""\
[lexicon]
name = "ko-test"
description = "Korean words the small Korean Vosk model returns on the committed clips"
extends = "{KO_BASE}"

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

[[rule]]
id = "president"
category = "test"
severity = "major"
message = "Says president"
suggestions = ["대표님이라고 하세요"]
phrases = ["대통령"]

[[rule]]
id = "choice"
category = "test"
severity = "minor"
message = "Says choice"
suggestions = ["결정이라고 하세요"]
phrases = ["선택"]

[[rule]]
id = "region"
category = "test"
severity = "minor"
message = "Says region"
suggestions = ["지방이라고 하세요"]
phrases = ["지역"]

[[rule]]
id = "unsure"
category = "test"
severity = "minor"
message = "Sounds unsure (the model hears espeak's 모르겠어요 as ... 겠어요)"
suggestions = ["확인해 드리겠습니다"]
phrases = ["겠어요"]
"""

#: Committed clip (tests/data/audio/ko-free) -> rules the Korean model finds in it
#: (its `recognised` column in transcripts.tsv).
PRESIDENT_CLIP = "zeroth_104_003_0374.wav"  # ... 대통령이 ... 어떤 선택 을 할까요
REGION_CLIP = "zeroth_104_003_0352.wav"  # 다른 지역에서는 ...
CLIP_HITS = {PRESIDENT_CLIP: ["president", "choice"], REGION_CLIP: ["region"]}
#: The model's words for PRESIDENT_CLIP, and what its hits cost (major 10 + minor 5).
PRESIDENT_TEXT = ("만약 박근혜 대통령이 정말 로 손 을 내밀 면 안철수 대표와 국민의당 은 "
                  "어떤 선택 을 할까요")
POINTS = {"president": 10, "choice": 5, "region": 5}


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


