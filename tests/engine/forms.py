"""Shared by the family tests: a line in another written form, and what is judged on it."""

from __future__ import annotations

from functools import cache

from phraseguard.engine.hit import Severity


@cache
def as_form(form: str, text: str) -> str:
    """``text`` as written ("plain"), in traditional characters, or speech-spaced
    (jieba's words, punctuation dropped, as a recogniser writes them)."""
    if form == "traditional":
        import opencc

        return opencc.OpenCC("s2t").convert(text)
    if form == "spaced":
        import jieba

        jieba.setLogLevel(60)
        return " ".join(w for w in jieba.lcut(text) if w.strip() and w not in "，。？！,.?!")
    return text


def judged(matcher, text: str, *, customer: str | None = None, next_turn: str | None = None,
           floor: Severity = Severity.MAJOR) -> list[str]:
    """The rules that count on ``text`` at ``floor`` or above, judged with its turns."""
    # (searched as score searches a turn: the rules that need the customer's
    # turn only where it lets them count)
    hits = matcher.dialogue.judge(
        matcher.scan(text, customer_rules=matcher.dialogue.customer_rules_for(customer)),
        customer=customer, next_turn=next_turn)
    return [h.rule_id for h in hits if h.severity >= floor]
