"""The worker: turns one picklable :class:`Job` into one picklable :class:`Outcome`.

A :class:`Worker` lives in each worker process (or in the parent, with one
job at a time). It builds the matcher once and, on its first recording, the
speech engine (the Vosk model and its recogniser are loaded once per process
and reused); a batch of transcripts never loads a model. A worker never
touches SQLite: the run saves what it returns.

Jobs and outcomes are plain frozen data, so any executor can carry them: the
local process pool (:mod:`phraseguard.calls.pool`) or a distributed one.

Worker processes die with their parent: on Linux the kernel sends them
SIGKILL when the parent goes (``PR_SET_PDEATHSIG``), and a watchdog thread
that checks the parent's pid is the fallback (other systems, or a parent that
died before the signal was armed). A ``kill -9`` of ``phraseguard score`` so
never leaves ~700 MB workers behind.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from phraseguard.calls.callflow import add_flow_hits
from phraseguard.calls.rows import CallMeta
from phraseguard.calls.scoring import CallScore, Scorer
from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.hit import Hit
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import InputError, PhraseguardError
from phraseguard.speech import remote
from phraseguard.speech.transcript import TRANSCRIPT_EXTENSIONS, Role, Transcript

#: Seconds between the watchdog's checks that the parent process is alive.
PARENT_CHECK_SECONDS = 1.0
# prctl(2) option: signal this process when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


class Engine(Protocol):
    def transcribe(
        self, path: str | Path, *, agent_channel: str | None = ..., mono_role: Role = ...
    ) -> Transcript: ...


class EngineFactory(Protocol):
    """Builds a speech engine inside a worker. Must pickle (workers are processes).

    ``prepare()`` runs once in the parent before any recording is dispatched:
    it finds the model (raising ModelError with what to run) and returns the
    factory the workers will use.
    """

    def prepare(self) -> EngineFactory: ...

    def describe(self) -> str: ...

    def __call__(self) -> Engine: ...


@dataclass(frozen=True)
class VoskEngineFactory:
    """The real engine: ``phraseguard.speech.asr.SpeechEngine`` on a resolved model."""

    model: str | None = None  # --model, or None to search
    config_value: str | None = None
    resolved: str | None = None

    def prepare(self) -> VoskEngineFactory:
        from phraseguard.speech.models import resolve_model

        info = resolve_model(self.model, config_value=self.config_value)
        return replace(self, resolved=str(info.path))

    def describe(self) -> str:
        return self.resolved or self.model or ""

    def __call__(self) -> Engine:
        from phraseguard.speech.asr import SpeechEngine

        return SpeechEngine(self.resolved or self.prepare().resolved)


def judged_hits(matcher: Matcher, transcript: Transcript) -> list[list[Hit]]:
    """Each utterance's hits, judged in the conversation (engine/dialogue.py):
    the agent's next utterance may resolve a give-up; customer utterances keep
    theirs (the scorer does not count them)."""
    from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn

    utts = transcript.utterances
    gap = matcher.settings.spoken_pause_seconds
    turns = [Turn(CUSTOMER if u.role is Role.CUSTOMER else AGENT, u.text) for u in utts]
    # The rules that read the customer's turn are searched only after one
    # they can count after (the same hits, judged, at a fraction of the work).
    searched = matcher.dialogue.customer_rules_per_turn(turns)
    hits = [matcher.scan(u.text, pauses=u.pause_offsets(gap), customer_rules=c)
            for u, c in zip(utts, searched, strict=True)]
    judged = matcher.dialogue.judge_dialogue(turns, hits)
    return [found if u.role is Role.CUSTOMER else j
            for u, found, j in zip(utts, hits, judged, strict=True)]


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, sent once to each process."""

    lexicon: Any  # phraseguard.engine.lexicon.Lexicon (pickled whole: same digest everywhere)
    engine_factory: EngineFactory | None
    agent_channel: str | None = None
    mono_role: Role = Role.AGENT
    company: tuple[str, ...] = ()  # {company} for call-flow rules (config `company`)
    call_flow: bool = False  # check the lexicon's call-flow rules too
    # The meaning model's weights (engine/meaning.py), read once by the batch
    # and sent with the lexicon: a worker on another machine needs no copy of
    # the file. None: the rules alone.
    meaning: Any = None


@dataclass(frozen=True)
class Job:
    """One file to score, as a worker receives it."""

    path: str
    kind: str  # "audio" | "transcript" | "unknown" (named explicitly; fails)
    meta: CallMeta
    content_hash: str
    audio_path: str | None = None
    # A recording scored before with another lexicon: its stored transcript
    # (same model, same channel settings) is matched again instead of
    # spending the recogniser's time on it a second time.
    transcript: Transcript | None = None
    model: str | None = None  # the model that made ``transcript``

    @property
    def listens(self) -> bool:
        """Whether the job needs the recogniser (a recording without a stored transcript)."""
        return self.kind == "audio" and self.transcript is None


@dataclass(frozen=True)
class Outcome:
    """A worker's result for one job: a scored call, or why it failed."""

    job: Job
    transcript: Transcript | None = None
    hits: list[list[Hit]] = field(default_factory=list)
    score: CallScore | None = None
    error: str | None = None
    error_type: str | None = None
    stage: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # transcribe/read, match, score
    pid: int = 0
    peak_rss_kb: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and self.transcript is not None and self.score is not None

    @classmethod
    def failed(cls, job: Job, exc: BaseException | str, *, stage: str,
               error_type: str | None = None) -> Outcome:
        """A failure outcome; ``exc`` an exception or the reason itself."""
        if isinstance(exc, BaseException):
            return cls(job, error=reason(exc, job.path), error_type=type(exc).__name__,
                       stage=stage)
        return cls(job, error=exc, error_type=error_type or "Error", stage=stage)


@dataclass
class _Call:
    """One job on its way through :meth:`Worker.process_many`."""

    job: Job
    first: str  # the first stage's name: reuse, transcribe or read
    transcript: Transcript | None = None
    hits: list[list[Hit]] | None = None
    score: CallScore | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    failed: Outcome | None = None

    def outcome(self) -> Outcome:
        if self.failed is not None:
            return self.failed
        return Outcome(self.job, self.transcript, self.hits or [], self.score,
                       seconds=self.seconds)


class Worker:
    """Per-process state: the matcher built once, the engine built on first use."""

    def __init__(self, config: WorkerConfig) -> None:
        from phraseguard.engine.matcher import Matcher
        from phraseguard.engine.meaning_files import attach_meaning

        self.config = config
        self.matcher = Matcher(config.lexicon)
        # Turns no rule matched are read by the meaning model the lexicon
        # names ([meaning] enabled: the QA policy, not a command-line choice).
        attach_meaning(self.matcher, config.meaning)
        # Unknown-role speech (plain text, mono) belongs to whoever mono speech
        # belongs to: the agent unless --mono-role customer.
        self.scorer = Scorer(config.lexicon, unknown_is_agent=config.mono_role is Role.AGENT)
        # The call-flow matchers share the matcher's loaded tables (folds,
        # word graph): loaded once a worker, not once a rule.
        self.flow = (CallFlow(config.lexicon, company=config.company or None,
                              tables=self.matcher.tables)
                     if config.call_flow else None)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.config.engine_factory is None:
                raise PhraseguardError("no speech engine configured for recordings")
            self._engine = self.config.engine_factory()
        return self._engine

    def process(self, job: Job) -> Outcome:
        """Read or transcribe, match and score one file; never raises."""
        return self.process_many([job])[0]

    def process_many(self, jobs: Sequence[Job]) -> list[Outcome]:
        """:meth:`process` for each job, one outcome each in order; never raises.

        The jobs go through each stage together (read all, match all, check
        the call flow of all, score all) rather than one job through every
        stage: a stage's tables and compiled patterns then stay in the
        processor's caches from one call to the next instead of being pushed
        out by the other stages at every call (interleaved, the call-flow
        check cost two to three times as much as on its own; see
        bench/callflow_speed.md). A failure stays with its job.
        """
        calls = [_Call(j, "reuse" if j.transcript is not None else (
            "transcribe" if j.kind == "audio" else "read")) for j in jobs]
        self._each(calls, None, self._read)
        self._each(calls, "match", self._match)
        # Missing greeting/closing, dead air...: hits on their utterances
        # (counted as matching time, as they always were).
        self._each(calls, "match", self._check_flow)
        self._each(calls, "score", self._score)
        pid = os.getpid()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return [replace(c.outcome(), pid=pid, peak_rss_kb=rss) for c in calls]

    @staticmethod
    def _each(calls: list[_Call], stage: str | None, step: Callable[[_Call], None]) -> None:
        """Run ``step`` on every call still going (``stage`` None: the call's first
        stage, read / transcribe / reuse); a failure ends that call only."""
        for call in calls:
            if call.failed is not None:
                continue
            name = stage or call.first
            t0 = time.perf_counter()
            try:
                step(call)
            except Exception as exc:  # noqa: BLE001 - any failure is a failed row, not a crash
                call.failed = Outcome.failed(call.job, exc, stage=name)
            else:
                call.seconds[name] = call.seconds.get(name, 0.0) + time.perf_counter() - t0

    def _read(self, call: _Call) -> None:
        call.transcript = self._transcript(call.job)

    def _match(self, call: _Call) -> None:
        assert call.transcript is not None
        call.hits = judged_hits(self.matcher, call.transcript)

    def _check_flow(self, call: _Call) -> None:
        assert call.transcript is not None and call.hits is not None
        add_flow_hits(self.flow, call.transcript, call.hits, agent=call.job.meta.agent,
                      unknown_is_agent=self.scorer.unknown_is_agent)

    def _score(self, call: _Call) -> None:
        assert call.transcript is not None and call.hits is not None
        call.score = self.scorer.score(call.transcript, call.hits)

    def _transcript(self, job: Job) -> Transcript:
        path = Path(job.path)
        if job.kind == "unknown":
            raise InputError(
                path,
                f"not a recording or a transcript (file type {path.suffix or 'none'}; "
                f"transcripts end in {', '.join(TRANSCRIPT_EXTENSIONS)})",
            )
        url = remote.is_url(job.path)  # a recording in object storage (s3://...)
        if (remote.size(job.path) if url else path.stat().st_size) == 0:
            raise InputError(job.path, "empty file")
        if job.transcript is not None:
            return job.transcript
        if job.kind == "audio":
            return self.engine.transcribe(
                job.path if url else path, agent_channel=self.config.agent_channel,
                mono_role=self.config.mono_role,
            )
        from phraseguard.speech.transcript import load_transcript

        return load_transcript(path)


def reason(exc: BaseException, path: str | None = None) -> str:
    """One line saying why; the file's own name is dropped (the row names it)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if path and text.startswith(f"{path}: "):
        text = text[len(path) + 2 :]
    if isinstance(exc, PhraseguardError):
        return text or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- inside a worker process ----------------------------------------------------

# The one worker of this process. A process pool's initializer can only leave
# state in the module: it lives in worker processes only, never in the parent.
_worker: Worker | None = None


def init_worker_process(config: WorkerConfig, parent_pid: int, death_signal: bool) -> None:
    """Pool initializer: die with the parent, leave Ctrl-C to it, build the Worker."""
    global _worker
    # Ctrl-C reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid, death_signal=death_signal)
    _worker = Worker(config)


def die_with_parent(parent_pid: int, *, death_signal: bool = True) -> None:
    """End this process when ``parent_pid`` is gone: the kernel's signal, then a watchdog.

    ``death_signal`` is False when the pool was started from a thread other
    than the main one: Linux sends the signal when the creating THREAD
    exits, which would kill workers of a parent that is still alive.
    """
    if death_signal and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog below still works
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)  # orphaned: nobody will read our result

    threading.Thread(target=watch, name="phraseguard-parent-watchdog", daemon=True).start()


def run_jobs(jobs: Sequence[Job]) -> list[Outcome]:
    """The job function a pool calls in a worker process: a group of jobs, stage
    by stage (:meth:`Worker.process_many`)."""
    assert _worker is not None, "worker not initialised"
    return _worker.process_many(jobs)


def warm_job(seconds: float) -> int:
    """Build the engine (load the model) in this worker; used to time warm runs."""
    assert _worker is not None
    _ = _worker.engine
    time.sleep(seconds)  # keep this worker busy so the next warm job likely lands on another
    return os.getpid()
