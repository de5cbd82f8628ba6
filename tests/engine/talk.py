"""Shared by the call-flow tests: the smallest utterances the engine reads."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class U:
    """The smallest utterance the engine reads (role, text, times, words)."""

    text: str
    role: str = "agent"
    start: float | None = None
    end: float | None = None
    words: tuple = field(default_factory=tuple)


def a(text: str, *times: float) -> U:
    """An agent utterance, with start and end times if given."""
    return U(text, "agent", *times)


def c(text: str, *times: float) -> U:
    """A customer utterance, with start and end times if given."""
    return U(text, "customer", *times)
