"""Where calls run on a Dask distributed cluster: ``score --cluster``.

The local pool's twin behind the same seam: it takes picklable jobs, runs
each on some worker of the cluster, and yields each outcome (transcript,
hits, score, or failure) as it finishes; the client alone writes the store.

- **One model per worker process.** A :class:`CallPlugin` registered with
  the scheduler builds each worker's :class:`Worker` (matcher now, model on
  the first recording), also on workers that join later or that a nanny
  restarts. The model is at a path every worker has, or shipped once per
  worker (see :mod:`phraseguard.calls.cluster_model`); the client decides
  per run and says which.
- **Faults.** A worker killed mid-call: the scheduler reruns its calls on
  another worker, so each call is saved once. A call that killed workers
  ``allowed-failures + 1`` times comes back as Dask's ``KilledWorker`` and
  is saved as a failed call with that reason. The scheduler gone:
  :class:`ClusterLost` stops the run (the calls saved so far stay saved; a
  rerun scores the rest).
- ``local:N`` starts a ``LocalCluster`` of N single-threaded worker
  processes on this machine with the same scheduler settings the README
  recommends for a real one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from distributed import WorkerPlugin

from phraseguard.calls import cluster_model
from phraseguard.calls.cluster_address import (  # noqa: F401 - re-exported for callers
    ClusterError,
    ClusterLost,
    ClusterSpec,
    parse_cluster,
)
from phraseguard.calls.worker import Job, Outcome, Worker, WorkerConfig
from phraseguard.errors import PhraseguardError
from phraseguard.tunables import tunable, whole

# From phraseguard/tunables.toml [dask] (why each value: see there).
#: Seconds to reach the scheduler (and, after losing it, to try again).
CONNECT_TIMEOUT = tunable("dask", "connect_seconds")
#: Seconds to wait for a first worker before giving up on a cluster that has none.
WORKER_WAIT = tunable("dask", "worker_wait_seconds")
#: Seconds to wait for the dashboard page when checking that it is really there.
DASHBOARD_CHECK_SECONDS = tunable("dask", "dashboard_check_seconds")
#: Calls handed out per worker thread: one running, one waiting, so a worker
#: never idles between calls; more would only lengthen what a lost worker drops.
QUEUE_PER_THREAD = whole("dask", "calls_per_thread")
#: Seconds to close the client, and a ``local:N`` cluster, at the end.
CLIENT_CLOSE_SECONDS = tunable("dask", "client_close_seconds")
CLUSTER_CLOSE_SECONDS = tunable("dask", "cluster_close_seconds")
#: Scheduler settings for ``local:N`` (and recommended for any scheduler, see
#: the README): a call is given up after it killed two workers, and a worker
#: is handed only as many calls as it has threads.
LOCAL_SCHEDULER_CONFIG = {
    "distributed.scheduler.allowed-failures": 1,
    "distributed.scheduler.worker-saturation": 1.0,
}

class CallPlugin(WorkerPlugin):
    """Per worker process: the :class:`Worker` (model loaded once) that scores calls.

    A worker with several threads keeps one Worker per thread that needed
    one: a Vosk recogniser is not shared between threads.
    """

    def __init__(self, config: WorkerConfig, archive: bytes | None = None,
                 digest: str | None = None) -> None:
        self.config = config
        self.archive = archive
        self.digest = digest
        self._idle: queue.SimpleQueue[Worker] | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_idle"] = None
        return state

    def setup(self, worker: Any) -> None:
        config = self.config
        if self.archive is not None and self.digest is not None:
            folder = cluster_model.unpack(self.archive, worker.local_directory, self.digest)
            config = replace(config, engine_factory=replace(config.engine_factory,
                                                            resolved=str(folder)))
            self.archive = None  # unpacked: the bytes need not stay in this worker's memory
            self.config = config
        self._idle = queue.SimpleQueue()
        self._idle.put(Worker(config))  # the matcher now; the model on the first recording

    def teardown(self, worker: Any) -> None:
        self._idle = None

    def warm(self) -> int:
        """Load the speech engine now (for timing runs); returns this process's id."""
        assert self._idle is not None, "plugin not set up"
        w = self._idle.get()
        try:
            _ = w.engine
        finally:
            self._idle.put(w)
        return os.getpid()

    def run(self, job: Job) -> Outcome:
        assert self._idle is not None, "plugin not set up"
        try:
            w = self._idle.get_nowait()
        except queue.Empty:
            w = Worker(self.config)
        try:
            return w.process(job)
        finally:
            self._idle.put(w)


def run_call(job: Job, plugin_name: str) -> Outcome:
    """The task: score one call with this worker's plugin (never raises for a bad file)."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(plugin_name)
    if plugin is None:
        raise PhraseguardError("phraseguard is not set up on this Dask worker "
                               f"(no plugin {plugin_name})")
    return plugin.run(job)


def _warm_plugin(plugin_name: str, dask_worker: Any = None) -> int:
    """Run on each worker (``client.run``): load the model in its plugin's Worker."""
    return dask_worker.plugins[plugin_name].warm()


def _model_fingerprint_here(folder: str) -> str | None:
    """Run on each worker: the fingerprint of ``folder`` there."""
    return cluster_model.fingerprint(folder)


class DaskExecutor:
    """:class:`~phraseguard.calls.pool.Executor` on a Dask cluster; a context manager.

    ``submit`` queues a call here; :meth:`outcomes` keeps
    :data:`QUEUE_PER_THREAD` calls per worker thread on the cluster and yields
    each outcome as it finishes (a KilledWorker as a failed outcome);
    :meth:`cancel` drops the rest. ``notify`` receives one-line notes for the
    user: the cluster and its dashboard, where the model comes from.
    ``ship_model`` True ships the model even to workers that have it.
    """

    def __init__(self, spec: ClusterSpec, config: WorkerConfig, *,
                 notify: Callable[[str], None] | None = None,
                 ship_model: bool | None = None) -> None:
        self.spec = spec
        self.config = config
        self.ship_model = ship_model  # None: ship only to clusters lacking it at that path
        self.notify = notify or (lambda line: None)
        self.plugin_name = f"phraseguard-{uuid.uuid4().hex[:12]}"
        self.dashboard: str | None = None
        self._client: Any = None
        self._cluster: Any = None
        self._queue: deque[Job] = deque()
        self._running: dict[Any, Job] = {}  # future key -> job
        self._completed: Any = None  # distributed.as_completed over the running futures
        self._stopping = False
        self._log_levels: dict[str, int] = {}  # distributed's loggers, restored on close

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the Executor protocol -------------------------------------------------

    def submit(self, job: Job) -> None:
        self._queue.append(job)

    def outcomes(self) -> Iterator[Outcome]:
        """Each call's outcome as it finishes; ClusterLost if the scheduler goes away."""
        if not self._queue and not self._running:
            return
        self.start()
        while self._queue or self._running:
            self._top_up()
            fut = next(self._completed)
            job = self._running.pop(fut.key, None)
            if job is not None:
                yield self._outcome(fut, job)

    def cancel(self) -> None:
        """Drop the calls not finished (a running one ends on its worker, unused); close."""
        self._queue.clear()
        self.close(kill=True)

    def close(self, *, kill: bool = False) -> None:
        """Cancel what is left, remove the plugin, disconnect; stop ``local:N``."""
        if self._client is None:
            return
        client, self._client = self._client, None
        self._stopping = True
        futures = list(self._completed.futures) if self._completed is not None else []
        self._running.clear()
        try:
            if client.status == "running":
                if futures:
                    client.cancel(futures)
                # Never registered, or the scheduler just went: nothing to remove.
                with contextlib.suppress(Exception):
                    client.unregister_worker_plugin(self.plugin_name)
        finally:
            client.close(timeout=CLIENT_CLOSE_SECONDS)
            if self._cluster is not None:
                cluster, self._cluster = self._cluster, None
                cluster.close(timeout=CLUSTER_CLOSE_SECONDS)
            for name, level in self._log_levels.items():
                logging.getLogger(name).setLevel(level)
            self._log_levels = {}

    # --- the cluster -------------------------------------------------------------

    def warm(self) -> set[int]:
        """Start, and load the speech engine on every worker now (for timing runs); their pids."""
        self.start()
        return set(self._client.run(_warm_plugin, self.plugin_name).values())

    def start(self) -> None:
        """Connect (or start ``local:N``), wait for a worker, place the model, register.

        Done on the first :meth:`outcomes`, so a run with nothing to score
        never connects; call it earlier to pay the start-up before timing.
        """
        if self._client is not None:
            return
        from distributed import as_completed

        # Dask logs a lost connection as tracebacks on stderr; the run says it
        # in one line (ClusterLost) instead.
        self._log_levels = _quiet_loggers("distributed")
        self._connect()
        try:
            self._client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError:
            raise ClusterError(f"the Dask cluster at {self.spec} has no workers "
                               f"(waited {WORKER_WAIT} s)") from None
        self.dashboard = self._dashboard()
        workers = self._client.nthreads()
        note = (f"Dask cluster {self.spec}: {len(workers)} workers, "
                f"{sum(workers.values())} threads")
        self.notify(note + (f"; dashboard {self.dashboard}" if self.dashboard else ""))
        self._client.register_plugin(self._plugin(), name=self.plugin_name)
        self._completed = as_completed(loop=self._client.loop, with_results=False)

    def _connect(self) -> None:
        import dask
        from distributed import Client, LocalCluster

        if self.spec.local_workers:
            with dask.config.set(LOCAL_SCHEDULER_CONFIG):
                self._cluster = LocalCluster(
                    n_workers=self.spec.local_workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                    silence_logs=logging.ERROR,
                )
            self._client = Client(self._cluster, set_as_default=False)
            return
        try:
            self._client = Client(self.spec.address, timeout=CONNECT_TIMEOUT,
                                  set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {self.spec.address} "
                               f"({_first_line(exc)})") from None

    def _dashboard(self) -> str | None:
        """The dashboard link, if the scheduler serves a dashboard this machine can open.

        A scheduler always runs its web server; without bokeh it serves only
        a page saying to install it, so the page is fetched and checked.
        """
        try:
            link = self._client.dashboard_link
        except (KeyError, AttributeError):  # no web server at all
            return None
        if not link:
            return None
        try:
            with urllib.request.urlopen(link, timeout=DASHBOARD_CHECK_SECONDS) as page:
                body = page.read(4096).decode("utf-8", "replace")
        except (OSError, ValueError):
            return None
        return None if "for the dashboard" in body and "bokeh" in body else link

    def _plugin(self) -> CallPlugin:
        """The worker plugin, carrying the model when some worker lacks it at this path."""
        folder = getattr(self.config.engine_factory, "resolved", None)
        digest = cluster_model.fingerprint(folder) if folder else None
        if digest is None:
            return CallPlugin(self.config)  # no model needed (transcripts) or a test engine
        there = self._client.run(_model_fingerprint_here, folder)
        missing = sorted(w for w, fp in there.items() if fp != digest)
        if not missing and not self.ship_model:
            self.notify(f"Model {folder}: at that path on every worker")
            return CallPlugin(self.config)
        archive = cluster_model.pack(folder)
        why = (f"not at that path on {len(missing)} of {len(there)} workers" if missing
               else "shipping requested")
        self.notify(f"Model {folder}: {why}; shipping it ({len(archive) / 1e6:.0f} MB) "
                    "once to each worker")
        return CallPlugin(self.config, archive, digest)

    def _capacity(self) -> int:
        """Calls to keep on the cluster: QUEUE_PER_THREAD per worker thread now connected."""
        try:
            threads = sum(self._client.nthreads().values())
        except Exception:  # noqa: BLE001 - a lost scheduler shows up as cancelled futures
            threads = 1
        return max(1, threads) * QUEUE_PER_THREAD

    def _top_up(self) -> None:
        limit = self._capacity()
        while self._queue and len(self._running) < limit:
            job = self._queue.popleft()
            fut = self._client.submit(run_call, job, self.plugin_name, pure=False,
                                      key=f"phraseguard-call-{uuid.uuid4().hex}")
            self._running[fut.key] = job
            self._completed.add(fut)

    def _outcome(self, fut: Any, job: Job) -> Outcome:
        from distributed import KilledWorker

        if fut.status == "finished":
            try:
                return fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a result that failed to unpickle
                return Outcome.failed(job, exc, stage="worker")
        if fut.status == "cancelled":
            lost = len(self._running) + len(self._queue) + 1
            raise ClusterLost(f"lost the Dask scheduler at {self.spec}; {lost} calls were "
                              "not finished (the calls saved so far are kept: run the same "
                              "command again to score the rest)")
        exc = fut.exception()
        if isinstance(exc, KilledWorker):
            return Outcome.failed(
                job,
                f"the call killed {exc.allowed_failures + 1} Dask workers one after another "
                "(out of memory or a crash in the decoder); not tried again",
                stage="worker", error_type="KilledWorker",
            )
        return Outcome.failed(job, exc, stage="worker")


def _quiet_loggers(prefix: str) -> dict[str, int]:
    """Set every logger under ``prefix`` to CRITICAL; returns their levels to restore.

    Each, not just the parent: Dask's logging configuration gives some of
    its loggers (distributed.client...) their own level.
    """
    import distributed  # noqa: F401 - configures its loggers first

    names = [prefix] + [n for n in logging.root.manager.loggerDict if n.startswith(prefix + ".")]
    old = {}
    for name in names:
        log = logging.getLogger(name)
        old[name] = log.level
        log.setLevel(logging.CRITICAL)
    return old


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
