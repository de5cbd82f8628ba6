"""The batch front door: score folders of recorded calls and transcripts into the store.

    inputs ──> discover ──> plan (who, sha256, skip) ──> Executor ──> save ──> summary
               (inputs)     (plan)                      (pool:        (one transaction
                                                         worker)       per call)

- **Planning** (:mod:`~phraseguard.calls.plan`) decides per file: score it,
  skip it (already scored with this lexicon, or a copy of another input), or
  record it as failed (unreadable).
- **Executing** goes through the :class:`~phraseguard.calls.pool.Executor`
  seam: the local process pool by default, each worker loading the model once.
- **Saving**: each outcome is written to the store as soon as it arrives, in
  one transaction, so a crash or kill loses no finished call and leaves no
  half-written one. A rerun skips files whose content (sha256) was already
  scored with the same lexicon, unless ``rescore``.
- **Failures** (unreadable, corrupt, empty, wrong format, a worker that died)
  become ``failed`` calls with their reason; the batch goes on.
- **Ctrl-C / SIGTERM** (:class:`phraseguard.signals.StopFlag`) stops
  dispatching, keeps what finished, marks the run interrupted. A call being
  saved when the signal comes is saved first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phraseguard.calls.callflow import flow_lexicon
from phraseguard.calls.inputs import DEFAULT_PATTERN, Discovery, FilenamePattern, Manifest, discover
from phraseguard.calls.plan import (
    AlreadyScored,
    Channels,
    Duplicate,
    Planner,
    Step,
    ToScore,
    Unreadable,
)
from phraseguard.calls.pool import Executor, LocalPool, default_jobs
from phraseguard.calls.store import Store
from phraseguard.calls.worker import EngineFactory, Job, Outcome, VoskEngineFactory, WorkerConfig
from phraseguard.engine.meaning_files import load_meaning_weights
from phraseguard.errors import InputError, PhraseguardError
from phraseguard.signals import StopFlag
from phraseguard.speech.transcript import Role


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch; every field has the documented default."""

    jobs: int | None = None  # None: one worker per core
    rescore: bool = False
    retranscribe: bool = False  # transcribe recordings again even when a stored transcript fits
    agent_channel: str | None = None
    mono_role: Role = Role.AGENT
    manifest: Path | None = None
    pattern: str | None = None  # None: DEFAULT_PATTERN
    company: tuple[str, ...] = ()  # {company} in call-flow rules; () = the lexicon's
    # Also check [[required]]/[[timing]] rules (greeting, dead air...); None, the
    # default: whenever the lexicon has any (False: forbidden phrases only).
    call_flow: bool | None = None

    def with_call_flow(self, lexicon: Any) -> bool:
        """Whether this batch checks call flow with ``lexicon`` (see :attr:`call_flow`)."""
        wanted = True if self.call_flow is None else self.call_flow
        return bool(wanted and lexicon.flow)


@dataclass(frozen=True)
class ProgressEvent:
    """One finished file, for a progress display: ``done`` of ``total`` jobs."""

    done: int
    total: int
    path: str
    status: str  # "ok", "failed"
    score: float | None = None
    message: str = ""


ProgressCallback = Callable[[ProgressEvent], None]
#: Makes the executor of a run from the workers' config and the number of jobs
#: (``score --cluster`` passes one that returns a Dask executor).
ExecutorFactory = Callable[[WorkerConfig, int], Executor]


@dataclass
class BatchResult:
    """What a run did; ``calls`` are the store ids of every input's call."""

    run_id: int
    files: int = 0
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, same as path)
    unidentified: list[str] = field(default_factory=list)  # no agent from manifest/pattern
    notices: list[str] = field(default_factory=list)  # e.g. a FIFO in a folder, skipped
    calls: list[int] = field(default_factory=list)
    interrupted: bool = False
    signal: int | None = None  # the signal that stopped the run (SIGINT or SIGTERM)
    not_done: int = 0  # inputs neither scored, failed nor skipped when interrupted
    reused: int = 0  # recordings scored from their stored transcript
    outcomes_seconds: dict[str, float] = field(default_factory=dict)  # summed stage times
    audio_seconds: float = 0.0
    peak_rss_kb: dict[int, int] = field(default_factory=dict)  # worker pid -> peak RSS


def run_batch(
    inputs: Sequence[str | Path],
    store: Store,
    lexicon: Any,
    *,
    options: BatchOptions = BatchOptions(),
    engine_factory: EngineFactory | None = None,
    progress: ProgressCallback | None = None,
    pool: Executor | None = None,
    executor_factory: ExecutorFactory | None = None,
    found: Discovery | None = None,
) -> BatchResult:
    """Score ``inputs`` into ``store``; returns counts and the calls' ids.

    ``engine_factory`` is needed only when there are recordings to score
    (default: Vosk with the model found by ``phraseguard.speech.models``).
    ``pool`` is where jobs run: a caller may pass warm workers (the benchmark
    does) or another :class:`~phraseguard.calls.pool.Executor`; otherwise a
    local pool of ``options.jobs`` workers is made for this run, or what
    ``executor_factory`` makes from the workers' config (a Dask cluster).
    ``found``: ``discover(inputs)`` when the caller has already walked them
    (``score`` does, to see whether there are recordings), so a large tree is
    walked once.
    """
    call_flow = options.with_call_flow(lexicon)
    lexicon = flow_lexicon(lexicon, call_flow)
    found = found if found is not None else discover(inputs)
    if not found.sources:
        raise InputError(", ".join(map(str, inputs)) or ".", "no recordings or transcripts found")
    model = _Model(engine_factory or VoskEngineFactory())
    if any(s.kind == "audio" for s in found.sources):
        # Find the model before the run is recorded. A failure is remembered,
        # not raised: recordings already scored (or reusing their stored
        # transcript) need no model, and that is known only after hashing.
        model.name_or_none()
    # The meaning model's file is read once, here, before the run is
    # recorded: a missing or broken one stops the batch before any work.
    meaning = load_meaning_weights(lexicon)
    run = _Run(store, lexicon, BatchResult(0, files=len(found.sources), notices=found.notices),
               progress)
    planner = Planner(
        store, lexicon.digest, Channels(options.agent_channel, options.mono_role),
        manifest=Manifest(options.manifest) if options.manifest else None,
        pattern=FilenamePattern(options.pattern or DEFAULT_PATTERN),
        rescore=options.rescore, retranscribe=options.retranscribe,
        model_name=model.name_or_none,
    )  # fmt: skip
    executor, finished = pool, False
    with run.stop.installed():  # before hashing: Ctrl-C while planning stops cleanly too
        try:
            run.start()
            jobs = [job for src in found.sources if (job := run.apply(planner.step(src)))]
            run.result.reused = sum(j.transcript is not None for j in jobs)
            factory = model.for_jobs(jobs)  # ModelError (what to run) if recordings need one
            if _listens(jobs):
                run.model_name = factory.describe()
            if executor is None:
                config = WorkerConfig(lexicon, factory, options.agent_channel, options.mono_role,
                                      tuple(options.company), call_flow, meaning)
                make = executor_factory or _local_pool(options)
                executor = make(config, len(jobs))
            run.execute(executor, jobs)
            finished = True
        except KeyboardInterrupt:
            run.stop.stop = True
        finally:
            # Always closed: a run that did not finish (Ctrl-C, SIGTERM, no
            # model, a store error) is recorded as interrupted, never left running.
            run.finish(finished)
            if pool is None and executor is not None:
                executor.close() if finished else executor.cancel()
    return run.result


def _local_pool(options: BatchOptions) -> ExecutorFactory:
    def make(config: WorkerConfig, jobs: int) -> Executor:
        return LocalPool(config, min(options.jobs or default_jobs(), max(1, jobs)))

    return make


class _Model:
    """Resolves the speech model once, and only when something needs it."""

    def __init__(self, factory: EngineFactory) -> None:
        self._factory = factory
        self._prepared: EngineFactory | None = None
        self._error: PhraseguardError | None = None  # a failed lookup, not tried again

    def prepared(self) -> EngineFactory:
        if self._error is not None:
            raise self._error
        if self._prepared is None:
            try:
                self._prepared = self._factory.prepare()
            except PhraseguardError as exc:
                self._error = exc
                raise
        return self._prepared

    def name_or_none(self) -> str | None:
        """The model a recording would be transcribed with; None when there is none."""
        try:
            return self.prepared().describe()
        except PhraseguardError:
            return None

    def for_jobs(self, jobs: Sequence[Job]) -> EngineFactory:
        """The factory workers get; ModelError (with what to run) if a recording needs one."""
        if _listens(jobs):
            return self.prepared()
        return self._prepared or self._factory


class _Run:
    """One run's bookkeeping: the store's run row, the counts, and the signal flag.

    Every store write and its bookkeeping in ``result`` happen inside
    ``stop.saving()``, so a signal cannot separate them.
    """

    def __init__(self, store: Store, lexicon: Any, result: BatchResult,
                 progress: ProgressCallback | None) -> None:
        self.store, self.lexicon, self.result, self.progress = store, lexicon, result, progress
        self.stop = StopFlag()
        self.run_id: int | None = None
        self.model_name: str | None = None
        self._pre_failed = 0  # files that failed while planning (unreadable)
        self._jobs = 0

    def start(self) -> None:
        with self.stop.saving():
            self.run_id = self.result.run_id = self.store.start_run(
                lexicon_digest=self.lexicon.digest, lexicon_source=self.lexicon.source)

    def apply(self, step: Step) -> Job | None:
        """Record what planning decided; the job to run, if any."""
        self.stop.check()
        who, r = step.who, self.result
        if not who.named:
            r.unidentified.append(str(who.source.path))
        with self.stop.saving():
            if isinstance(step, Unreadable):
                r.calls.append(self.store.save_failure(
                    who.meta, source=who.source.kind, path=str(who.source.path),
                    reason=step.reason, error_type=step.error_type, stage="read",
                    lexicon_digest=self.lexicon.digest, run_id=self.run_id))
                r.failed += 1
                self._pre_failed += 1
            elif isinstance(step, Duplicate):
                r.duplicates.append((str(who.source.path), step.same_as))
                r.skipped += 1
            elif isinstance(step, AlreadyScored):
                if step.meta_changed:
                    self.store.update_meta(step.pk, who.meta)
                r.calls.append(step.pk)
                r.skipped += 1
        return step.job if isinstance(step, ToScore) else None

    def execute(self, executor: Executor, jobs: Sequence[Job]) -> None:
        """Run the jobs through ``executor``, saving each outcome as it arrives."""
        self._jobs = len(jobs)
        for job in jobs:
            executor.submit(job)
        for outcome in executor.outcomes():
            if outcome.error_type == "BrokenProcessPool" and self.stop.stop:
                # The signal reached the workers too (a kill of the process
                # group): the file was not scored, a rerun does it.
                continue
            self.record(outcome)
            self.stop.check()

    def record(self, outcome: Outcome) -> None:
        r = self.result
        with self.stop.saving():  # the store and the run's own counts, as one step
            r.calls.append(self._save(outcome))
            r.scored += outcome.ok
            r.failed += not outcome.ok
            for k, v in outcome.seconds.items():
                r.outcomes_seconds[k] = r.outcomes_seconds.get(k, 0.0) + v
            if outcome.transcript is not None and outcome.transcript.duration:
                r.audio_seconds += outcome.transcript.duration
            if outcome.pid:
                r.peak_rss_kb[outcome.pid] = max(r.peak_rss_kb.get(outcome.pid, 0),
                                                 outcome.peak_rss_kb)
        if self.progress:
            self.progress(ProgressEvent(
                done=r.scored + r.failed - self._pre_failed, total=self._jobs,
                path=outcome.job.path, status="ok" if outcome.ok else "failed",
                score=outcome.score.score if outcome.score else None,
                message=outcome.error or ""))

    def _save(self, o: Outcome) -> int:
        job, digest = o.job, self.lexicon.digest
        common = dict(source=job.kind, path=job.path, audio_path=job.audio_path,
                      content_hash=job.content_hash, lexicon_digest=digest, run_id=self.run_id)
        if not o.ok:
            return self.store.save_failure(job.meta, reason=o.error or "no result",
                                           error_type=o.error_type or "Error",
                                           stage=o.stage or "worker", **common)
        assert o.transcript is not None and o.score is not None
        model = (job.model or self.model_name) if job.kind == "audio" else None
        return self.store.save_call(job.meta, o.transcript, o.hits, o.score,
                                    lexicon_source=self.lexicon.source, model=model, **common)

    def finish(self, finished: bool) -> None:
        r = self.result
        with self.stop.saving():
            r.interrupted = not finished
            r.signal = self.stop.signum
            r.not_done = r.files - r.skipped - r.scored - r.failed
            if self.run_id is not None:
                self.store.finish_run(self.run_id, status="complete" if finished else "interrupted",
                                      files=r.files, scored=r.scored, skipped=r.skipped,
                                      failed=r.failed)


def _listens(jobs: Sequence[Job]) -> bool:
    """Whether some job needs the recogniser (:attr:`Job.listens`)."""
    return any(j.listens for j in jobs)
