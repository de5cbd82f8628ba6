"""Why a turn was or was not flagged: every listed form found, and what decided it.

A hit explains itself (its ``reason``); a turn that was *not* flagged does
not. QA staff editing the policy need both: a violation that slipped through
is usually a rule's form that *was* found and then excused by a condition
that matched too much (不过 read as "but" inside 同步不过来), cut by the word
check, or resolved by something in the next turn that is not an offer. This
module walks the same steps as the matcher and the dialogue judge, in the
same order, and says at each form which step decided it. Pure: text in,
dataclasses out (``phraseguard lexicon why`` prints them). It runs the
matcher's own judging with a trace (a friend of matcher.py), so it cannot
drift from it: ``tests/engine/test_explain.py`` holds every hit to a form it
says counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from phraseguard.engine.contexts import which_condition
from phraseguard.engine.hit import Hit


@dataclass(frozen=True)
class FormVerdict:
    """One place a rule's form matched in the line, and what became of it."""

    rule_id: str
    pattern: str  # the pattern as written in the lexicon
    matched: str  # the normalised text it matched
    kind: str  # exact, variant, homophone, fuzzy
    outcome: str  # counts | excused | downgraded | not a whole word | crosses a break | dropped
    detail: str  # which condition matched, and the text it matched
    counts_as: str | None = None  # the rule it counts under (its own, or `otherwise`'s)


@dataclass(frozen=True)
class TurnExplanation:
    """A turn's forms, what the other turns decided, what the meaning model made
    of it, and the hits the turn is flagged for."""

    text: str
    forms: list[FormVerdict] = field(default_factory=list)
    turn_notes: list[str] = field(default_factory=list)  # what the other turns decided
    judged: list[Hit] = field(default_factory=list)  # what the turn is flagged for
    model: str = ""  # the meaning model's part ("" without a model)


def explain_line(matcher, text: str) -> list[FormVerdict]:
    """Every match of a rule's form in ``text`` with the step that decided it,
    in the order the matcher judges them (``matcher``: an engine Matcher).

    The matcher's own judging (``Matcher._accept``) runs with a trace, so the
    explanation cannot drift from it; this module only says which condition
    held at the step that decided.
    """
    m = matcher
    # (every rule's forms, those that need the customer's turn too: the turn
    # notes then say whether one was there)
    candidates = m._candidates(m._blocks.fold_line(text), customer_rules=True)
    found = m._raws(text, candidates, None) if candidates or m._maybe_speech(text) else None
    if found is None:
        return []
    groups, nz, seen, spaced = found
    out: list[FormVerdict] = []
    for group in groups:
        for raw in group:
            steps: list[tuple] = []
            m._accept(raw, nz, text, spaced, m._folded(raw, seen),
                      trace=lambda *step, record=steps.append: record(step))
            # A downgrade is a step on the way: what became of the hit is the last.
            why = next((_said(ctx, args) for name, ctx, args in steps
                        if name == "downgrade holds"), None)
            out.append(_verdict(m, raw, nz, *steps[-1], downgraded_by=why))
    return out


def _said(ctx, args: tuple) -> str:
    held = which_condition(ctx, *args) if ctx is not None else None
    if held is None:
        return ""
    scope, text = held
    if text:
        return f"{scope} matched 「{text}」"
    # An empty match is an anchor: nothing before the hit, or nothing after it.
    return f"{scope} matched the {'start' if scope == 'before' else 'end'} of the clause"


def _verdict(m, raw, nz, step: str, ctx, args: tuple, *,
             downgraded_by: str | None = None) -> FormVerdict:
    rule = m.rules[raw.pattern.rule]
    base = dict(rule_id=rule.id, pattern=raw.pattern.source,
                matched=nz.text[raw.start:raw.end], kind=raw.kind.value)
    said = _said(ctx, args)
    # Why the hit went to `otherwise`: requires failed, or requires held and
    # the rule's downgrade did too.
    why = ("no [rule.requires] condition holds" if downgraded_by is None
           else f"[rule.downgrade] {downgraded_by}")
    target = m._otherwise[raw.pattern.rule]
    target_id = m.rules[target].id if target is not None else None
    if step == "crosses a break":
        return FormVerdict(**base, outcome=step, detail="the match spans two clauses or lines")
    if step == "excused":
        return FormVerdict(**base, outcome="excused", detail=f"unless.{said}")
    if step == "not a whole word":
        return FormVerdict(**base, outcome=step,
                           detail="the word check: the match starts or ends inside a word "
                                  "([matching] split_words can split a word that hides it)")
    if step == "counts":
        return FormVerdict(**base, outcome="counts", detail=f"requires.{said}" if said else "",
                           counts_as=rule.id)
    if step == "kept":
        held = _said(m._contexts[raw.pattern.rule][1], args)
        return FormVerdict(**base, outcome="counts", counts_as=rule.id,
                           detail=f"requires.{held}; [rule.downgrade] holds, but keep.{said}")
    if step == "dropped":
        return FormVerdict(**base, outcome="dropped", detail="no [rule.requires] condition holds")
    if step.startswith("excused as "):
        return FormVerdict(**base, outcome="excused",
                           detail=f"{why}, so {target_id}; its unless.{said}")
    if step.startswith("dropped as "):
        return FormVerdict(**base, outcome="dropped", detail=f"{why}, nor {target_id}'s")
    return FormVerdict(**base, outcome="downgraded",
                       detail=f"{why}: a stated limit, {target_id}", counts_as=target_id)


def explain_turn(matcher, text: str, *, customer: str | None = None,
                 next_turn: str | None = None) -> TurnExplanation:
    """:func:`explain_line`, then the turn as ``score`` judges it: overlapping
    hits resolved, the customer's turn before and the agent's next turn
    applied, and the meaning model where no rule's form is written."""
    judge = matcher.dialogue
    forms = explain_line(matcher, text)
    searched = judge.customer_rules_can_count(customer)
    hits = matcher.scan(text, customer_rules=searched)
    notes: list[str] = []
    cust = judge._text(customer) if customer is not None else None
    nxt = judge._text(next_turn) if next_turn is not None else None
    if not searched:
        # The forms above are found with every rule; the turn is scanned for the
        # rules that need the customer's turn only where one of them can count,
        # so a form of theirs that "counts" there never became a hit: say why.
        for rule_id in dict.fromkeys(f.counts_as for f in forms if f.counts_as in judge._contextual):
            notes.append(f"{rule_id}: needs_customer: no customer turn before: not counted"
                         if cust is None else
                         f"{rule_id}: requires.customer: the customer's turn before has none "
                         f"of its patterns: not counted")
    for hit in hits:
        notes.extend(_turn_notes(judge, hit, cust, nxt))
    model = ""
    if judge.meaning is not None:
        if not judge.model_reads(hits):
            model = "not read: a rule matched (the rules decide)"
        elif matcher.mentions(text):
            model = "not read: a rule's form is written (the rules decide: see the forms)"
        else:
            reading = judge.meaning.read(text, next_turn, customer)
            heard = bool(customer) and judge.meaning.reads_customer  # (as the model reads)
            how = " and ".join(filter(None, [
                "with the customer's turn before" if heard else "",
                "with the agent's next turn" if next_turn else ""])) or "alone (no next turn)"
            model = (f"reads {reading.rule_id} at {reading.violation:.2f} {how} (reports from "
                     f"{judge.meaning.min_confidence:.2f})")
            cleared = judge.model_excuse(text)
            if cleared is not None:
                model += (f"; cleared: the same turn says 「{cleared}」 "
                          "([meaning] unless_utterance)")
    judged = judge.judge_turn(text, hits, customer=customer, next_turn=next_turn)
    return TurnExplanation(text=text, forms=forms, turn_notes=notes, judged=judged, model=model)


def _turn_notes(judge, hit: Hit, cust: str | None, nxt: str | None) -> Sequence[str]:
    turns = judge._turns(hit.rule_id)
    if turns is None:
        return []
    notes = []
    asked, problem = judge.downgrade_by_customer(hit, cust)
    if asked is not None:
        target = hit.extra["otherwise"]
        if problem is not None:
            notes.append(f"{hit.rule_id}: the customer's turn before matched downgrade.customer "
                         f"「{asked}」, but keep.customer 「{problem}」: stays {hit.rule_id}")
        else:
            becomes = (f"becomes {target.rule_id}" if target is not None
                       else "excused: as a stated limit, this turn excuses it")
            notes.append(f"{hit.rule_id}: the customer's turn before matched downgrade.customer "
                         f"「{asked}」: {becomes}")
            if target is None:
                return notes
            hit, turns = target, judge._turns(target.rule_id)
            if turns is None:
                return notes
    escalated = judge.escalate_by_customer(hit, cust)
    if escalated is not None:
        rule, fault = escalated
        notes.append(f"{hit.rule_id}: the customer's turn before matched escalate.customer "
                     f"「{fault}」 and nothing of escalate.not_customer: becomes {rule.id}")
        turns = judge._turns(rule.id)
        hit = replace(hit, rule_id=rule.id)
        if turns is None:
            return notes
    if cust is None and hit.rule_id in judge._contextual:
        notes.append(f"{hit.rule_id}: needs_customer: no customer turn before: not counted")
        return notes
    if cust is not None:
        for p in turns.customer_unless:
            if (found := p.search(cust)):
                notes.append(f"{hit.rule_id}: the customer's turn before matched unless.customer "
                             f"「{found.group(0)}」: not counted")
        if turns.customer_requires and not any(p.search(cust) for p in turns.customer_requires):
            notes.append(f"{hit.rule_id}: requires.customer: the customer's turn before has none "
                         f"of its patterns: not counted")
    if turns.next_turn:
        if nxt is None:
            notes.append(f"{hit.rule_id}: no next agent turn to offer anything")
        else:
            for p in turns.next_turn:
                if (found := p.search(nxt)):
                    if judge.hollow(nxt):
                        notes.append(f"{hit.rule_id}: the agent's next turn matched "
                                     f"unless.next_turn 「{found.group(0)}」, but the whole turn "
                                     "only reassures ([dialogue] hollow_next_turn): not resolved")
                    else:
                        notes.append(f"{hit.rule_id}: the agent's next turn matched "
                                     f"unless.next_turn 「{found.group(0)}」: resolved")
                    break
            else:
                notes.append(f"{hit.rule_id}: nothing offered in the agent's next turn")
    return notes
