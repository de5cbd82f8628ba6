"""The meaning model: what an agent turn means when no listed form says it.

The lexicon's families catch the ways of saying a forbidden thing that
someone wrote down. Agents also give up, disclaim knowledge, push the
customer away or brush them off in wording nobody listed: idioms, sarcasm,
a non-answer stated as a fact. Blind paraphrase sets showed families alone
reach about half of those (README, "Measured"). This model reads the
meaning from labelled examples instead: a linear classifier over character
n-grams of the agent's turn and of the agent's next turn (an offer there
resolves a give-up), trained by ``scripts/train_meaning.py`` on the
project's labelled tuning sets. Where the customer's turn before is known,
a second set of weights reads its n-grams too (a chase or a complaint makes
"请您耐心等待" give nothing, a plain question makes it an answer); where it is
not (a script, a one-voice recording), the first reads the turn as it
always did.

It only speaks where no rule's form is written (``Matcher.mentions``; the
dialogue judge asks): where a rule found its phrase, the rule's conditions
say what QA decided, so the model can add a finding but never overrule one.
Its hit is then judged like the rule's own, with the agent's next turn. Its classes are rule
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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from phraseguard.engine.hit import Hit, MatchKind, Severity
from phraseguard.engine.normalize import keep_questions

NONE_CLASS = "none"  # the benign class: every other class is a rule id
TEXT_ORDERS = (1, 2, 3)  # character n-grams of the judged turn
NEXT_ORDERS = (1, 2)  # and of the agent's next turn (a shorter signal: offers)
CUSTOMER_ORDERS = (1, 2)  # and of the customer's turn before (chases, complaints, questions)


@dataclass(frozen=True)
class MeaningWeights:
    """A trained model as plain arrays (what ``meaning_files`` reads and writes).

    ``coef`` has one row per feature (the judged turn's grams, then the next
    turn's) and one column per class; ``classes[0]`` is ``"none"``.
    ``customer_coef`` (None: not trained) is the model that also reads the
    customer's turn before: the same rows, then one per customer gram.
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
    about: str = ""  # what it was trained on (with a digest a test compares to the sets)
    customer_grams: tuple[str, ...] = ()
    customer_idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    customer_weight: float = 0.0  # the customer's turn's features against the turn's own
    customer_coef: np.ndarray | None = None
    customer_intercept: np.ndarray | None = None


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
    return keep_questions(text, normalize)


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


_SEP = "\x00"  # between turns in a batch; never inside a normalised turn
# Turns read in one numpy pass: big enough that numpy's per-call cost
# vanishes (about 14 us a turn), small enough that a megabyte chunk of lint
# does not hold ten arrays of a million n-grams at once. Results do not
# depend on it.
_BATCH = 2048


def _gram_code(gram: str) -> int:
    """One integer per n-gram of up to 3 characters (21 bits a code point)."""
    code = 0
    for ch in gram:
        code = (code << 21) | ord(ch)
    return code


class GramIndex:
    """The n-grams a model knows, looked up for many turns at once with numpy.

    Gives the values :func:`grams` + :func:`tfidf` give one turn at a time
    (a test compares them), but a batch of turns costs a few numpy passes
    instead of a dictionary lookup per n-gram in Python.
    """

    def __init__(self, grams_: Sequence[str], idf: np.ndarray, orders: Sequence[int]) -> None:
        codes = np.array([_gram_code(g) for g in grams_], dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        self._codes = codes[order]
        self._ids = order.astype(np.int64)
        self._idf = idf.astype(np.float64)
        self._orders = tuple(orders)
        self.size = len(grams_)

    def features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, feature id, value) of every known n-gram of each normalised
        text, tf-idf weighted and L2-normalised per text."""
        joined = _SEP.join(f"^{t.replace(_SEP, '')}$" for t in texts)
        c = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        sep = c == 0
        line = np.cumsum(sep)
        keys: list[np.ndarray] = []
        rows: list[np.ndarray] = []
        for n in self._orders:
            if n == 1:  # the turn's characters, not its start and end marks
                edge = np.ones(len(c), dtype=bool)
                edge[1:] = sep[:-1]
                edge[:-1] |= sep[1:]
                ok = ~sep & ~edge
                keys.append(c[ok])
                rows.append(line[ok])
                continue
            m = len(c) - n + 1
            if m <= 0:
                continue
            key = c[:m].copy()
            ok = ~sep[:m]
            for k in range(1, n):
                key = (key << 21) | c[k:k + m]
                ok &= ~sep[k:k + m]
            keys.append(key[ok])
            rows.append(line[:m][ok])
        key = np.concatenate(keys)
        row = np.concatenate(rows)
        # Sorted needles: the binary searches walk the table in order, which
        # keeps it in the CPU's cache (four times faster on a call's turns).
        order = np.argsort(key, kind="stable")
        key, row = key[order], row[order]
        pos = np.searchsorted(self._codes, key).clip(0, max(len(self._codes) - 1, 0))
        known = self._codes[pos] == key if len(self._codes) else np.zeros(len(key), bool)
        fid = self._ids[pos[known]]
        row = row[known]
        pair, counts = np.unique(row * self.size + fid, return_counts=True)
        row, fid = pair // self.size, pair % self.size
        vals = (1.0 + np.log(counts)) * self._idf[fid]
        norm = np.sqrt(np.bincount(row, vals * vals, minlength=len(texts)))
        return row, fid, vals / norm[row]


@dataclass(frozen=True)
class Reading:
    """What the model makes of one turn: the likeliest rule and how sure it is."""

    rule_id: str  # the likeliest forbidden class (a rule id), however unlikely
    violation: float  # probability of any forbidden meaning: 1 - P(none)


class MeaningModel:
    """Reads agent turns with trained weights; build once per lexicon and model."""

    def __init__(self, weights: MeaningWeights, rules: dict[str, tuple[Severity, str, tuple[str, ...], str]],
                 *, min_confidence: float, normalize,
                 wait_confidence: float | None = None, read_customer: bool = True) -> None:
        """``rules``: rule id -> (severity, message, suggestions, category) for
        the model's classes that the lexicon has (a class whose rule a lexicon
        disabled never yields a hit); ``normalize``: the matcher's fast
        normaliser (traditional -> simplified, spaces and fillers dropped);
        ``wait_confidence``: how sure a turn read alone must be to wait for
        the next turn (:meth:`hits`; None or above ``min_confidence``: as sure
        as a report); ``read_customer``: read the customer's turn before
        where the weights have a set for it (False: never)."""
        self.weights = weights
        self.min_confidence = min_confidence
        self.wait_confidence = min_confidence if wait_confidence is None \
            else min(wait_confidence, min_confidence)
        self._rules = rules
        self._norm = normalize
        self._text = GramIndex(weights.text_grams, weights.text_idf, TEXT_ORDERS)
        self._next = GramIndex(weights.next_grams, weights.next_idf, NEXT_ORDERS)
        self._customer = GramIndex(weights.customer_grams, weights.customer_idf,
                                   CUSTOMER_ORDERS)
        self._read_customer = read_customer

    @property
    def reads_customer(self) -> bool:
        """Whether the model reads the customer's turn before (trained to, and
        not turned off)."""
        return self._read_customer and self.weights.customer_coef is not None

    def normalized(self, text: str) -> str:
        """The text the features are read from (:func:`normalized`)."""
        return normalized(text, self._norm)

    def read_many(self, texts: Sequence[str], next_turns: Sequence[str | None] | None = None,
                  customers: Sequence[str | None] | None = None) -> list[Reading]:
        """The model's reading of many agent turns at once (``next_turns[i]``:
        the agent's turn after ``texts[i]``; ``customers[i]``: the customer's
        turn before it; None: none, or not known)."""
        if not texts:
            return []
        alone, heard, mask = self._scores(texts, next_turns, customers)
        if heard is not None:
            alone = np.where(mask[:, None], heard, alone)
        return self._readings(alone)

    def _readings(self, scores: np.ndarray) -> list[Reading]:
        """Class scores (before the softmax) as readings."""
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = scores / scores.sum(axis=1, keepdims=True)
        best = np.argmax(probs[:, 1:], axis=1) + 1
        return [Reading(self.weights.classes[b], float(1.0 - p))
                for b, p in zip(best, probs[:, 0], strict=True)]

    def _scores(self, texts: Sequence[str], next_turns: Sequence[str | None] | None,
                customers: Sequence[str | None] | None
                ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """Class scores (before the softmax) of each turn by the first set of
        weights (the customer's turn unread); where some customer's turn is
        known and the model reads it, also by the second set, and which rows
        had one. Each turn's n-grams are found once for both."""
        w = self.weights
        n = len(texts)
        parts = [self._text.features([self.normalized(t) for t in texts])]
        which = [i for i, t in enumerate(next_turns or ()) if t]
        if which:
            assert next_turns is not None
            nrow, nfid, nvals = self._next.features(
                [self.normalized(next_turns[i]) for i in which])  # type: ignore[arg-type]
            parts.append((np.asarray(which, dtype=np.int64)[nrow], nfid + self._text.size,
                          nvals * w.next_weight))
        alone = self._sum(w.coef, w.intercept, parts, n)
        mask = np.zeros(n, dtype=bool)
        heard = [i for i, c in enumerate(customers or ()) if c] if self.reads_customer else []
        if not heard:
            return alone, None, mask
        assert customers is not None and w.customer_coef is not None
        assert w.customer_intercept is not None
        crow, cfid, cvals = self._customer.features(
            [self.normalized(customers[i]) for i in heard])  # type: ignore[arg-type]
        parts.append((np.asarray(heard, dtype=np.int64)[crow],
                      cfid + self._text.size + self._next.size, cvals * w.customer_weight))
        mask[heard] = True
        return alone, self._sum(w.customer_coef, w.customer_intercept, parts, n), mask

    @staticmethod
    def _sum(coef: np.ndarray, intercept: np.ndarray,
             parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], n: int) -> np.ndarray:
        k = len(intercept)
        scores = np.tile(intercept.astype(np.float64), (n, 1))
        for r, f, v in parts:
            # one bincount over (row, class) cells instead of one per class
            cells = (r[:, None] * k + np.arange(k)).ravel()
            scores += np.bincount(cells, (coef[f] * v[:, None]).ravel(),
                                  minlength=n * k).reshape(n, k)
        return scores

    def read(self, text: str, next_turn: str | None = None,
             customer: str | None = None) -> Reading:
        """The model's reading of one agent turn."""
        return self.read_many([text], [next_turn], [customer])[0]

    def hit(self, text: str, *, next_turn: str | None = None,
            customer: str | None = None) -> Hit | None:
        """A hit over the whole turn when the model reads a forbidden meaning
        at ``min_confidence`` or above and the lexicon has that rule; else None."""
        if not text.strip():
            return None
        return self._hit(text, next_turn, self.read(text, next_turn, customer), customer=customer)

    def hits(self, texts: Sequence[str],
             customers: Sequence[str | None] | None = None) -> list[Hit | None]:
        """The turns worth judging, read without their next turn (with the
        customer's turn before, ``customers[i]``, where known), in batches: a
        hit wherever the reading reaches ``wait_confidence``.

        A hit below ``min_confidence`` is not a finding yet: the agent's next
        turn decides (the dialogue judge reads the turn again with it, and
        with no next turn the turn alone must reach ``min_confidence``). A
        resigned non-answer followed by "还有别的问题吗" reads plainer with it.

        With the customer's turn, a turn is worth judging when it reads so
        with or without it: read without the next turn, the weights that
        heard the customer can be less sure of a turn than with it (a
        non-answer after "那怎么办" read 0.32 alone and 0.82 before "还有别的问题吗").
        """
        readings: list[Reading] = []
        for i in range(0, len(texts), _BATCH):
            alone, heard, mask = self._scores(
                texts[i:i + _BATCH], None, None if customers is None else customers[i:i + _BATCH])
            read = self._readings(alone)
            if heard is not None:
                read = [max(a, b, key=lambda r: r.violation) if m else a
                        for a, b, m in zip(read, self._readings(heard), mask, strict=True)]
            readings.extend(read)
        return [self._hit(t, None, r, self.wait_confidence) if t.strip() else None
                for t, r in zip(texts, readings, strict=True)]

    def _hit(self, text: str, next_turn: str | None, reading: Reading,
             floor: float | None = None, customer: str | None = None) -> Hit | None:
        rule = self._rules.get(reading.rule_id)
        if rule is None or reading.violation < (self.min_confidence if floor is None else floor):
            return None
        severity, message, suggestions, category = rule
        after = ("nothing offered in the agent's next turn" if next_turn
                 else "no next agent turn to offer anything")
        heard = (" after the customer's turn before" if customer and self.reads_customer
                 else "")
        reason = (f"no listed form; the meaning model reads it as {reading.rule_id}{heard} "
                  f"({reading.violation:.2f} >= {self.min_confidence:.2f}); {after}")
        return Hit(rule_id=reading.rule_id, category=category, severity=severity,
                   message=message, suggestions=suggestions, phrase="(meaning model)",
                   start=0, end=len(text), matched=text, normalized=self.normalized(text),
                   kind=MatchKind.MEANING, confidence=round(reading.violation, 3),
                   reason=reason)

