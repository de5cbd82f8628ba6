"""Cancelling the local pool on Ctrl-C / SIGTERM (calls/pool.py)."""

from __future__ import annotations

import pytest
from batch_fakes import FakeEngineFactory

from phraseguard.calls.pool import LocalPool
from phraseguard.calls.worker import WorkerConfig
from phraseguard.speech.transcript import Role


class _RacingExecutor:
    """Shuts down as Python 3.11's ProcessPoolExecutor may after its workers were
    terminated: the manager thread has closed its wake-up pipe (EBADF)."""

    def __init__(self) -> None:
        self.calls: list[bool] = []

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.calls.append(wait)
        if wait:
            raise OSError(9, "Bad file descriptor")


def test_cancel_survives_the_executor_racing_its_own_wakeup_pipe(default_lexicon) -> None:
    # A killed batch must still report what it saved: the pool's own shutdown
    # race may not replace the interruption with an OSError.
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 2)
    racing = _RacingExecutor()
    pool._executor = racing
    pool.cancel()
    assert racing.calls == [False, True] and pool._executor is None


def test_close_without_kill_still_reports_an_executor_error(default_lexicon) -> None:
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 2)
    pool._executor = _RacingExecutor()
    with pytest.raises(OSError):
        pool.close()
