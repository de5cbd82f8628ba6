"""Fixtures for the cluster tests: a real Dask scheduler and two real workers.

``dask_cluster`` (one per test module) starts ``dask scheduler`` and two
``dask worker --nworkers 1 --nthreads 1`` processes on 127.0.0.1 and stops
them after the module; ``fresh_dask_cluster`` gives a test its own (for
tests that kill the scheduler). Both wait until the two workers are
connected and always tear everything down.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dask_processes import DaskProcesses  # noqa: E402


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    cluster = DaskProcesses(tmp_path_factory.mktemp("dask"), workers=2)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def fresh_dask_cluster(tmp_path):
    cluster = DaskProcesses(tmp_path / "dask", workers=2)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
