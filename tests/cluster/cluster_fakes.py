"""A fault-injecting engine and a probe for cluster tests, importable on the Dask workers.

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


def shipped_models(dask_worker) -> list[str]:
    """Run on a worker (``client.run``): the models unpacked in its local directory."""
    from phraseguard.calls.cluster_model import SHIPPED_FOLDER

    base = Path(dask_worker.local_directory) / SHIPPED_FOLDER
    return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
