"""Training the meaning model from labelled turns (``phraseguard lexicon train-meaning``).

The model (``engine/meaning.py``) learns what a violation means from turns a
QA team labelled: the agent's turn, the customer's turn before it, the
agent's next turn, a label (major, minor, benign) and, for a major one, its
category. The categories map to the lexicon rules a hit is reported under;
the numbers (regularisation, weights) come from a training configuration,
``lexicons/meaning-training.toml`` by default. Training needs scikit-learn
(``pip install 'phraseguard[train]'``); reading the model afterwards needs
only numpy. The same turns and numbers always give the same weights.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from phraseguard.engine.lexicon_files import lexicon_dir
from phraseguard.engine.meaning import (
    CUSTOMER_ORDERS,
    NEXT_ORDERS,
    NONE_CLASS,
    TEXT_ORDERS,
    MeaningWeights,
    grams,
    normalized,
    tfidf,
)
from phraseguard.errors import PhraseguardError
from phraseguard.labelled import Labelled, read_labelled


def default_config_path() -> Path:
    """The bundled training configuration (categories and numbers)."""
    return lexicon_dir() / "meaning-training.toml"


def load_config(path: Path | None = None) -> dict:
    """A training configuration; PhraseguardError naming the file when it is unusable."""
    path = path or default_config_path()
    try:
        with path.open("rb") as fp:
            config = tomllib.load(fp)
    except OSError as exc:
        raise PhraseguardError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PhraseguardError(f"{path}: not valid TOML: {exc}") from None
    for section in ("categories", "training"):
        if not isinstance(config.get(section), dict):
            raise PhraseguardError(f"{path}: no [{section}] table")
    return config


def target(example, categories: dict[str, str]) -> str:
    """The class a labelled turn teaches: a rule id, or none (minor and benign).

    ``example`` has ``label`` (major, or ``violation`` as bench/accuracy.py
    names it), ``category`` and ``origin``.
    """
    if example.label not in ("major", "violation"):
        return NONE_CLASS
    rule = categories.get(example.category)
    if rule is None:
        raise PhraseguardError(f"{example.origin}: category {example.category!r} is not in "
                               f"[categories] of the training configuration")
    return rule


def _vocab(docs: list[Counter], min_df: int) -> tuple[dict[str, int], np.ndarray]:
    df: Counter = Counter()
    for d in docs:
        df.update(d.keys())
    grams_ = sorted(g for g, c in df.items() if c >= min_df)
    n = len(docs)
    idf = np.array([np.log((1 + n) / (1 + df[g])) + 1.0 for g in grams_])
    return {g: i for i, g in enumerate(grams_)}, idf


def train(examples: Sequence, weights: Sequence[float], classes_of: Sequence[str],
          config: dict, normalize: Callable[[str], str], about: str = "") -> MeaningWeights:
    """Fit the model on ``examples`` (anything with ``text``, ``next_turn`` and
    ``customer``), each with a sample weight and the class it teaches.
    ``normalize`` is the matcher's fast normaliser, as the model will read.

    Where ``[training] customer_weight`` is above 0 (a configuration without
    the key: not), a second set of weights is fitted on the same turns with
    the customer's turn before as well; the model reads with it wherever that
    turn is known. The first set never sees the customer's turn: trained with
    it alone, the model leaned on it and read a script's turns (no customer)
    as milder than they are."""
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise PhraseguardError("training the meaning model needs scikit-learn: "
                               "pip install 'phraseguard[train]'") from None
    params = config["training"]

    def norm(t: str) -> str:
        return normalized(t, normalize)

    text_docs = [grams(norm(e.text), TEXT_ORDERS) for e in examples]
    next_docs = [grams(norm(e.next_turn), NEXT_ORDERS) if e.next_turn else Counter()
                 for e in examples]
    customer_weight = float(params.get("customer_weight", 0.0))
    customer_docs = [grams(norm(e.customer), CUSTOMER_ORDERS)
                     if customer_weight > 0 and e.customer else Counter() for e in examples]
    t_index, t_idf = _vocab(text_docs, params["min_df"])
    n_index, n_idf = _vocab([d for d in next_docs if d], params["min_df"])
    c_index, c_idf = _vocab([d for d in customer_docs if d], params["min_df"])
    rows, cols, vals = [], [], []
    for r, (td, nd, cd) in enumerate(zip(text_docs, next_docs, customer_docs, strict=True)):
        ids, vs = tfidf(td, t_index, t_idf)
        nids, nvs = tfidf(nd, n_index, n_idf, len(t_index), params["next_weight"])
        cids, cvs = tfidf(cd, c_index, c_idf, len(t_index) + len(n_index), customer_weight)
        rows += [r] * (len(ids) + len(nids) + len(cids))
        cols += ids + nids + cids
        vals += vs + nvs + cvs
    plain = len(t_index) + len(n_index)
    x = csr_matrix((vals, (rows, cols)), shape=(len(examples), plain + len(c_index)))
    classes = [NONE_CLASS, *sorted(set(classes_of) - {NONE_CLASS})]
    if len(classes) < 2:
        raise PhraseguardError("no major turn among the labelled turns: nothing to learn")
    y = np.array([classes.index(c) for c in classes_of])
    class_weight = {i: (1.0 if c == NONE_CLASS else params["violation_weight"])
                    for i, c in enumerate(classes)}

    def fit(features) -> tuple[np.ndarray, np.ndarray]:
        clf = LogisticRegression(C=params["C"], max_iter=params["max_iter"],
                                 class_weight=class_weight)
        clf.fit(features, y, sample_weight=np.asarray(weights))
        coef, intercept = clf.coef_.T, clf.intercept_
        if len(classes) == 2:  # scikit-learn fits one column for two classes: none vs the rule
            coef = np.hstack([-coef / 2, coef / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return coef.astype(np.float32).copy(), intercept.astype(np.float32)

    coef, intercept = fit(x[:, :plain])
    customer_coef, customer_intercept = fit(x) if c_index else (None, None)
    return MeaningWeights(
        text_grams=tuple(t_index), text_idf=t_idf.astype(np.float32),
        next_grams=tuple(n_index), next_idf=n_idf.astype(np.float32),
        coef=coef, intercept=intercept,
        classes=tuple(classes), next_weight=float(params["next_weight"]), language="zh",
        about=about, customer_grams=tuple(c_index), customer_idf=c_idf.astype(np.float32),
        customer_weight=customer_weight if c_index else 0.0,
        customer_coef=customer_coef, customer_intercept=customer_intercept)


def train_from_files(paths: Sequence[Path], config: dict, normalize: Callable[[str], str],
                     benign: Sequence[str] = (), about: str = "") -> MeaningWeights:
    """Train on labelled files, plus ``benign`` agent lines taken as benign
    at ``[training] corpus_benign_weight`` each."""
    examples: list = []
    for path in paths:
        examples.extend(read_labelled(path))
    classes = [target(e, config["categories"]) for e in examples]
    weights = [1.0] * len(examples)
    w = float(config["training"]["corpus_benign_weight"])
    for i, line in enumerate(benign):
        examples.append(Labelled(line, "benign", "", f"benign:{i + 1}"))
        classes.append(NONE_CLASS)
        weights.append(w)
    return train(examples, weights, classes, config, normalize, about)
