"""A real Dask cluster on 127.0.0.1 for tests: one ``dask scheduler``, N ``dask worker``.

Each is its own OS process (group), started as an operator would start them,
on ephemeral ports, without dashboards except the scheduler's (its web
server on a free port; the dashboard pages when bokeh is installed), each worker with a private local directory.
The scheduler gives a call up after it killed two workers
(``allowed-failures = 1``) and hands each worker only as many calls as it
has threads (``worker-saturation = 1.0``): the settings the README tells an
operator to use.

Helpers kill -9 a worker process (its nanny starts a new one, as in
production) or the scheduler, and :meth:`DaskProcesses.stop` always tears
everything down.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Seconds to wait for the scheduler file and for the workers to connect: a
#: worker imports distributed and numpy, slow on a busy 2-core machine.
START_TIMEOUT = 120.0
#: The scheduler settings the README recommends for phraseguard.
SCHEDULER_ENV = {
    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
    "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
}


def has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


class DaskProcesses:
    """Starts and owns the processes; use :meth:`start` and :meth:`stop`."""

    def __init__(self, folder: Path, workers: int = 2,
                 env: Mapping[str, str] | None = None) -> None:
        self.folder = folder
        self.n_workers = workers
        self.extra_env = dict(env or {})
        self.scheduler: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.address = ""
        self.dashboard: str | None = None
        self._generation = 0

    # --- lifecycle -----------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        # Workers import phraseguard (and tests.*, for fault-injecting
        # engines) from this worktree, as the test process does.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
        env.update(SCHEDULER_ENV)
        env.update(self.extra_env)
        return env

    def start(self) -> DaskProcesses:
        """Start the scheduler and the workers; return when every worker is connected."""
        self._generation += 1
        run = self.folder / f"run{self._generation}"
        run.mkdir(parents=True, exist_ok=True)
        sched_file = run / "scheduler.json"
        # The scheduler's web server runs either way: on a free port, never 8787.
        dash = ["--dashboard-address", "127.0.0.1:0"]
        if not has_bokeh():
            dash.append("--no-dashboard")
        self.scheduler = self._spawn(
            ["scheduler", "--host", "127.0.0.1", "--port", "0", *dash,
             "--scheduler-file", str(sched_file)],
            run / "scheduler.log",
        )
        self.address = self._wait_for_address(sched_file)
        self.workers = [
            self._spawn(
                ["worker", "--scheduler-file", str(sched_file), "--nworkers", "1",
                 "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                 "--name", f"w{i}", "--local-directory", str(run / f"w{i}"),
                 "--death-timeout", "60"],
                run / f"worker{i}.log",
            )
            for i in range(self.n_workers)
        ]
        self.wait_for_workers(self.n_workers)
        return self

    def stop(self) -> None:
        """SIGTERM every process group, then SIGKILL what is left; never raises."""
        procs = [p for p in (*self.workers, self.scheduler) if p is not None]
        for p in procs:
            _signal_group(p, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(max(0.1, deadline - time.monotonic()))
            _signal_group(p, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(5)
        self.workers = []
        self.scheduler = None

    def restart(self) -> DaskProcesses:
        """A fresh scheduler and workers (new ports), after :meth:`stop`."""
        self.stop()
        return self.start()

    # --- faults --------------------------------------------------------------

    def worker_pids(self) -> dict[str, int]:
        """Worker address -> pid of the worker process (not its nanny)."""
        with self.client() as client:
            return client.run(os.getpid)

    def busy_workers(self) -> dict[str, list]:
        """Worker address -> keys of the tasks it is running or holds to run."""
        with self.client() as client:
            return {w: list(keys) for w, keys in client.processing().items() if keys}

    def kill_worker(self, address: str | None = None) -> tuple[str, int]:
        """kill -9 one worker process (the first busy one, else any); returns (address, pid).

        Its nanny notices and starts a fresh worker process, as it would in
        production; the scheduler reruns the dead worker's tasks elsewhere.
        """
        pids = self.worker_pids()
        if address is None:
            busy = self.busy_workers()
            address = next((w for w in pids if w in busy), next(iter(pids)))
        pid = pids[address]
        os.kill(pid, signal.SIGKILL)
        return address, pid

    def wait_for_replacement(self, pid: int, timeout: float = START_TIMEOUT) -> dict[str, int]:
        """Wait until worker ``pid`` is gone and all workers are back; returns the new pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pids = self.worker_pids()
            except Exception:  # noqa: BLE001 - a worker dying while asked; ask again
                pids = {}
            if pid not in pids.values() and len(pids) == self.n_workers:
                return pids
            time.sleep(0.2)
        raise TimeoutError(f"worker {pid} not replaced within {timeout:.0f} s")

    def kill_scheduler(self) -> int:
        """kill -9 the scheduler; returns its pid."""
        assert self.scheduler is not None
        pid = self.scheduler.pid
        os.kill(pid, signal.SIGKILL)
        self.scheduler.wait(10)
        return pid

    # --- helpers -------------------------------------------------------------

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30, set_as_default=False)

    def wait_for_workers(self, n: int, timeout: float = START_TIMEOUT) -> None:
        with self.client() as client:
            client.wait_for_workers(n, timeout=timeout)
            if has_bokeh():
                self.dashboard = client.dashboard_link

    def _spawn(self, args: list[str], log: Path) -> subprocess.Popen:
        with open(log, "wb") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "dask", *args],
                env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, cwd=str(self.folder),
            )

    def _wait_for_address(self, sched_file: Path) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.scheduler is not None
            if self.scheduler.poll() is not None:
                raise RuntimeError(f"dask scheduler exited with {self.scheduler.returncode}; "
                                   f"see {sched_file.parent / 'scheduler.log'}")
            try:
                return json.loads(sched_file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise RuntimeError(f"dask scheduler wrote no {sched_file} in {START_TIMEOUT:.0f} s")


def _signal_group(p: subprocess.Popen, sig: int) -> None:
    if p.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, sig)
