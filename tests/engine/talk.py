"""Shared by the engine tests: the smallest utterances the engine reads, what a
turn is flagged for at QA's default severity, and a phone call's checklist
from its opening or its last line."""

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


def opening_checklist(flow, *agent_opening: str) -> dict:
    """The call-flow checklist of a call that opens with these agent lines (each
    answered 嗯) and then goes on with a few plain turns."""
    conv = []
    for line in agent_opening:
        conv += [a(line), c("嗯")]
    conv += [a("好的"), c("谢谢"), a("嗯")]
    return flow.check(conv).checklist


def closed_with(flow, last: str) -> bool | None:
    """Whether a short call whose last agent line is ``last`` counts as closed."""
    return flow.check([a("您好"), c("我问一下"), a("好的"), c("行"), a(last)]).checklist["closing"]
