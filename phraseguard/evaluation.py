"""How well a lexicon agrees with a QA team's labels (``phraseguard lexicon evaluate``).

Each labelled agent turn is judged the way ``score`` judges an agent turn:
the rules' hits in the turn, judged with the customer's turn before and the
agent's next turn, or, where no rule matched, the meaning model's reading
(when the matcher has one). A turn counts as flagged at a severity when a
hit at that severity or above remains. A ``major`` label is a positive at
``major`` and at ``minor``; a ``minor`` label (a stated limit with nothing
offered) only at ``minor``.

Pure: labelled turns and a matcher in, verdicts and tallies out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from phraseguard.engine.hit import Hit, Severity
from phraseguard.engine.matcher import Matcher
from phraseguard.labelled import Labelled


@dataclass(frozen=True)
class Verdict:
    """One labelled turn and what the lexicon made of it at one severity."""

    example: Labelled
    positive: bool  # the label says it should be flagged at this severity
    hits: tuple[Hit, ...]  # the hits at this severity or above that remained

    @property
    def flagged(self) -> bool:
        return bool(self.hits)

    @property
    def wrong(self) -> bool:
        return self.flagged != self.positive


@dataclass(frozen=True)
class Tally:
    """Counts of one evaluation: caught, false alarms, missed, rightly silent."""

    caught: int
    false_alarms: int
    missed: int
    silent: int

    @property
    def precision(self) -> float:
        """Of the turns flagged, the share the labels call violations (1.0 when none)."""
        flagged = self.caught + self.false_alarms
        return self.caught / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Of the labelled violations, the share flagged (1.0 when there are none)."""
        positives = self.caught + self.missed
        return self.caught / positives if positives else 1.0


def positive(example: Labelled, floor: Severity) -> bool:
    """Whether the label asks for a flag at ``floor``: major always, minor only at minor."""
    if example.label == "major":
        return True
    return example.label == "minor" and floor <= Severity.MINOR


def judge_all(matcher: Matcher, examples: Sequence, texts: Sequence[str] | None = None
              ) -> list[tuple[Hit, ...]]:
    """Each turn's hits that remain after the dialogue judge, at every severity
    (one scan; filter by severity afterwards). ``examples`` have ``text``,
    ``customer`` and ``next_turn``; ``texts``, when given, are the turns as
    read instead (a traditional or spaced form of each)."""
    judge = matcher.dialogue
    texts = list(texts) if texts is not None else [e.text for e in examples]
    found = scan_in_context(matcher, texts, [e.customer for e in examples])
    return [tuple(judge.judge_turn(text, hits, customer=e.customer, next_turn=e.next_turn))
            for e, text, hits in zip(examples, texts, found, strict=True)]


def scan_in_context(matcher: Matcher, texts: Sequence[str],
                    customers: Sequence[str | None]) -> list[list[Hit]]:
    """``matcher.scan`` of each agent turn, with the rules that need the
    customer's turn searched for where the customer's turn before
    (``customers[i]``, None: unknown) lets them count: the hits ``score``
    finds."""
    can = [matcher.dialogue.customer_rules_for(c) for c in customers]
    return matcher.scan_lines_each(texts, can)


def verdicts(examples: Sequence[Labelled], judged: Sequence[Sequence[Hit]], floor: Severity
             ) -> list[Verdict]:
    """Every labelled turn's verdict at ``floor``, from :func:`judge_all`'s hits."""
    return [Verdict(e, positive(e, floor), tuple(h for h in hits if h.severity >= floor))
            for e, hits in zip(examples, judged, strict=True)]


def tally(verdicts: Sequence[Verdict]) -> Tally:
    """The counts behind precision and recall."""
    return Tally(caught=sum(v.flagged and v.positive for v in verdicts),
                 false_alarms=sum(v.flagged and not v.positive for v in verdicts),
                 missed=sum(v.positive and not v.flagged for v in verdicts),
                 silent=sum(not v.positive and not v.flagged for v in verdicts))
