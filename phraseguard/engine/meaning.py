"""The meaning model: what an agent turn means when no listed form says it.

The lexicon's families catch the ways of saying a forbidden thing that
someone wrote down. Agents also give up, disclaim knowledge, push the
customer away or brush them off in wording nobody listed: idioms, sarcasm,
a non-answer stated as a fact. Blind paraphrase sets showed families alone
reach about half of those (README, "Measured"). This model reads the
meaning from labelled examples instead: a linear classifier over character
n-grams of the agent's turn and of the agent's next turn (an offer there
resolves a give-up), trained by ``scripts/train_meaning.py`` on the
project's labelled tuning sets.

It only speaks where the lexicon is silent: a turn with any lexicon hit is
judged by the lexicon's rules alone (their conditions say what QA decided),
so the model can add a finding but never overrule one. Its classes are rule
ids of the lexicon (give-up, disclaim-knowledge...): a hit takes that rule's
severity, message and suggestions, so reports, suppression comments and
coaching need no special case. How sure it must be is ``[meaning]
min_confidence`` in the lexicon.

Pure: the weights come in as arrays (``meaning_files.py`` reads them), text
comes in, hits go out. Features are exactly those the trainer used
(``text_grams``/``next_grams`` below): change one, retrain.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from phraseguard.engine.hit import Hit, MatchKind, Severity

NONE_CLASS = "none"  # the benign class: every other class is a rule id
TEXT_ORDERS = (1, 2, 3)  # character n-grams of the judged turn
NEXT_ORDERS = (1, 2)  # and of the agent's next turn (a shorter signal: offers)
_QUESTION = re.compile(r"[?？]+")


@dataclass(frozen=True)
class MeaningWeights:
    """A trained model as plain arrays (what ``meaning_files`` reads and writes).

    ``coef`` has one row per feature (the judged turn's grams, then the next
    turn's) and one column per class; ``classes[0]`` is ``"none"``.
    """

    text_grams: tuple[str, ...]
    text_idf: np.ndarray
    next_grams: tuple[str, ...]
    next_idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    next_weight: float  # the next turn's features, scaled against the turn's own
    language: str = "zh"
    about: str = ""  # what it was trained on, for `lexicon show` and the README


def grams(text: str, orders: Sequence[int]) -> Counter:
    """Character n-grams of normalised ``text`` with start/end marks ("^没办", "法$")."""
    marked = f"^{text}$"
    out: Counter = Counter()
    for n in orders:
        if n == 1:
            out.update(text)  # the marks alone say nothing
            continue
        out.update(marked[i:i + n] for i in range(len(marked) - n + 1))
    return out


def normalized(text: str, normalize) -> str:
    """The text features are read from: ``normalize``d, question marks kept as ``?``
    (a rhetorical "我上哪知道去?" reads differently from a statement)."""
    return "?".join(normalize(part) for part in _QUESTION.split(text))


def tfidf(counts: Counter, index: dict[str, int], idf: np.ndarray, offset: int = 0,
          scale: float = 1.0) -> tuple[list[int], list[float]]:
    """Sublinear tf-idf of known grams, L2-normalised, times ``scale``: (ids, values)."""
    ids: list[int] = []
    vals: list[float] = []
    for gram, c in counts.items():
        i = index.get(gram)
        if i is not None:
            ids.append(i + offset)
            vals.append((1.0 + math.log(c)) * float(idf[i]))
    norm = math.sqrt(sum(v * v for v in vals))
    if norm:
        vals = [v * scale / norm for v in vals]
    return ids, vals


@dataclass(frozen=True)
class Reading:
    """What the model makes of one turn: the likeliest rule and how sure it is."""

    rule_id: str  # the likeliest forbidden class (a rule id), however unlikely
    violation: float  # probability of any forbidden meaning: 1 - P(none)


class MeaningModel:
    """Reads agent turns with trained weights; build once per lexicon and model."""

    def __init__(self, weights: MeaningWeights, rules: dict[str, tuple[Severity, str, tuple[str, ...], str]],
                 *, min_confidence: float, normalize) -> None:
        """``rules``: rule id -> (severity, message, suggestions, category) for
        the model's classes that the lexicon has (a class whose rule a lexicon
        disabled never yields a hit); ``normalize``: the matcher's fast
        normaliser (traditional -> simplified, spaces and fillers dropped)."""
        self.weights = weights
        self.min_confidence = min_confidence
        self._rules = rules
        self._norm = normalize
        self._text_index = {g: i for i, g in enumerate(weights.text_grams)}
        self._next_index = {g: i for i, g in enumerate(weights.next_grams)}
        self._offset = len(weights.text_grams)

    def normalized(self, text: str) -> str:
        """The text the features are read from (:func:`normalized`)."""
        return normalized(text, self._norm)

    def features(self, text: str, next_turn: str | None) -> tuple[list[int], list[float]]:
        """Feature ids and values of a turn and the agent's next turn (None: none)."""
        w = self.weights
        ids, vals = tfidf(grams(self.normalized(text), TEXT_ORDERS), self._text_index, w.text_idf)
        if next_turn:
            nids, nvals = tfidf(grams(self.normalized(next_turn), NEXT_ORDERS), self._next_index,
                                w.next_idf, self._offset, w.next_weight)
            ids += nids
            vals += nvals
        return ids, vals

    def read(self, text: str, next_turn: str | None = None) -> Reading:
        """The model's reading of one agent turn."""
        ids, vals = self.features(text, next_turn)
        w = self.weights
        scores = w.intercept.astype(np.float64)
        if ids:
            scores = scores + np.asarray(vals) @ w.coef[ids]
        scores = np.exp(scores - scores.max())
        probs = scores / scores.sum()
        best = int(np.argmax(probs[1:])) + 1
        return Reading(w.classes[best], float(1.0 - probs[0]))

    def hit(self, text: str, *, next_turn: str | None = None) -> Hit | None:
        """A hit over the whole turn when the model reads a forbidden meaning
        at ``min_confidence`` or above and the lexicon has that rule; else None."""
        if not text.strip():
            return None
        reading = self.read(text, next_turn)
        rule = self._rules.get(reading.rule_id)
        if rule is None or reading.violation < self.min_confidence:
            return None
        severity, message, suggestions, category = rule
        after = ("nothing offered in the agent's next turn" if next_turn
                 else "no next agent turn to offer anything")
        reason = (f"no listed form; the meaning model reads it as {reading.rule_id} "
                  f"({reading.violation:.2f} >= {self.min_confidence:.2f}); {after}")
        return Hit(rule_id=reading.rule_id, category=category, severity=severity,
                   message=message, suggestions=suggestions, phrase="(meaning model)",
                   start=0, end=len(text), matched=text, normalized=self.normalized(text),
                   kind=MatchKind.MEANING, confidence=round(reading.violation, 3),
                   reason=reason)

    def rejudge(self, hit: Hit, *, next_turn: str | None) -> Hit | None:
        """A model hit judged again now that the agent's next turn is known (live)."""
        return self.hit(hit.matched, next_turn=next_turn)
