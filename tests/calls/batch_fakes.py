"""Picklable engine factories for batch tests (workers are spawned processes).

The engine is ``tests.fakes.FakeEngine`` (reads ``<audio>.txt`` sidecars);
``delay`` makes each call slow so a test can kill a batch midway.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from phraseguard.speech import audio
from tests.fakes import FakeEngine

MEET_TIMEOUT = 120.0  # seconds a worker waits for the others before going on alone


class SlowFakeEngine(FakeEngine):
    """Decodes the file for real (so bad audio fails as it would), then reads the sidecar.

    With ``meet`` (a folder), the engine's first call signs in there with its
    process id and waits until ``meet_count`` processes have signed in (at
    most ``MEET_TIMEOUT`` s): a test of parallel workers then does not depend
    on the second worker starting before the first has finished every file,
    which on a loaded machine it may not.
    """

    def __init__(self, delay: float, meet: str = "", meet_count: int = 2) -> None:
        super().__init__()
        self.delay = delay
        self.meet = Path(meet) if meet else None
        self.meet_count = meet_count
        self._met = False

    def transcribe(self, path: str | Path, **kwargs):
        for _ in audio.read_blocks(path):
            pass
        if self.meet is not None and not self._met:
            self._rendezvous(self.meet)
        time.sleep(self.delay)
        return super().transcribe(path, **kwargs)

    def _rendezvous(self, folder: Path) -> None:
        self._met = True
        (folder / str(os.getpid())).touch()
        deadline = time.monotonic() + MEET_TIMEOUT
        while len(list(folder.iterdir())) < self.meet_count and time.monotonic() < deadline:
            time.sleep(0.05)


@dataclass(frozen=True)
class FakeEngineFactory:
    delay: float = 0.0
    meet: str = ""  # a folder where each worker's engine waits for the others (see SlowFakeEngine)
    meet_count: int = 2

    def prepare(self) -> FakeEngineFactory:
        return self

    def describe(self) -> str:
        return "fake"

    def __call__(self) -> SlowFakeEngine:
        return SlowFakeEngine(self.delay, self.meet, self.meet_count)


def chinese_model_folder(parent: Path) -> Path:
    """A folder shaped like ``vosk-model-small-cn-0.22`` (never loaded).

    For tests that run the real ``score`` command with ``FakeEngineFactory``
    and the Chinese default lexicon: passed as ``--model``, it makes the
    model the command names (and checks against the lexicon's language) a
    Chinese one, whatever model happens to be installed on the machine.
    """
    folder = parent / "vosk-model-small-cn-0.22"
    (folder / "am").mkdir(parents=True, exist_ok=True)
    (folder / "am" / "final.mdl").write_bytes(b"not a real model")
    (folder / "conf").mkdir(exist_ok=True)
    (folder / "conf" / "mfcc.conf").write_text("--sample-frequency=16000\n")
    return folder


@dataclass(frozen=True)
class MissingModelFactory:
    """No model installed: ``prepare`` fails as ``VoskEngineFactory`` would, counting lookups.

    ``lookups`` is shared with the test (the lookups happen in the parent process).
    """

    lookups: list

    def prepare(self) -> MissingModelFactory:
        from phraseguard.errors import ModelError

        self.lookups.append(1)
        raise ModelError("no speech model found (test)")

    def describe(self) -> str:
        return ""

    def __call__(self) -> SlowFakeEngine:
        raise AssertionError("no engine without a model")


# A stand-in for a Lexicon: the Scorer needs only rule ids with their
# deductions and the scoring policy.
@dataclass(frozen=True)
class FakeRule:
    id: str
    deduction: float


@dataclass(frozen=True)
class FakePolicy:
    start: float = 100.0
    floor: float = 0.0
    min_confidence: float = 0.7


@dataclass(frozen=True)
class FakeLexicon:
    rules: tuple = (FakeRule("know", 10.0), FakeRule("care", 20.0), FakeRule("care-short", 5.0))
    scoring: FakePolicy = field(default_factory=FakePolicy)
