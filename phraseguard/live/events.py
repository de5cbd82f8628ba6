"""What a live session reports, and the JSON Lines sink that writes it down.

Every event is a small frozen dataclass whose ``event`` names it (the
``"event"`` field of its JSON line). A hit in a ``hit`` or ``utterance``
event uses the names of :meth:`phraseguard.engine.hit.Hit.to_dict`, as every
other output does. Times: ``t`` is seconds of audio since the session started
(the recording's clock, the same as the word times), ``wall`` is Unix time
when the event was made (what a latency measurement or a dashboard compares).

Sinks receive every event through ``handle(event)`` and are closed with
``close()``. The JSON Lines sink writes one line per event and flushes it at
once, so a dashboard tailing the file sees an alert the moment it is made.
``status`` events (input level, backlog) are for screens; the JSON sink
leaves them out, keeping the file a record of what was said.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol, TextIO

from phraseguard.engine.hit import Hit
from phraseguard.errors import InputError


@dataclass(frozen=True)
class Event:
    """Base class: ``event`` names the event, ``to_dict`` is its JSON object."""

    event: ClassVar[str] = "event"

    def to_dict(self) -> dict:
        return {"event": self.event, **asdict(self)}


@dataclass(frozen=True)
class SessionStart(Event):
    event: ClassVar[str] = "session_start"
    call_id: str
    agent: str | None
    source: str  # the device ("#3 USB Headset") or "file NAME"
    model: str
    sample_rate: int
    lexicon: str
    rules: int
    db: str | None
    record: str | None
    wall: float  # when capture started: audio time 0 of the session


@dataclass(frozen=True)
class Partial(Event):
    """The recogniser's current guess at the utterance in progress."""

    event: ClassVar[str] = "partial"
    utterance: int  # index the utterance will have once final
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, rule_id) of alertable hits
    t: float
    wall: float


@dataclass(frozen=True)
class Alert(Event):
    """A forbidden phrase was just said: one per occurrence (the ``hit`` event).

    The hit's fields are :meth:`Hit.to_dict`'s (``Alert.of`` builds one).
    """

    event: ClassVar[str] = "hit"
    utterance: int
    rule_id: str
    category: str
    severity: str
    message: str
    suggestion: str
    suggestions: tuple[str, ...]
    phrase: str  # the lexicon phrase it matched
    matched: str  # the text as heard
    normalized: str
    kind: str  # exact, variant, homophone, fuzzy
    confidence: float
    char_start: int  # the span in ``text``
    char_end: int
    reason: str  # why it counted (e.g. no alternative offered in this or the next turn)
    text: str  # the hypothesis it was found in
    from_partial: bool  # True when alerted before the utterance was final
    time_start: float | None  # the phrase's time in the audio, when word times are known
    time_end: float | None
    t: float  # seconds of audio heard when the alert was made
    wall: float

    @classmethod
    def of(cls, hit: Hit, *, utterance: int, text: str, from_partial: bool,
           time: tuple[float, float] | None, t: float, wall: float) -> Alert:
        fields = hit.to_dict()
        fields["suggestions"] = tuple(fields["suggestions"])
        return cls(utterance=utterance, **fields, text=text, from_partial=from_partial,
                   time_start=time[0] if time else None, time_end=time[1] if time else None,
                   t=t, wall=wall)


@dataclass(frozen=True)
class Pending(Event):
    """A final utterance held back: a give-up or "don't know" in it waits for the
    agent's next utterance, which may resolve it (the ``pending`` event).

    No alert yet: a ``hit`` event follows (with the hit's ``reason``) only when
    the next utterance does not resolve it, or ``until`` (audio time) passes
    without one. The ``utterance`` event follows either way, once settled.
    """

    event: ClassVar[str] = "pending"
    utterance: int
    text: str
    start: float | None
    end: float | None
    rule_ids: tuple[str, ...]  # the rules waiting
    until: float  # seconds of audio: confirmed then without a next agent utterance
    t: float
    wall: float


@dataclass(frozen=True)
class FlowEvent(Event):
    """A call-flow decision: the hit's fields (:meth:`Hit.to_dict`) and where it is.

    ``utterance`` is the utterance the hit is saved on; ``time_start`` /
    ``time_end`` its place in the audio (the window where a missing item was
    expected, or the silence / overlap / fast turn); ``at_end`` says it was
    decided when the session ended (the closing check); ``score`` is the
    running score with it.
    """

    event: ClassVar[str] = "flow"
    utterance: int | None
    rule_id: str
    category: str
    severity: str
    message: str  # the reason: "no greeting in the first 15 s"
    suggestion: str
    suggestions: tuple[str, ...]
    phrase: str
    matched: str
    normalized: str
    kind: str  # missing or timing
    confidence: float
    char_start: int
    char_end: int
    reason: str
    time_start: float | None
    time_end: float | None
    at_end: bool
    score: float
    t: float
    wall: float

    @classmethod
    def of(cls, hit: Hit, *, utterance: int | None, time: tuple[float | None, float | None],
           at_end: bool, score: float, t: float, wall: float) -> FlowEvent:
        fields = hit.to_dict()
        fields["suggestions"] = tuple(fields["suggestions"])
        return cls(utterance=utterance, **fields, time_start=time[0], time_end=time[1],
                   at_end=at_end, score=score, t=t, wall=wall)


@dataclass(frozen=True)
class Reminder(FlowEvent):
    """A required item (greeting, self-introduction, closing) not said in its window."""

    event: ClassVar[str] = "reminder"


@dataclass(frozen=True)
class Timing(FlowEvent):
    """Dead air, talk-over or fast speech (the ``timing`` event)."""

    event: ClassVar[str] = "timing"


@dataclass(frozen=True)
class Retract(Event):
    """An alert from a partial that the final result did not confirm."""

    event: ClassVar[str] = "retract"
    utterance: int
    rule_id: str
    matched: str
    t: float
    wall: float


@dataclass(frozen=True)
class UtteranceHit:
    """A hit of a final utterance as the store saved it."""

    rule_id: str
    matched: str
    char_start: int  # character span in the utterance text
    char_end: int
    time_start: float | None  # seconds into the session, when word times are known
    time_end: float | None
    counted: bool  # deducted points (agent speech, confident, not overlapped)
    points: float


@dataclass(frozen=True)
class UtteranceDone(Event):
    """A final utterance, saved in the store (the ``utterance`` event)."""

    event: ClassVar[str] = "utterance"
    index: int
    text: str
    start: float | None
    end: float | None
    hits: tuple[UtteranceHit, ...]
    score: float  # the call's running score after this utterance
    t: float
    wall: float


@dataclass(frozen=True)
class Status(Event):
    """Input health for the screen, a few times a second (not written to JSON)."""

    event: ClassVar[str] = "status"
    level_dbfs: float  # loudest block since the previous status
    backlog_seconds: float  # audio captured but not yet recognised
    overflows: int
    dropped: int
    t: float
    wall: float


@dataclass(frozen=True)
class SessionEnd(Event):
    event: ClassVar[str] = "session_end"
    call_id: str
    reason: str  # stopped, end_of_input or error
    error: str | None
    score: float
    utterances: int
    alerts: int
    counted_hits: int
    retracted: int
    rules: dict[str, int] = field(default_factory=dict)  # counted hits per rule
    checklist: dict[str, bool | None] = field(default_factory=dict)  # call flow: item said?
    duration: float = 0.0  # seconds of audio heard
    overflows: int = 0
    dropped: int = 0
    record: str | None = None
    wall: float = 0.0


@dataclass(frozen=True)
class Notice(Event):
    """Something went wrong that does not end the session (the ``warning`` event).

    A sink that failed (a closed ``--events -`` pipe, a full disk) is switched
    off and the remaining sinks are told, once.
    """

    event: ClassVar[str] = "warning"
    message: str
    wall: float


class Sink(Protocol):
    def handle(self, event: Event) -> None: ...

    def close(self) -> None: ...


class JsonLinesSink:
    """``--events FILE|-``: one JSON object per line, flushed per event."""

    #: Events written; status events are screen-only.
    KINDS = frozenset({"session_start", "partial", "hit", "pending", "retract", "utterance",
                       "reminder", "timing", "warning", "session_end"})

    def __init__(self, target: str | Path | TextIO) -> None:
        if isinstance(target, str | Path):
            if str(target) == "-":
                self._fp, self._owned = sys.stdout, False
            else:
                try:
                    self._fp = open(target, "a", encoding="utf-8")  # noqa: SIM115
                except OSError as exc:
                    raise InputError(target, f"cannot write events: {exc.strerror}") from None
                self._owned = True
        else:
            self._fp, self._owned = target, False
        self._broken = False  # a write failed: nothing more is written, close() is quiet

    def handle(self, event: Event) -> None:
        if event.event not in self.KINDS or self._broken:
            return
        try:
            self._fp.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            self._fp.flush()
        except (OSError, ValueError):
            self._broken = True
            self._silence_stdout()
            raise

    def _silence_stdout(self) -> None:
        """A reader of ``--events -`` went away: point stdout at /dev/null.

        Otherwise the text still buffered in sys.stdout fails again when the
        interpreter flushes it at exit (BrokenPipeError, exit code 120).
        """
        if self._fp is not sys.stdout:
            return
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # not a real file descriptor
            pass

    def close(self) -> None:
        try:
            if self._owned:
                self._fp.close()
            elif not self._broken:
                self._fp.flush()
        except (OSError, ValueError):
            if not self._broken:
                raise
