"""Where jobs run: the :class:`Executor` seam and the local process pool behind it.

The run (:mod:`phraseguard.calls.run`) only ever talks to an
:class:`Executor`: it submits picklable :class:`~phraseguard.calls.worker.Job`
values, reads :class:`~phraseguard.calls.worker.Outcome` values as they
finish, and cancels on Ctrl-C. :class:`LocalPool` runs them in worker
processes on this machine; a distributed executor (Dask, a job queue)
implements the same four methods and the run does not change.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Protocol

from phraseguard.calls.worker import (
    Job,
    Outcome,
    Worker,
    WorkerConfig,
    init_worker_process,
    run_jobs,
    warm_job,
)
from phraseguard.errors import PhraseguardError
from phraseguard.tunables import tunable, whole

# From phraseguard/tunables.toml [pool] (why each value: see there).
#: Groups of jobs queued per worker: enough to keep workers busy, few enough
#: that Ctrl-C or a dead worker affects only a handful of files.
QUEUE_PER_WORKER = whole("pool", "queue_per_worker")
#: Rounds of warm jobs tried before giving up on reaching every worker, and how
#: much longer each round keeps a worker busy than the one before.
WARM_ATTEMPTS = whole("pool", "warm_attempts")
WARM_HOLD_STEP = tunable("pool", "warm_hold_step_seconds")
#: Transcripts a worker takes through each stage together (Worker.process_many);
#: a recording that needs the recogniser always goes alone.
CALLS_PER_GROUP = whole("pool", "calls_per_group")
#: Seconds Ctrl-C waits for the executor's manager thread once workers are killed.
KILL_JOIN_SECONDS = tunable("pool", "kill_join_seconds")

WORKER_DIED = ("the worker process died while this file was queued or being scored "
               "(out of memory or a crash in the decoder); rerun to retry")


class Executor(Protocol):
    """Runs jobs somewhere; the run's only view of where."""

    def submit(self, job: Job) -> None:
        """Queue one job (it may start at once or later)."""

    def outcomes(self) -> Iterator[Outcome]:
        """Outcomes of the submitted jobs as they finish, until none is left.

        Never raises for a job: a job that cannot run (its worker died, its
        result did not pickle) comes back as a failed Outcome.
        """

    def cancel(self) -> None:
        """Drop the jobs not started and stop the running ones (their results are lost)."""

    def close(self) -> None:
        """Release the workers (waits for none: cancel first to stop work)."""


def default_jobs() -> int:
    """One worker per CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class LocalPool:
    """:class:`Executor` on worker processes of this machine; a context manager.

    ``jobs=1`` runs in this process (no pickling, no start-up cost). The
    processes are spawned on first use and kept across runs until
    :meth:`close` (the benchmark reuses warm workers).
    """

    def __init__(self, config: WorkerConfig, jobs: int) -> None:
        self.config = config
        self.jobs = max(1, jobs)
        self._executor: ProcessPoolExecutor | None = None
        self._inline: Worker | None = None
        self._queue: deque[Job] = deque()
        self._running: dict[Future, list[Job]] = {}

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def inline(self) -> bool:
        return self.jobs == 1

    # -- the Executor protocol ------------------------------------------------------

    def submit(self, job: Job) -> None:
        self._queue.append(job)

    def outcomes(self) -> Iterator[Outcome]:
        if self.inline:
            while self._queue:
                yield from self.worker().process_many(self._next_group())
            return
        limit = self.jobs * QUEUE_PER_WORKER
        while self._queue or self._running:
            while self._queue and len(self._running) < limit:
                group = self._next_group()
                try:
                    self._running[self._pool().submit(run_jobs, group)] = group
                except BrokenProcessPool:
                    self._forget_broken()
                    self._queue.extendleft(reversed(group))
                    break
            if not self._running:
                continue
            done, _ = wait(self._running, return_when=FIRST_COMPLETED)
            for fut in done:
                yield from self._outcomes(fut, self._running.pop(fut))

    def _next_group(self) -> list[Job]:
        """The next queued jobs to go through the stages together: up to
        CALLS_PER_GROUP transcripts in a row, or one recording that needs the
        recogniser (minutes of work: it is saved, and its progress shown, as
        soon as it is done, not after the files behind it)."""
        group = [self._queue.popleft()]
        if group[0].listens:
            return group
        while self._queue and len(group) < CALLS_PER_GROUP and not self._queue[0].listens:
            group.append(self._queue.popleft())
        return group

    def cancel(self) -> None:
        self._queue.clear()
        self._running.clear()
        self.close(kill=True)

    def close(self, *, kill: bool = False) -> None:
        if self._executor is None:
            return
        ex, self._executor = self._executor, None
        if kill:
            self._kill(ex)
            return
        ex.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _kill(ex: ProcessPoolExecutor) -> None:
        """Ctrl-C: stop the workers now and wait for the executor's manager thread.

        A long call's result would be discarded anyway (only finished calls
        are kept), so nothing waits for it. The processes and the manager
        thread are taken *before* shutdown, which forgets them. The manager
        must be joined here: left running, Python 3.11's exit hook wakes it
        through a pipe the thread may be closing at that very moment, and
        the run's last line becomes "OSError: [Errno 9] Bad file descriptor"
        instead of what it saved (python/cpython gh-125451, fixed in 3.12).
        """
        processes = list((getattr(ex, "_processes", None) or {}).values())
        manager = getattr(ex, "_executor_manager_thread", None)
        # The same race may hit shutdown's own wake-up: the pool is thrown away anyway.
        with contextlib.suppress(OSError):
            ex.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.terminate()
        if manager is not None:
            manager.join(timeout=KILL_JOIN_SECONDS)

    # -- the rest ---------------------------------------------------------------------

    def worker(self) -> Worker:
        """The in-process worker (``jobs=1``)."""
        if self._inline is None:
            self._inline = Worker(self.config)
        return self._inline

    def warm(self, hold: float = 0.5) -> set[int]:
        """Load the speech engine in every worker now (for timing runs); returns their pids.

        Each warm job keeps its worker busy for ``hold`` seconds so the others
        land elsewhere, but scheduling decides: the pids that answered are
        checked, and another round (holding longer) is sent until every
        worker has answered; PhraseguardError if some never did.
        """
        if self.inline:
            _ = self.worker().engine
            return {os.getpid()}
        seen: set[int] = set()
        for attempt in range(WARM_ATTEMPTS):
            ex = self._pool()
            seconds = hold + WARM_HOLD_STEP * attempt  # a worker still starting needs longer
            futures = [ex.submit(warm_job, seconds) for _ in range(self.jobs)]
            seen.update(f.result() for f in futures)
            if len(seen) >= self.jobs:
                return seen
        raise PhraseguardError(
            f"warm-up reached {len(seen)} of {self.jobs} workers after {WARM_ATTEMPTS} rounds"
        )

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            import multiprocessing

            # spawn: a forked child would inherit the parent's threads' locks
            # (progress bar, SQLite) and Vosk is not fork-safe once loaded.
            # The parent-death signal only when the pool is made from the
            # main thread (it fires when the creating thread ends).
            main = threading.current_thread() is threading.main_thread()
            self._executor = ProcessPoolExecutor(
                self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=init_worker_process,
                initargs=(self.config, os.getpid(), main),
            )
        return self._executor

    def _forget_broken(self) -> None:
        """Forget a pool whose worker died; the next use starts a fresh one."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _outcomes(self, fut: Future, group: list[Job]) -> list[Outcome]:
        try:
            return fut.result()
        except BrokenProcessPool:
            self._forget_broken()
            return [Outcome.failed(job, WORKER_DIED, stage="worker",
                                   error_type="BrokenProcessPool") for job in group]
        except Exception as exc:  # noqa: BLE001 - e.g. a result that failed to pickle
            return [Outcome.failed(job, exc, stage="worker") for job in group]
