"""The live front door: audio in, alerts out while the agent is still speaking.

    source (device | file) -> Recognizer.feed -> partial / final segments
        partial: Matcher.scan -> AlertTracker.partial -> hit events (early alerts)
        final:   Matcher.scan -> AlertTracker.final -> hit / retract events,
                 Scorer.deductions_for -> Store.append_utterance -> utterance event

Nothing here touches the terminal: what happens goes out as events
(:mod:`phraseguard.live.events`) to the sinks the caller passes in (a screen,
a JSON Lines file). The session is saved into the results store as it goes:
the call is opened ``in_progress`` when capture starts and each final
utterance is committed the moment it is recognised, so a crash loses at most
the utterance being spoken.

Stopping: :meth:`LiveSession.request_stop` (what SIGINT/SIGTERM call through
:func:`stop_on_signals`) stops capture; audio already captured is still
recognised, the session_end event written and the call finished. A device
that fails mid-session ends the session the same way, with the call marked
failed and the AudioError raised afterwards for a non-zero exit. A second
Ctrl-C (:meth:`LiveSession.request_abort`, then KeyboardInterrupt) skips the
recognition still to do, but the call is still finished ("interrupted") and
the source closed.

A sink that fails (a closed ``--events -`` pipe, a full disk) is switched off
and reported once as a ``warning`` event to the others; monitoring goes on.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from phraseguard.live.alerts import AlertTracker, Located, Occurrence, alertable
from phraseguard.speech.audio import SAMPLE_RATE
from phraseguard.speech.capture import (
    MAX_BACKLOG_SECONDS,
    AudioSource,
    DeviceSource,
    FileSource,
    WavRecorder,
    resolve_device,
    rms_dbfs,
)
from phraseguard.engine.hit import Hit
from phraseguard.live.events import (
    Alert,
    Event,
    Notice,
    Partial,
    Retract,
    SessionEnd,
    SessionStart,
    Sink,
    Status,
    UtteranceDone,
    UtteranceHit,
)
from phraseguard.calls.scoring import Deduction, Scorer
from phraseguard.speech.transcript import Role, Utterance

#: Seconds of silence fed to a fresh recogniser before capture starts: Vosk's
#: first real decoding costs about 0.7 s, which would otherwise delay the
#: first alert of the session.
WARMUP_SECONDS = 1.0
#: Seconds between status events (input level, backlog) for the screen.
STATUS_INTERVAL = 0.2
#: Longest wait for a block before the loop checks for a stop request.
READ_TIMEOUT = 0.05
#: Default results store, the same file ``phraseguard score`` writes.
DEFAULT_DB = "phraseguard.db"


class SegmentLike(Protocol):
    text: str
    final: bool

    def to_utterance(self, role: Role = ..., channel: int | None = ...) -> Utterance: ...


class RecognizerLike(Protocol):
    """The recogniser seam of :mod:`phraseguard.speech.asr` (a fake one in tests)."""

    sample_rate: int

    def feed(self, pcm: bytes) -> Sequence[SegmentLike]: ...

    def finish(self) -> Sequence[SegmentLike]: ...


class MatcherLike(Protocol):
    def scan(self, text: str) -> list[Hit]: ...


class StoreLike(Protocol):
    """The live half of :class:`phraseguard.calls.store.Store`."""

    def begin_call(self, meta, **kwargs) -> int: ...

    def append_utterance(self, call: int, utterance: Utterance, hits, deductions=(), *,
                         counted: bool) -> int: ...

    def finish_call(self, call: int, **kwargs): ...


@dataclass(frozen=True)
class LiveOptions:
    """Who is speaking and what to keep; everything has a working default."""

    agent: str | None = None
    team: str | None = None
    call_id: str | None = None  # default: live-<date>-<time>-<random>
    role: Role = Role.AGENT  # a headset carries the agent's voice
    record: Path | None = None  # --record FILE.wav
    model_name: str = ""
    lexicon_name: str = ""
    lexicon_digest: str | None = None
    rule_count: int = 0  # shown in session_start
    db_path: str | None = None  # shown in session_start; the store itself is passed in
    min_confidence: float = 0.0  # alerts only for hits at least this confident
    warmup_text: str = ""  # scanned once before capture (loads the matcher's segmenter)
    warmup_seconds: float = WARMUP_SECONDS
    status_interval: float = STATUS_INTERVAL


@dataclass
class SessionSummary:
    """What a finished session amounts to (also its session_end event)."""

    call_id: str
    call_pk: int | None
    reason: str
    score: float
    utterances: int
    alerts: int
    counted_hits: int
    retracted: int
    duration: float
    overflows: int
    dropped: int
    error: str | None = None
    rules: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # e.g. a sink switched off


class LiveSession:
    """One monitoring session: a source, a recogniser, a matcher, sinks and a store.

    ``recognizer_for(rate)`` builds (or returns the cached) recogniser for the
    rate the source actually opened at, which can differ from the model's
    when a device refuses it.
    """

    def __init__(
        self,
        source: AudioSource,
        recognizer_for: Callable[[int], RecognizerLike],
        matcher: MatcherLike,
        scorer: Scorer,
        *,
        store: StoreLike | None = None,
        sinks: Sequence[Sink] = (),
        options: LiveOptions = LiveOptions(),
        clock: Callable[[], float] = time.time,
        stop_event: threading.Event | None = None,
        abort_event: threading.Event | None = None,
    ) -> None:
        self.source = source
        self.matcher = matcher
        self.scorer = scorer
        self.store = store
        self.sinks = list(sinks)
        self.options = options
        self._recognizer_for = recognizer_for
        self._clock = clock
        self._stop = stop_event or threading.Event()
        self._abort = abort_event or threading.Event()  # skip recognition still to do
        self._warnings: list[str] = []
        # Steps of _end already done, so an interrupted end can be resumed.
        self._end_recognised = False
        self._call_finished = False
        self._end_emitted = False
        self._tracker = AlertTracker()
        self._deductions: list[Deduction] = []
        self._call_pk: int | None = None
        self._utterances = 0
        self._alerts = 0
        self._retracted = 0
        self._rec: RecognizerLike | None = None
        self._recorder: WavRecorder | None = None
        self._level = -120.0
        self._last_status = 0.0
        self._started = False  # session_start was emitted
        self._samples = 0  # 16-bit samples fed to the recogniser
        self._capture_started = 0.0  # wall time capture began (session_start's wall)
        self.call_id = options.call_id or _new_call_id()

    # -- control ---------------------------------------------------------------

    def request_stop(self) -> None:
        """End the session soon: stop capture, recognise what was captured, finish."""
        self._stop.set()

    def request_abort(self) -> None:
        """End now: stop capture, skip recognition still to do, still finish the call."""
        self._abort.set()
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def score(self) -> float:
        return self.scorer.total(self._deductions)

    # -- the loop ----------------------------------------------------------------

    def run(self) -> SessionSummary:
        """Run until stopped, the input ends, or the device fails (then AudioError).

        Whatever happens, the source is closed. An error while ending (a
        store that cannot be written) never hides the one that ended the
        session: the first is raised, the second attached to it as a note.
        """
        if self.options.warmup_text:
            # The matcher loads jieba on its first verification (about 1 s).
            self.matcher.scan(self.options.warmup_text)
        # Warm the recogniser at the rate asked for while nothing is captured
        # yet (no backlog in the common case)...
        warmed = self._warm_up(self.source.sample_rate)
        error: BaseException | None = None
        reason = "stopped"
        try:
            self.source.start()  # AudioError here: nothing was captured, nothing to save
        except BaseException:
            self._close_source()
            raise
        self._capture_started = self._clock()
        try:
            if warmed is not None and self.source.sample_rate != warmed:
                # ...and again when the device opened at another rate (its own
                # default): that recogniser is the one that will hear the call.
                # The callback only queues, so the audio meanwhile is kept.
                self._warm_up(self.source.sample_rate)
            self._rec = self._recognizer_for(self.source.sample_rate)
            if self.options.record is not None:
                self._recorder = WavRecorder(self.options.record, self.source.sample_rate)
            self._begin()
            reason = self._pump()
        except BaseException as exc:  # noqa: BLE001 - re-raised after saving what we have
            error, reason = exc, "error"
        try:
            summary = self._close(reason, error)
        except BaseException as exc:  # noqa: BLE001 - the error that ended it comes first
            if error is None:
                raise
            error.add_note(f"while ending the session: {type(exc).__name__}: {exc}")
        finally:
            self._close_source(error)
        if error is not None:
            raise error
        return summary

    def _warm_up(self, rate: int) -> int | None:
        """Feed the recogniser for ``rate`` some silence; the rate warmed, or None."""
        if self.options.warmup_seconds <= 0:
            return None
        rec = self._recognizer_for(rate)
        rec.feed(bytes(int(rate * self.options.warmup_seconds) * 2))
        rec.finish()  # resets: the session's stream starts at time zero
        return rate

    def _close(self, reason: str, error: BaseException | None) -> SessionSummary:
        """Stop capture and end the session; a second Ctrl-C meanwhile cuts it short.

        Raises what stopping the source raised (after ending), and the
        KeyboardInterrupt of an interrupted end (after finishing the call).
        """
        try:
            stop_error: Exception | None = None
            try:
                self.source.stop()
            except Exception as exc:  # noqa: BLE001 - end the session first, then report
                stop_error = exc
            summary = self._end(reason, error)
        except KeyboardInterrupt as exc:
            # Interrupted while ending (the second Ctrl-C): skip the recognition
            # still to do, but close the call and say session_end all the same.
            self._abort.set()
            self._stop.set()
            self._end("error", error or exc)
            raise
        if stop_error is not None:
            raise stop_error
        return summary

    def _close_source(self, error: BaseException | None = None) -> None:
        try:
            self.source.close()
        except Exception as exc:
            if error is None:
                raise
            error.add_note(f"while closing {self.source.name}: {type(exc).__name__}: {exc}")

    def _pump(self) -> str:
        source = self.source
        while True:
            if self._abort.is_set():
                source.stop()
                return "stopped"  # audio still queued is not recognised
            if self._stop.is_set():
                source.stop()  # idempotent; queued blocks are still read below
            block = source.read(READ_TIMEOUT)
            if block is None:
                if source.at_end:
                    return "stopped" if self._stop.is_set() else "end_of_input"
                self._maybe_status()
                continue
            if self._recorder is not None:
                self._recorder.write(block)
            self._level = max(self._level, rms_dbfs(block))
            self._samples += len(block) // 2
            assert self._rec is not None
            for seg in self._rec.feed(block):
                self._on_segment(seg)
            self._maybe_status()

    # -- segments ----------------------------------------------------------------

    def _on_segment(self, seg: SegmentLike) -> None:
        if seg.final:
            self._on_final(seg)
        else:
            self._on_partial(seg)

    def _alertable(self, hits: list[Hit]) -> list[Hit]:
        return alertable(hits, min_confidence=self.options.min_confidence)

    def _on_partial(self, seg: SegmentLike) -> None:
        hits = self._alertable(self.matcher.scan(seg.text))
        t = self._t()
        self._emit(
            Partial(
                utterance=self._utterances,
                text=seg.text,
                spans=tuple((h.start, h.end, h.rule_id) for h in hits),
                t=t,
                wall=self._clock(),
            )
        )
        for occ in self._tracker.partial([Located(h) for h in hits]):
            self._alert(occ, seg.text, from_partial=True)

    def _on_final(self, seg: SegmentLike) -> None:
        utt = seg.to_utterance(self.options.role)
        hits = self.matcher.scan(utt.text)
        located = [Located(h, utt.time_of(h.start, h.end)) for h in self._alertable(hits)]
        outcome = self._tracker.final(located)
        for occ in outcome.new:
            self._alert(occ, utt.text, from_partial=False)
        for occ in outcome.retracted:
            self._retracted += 1
            self._emit(
                Retract(
                    utterance=self._utterances,
                    rule_id=occ.rule_id,
                    matched=occ.hit.matched,
                    t=self._t(),
                    wall=self._clock(),
                )
            )
        index = self._utterances
        deductions = self.scorer.deductions_for(index, utt, hits)
        if self.store is not None and self._call_pk is not None:
            self.store.append_utterance(
                self._call_pk, utt, hits, deductions, counted=self.scorer.counts(utt)
            )
        self._deductions.extend(deductions)
        self._utterances += 1
        counted = {d.hit: d for d in deductions}
        self._emit(
            UtteranceDone(
                index=index,
                text=utt.text,
                start=utt.start,
                end=utt.end,
                hits=tuple(
                    UtteranceHit(
                        rule_id=h.rule_id,
                        matched=h.matched,
                        start=h.start,
                        end=h.end,
                        time=utt.time_of(h.start, h.end),
                        counted=i in counted,
                        points=counted[i].points if i in counted else 0.0,
                    )
                    for i, h in enumerate(hits)
                ),
                score=self.score,
                t=self._t(),
                wall=self._clock(),
            )
        )

    def _alert(self, occ: Occurrence, text: str, *, from_partial: bool) -> None:
        self._alerts += 1
        h = occ.hit
        span = occ.located.time
        self._emit(
            Alert(
                utterance=self._utterances,
                rule_id=h.rule_id,
                category=h.category,
                severity=h.severity.label,
                message=h.message,
                suggestion=h.suggestion,
                suggestions=tuple(h.suggestions),
                matched=h.matched,
                phrase=h.phrase,
                match_kind=h.kind.value,
                confidence=round(float(h.confidence), 4),
                text=text,
                from_partial=from_partial,
                start=span[0] if span else None,
                end=span[1] if span else None,
                t=self._t(),
                wall=self._clock(),
            )
        )

    # -- bookkeeping -------------------------------------------------------------

    def _t(self) -> float:
        """Seconds of audio fed to the recogniser so far: the session's clock."""
        return round(self._samples / self.source.sample_rate, 3)

    def _begin(self) -> None:
        if self.store is not None:
            from phraseguard.calls.store import CallMeta

            self._call_pk = self.store.begin_call(
                CallMeta(
                    call_id=self.call_id,
                    agent=self.options.agent,
                    team=self.options.team,
                    date=datetime.now().astimezone().isoformat(timespec="seconds"),
                ),
                source="live",
                path=self.source.name,
                audio_path=str(self.options.record) if self.options.record else None,
                score_start=self.scorer.policy.start,
                score_floor=self.scorer.policy.floor,
                lexicon_digest=self.options.lexicon_digest,
                lexicon_source=self.options.lexicon_name or None,
                model=self.options.model_name or None,
            )
        self._started = True
        self._emit(
            SessionStart(
                call_id=self.call_id,
                agent=self.options.agent,
                source=self.source.name,
                model=self.options.model_name,
                sample_rate=self.source.sample_rate,
                lexicon=self.options.lexicon_name,
                rules=self.options.rule_count,
                db=self.options.db_path,
                record=str(self.options.record) if self.options.record else None,
                wall=self._capture_started,
            )
        )

    def _maybe_status(self) -> None:
        now = self._clock()
        if now - self._last_status < self.options.status_interval:
            return
        self._last_status = now
        self._emit(
            Status(
                level_dbfs=round(self._level, 1),
                backlog_seconds=round(self.source.backlog_seconds, 2),
                overflows=self.source.overflows,
                dropped=getattr(self.source, "dropped", 0),
                t=self._t(),
                wall=now,
            )
        )
        self._level = -120.0

    def _end(self, reason: str, error: BaseException | None) -> SessionSummary:
        """Recognise what is left, close the recording and the call, say session_end."""
        failure: str | None = None
        if error is not None:
            failure = str(error) or type(error).__name__
            if isinstance(error, KeyboardInterrupt):
                failure = "interrupted"
        elif self._abort.is_set():
            failure = "interrupted"
        if self._rec is not None and not self._end_recognised and not self._abort.is_set():
            try:
                for seg in self._rec.finish():
                    if seg.final:
                        self._on_final(seg)
            except Exception as exc:  # noqa: BLE001 - the session must still be closed
                failure = failure or f"recognition failed at the end: {exc}"
        self._end_recognised = True
        if self._recorder is not None:
            self._recorder.close()
        duration = self._t()
        if self._tracker.pending:
            self._tracker.reset()
        if self.store is not None and self._call_pk is not None and not self._call_finished:
            self.store.finish_call(
                self._call_pk,
                duration=duration,
                audio_path=str(self.options.record) if self.options.record else None,
                failure=failure,
            )
            self._call_finished = True
        rules = Counter(d.rule_id for d in self._deductions)
        summary = SessionSummary(
            call_id=self.call_id,
            call_pk=self._call_pk,
            reason=reason,
            score=self.score,
            utterances=self._utterances,
            alerts=self._alerts,
            counted_hits=len(self._deductions),
            retracted=self._retracted,
            duration=round(duration, 3),
            overflows=self.source.overflows,
            dropped=getattr(self.source, "dropped", 0),
            error=failure,
            rules=dict(sorted(rules.items())),
            warnings=list(self._warnings),
        )
        if self._started and not self._end_emitted:
            self._end_emitted = True
            self._emit(
                SessionEnd(
                    call_id=summary.call_id,
                    reason=summary.reason,
                    error=summary.error,
                    score=summary.score,
                    utterances=summary.utterances,
                    alerts=summary.alerts,
                    counted_hits=summary.counted_hits,
                    retracted=summary.retracted,
                    rules=summary.rules,
                    duration=summary.duration,
                    overflows=summary.overflows,
                    dropped=summary.dropped,
                    record=str(self.options.record) if self.options.record else None,
                    wall=self._clock(),
                )
            )
        return summary

    def _emit(self, event: Event) -> None:
        """Give ``event`` to every sink; one that fails is switched off, not fatal."""
        for sink in list(self.sinks):
            if sink not in self.sinks:  # switched off while this event went round
                continue
            try:
                sink.handle(event)
            except Exception as exc:  # noqa: BLE001 - a sink must not end the monitoring
                self._drop_sink(sink, exc)

    def _drop_sink(self, sink: Sink, exc: Exception) -> None:
        self.sinks.remove(sink)
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        message = f"output {_sink_name(sink)} failed and was switched off ({detail})"
        self._warnings.append(message)
        if self.sinks:
            self._emit(Notice(message=message, wall=self._clock()))
        else:  # nothing left to tell: the terminal's error stream, if it is there
            with suppress(OSError, ValueError):
                print(f"phraseguard live: warning: {message}", file=sys.stderr, flush=True)


def _sink_name(sink: Sink) -> str:
    return getattr(sink, "name", None) or type(sink).__name__


def _new_call_id() -> str:
    return f"live-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


@contextmanager
def stop_on_signals(session_stop: Callable[[], None],
                    session_abort: Callable[[], None] | None = None) -> Iterator[None]:
    """SIGINT and SIGTERM call ``session_stop`` instead of killing the process.

    The first signal asks for a clean end (pending audio recognised, the
    call finished); a second SIGINT calls ``session_abort`` (skip the
    recognition still to do) and raises KeyboardInterrupt, for when the
    clean end itself takes too long. The session still finishes the call
    and closes the source. Main thread only (Python's rule).
    """
    count = {"n": 0}

    def handler(signum, frame):
        count["n"] += 1
        if count["n"] > 1 and signum == signal.SIGINT:
            if session_abort is not None:
                session_abort()
            raise KeyboardInterrupt
        session_stop()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


# --- the front door ---------------------------------------------------------------


def model_sample_rate(model_path: str | Path) -> int:
    """The rate a Vosk model was trained at (``--sample-frequency`` in conf/mfcc.conf).

    Kaldi's default, 16 kHz, when the model does not say. Capture asks the
    device for this rate so Vosk has nothing to resample.
    """
    conf = Path(model_path) / "conf" / "mfcc.conf"
    try:
        for line in conf.read_text(encoding="utf-8").splitlines():
            key, _, value = line.strip().partition("=")
            if key == "--sample-frequency" and value.strip():
                return int(float(value))
    except (OSError, ValueError):
        pass
    return SAMPLE_RATE


def run_live(
    *,
    device: str | None = None,
    input_path: str | Path | None = None,
    fast: bool = False,
    model: str | Path | None = None,
    model_config: str | Path | None = None,
    lexicon: str | Path | None = None,
    db: str | Path | None = DEFAULT_DB,
    record: str | Path | None = None,
    agent: str | None = None,
    team: str | None = None,
    sinks: Sequence[Sink] = (),
    stop_event: threading.Event | None = None,
    abort_event: threading.Event | None = None,
    max_backlog_seconds: float = MAX_BACKLOG_SECONDS,
    frames_per_chunk: int | None = None,
) -> SessionSummary:
    """Monitor a device (or play ``input_path`` through the same pipeline) until stopped.

    Checks the cheap things first so a mistake fails in a second, not after
    the model has loaded: the lexicon, where the model is, the device (or
    input file), and only then loads the model. Raises PhraseguardError subclasses: LexiconErrors, AudioError
    (no such device, cannot open it, device lost mid-session: the session is
    saved first), ModelError (no model). ``frames_per_chunk``: the recogniser's
    chunk size in 10 ms frames (None: the default in speech/decoding.toml; 0:
    the model's own), applied to a per-session copy of the model's configuration.
    """
    from phraseguard.speech.asr import SpeechEngine
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.speech.model_config import live_frames_per_chunk
    from phraseguard.speech.models import resolve_model
    from phraseguard.calls.store import Store

    lex = load_lexicon(lexicon)
    chunk = live_frames_per_chunk(frames_per_chunk)
    info = resolve_model(model, config_value=model_config)
    rate = model_sample_rate(info.path)
    source: AudioSource
    if input_path is not None:
        source = FileSource(input_path, fast=fast, max_backlog_seconds=max_backlog_seconds)
    else:
        source = DeviceSource(resolve_device(device), preferred_rate=rate,
                              max_backlog_seconds=max_backlog_seconds)
    engine = SpeechEngine(info.path, partials=True, frames_per_chunk=chunk)
    store = Store.open(db) if db else None
    try:
        session = LiveSession(
            source,
            engine.recognizer,
            Matcher(lex),
            Scorer(lex),
            store=store,
            sinks=sinks,
            options=LiveOptions(
                agent=agent,
                team=team,
                record=Path(record) if record else None,
                model_name=f"{info.name} ({info.path})",
                lexicon_name=lex.source,
                lexicon_digest=lex.digest,
                rule_count=len(lex.rules),
                db_path=str(db) if db else None,
                min_confidence=lex.scoring.min_confidence,
                warmup_text=next((p for r in lex.rules for p in r.phrases), ""),
            ),
            stop_event=stop_event,
            abort_event=abort_event,
        )
        return session.run()
    finally:
        if store is not None:
            store.close()
