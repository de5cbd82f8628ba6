"""Cancelling the local pool on Ctrl-C / SIGTERM (calls/pool.py)."""

from __future__ import annotations

import pytest
from batch_fakes import FakeEngineFactory

from phraseguard.calls.pool import LocalPool
from phraseguard.calls.worker import WorkerConfig, warm_job
from phraseguard.speech.transcript import Role


class _RacingExecutor:
    """Shuts down as Python 3.11's ProcessPoolExecutor may after its workers were
    terminated: the manager thread has closed its wake-up pipe (EBADF)."""

    def __init__(self) -> None:
        self.calls: list[bool] = []

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.calls.append(wait)
        raise OSError(9, "Bad file descriptor")


def test_cancel_survives_the_executor_racing_its_own_wakeup_pipe(default_lexicon) -> None:
    # A killed batch must still report what it saved: the pool's own shutdown
    # race may not replace the interruption with an OSError.
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 2)
    racing = _RacingExecutor()
    pool._executor = racing
    pool.cancel()
    assert racing.calls == [False] and pool._executor is None


def test_close_without_kill_still_reports_an_executor_error(default_lexicon) -> None:
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 2)
    pool._executor = _RacingExecutor()
    with pytest.raises(OSError):
        pool.close()


def test_cancel_leaves_no_manager_thread_for_the_exit_hook_to_race(default_lexicon) -> None:
    # Python 3.11's exit hook wakes every executor manager thread still known
    # to it, unlocked, through a pipe that thread closes as it ends: a killed
    # batch printed "OSError: [Errno 9] Bad file descriptor" as its last line
    # instead of what it saved. Cancel must end the workers and join that
    # thread itself, before the interpreter's exit.
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 2)
    executor = pool._pool()
    _busy = [executor.submit(warm_job, 30.0) for _ in range(2)]
    processes = list(executor._processes.values())
    manager = executor._executor_manager_thread
    assert manager is not None and manager.is_alive()
    pool.cancel()
    assert not manager.is_alive()
    assert all(not p.is_alive() for p in processes)
