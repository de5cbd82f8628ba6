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


def roles(utterances: Sequence[UtteranceLike], *, unknown_is_agent: bool = True) -> list[str]:
    """:func:`role_of` each utterance."""
    # Each distinct role value is looked at once, not once per utterance: a
    # call has hundreds of utterances and two or three role values (keyed by
    # identity: an enum's hash is a Python call).
    names: dict[int, str] = {}
    out: list[str] = []
    for u in utterances:
        name = names.get(id(u.role))
        if name is None:
            name = names[id(u.role)] = role_of(u, unknown_is_agent=unknown_is_agent)
        out.append(name)
    return out


def turns(utterances: Sequence[UtteranceLike], *, unknown_is_agent: bool = True,
          of_roles: Sequence[str] | None = None) -> list[Turn]:
    """Speaker turns: runs of utterances by the same role, in order.

    Without any customer speech (a script, a mono recording) nothing separates
    the agent's turns, so each utterance is a turn of its own: "the first
    turn" of a script is its first line. ``of_roles``: :func:`roles` of the
    utterances, when the caller has them.
    """
    said = roles(utterances, unknown_is_agent=unknown_is_agent) if of_roles is None \
        else of_roles
    single = CUSTOMER not in said
    out: list[Turn] = []
    n = len(said)
    i = 0
    while i < n:
        role = said[i]
        j = i + 1
        if not single:
            while j < n and said[j] == role:
                j += 1
        # A turn ends where its last utterance with an end does.
        end = utterances[i].end
        for k in range(i + 1, j):
            if utterances[k].end is not None:
                end = utterances[k].end
        out.append(Turn(role, tuple(range(i, j)), utterances[i].start, end))
        i = j
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
