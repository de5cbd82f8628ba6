"""What a live session is built from and what it returns: the seams and the options.

The protocols are the session's view of its collaborators (the recogniser of
:mod:`phraseguard.speech.asr`, the matcher, the results store), so tests can
pass fakes; :class:`LiveOptions` says who speaks and what to keep, and
:class:`SessionSummary` is what a finished session amounts to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from phraseguard.engine.hit import Hit
from phraseguard.engine.lexicon import Lexicon
from phraseguard.live.pending import JudgeLike
from phraseguard.speech.transcript import Role, Utterance

#: Seconds of silence fed to a fresh recogniser before capture starts: Vosk's
#: first real decoding costs about 0.7 s, which would otherwise delay the
#: first alert of the session.
WARMUP_SECONDS = 1.0
#: Seconds between status events (input level, backlog) for the screen.
STATUS_INTERVAL = 0.2


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
    """The matcher (:class:`phraseguard.engine.matcher.Matcher`): scans a line, and its
    ``dialogue`` judge applies the conditions that need another turn."""

    lexicon: Lexicon

    def scan(self, text: str) -> list[Hit]: ...

    @property
    def dialogue(self) -> JudgeLike: ...


class StoreLike(Protocol):
    """The live half of :class:`phraseguard.calls.store.Store`."""

    def begin_call(self, meta, **kwargs) -> int: ...

    def append_utterance(self, call: int, utterance: Utterance, hits, scored, *,
                         score: float, agent_talk_seconds: float) -> int: ...

    def append_hits(self, call: int, utterance_idx: int, hits, scored, *,
                    score: float) -> None: ...

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
    # A give-up waiting for the agent's next utterance is confirmed after this
    # many seconds of audio without one. None: the lexicon's [dialogue]
    # pending_seconds (the matcher's lexicon).
    pending_seconds: float | None = None
    agent_channel: str | None = None  # two-party input: the agent's channel (left/right)
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
    checklist: dict[str, bool | None] = field(default_factory=dict)  # call flow, when on
    warnings: list[str] = field(default_factory=list)  # e.g. a sink switched off
