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
:func:`phraseguard.signals.stop_on_signals`) stops capture; audio already captured is still
recognised, the session_end event written and the call finished. A device
that fails mid-session ends the session the same way, with the call marked
failed and the AudioError raised afterwards for a non-zero exit. A second
Ctrl-C (:meth:`LiveSession.request_abort`, then KeyboardInterrupt) skips the
recognition still to do, but the call is still finished ("interrupted") and
the source closed.

The parts: :mod:`~phraseguard.live.parts` (the seams and options),
:mod:`~phraseguard.live.call` (the scored call in the store),
:mod:`~phraseguard.live.fanout` (the sinks; a failing one is switched off),
:mod:`~phraseguard.live.alerts` (one alert per occurrence) and
:mod:`~phraseguard.live.run` (the front door that builds a session).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import datetime

from phraseguard.calls.scoring import Scorer
from phraseguard.engine.callflow import CallFlow
from phraseguard.live.call import LiveCall
from phraseguard.live.events import (
    Event,
    SessionEnd,
    SessionStart,
    Sink,
    Status,
)
from phraseguard.live.fanout import Fanout
from phraseguard.live.flow import LiveFlow
from phraseguard.live.hearing import Hearing
from phraseguard.live.parties import TwoParties, mixed
from phraseguard.live.parts import (
    LiveOptions,
    MatcherLike,
    RecognizerLike,
    SessionSummary,
    StoreLike,
)
from phraseguard.speech.capture import AudioSource, WavRecorder, rms_dbfs

#: Longest wait for a block before the loop checks for a stop request.
READ_TIMEOUT = 0.05

__all__ = ["LiveOptions", "LiveSession", "SessionSummary"]


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
        options: LiveOptions | None = None,
        clock: Callable[[], float] = time.time,
        stop_event: threading.Event | None = None,
        abort_event: threading.Event | None = None,
        flow: CallFlow | None = None,
        customer_recognizer_for: Callable[[int], RecognizerLike] | None = None,
    ) -> None:
        self.source = source
        self.matcher = matcher
        self.scorer = scorer
        self.options = options = options or LiveOptions()
        self.call = LiveCall(scorer, store, options)
        self._out = Fanout(sinks, clock)
        self._recognizer_for = recognizer_for
        self._clock = clock
        self._stop = stop_event or threading.Event()
        self._abort = abort_event or threading.Event()  # skip recognition still to do
        # Steps of _end already done, so an interrupted end can be resumed.
        self._end_recognised = False
        self._end_emitted = False
        self._hearing = Hearing(
            matcher, scorer, self.call, options, emit=self._out.emit, audio_time=self._t,
            wall=clock, flow=LiveFlow(flow, agent=options.agent) if flow else None)
        self._customer_recognizer_for = customer_recognizer_for
        self._parties: TwoParties | None = None  # two-party input: the channels' roles
        self._customer_rec: RecognizerLike | None = None
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
        return self.call.score

    @property
    def sinks(self) -> list[Sink]:
        """The sinks still receiving events (a failing one is switched off)."""
        return self._out.sinks

    # -- the loop ----------------------------------------------------------------

    def run(self) -> SessionSummary:
        """Run until stopped, the input ends, or the device fails (then AudioError).

        Whatever happens, the source is closed. An error while ending (a
        store that cannot be written) never hides the one that ended the
        session: the first is raised, the second attached to it as a note.
        """
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
                self._recorder = WavRecorder(self.options.record, self.source.sample_rate,
                                             channels=self._channels)
            self._begin()
            self._parties = self._two_parties()
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
            self._samples += len(block) // (2 * self._channels)
            assert self._rec is not None
            if self._parties is not None:
                agent, customer = self._parties.split(block)
                assert self._customer_rec is not None
                for seg in self._customer_rec.feed(customer):
                    self._hearing.customer(seg)
                block = agent
            elif self._channels > 1:
                block = mixed(block, self._channels)
            for seg in self._rec.feed(block):
                self._hearing.segment(seg)
            self._hearing.tick()
            self._maybe_status()

    @property
    def _channels(self) -> int:
        """Channels in the source's blocks: 2 when it keeps both parties apart."""
        return int(getattr(self.source, "channels", 1))

    def _two_parties(self) -> TwoParties | None:
        """The agent's and the customer's channel, when the input carries both.

        Only with ``agent_channel`` and a source delivering two channels; a
        one-channel input is the agent alone, as ``score`` treats a mono
        recording with --agent-channel (said once in a warning event).
        """
        channel = self.options.agent_channel
        if channel is None:
            return None
        if self._channels != 2 or self._customer_recognizer_for is None:
            self._out.warn(f"{self.source.name} has one channel: listening to the agent "
                           "only (dead air and talk-over need both parties)")
            return None
        self._customer_rec = self._customer_recognizer_for(self.source.sample_rate)
        return TwoParties(channel)

    # -- bookkeeping -------------------------------------------------------------

    def _t(self) -> float:
        """Seconds of audio fed to the recogniser so far: the session's clock."""
        return round(self._samples / self.source.sample_rate, 3)

    def _begin(self) -> None:
        self.call.begin(self.call_id, self.source.name)
        self._started = True
        o = self.options
        self._emit(SessionStart(
            call_id=self.call_id, agent=o.agent, source=self.source.name, model=o.model_name,
            sample_rate=self.source.sample_rate, lexicon=o.lexicon_name, rules=o.rule_count,
            db=o.db_path, record=self._record_name(), wall=self._capture_started))

    def _record_name(self) -> str | None:
        return str(self.options.record) if self.options.record else None

    def _maybe_status(self) -> None:
        now = self._clock()
        if now - self._last_status < self.options.status_interval:
            return
        self._last_status = now
        self._emit(Status(
            level_dbfs=round(self._level, 1), backlog_seconds=round(self.source.backlog_seconds, 2),
            overflows=self.source.overflows, dropped=getattr(self.source, "dropped", 0),
            t=self._t(), wall=now))
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
                if self._customer_rec is not None:
                    for seg in self._customer_rec.finish():
                        self._hearing.customer(seg)
                for seg in self._rec.finish():
                    if seg.final:
                        self._hearing.final(seg)
            except Exception as exc:  # noqa: BLE001 - the session must still be closed
                failure = failure or f"recognition failed at the end: {exc}"
        self._end_recognised = True
        if self._recorder is not None:
            self._recorder.close()
        duration = self._t()
        if self._started:
            # Held give-ups are confirmed, the closing is checked (call flow).
            self._hearing.end()
        self.call.finish(duration=duration, failure=failure)
        summary = SessionSummary(
            call_id=self.call_id, call_pk=self.call.pk, reason=reason, score=self.score,
            utterances=self.call.utterances, alerts=self._hearing.alerts,
            counted_hits=len(self.call.deductions), retracted=self._hearing.retracted,
            duration=round(duration, 3), overflows=self.source.overflows,
            dropped=getattr(self.source, "dropped", 0), error=failure, rules=self.call.rules,
            checklist=self._hearing.checklist, warnings=list(self._out.warnings),
        )  # fmt: skip
        if self._started and not self._end_emitted:
            self._end_emitted = True
            said = {f.name: getattr(summary, f.name) for f in fields(SessionEnd)
                    if hasattr(summary, f.name)}
            self._emit(SessionEnd(**{**said, "record": self._record_name(),
                                     "wall": self._clock()}))
        return summary

    def _emit(self, event: Event) -> None:
        self._out.emit(event)


def _new_call_id() -> str:
    return f"live-{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
