"""Shared by the engine tests: the smallest utterances the engine reads, and what a
turn is flagged for at QA's default severity."""

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


def flagged_at_major(matcher, text: str, customer: str | None = None,
                     next_turn: str | None = None) -> set[str]:
    """Rule ids flagged at major or above, as QA's default report shows them."""
    from phraseguard.engine.hit import Severity

    hits = matcher.dialogue.judge_turn(text, matcher.scan(text, customer_rules=customer is not None),
                                       customer=customer, next_turn=next_turn)
    return {h.rule_id for h in hits if h.severity >= Severity.MAJOR}
