"""The batch front door: score folders of recorded calls and transcripts.

    inputs ──> discover ──> plan (metadata, sha256, skip) ──> workers ──> parent ──> store
                                                            (transcribe,          (one
                                                             match, score)         transaction
                                                                                   per call)

- **Workers** are processes (one per core by default). Each builds the
  matcher once and, on its first recording, the speech engine (the Vosk model
  and its recogniser are loaded once per process and reused); a batch of
  transcripts never loads a model. Workers never touch SQLite.
- **The parent** writes each call to the store as soon as it completes, in
  one transaction, so a crash or kill loses no finished call and leaves no
  half-written one. A rerun skips files whose content (sha256) was already
  scored with the same lexicon, unless ``rescore``.
- **Failures** (unreadable, corrupt, empty, wrong format, a worker that died)
  become ``failed`` calls with their reason; the batch goes on.
- **Ctrl-C / SIGTERM** stops dispatching, keeps what finished, marks the run
  interrupted. A call being saved when the signal comes is saved first.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from phraseguard.speech.audio import AUDIO_EXTENSIONS
from phraseguard.errors import ConfigError, InputError, PhraseguardError
from phraseguard.engine.hit import Hit
from phraseguard.calls.callflow import add_flow_hits
from phraseguard.calls.scoring import CallScore, Scorer
from phraseguard.engine.callflow import CallFlow
from phraseguard.calls.store import CallMeta, Store
from phraseguard.speech.transcript import TRANSCRIPT_EXTENSIONS, Role, Transcript

#: Filename pattern used when neither --pattern nor a manifest says who took a call.
DEFAULT_PATTERN = "{date}_{agent}_{call_id}"
#: Bytes read at a time while hashing (files are never loaded whole).
HASH_CHUNK = 1 << 20
#: Jobs queued per worker: enough to keep workers busy, few enough that Ctrl-C
#: or a dead worker affects only a handful of files.
QUEUE_PER_WORKER = 2

_FIELD_RE = re.compile(r"\{(\w*)\}")
_FIELD_PATTERNS = {
    # A date like 2024-05-01, 20240501 or 2024-05-01T103000.
    "date": r"\d{4}-?\d{2}-?\d{2}(?:[T ]?\d{2}:?\d{2}(?::?\d{2})?)?",
    "agent": r".+?",
    "team": r".+?",
    "call_id": r".+",
    "": r".*?",  # {} skips a part of the name
}


# --- inputs --------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One file to score: a recording or a transcript (with its recording, if found)."""

    path: Path
    kind: str  # "audio", "transcript", or "unknown" (named explicitly; will fail)
    audio_path: Path | None = None  # the recording a report can play


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in AUDIO_EXTENSIONS:
        return "audio"
    if suffix in TRANSCRIPT_EXTENSIONS:
        return "transcript"
    return None


def _call_stem(path: Path) -> str:
    """``call1`` for call1.wav, call1.json and call1.wav.json alike."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    inner = Path(stem)
    if inner.suffix.lower() in AUDIO_EXTENSIONS:
        return stem[: -len(inner.suffix)]
    return stem


def discover(inputs: Iterable[str | Path]) -> list[Source]:
    """Expand files and folders (recursively) into sources, in a stable order.

    Folders contribute the files whose endings are audio or transcripts;
    other files there (a manifest, a README) are ignored. A file named
    explicitly is always tried, so a wrong-format file becomes a failed call
    rather than being skipped silently. A recording and a transcript of the
    same call (``call1.wav`` and ``call1.json`` side by side) are one call:
    the transcript is scored (no need to transcribe again) and the recording
    is kept for playback.
    """
    seen: dict[Path, None] = {}
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and _kind(f) is not None:
                    seen[f.absolute()] = None
        else:
            seen[p.absolute()] = None
    files = list(seen)
    transcripts = {(f.parent, _call_stem(f)): f for f in files if _kind(f) == "transcript"}
    out: list[Source] = []
    paired: set[Path] = set()
    for f in files:
        if _kind(f) == "audio" and (f.parent, _call_stem(f)) in transcripts:
            paired.add(f)
    for f in files:
        if f in paired:
            continue
        kind = _kind(f) or "unknown"
        audio = f if kind == "audio" else _sibling_audio(f, files) if kind == "transcript" else None
        out.append(Source(f, kind, audio))
    return out


def _sibling_audio(transcript: Path, inputs: Sequence[Path]) -> Path | None:
    key = (transcript.parent, _call_stem(transcript))
    for f in inputs:
        if _kind(f) == "audio" and (f.parent, _call_stem(f)) == key:
            return f
    for ext in AUDIO_EXTENSIONS:
        candidate = transcript.with_name(key[1] + ext)
        if candidate.is_file():
            return candidate.absolute()
    return None


# --- who took the call -------------------------------------------------------


class FilenamePattern:
    """Reads call id, agent, team and date from a file name.

    Fields: ``{call_id}``, ``{agent}``, ``{team}``, ``{date}`` and ``{}`` for
    a part to ignore; everything else is literal. The pattern matches the
    name without its extension; with ``/`` in it, the last folders too
    (``{team}/{agent}/{call_id}``).
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        parts: list[str] = []
        pos = 0
        fields: list[str] = []
        for m in _FIELD_RE.finditer(pattern):
            name = m.group(1)
            if name not in _FIELD_PATTERNS:
                known = ", ".join("{" + f + "}" for f in _FIELD_PATTERNS if f)
                raise ConfigError(f"--pattern {pattern!r}: unknown field {{{name}}} (use {known})")
            if name and name in fields:
                raise ConfigError(f"--pattern {pattern!r}: {{{name}}} appears twice")
            parts.append(re.escape(pattern[pos : m.start()]))
            parts.append(f"(?P<{name}>{_FIELD_PATTERNS[name]})" if name else _FIELD_PATTERNS[""])
            fields.append(name)
            pos = m.end()
        parts.append(re.escape(pattern[pos:]))
        self._re = re.compile("".join(parts) + r"\Z")
        self._depth = pattern.count("/") + 1

    def match(self, path: Path) -> CallMeta | None:
        parts = list(path.parent.parts[-(self._depth - 1) :]) if self._depth > 1 else []
        target = "/".join([*parts, _call_stem(path)])
        m = self._re.match(target)
        if not m:
            return None
        g = m.groupdict()
        return CallMeta(
            call_id=g.get("call_id") or _call_stem(path),
            agent=g.get("agent"),
            team=g.get("team"),
            date=_iso_date(g.get("date")),
        )


def _iso_date(value: str | None) -> str | None:
    """20240501 -> 2024-05-01 (sortable as text); other forms pass through."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ]?(\d{2}):?(\d{2})(?::?(\d{2}))?)?", value)
    if not m:
        return value
    y, mo, d, h, mi, s = m.groups()
    out = f"{y}-{mo}-{d}"
    if h:
        out += f"T{h}:{mi}" + (f":{s}" if s else "")
    return out


class Manifest:
    """A CSV listing calls: ``path`` (or ``file``), ``call_id``, ``agent``, ``team``, ``date``.

    Only the path column is required. Paths are relative to the manifest's
    folder (or absolute); a bare file name matches that file in any folder.
    """

    COLUMNS = ("call_id", "agent", "team", "date")

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._by_path: dict[Path, dict[str, str]] = {}
        self._by_name: dict[str, dict[str, str]] = {}
        try:
            with open(self.path, newline="", encoding="utf-8-sig") as fp:
                reader = csv.DictReader(fp)
                header = [h.strip().lower() for h in reader.fieldnames or []]
                key = "path" if "path" in header else "file" if "file" in header else None
                if key is None:
                    raise InputError(self.path, "manifest needs a 'path' or 'file' column")
                for row in reader:
                    row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                    name = row.get(key, "")
                    if not name:
                        continue
                    p = Path(name)
                    full = p if p.is_absolute() else self.path.parent / p
                    self._by_path[full.absolute()] = row
                    self._by_name.setdefault(p.name, row)
        except OSError as exc:
            raise InputError(self.path, f"cannot read manifest: {exc.strerror}") from exc
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(self.path, f"not a readable CSV manifest: {exc}") from exc

    def lookup(self, path: Path) -> dict[str, str] | None:
        return self._by_path.get(path.absolute()) or self._by_name.get(path.name)


def call_meta(
    path: Path, *, manifest: Manifest | None = None, pattern: FilenamePattern | None = None
) -> tuple[CallMeta, bool]:
    """Who took the call in ``path``; the flag says whether anything identified it.

    The manifest wins field by field; the file name pattern fills the rest;
    the call id is the file name's stem when nothing else says.
    """
    from_name = pattern.match(path) if pattern else None
    row = manifest.lookup(path) if manifest else None
    if row is None and from_name is None:
        return CallMeta(call_id=_call_stem(path)), False
    base = from_name or CallMeta(call_id=_call_stem(path))
    if row:
        base = CallMeta(
            call_id=row.get("call_id") or base.call_id,
            agent=row.get("agent") or base.agent,
            team=row.get("team") or base.team,
            date=_iso_date(row.get("date")) or base.date,
        )
    return base, True


def file_hash(path: str | Path) -> str:
    """sha256 of the file's bytes, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fp:
        while chunk := fp.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


# --- workers ---------------------------------------------------------------


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


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs, sent once to each process."""

    lexicon: Any  # phraseguard.engine.lexicon.Lexicon (pickled whole: same digest everywhere)
    engine_factory: EngineFactory | None
    agent_channel: str | None = None
    mono_role: Role = Role.AGENT
    company: tuple[str, ...] = ()  # {company} for call-flow rules (config `company`)
    call_flow: bool = False  # check the lexicon's call-flow rules too


@dataclass(frozen=True)
class Job:
    path: str
    kind: str  # "audio" | "transcript"
    meta: CallMeta
    content_hash: str
    audio_path: str | None = None
    # A recording scored before with another lexicon: its stored transcript
    # (same model, same channel settings) is matched again instead of
    # spending the recogniser's time on it a second time.
    transcript: Transcript | None = None
    model: str | None = None  # the model that made ``transcript``


@dataclass
class Outcome:
    """A worker's result for one job: a scored call, or why it failed."""

    job: Job
    transcript: Transcript | None = None
    hits: list[list[Hit]] = field(default_factory=list)
    score: CallScore | None = None
    counted: list[bool] = field(default_factory=list)
    error: str | None = None
    error_type: str | None = None
    stage: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # transcribe/read, match, score
    pid: int = 0
    peak_rss_kb: int = 0


class Worker:
    """Per-process state: the matcher built once, the engine built on first use."""

    def __init__(self, config: WorkerConfig) -> None:
        from phraseguard.engine.matcher import Matcher

        self.config = config
        self.matcher = Matcher(config.lexicon)
        # Unknown-role speech (plain text, mono) belongs to whoever mono speech
        # belongs to: the agent unless --mono-role customer.
        self.scorer = Scorer(config.lexicon, unknown_is_agent=config.mono_role is Role.AGENT)
        self.flow = (CallFlow(config.lexicon, company=config.company or None)
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
        out = Outcome(job=job, pid=os.getpid())
        first = "reuse" if job.transcript is not None else (
            "transcribe" if job.kind == "audio" else "read")
        stage = first
        try:
            t0 = time.perf_counter()
            transcript = self._transcript(job)
            t1 = time.perf_counter()
            stage = "match"
            hits = [self.matcher.scan(u.text) for u in transcript.utterances]
            # Missing greeting/closing, dead air...: hits on their utterances.
            add_flow_hits(self.flow, transcript, hits, agent=job.meta.agent,
                          unknown_is_agent=self.scorer.unknown_is_agent)
            t2 = time.perf_counter()
            stage = "score"
            score = self.scorer.score(transcript, hits)
            t3 = time.perf_counter()
        except Exception as exc:  # noqa: BLE001 - any failure is a failed row, not a crash
            out.error = _reason(exc, job.path)
            out.error_type = type(exc).__name__
            out.stage = stage
        else:
            out.transcript = transcript
            out.hits = hits
            out.score = score
            out.counted = [self.scorer.counts(u) for u in transcript.utterances]
            out.seconds = {stage_name: s for stage_name, s in (
                (first, t1 - t0),
                ("match", t2 - t1),
                ("score", t3 - t2),
            )}  # fmt: skip
        out.peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return out

    def _transcript(self, job: Job) -> Transcript:
        path = Path(job.path)
        if job.kind == "unknown":
            raise InputError(
                path,
                f"not a recording or a transcript (file type {path.suffix or 'none'}; "
                f"transcripts end in {', '.join(TRANSCRIPT_EXTENSIONS)})",
            )
        if path.stat().st_size == 0:
            raise InputError(path, "empty file")
        if job.transcript is not None:
            return job.transcript
        if job.kind == "audio":
            return self.engine.transcribe(
                path, agent_channel=self.config.agent_channel, mono_role=self.config.mono_role
            )
        from phraseguard.speech.transcript import load_transcript

        return load_transcript(path)


def _reason(exc: BaseException, path: str | None = None) -> str:
    """One line saying why; the file's own name is dropped (the row names it)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if path and text.startswith(f"{path}: "):
        text = text[len(path) + 2 :]
    if isinstance(exc, PhraseguardError):
        return text or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# The one worker of this process. A process pool's initializer can only leave
# state in the module: it lives in worker processes only, never in the parent.
_worker: Worker | None = None


def _init_worker(config: WorkerConfig) -> None:
    global _worker
    # Ctrl-C reaches the whole process group; the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(config)


def _run_job(job: Job) -> Outcome:
    assert _worker is not None, "worker not initialised"
    return _worker.process(job)


def _warm_job(seconds: float) -> int:
    """Build the engine (load the model) in this worker; used to time warm runs."""
    assert _worker is not None
    _ = _worker.engine
    time.sleep(seconds)  # keep this worker busy so the next warm job likely lands on another
    return os.getpid()


#: Rounds of warm jobs tried before giving up on reaching every worker, and how
#: much longer each round keeps a worker busy than the one before.
WARM_ATTEMPTS = 5
WARM_HOLD_STEP = 0.25


class WorkerPool:
    """A process pool of :class:`Worker`; use as a context manager.

    ``jobs=1`` runs in this process (no pickling, no start-up cost).
    """

    def __init__(self, config: WorkerConfig, jobs: int) -> None:
        self.config = config
        self.jobs = max(1, jobs)
        self._executor: ProcessPoolExecutor | None = None
        self._inline: Worker | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def inline(self) -> bool:
        return self.jobs == 1

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            import multiprocessing

            # spawn: a forked child would inherit the parent's threads' locks
            # (progress bar, SQLite) and Vosk is not fork-safe once loaded.
            self._executor = ProcessPoolExecutor(
                self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.config,),
            )
        return self._executor

    def worker(self) -> Worker:
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
            ex = self.executor()
            seconds = hold + WARM_HOLD_STEP * attempt  # a worker still starting needs longer
            futures = [ex.submit(_warm_job, seconds) for _ in range(self.jobs)]
            seen.update(f.result() for f in futures)
            if len(seen) >= self.jobs:
                return seen
        raise PhraseguardError(
            f"warm-up reached {len(seen)} of {self.jobs} workers after {WARM_ATTEMPTS} rounds"
        )

    def broken(self) -> None:
        """Forget a pool whose worker died; the next use starts a fresh one."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self, *, kill: bool = False) -> None:
        if self._executor is None:
            return
        ex, self._executor = self._executor, None
        if kill:
            # Ctrl-C: don't wait minutes for a long call to finish; its result
            # would be discarded anyway (only finished calls are kept).
            ex.shutdown(wait=False, cancel_futures=True)
            for p in list((getattr(ex, "_processes", None) or {}).values()):
                p.terminate()
        ex.shutdown(wait=True, cancel_futures=True)


# --- the run -----------------------------------------------------------------


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
    call_flow: bool = False  # also check [[required]]/[[timing]] rules (score --call-flow)


@dataclass(frozen=True)
class ProgressEvent:
    """One finished file, for a progress bar: ``done`` of ``total`` jobs."""

    done: int
    total: int
    path: str
    status: str  # "ok", "failed"
    score: float | None = None
    message: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


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
    calls: list[int] = field(default_factory=list)
    interrupted: bool = False
    signal: int | None = None  # the signal that stopped the run (SIGINT or SIGTERM)
    not_done: int = 0  # inputs neither scored, failed nor skipped when interrupted
    reused: int = 0  # recordings scored from their stored transcript
    outcomes_seconds: dict[str, float] = field(default_factory=dict)  # summed stage times
    audio_seconds: float = 0.0
    peak_rss_kb: dict[int, int] = field(default_factory=dict)  # worker pid -> peak RSS


class _StopFlag:
    """SIGINT/SIGTERM: raise KeyboardInterrupt, except while a call is being saved.

    During a save (the store write *and* the run's bookkeeping of it) the
    signal only sets ``stop``; the loop stops after the save. This way a
    finished call is never lost to Ctrl-C, neither from the store nor from
    the run's counts. ``signum`` says which signal came.
    """

    def __init__(self) -> None:
        self.stop = False
        self.signum: int | None = None
        self._saving = False

    def handler(self, signum, frame) -> None:
        first = not self.stop
        self.stop = True
        self.signum = self.signum or signum
        # Only the first signal interrupts: a second one while the run is
        # already stopping must not cut short the recording of its end.
        if first and not self._saving:
            raise KeyboardInterrupt

    def check(self) -> None:
        """Raise KeyboardInterrupt if a signal came during a save."""
        if self.stop:
            raise KeyboardInterrupt

    @contextmanager
    def saving(self) -> Iterator[None]:
        self._saving = True
        try:
            yield
        finally:
            self._saving = False

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        old = {s: signal.signal(s, self.handler) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for s, h in old.items():
                signal.signal(s, h)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_batch(
    inputs: Sequence[str | Path],
    store: Store,
    lexicon: Any,
    *,
    options: BatchOptions = BatchOptions(),
    engine_factory: EngineFactory | None = None,
    progress: ProgressCallback | None = None,
    pool: WorkerPool | None = None,
) -> BatchResult:
    """Score ``inputs`` into ``store``; returns counts and the calls' ids.

    ``engine_factory`` is needed only when there are recordings to score
    (default: Vosk with the model found by ``phraseguard.speech.models``). ``pool``
    lets a caller reuse warm workers across runs (the benchmark does);
    otherwise one is made for this run with ``options.jobs`` workers.
    """
    if options.call_flow and lexicon.flow:
        # Scored with call-flow rules is another result than without: a call
        # scored without them is scored again, not skipped.
        lexicon = replace(lexicon, digest=f"{lexicon.digest}+flow")
    manifest = Manifest(options.manifest) if options.manifest else None
    pattern = FilenamePattern(options.pattern or DEFAULT_PATTERN)
    sources = discover(inputs)
    if not sources:
        raise InputError(", ".join(map(str, inputs)) or ".", "no recordings or transcripts found")
    factory = _PreparedFactory(engine_factory or VoskEngineFactory())
    if any(s.kind == "audio" for s in sources):
        # Find the model before the run is recorded. A failure is remembered,
        # not raised: recordings already scored (or reusing their stored
        # transcript) need no model, and that is known only after hashing.
        factory.name_or_none()
    stop = _StopFlag()
    own_pool = pool is None
    result = BatchResult(run_id=0, files=len(sources))
    pre_failed = 0  # files that failed while planning (unreadable)
    jobs: list[Job] = []
    finished = False

    def record(outcome: Outcome) -> None:
        ok = outcome.error is None
        with stop.saving():  # the store and the run's own counts, as one step
            pk = _save(store, outcome, lexicon, model_name, run_id)
            result.calls.append(pk)
            result.scored += ok
            result.failed += not ok
            for k, v in outcome.seconds.items():
                result.outcomes_seconds[k] = result.outcomes_seconds.get(k, 0.0) + v
            if outcome.transcript is not None and outcome.transcript.duration:
                result.audio_seconds += outcome.transcript.duration
            if outcome.pid:
                result.peak_rss_kb[outcome.pid] = max(
                    result.peak_rss_kb.get(outcome.pid, 0), outcome.peak_rss_kb
                )
        if progress:
            progress(
                ProgressEvent(
                    done=result.scored + result.failed - pre_failed,
                    total=len(jobs),
                    path=outcome.job.path,
                    status="ok" if ok else "failed",
                    score=outcome.score.score if outcome.score else None,
                    message=outcome.error or "",
                )
            )

    model_name: str | None = None
    run_id: int | None = None
    with stop.installed():  # before hashing: Ctrl-C while planning stops cleanly too
        try:
            with stop.saving():
                run_id = result.run_id = store.start_run(
                    lexicon_digest=lexicon.digest, lexicon_source=lexicon.source
                )
            jobs = _plan(sources, store, lexicon, options, manifest, pattern, run_id, result,
                         model_name=factory.name_or_none, stop=stop)  # fmt: skip
            pre_failed = result.failed
            result.reused = sum(j.transcript is not None for j in jobs)
            if any(j.kind == "audio" and j.transcript is None for j in jobs):
                engine_factory = factory.prepared()  # raises ModelError with what to run
                model_name = engine_factory.describe()
            config = WorkerConfig(lexicon, engine_factory, options.agent_channel,
                                  options.mono_role, tuple(options.company),
                                  options.call_flow)  # fmt: skip
            if pool is None:
                pool = WorkerPool(config, min(options.jobs or default_jobs(), max(1, len(jobs))))
            if pool.inline:
                for job in jobs:
                    stop.check()
                    record(pool.worker().process(job))
            else:
                _run_pooled(pool, jobs, record, stop)
            stop.check()
            finished = True
        except KeyboardInterrupt:
            stop.stop = True
        finally:
            # Always closed: a run that did not finish (Ctrl-C, SIGTERM, no
            # model, a store error) is recorded as interrupted, never left running.
            with stop.saving():
                result.interrupted = not finished
                result.signal = stop.signum
                result.not_done = result.files - result.skipped - result.scored - result.failed
                if run_id is not None:
                    store.finish_run(
                        run_id,
                        status="complete" if finished else "interrupted",
                        files=result.files,
                        scored=result.scored,
                        skipped=result.skipped,
                        failed=result.failed,
                    )
            if own_pool and pool is not None:
                pool.close(kill=not finished)
    return result


class _PreparedFactory:
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


def _reusable(store: Store, digest: str, path: Path, options: BatchOptions,
              model_name: Callable[[], str | None]) -> tuple[Transcript, str] | None:
    """The stored transcript of this recording, if it is what transcribing would give.

    Only when the recording was transcribed before (same content), by the
    same model, and its utterances carry the roles and channels the current
    --agent-channel / --mono-role settings would give them.
    """
    row = store.find_by_hash(digest)
    if row is None or row.status != "ok" or row.source != "audio" or not row.model:
        return None
    if row.model != model_name():
        return None
    transcript = store.transcript(row.pk)
    if not transcript.utterances:
        return None  # nothing heard: maybe the settings were wrong; listen again
    from phraseguard.speech import audio

    try:
        channels = audio.probe(path).channels
    except PhraseguardError:
        return None
    split = options.agent_channel is not None and channels == 2
    agent = audio.channel_index(options.agent_channel) if split else None
    for u in transcript.utterances:
        if split:
            expected = (u.channel, Role.AGENT if u.channel == agent else Role.CUSTOMER)
            if u.channel not in (0, 1) or (u.channel, u.role) != expected:
                return None
        elif u.role is not options.mono_role or u.channel not in (None, 0):
            return None  # one speaker then: any channel-1 speech was a split
    return transcript, row.model


def _plan(
    sources: Sequence[Source],
    store: Store,
    lexicon: Any,
    options: BatchOptions,
    manifest: Manifest | None,
    pattern: FilenamePattern,
    run_id: int,
    result: BatchResult,
    *,
    model_name: Callable[[], str | None] = lambda: None,
    stop: _StopFlag | None = None,
) -> list[Job]:
    """Identify, hash and filter the sources; unreadable files fail here.

    Store writes and their bookkeeping in ``result`` happen inside
    ``stop.saving()``, so a signal cannot separate them.
    """
    stop = stop or _StopFlag()
    jobs: list[Job] = []
    by_hash: dict[str, str] = {}
    for src in sources:
        stop.check()
        meta, identified = call_meta(src.path, manifest=manifest, pattern=pattern)
        if not identified or meta.agent is None:
            result.unidentified.append(str(src.path))
        audio = str(src.audio_path) if src.audio_path else None
        try:
            digest = file_hash(src.path)
        except OSError as exc:
            with stop.saving():
                pk = store.save_failure(
                    meta,
                    source=src.kind,
                    path=str(src.path),
                    reason=f"cannot read: {exc.strerror or exc}",
                    error_type=type(exc).__name__,
                    stage="read",
                    lexicon_digest=lexicon.digest,
                    run_id=run_id,
                )
                result.calls.append(pk)
                result.failed += 1
            continue
        if digest in by_hash:
            with stop.saving():
                result.duplicates.append((str(src.path), by_hash[digest]))
                result.skipped += 1
            continue
        by_hash[digest] = str(src.path)
        if not options.rescore and store.already_scored(digest, lexicon.digest):
            row = store.find_by_hash(digest)
            assert row is not None
            with stop.saving():
                if (row.call_id, row.agent, row.team, row.date) != (
                    meta.call_id, meta.agent, meta.team, meta.date
                ):  # fmt: skip
                    store.update_meta(row.pk, meta)
                result.calls.append(row.pk)
                result.skipped += 1
            continue
        reuse = None
        if src.kind == "audio" and not options.retranscribe:
            reuse = _reusable(store, digest, src.path, options, model_name)
        if reuse is not None:
            jobs.append(Job(str(src.path), src.kind, meta, digest, audio,
                            transcript=reuse[0], model=reuse[1]))
        else:
            jobs.append(Job(str(src.path), src.kind, meta, digest, audio))
    return jobs


def _run_pooled(
    pool: WorkerPool, jobs: Sequence[Job], record: Callable[[Outcome], None], stop: _StopFlag
) -> None:
    """Keep a few jobs per worker in flight; record each as it completes."""
    queue = list(reversed(jobs))
    limit = pool.jobs * QUEUE_PER_WORKER
    running: dict[Future, Job] = {}
    while (queue or running) and not stop.stop:
        while queue and len(running) < limit:
            job = queue.pop()
            try:
                running[pool.executor().submit(_run_job, job)] = job
            except BrokenProcessPool:
                pool.broken()
                queue.append(job)
                break
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for fut in done:
            job = running.pop(fut)
            try:
                outcome = fut.result()
            except BrokenProcessPool:
                pool.broken()
                if stop.stop:
                    # The signal reached the workers too (a kill of the process
                    # group): the file was not scored, a rerun does it.
                    continue
                outcome = Outcome(
                    job=job,
                    error="the worker process died while this file was queued or being scored "
                    "(out of memory or a crash in the decoder); rerun to retry",
                    error_type="BrokenProcessPool",
                    stage="worker",
                )
            except Exception as exc:  # noqa: BLE001 - e.g. a result that failed to pickle
                outcome = Outcome(job=job, error=_reason(exc, job.path), error_type=type(exc).__name__,
                                  stage="worker")  # fmt: skip
            record(outcome)


def _save(store: Store, o: Outcome, lexicon: Any, model: str | None, run_id: int) -> int:
    job = o.job
    if o.error is not None or o.transcript is None or o.score is None:
        return store.save_failure(
            job.meta,
            source=job.kind,
            path=job.path,
            audio_path=job.audio_path,
            content_hash=job.content_hash,
            reason=o.error or "no result",
            error_type=o.error_type or "Error",
            stage=o.stage or "worker",
            lexicon_digest=lexicon.digest,
            run_id=run_id,
        )
    return store.save_call(
        job.meta,
        o.transcript,
        o.hits,
        o.score,
        source=job.kind,
        path=job.path,
        audio_path=job.audio_path,
        content_hash=job.content_hash,
        counted=o.counted,
        lexicon_digest=lexicon.digest,
        lexicon_source=lexicon.source,
        model=(job.model or model) if job.kind == "audio" else None,
        run_id=run_id,
    )
