"""The test cluster itself: real processes, connected workers, kills that take effect."""

from __future__ import annotations

import os

import pytest

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def test_two_real_workers_connect_and_a_killed_worker_is_replaced_by_its_nanny(dask_cluster):
    pids = dask_cluster.worker_pids()
    assert len(pids) == 2 and all(a.startswith("tcp://127.0.0.1:") for a in pids)
    assert os.getpid() not in pids.values()
    address, pid = dask_cluster.kill_worker()
    after = dask_cluster.wait_for_replacement(pid)
    assert pid not in after.values() and len(after) == 2
