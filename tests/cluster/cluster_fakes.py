"""A fault-injecting engine for cluster tests, importable on the Dask workers.

Import as ``tests.cluster.cluster_fakes`` (the workers run with the
repository on PYTHONPATH), so the factory pickles by reference.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from tests.calls.batch_fakes import SlowFakeEngine


class PoisonEngine(SlowFakeEngine):
    """Kills its own process (as a decoder crash or the OOM killer would) on a poison file."""

    def transcribe(self, path, **kwargs):
        if "poison" in Path(str(path)).name:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().transcribe(path, **kwargs)


@dataclass(frozen=True)
class PoisonEngineFactory:
    def prepare(self) -> PoisonEngineFactory:
        return self

    def describe(self) -> str:
        return "fake"

    def __call__(self) -> PoisonEngine:
        return PoisonEngine(0.0)
