"""Overlap resolution, and its first kept match found without judging the rest."""

from __future__ import annotations

import random
from dataclasses import dataclass

from phraseguard.engine.hit import MatchKind, Severity
from phraseguard.engine.overlaps import first_kept, resolve


@dataclass(frozen=True)
class Raw:
    start: int
    end: int
    kind: MatchKind
    confidence: float
    rule_index: int
    tag: int  # tells apart raws alike in everything else


@dataclass(frozen=True)
class Rule:
    severity: Severity


RULES = (Rule(Severity.MINOR), Rule(Severity.MAJOR), Rule(Severity.CRITICAL))
KINDS = (MatchKind.EXACT, MatchKind.VARIANT, MatchKind.HOMOPHONE, MatchKind.FUZZY)


def test_the_longest_then_most_severe_match_is_kept_where_matches_overlap() -> None:
    short = Raw(0, 2, MatchKind.EXACT, 1.0, 2, 0)
    long = Raw(1, 5, MatchKind.EXACT, 0.9, 0, 1)
    apart = Raw(6, 8, MatchKind.EXACT, 1.0, 0, 2)
    assert resolve([short, long, apart], RULES) == [long, apart]
    # A guess by edit distance never overrides what is written.
    guess = Raw(0, 6, MatchKind.FUZZY, 0.9, 2, 3)
    assert resolve([guess, short], RULES) == [short]


@dataclass(frozen=True)
class CustomerRule:
    severity: Severity
    needs_customer: bool = True


def test_rules_that_read_the_customers_turn_are_resolved_each_apart() -> None:
    # Which of them counts depends on the customer's turn (the dialogue judge
    # drops the others), so a longer match of one must not push out another;
    # a rule that reads the words alone is resolved apart from them all.
    rules = (Rule(Severity.MAJOR), CustomerRule(Severity.MAJOR), CustomerRule(Severity.MAJOR))
    words = Raw(0, 4, MatchKind.EXACT, 1.0, 0, 0)
    chase = Raw(0, 6, MatchKind.VARIANT, 0.95, 1, 1)
    sent_back = Raw(1, 8, MatchKind.VARIANT, 0.95, 2, 2)
    shorter_of_same_rule = Raw(2, 5, MatchKind.VARIANT, 0.95, 2, 3)
    kept = resolve([words, chase, sent_back, shorter_of_same_rule], rules)
    assert sorted(r.tag for r in kept) == [0, 1, 2]


def test_first_kept_is_the_first_match_resolve_keeps() -> None:
    rnd = random.Random(7)
    judged_less = 0
    for _ in range(3000):
        raws = []
        for tag in range(rnd.randint(0, 7)):
            a = rnd.randint(0, 20)
            raws.append(Raw(a, a + rnd.randint(1, 6), rnd.choice(KINDS),
                            rnd.choice((0.8, 0.9, 1.0)), rnd.randrange(3), tag))
        refused = {r.tag for r in raws if rnd.random() < 0.3}
        # Accepting may move a match to another rule (a rule's `otherwise`).
        moved = {r.tag: rnd.randrange(3) for r in raws if rnd.random() < 0.2}

        def accept(r: Raw, judged: list[int], refused=refused, moved=moved) -> Raw | None:
            judged.append(r.tag)
            if r.tag in refused:
                return None
            return Raw(r.start, r.end, r.kind, r.confidence, moved.get(r.tag, r.rule_index),
                       r.tag)

        everything: list[int] = []
        kept = resolve([a for r in raws if (a := accept(r, everything)) is not None], RULES)
        judged: list[int] = []
        first = first_kept(raws, lambda r, j=judged: accept(r, j), RULES)
        assert first == (kept[0] if kept else None), raws
        assert len(set(judged)) == len(judged)  # each match judged once at most
        judged_less += len(judged) < len(raws)
    assert judged_less > 500  # it does spare judging
