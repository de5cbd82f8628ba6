"""A conversation as the call-flow checks see it: who spoke, what, and when.

The engine imports nothing from ``speech``, so it reads utterances through a
small protocol that :class:`phraseguard.speech.transcript.Utterance` already
satisfies (role, text, start/end and word times where present). A role is
an enum with a ``value`` ("agent", "customer", "unknown") or that string.

Call-level hits (a missing greeting, dead air) are :class:`FlowHit`: the same
:class:`~phraseguard.engine.hit.Hit` the forbidden rules produce, plus the
utterance it is attached to and its place in time. A missing item has an
empty text span; its place is the window where it was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from phraseguard.engine.hit import Hit

AGENT, CUSTOMER, UNKNOWN = "agent", "customer", "unknown"


class WordLike(Protocol):
    text: str
    start: float
    end: float


class UtteranceLike(Protocol):
    text: str
    role: Any  # an enum whose .value is "agent"/"customer"/"unknown", or that string
    start: float | None
    end: float | None
    words: Sequence[WordLike]


def role_of(utterance: UtteranceLike, *, unknown_is_agent: bool = True) -> str:
    """"agent", "customer" or "unknown" (unknown speech is the agent's when asked)."""
    role = getattr(utterance.role, "value", utterance.role)
    role = str(role).lower() if role is not None else UNKNOWN
    if role == UNKNOWN and unknown_is_agent:
        return AGENT
    return role if role in (AGENT, CUSTOMER) else UNKNOWN


def has_times(utterances: Sequence[UtteranceLike]) -> bool:
    """Whether the conversation carries times (audio, Vosk JSON), not plain text."""
    return any(u.start is not None and u.end is not None for u in utterances)


@dataclass(frozen=True)
class Turn:
    """Consecutive utterances of one speaker (indices into the conversation)."""

    role: str
    utterances: tuple[int, ...]
    start: float | None
    end: float | None


def turns(utterances: Sequence[UtteranceLike], *, unknown_is_agent: bool = True) -> list[Turn]:
    """Speaker turns: runs of utterances by the same role, in order.

    Without any customer speech (a script, a mono recording) nothing separates
    the agent's turns, so each utterance is a turn of its own: "the first
    turn" of a script is its first line.
    """
    roles = [role_of(u, unknown_is_agent=unknown_is_agent) for u in utterances]
    single = CUSTOMER not in roles
    out: list[Turn] = []
    for i, (u, role) in enumerate(zip(utterances, roles, strict=True)):
        if out and out[-1].role == role and not single:
            last = out[-1]
            out[-1] = Turn(role, (*last.utterances, i), last.start,
                           u.end if u.end is not None else last.end)
        else:
            out.append(Turn(role, (i,), u.start, u.end))
    return out


def speech_spans(utterance: UtteranceLike) -> list[tuple[float, float]]:
    """Where the utterance has speech: its words, or the whole utterance."""
    if utterance.words:
        return [(w.start, w.end) for w in utterance.words]
    if utterance.start is not None and utterance.end is not None:
        return [(utterance.start, utterance.end)]
    return []


@dataclass(frozen=True)
class FlowHit:
    """A call-level hit: a required item missing or a timing event.

    ``utterance`` is the index of the utterance it belongs to (None when the
    conversation has none); ``start``/``end`` its place in seconds (None for
    text); ``lines`` is ``(first, last)`` utterance index of the window.
    """

    hit: Hit
    utterance: int | None
    start: float | None
    end: float | None
    window: tuple[int, int] | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def rule_id(self) -> str:
        return self.hit.rule_id

    @property
    def reason(self) -> str:
        """One line a supervisor reads: "no self-introduction in the first 15 s"."""
        return self.hit.message
