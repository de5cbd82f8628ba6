"""The meaning model's weights on disk, and building the model a lexicon names.

One ``.npz`` file (numpy arrays, no pickled objects) written by
``scripts/train_meaning.py``. The lexicon's ``[meaning]`` section names it
(``model``, relative to the lexicon file that says so) and sets how sure the
model must be; ``model = ""`` or ``enabled = false`` turns it off.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from phraseguard.engine.meaning import MeaningModel, MeaningWeights
from phraseguard.errors import LexiconError

# Bump when the arrays change meaning; other formats are refused, not misread.
# Format 2 added the weights that also read the customer's turn (absent in a
# model trained without it); a format 1 file is read as such a model.
FORMAT = 2
READS = (1, 2)


def save_weights(weights: MeaningWeights, path: Path) -> None:
    """Write ``weights`` to ``path`` (compressed npz)."""
    meta = {"format": FORMAT, "next_weight": weights.next_weight,
            "customer_weight": weights.customer_weight,
            "language": weights.language, "about": weights.about}
    with path.open("wb") as fp:
        np.savez_compressed(
            fp, text_grams=np.array(weights.text_grams), text_idf=weights.text_idf.astype(np.float32),
            next_grams=np.array(weights.next_grams), next_idf=weights.next_idf.astype(np.float32),
            customer_grams=np.array(weights.customer_grams, dtype=str),
            customer_idf=weights.customer_idf.astype(np.float32),
            coef=weights.coef.astype(np.float32), intercept=weights.intercept.astype(np.float32),
            **({} if weights.customer_coef is None or weights.customer_intercept is None else
               {"customer_coef": weights.customer_coef.astype(np.float32),
                "customer_intercept": weights.customer_intercept.astype(np.float32)}),
            classes=np.array(weights.classes), meta=np.array(json.dumps(meta)))


def load_weights(path: Path) -> MeaningWeights:
    """The weights in ``path``; LexiconError naming the file when it cannot be used."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") not in READS:
                raise LexiconError(path, None, f"meaning model format {meta.get('format')!r}, "
                                               f"this phraseguard reads "
                                               f"{' or '.join(map(str, READS))}: retrain it")
            customer = meta["format"] >= 2 and "customer_coef" in data
            weights = MeaningWeights(
                text_grams=tuple(data["text_grams"].tolist()), text_idf=data["text_idf"],
                next_grams=tuple(data["next_grams"].tolist()), next_idf=data["next_idf"],
                coef=data["coef"], intercept=data["intercept"],
                classes=tuple(data["classes"].tolist()), next_weight=float(meta["next_weight"]),
                language=str(meta.get("language", "")), about=str(meta.get("about", "")),
                customer_grams=tuple(data["customer_grams"].tolist()) if customer else (),
                customer_idf=data["customer_idf"] if customer else np.zeros(0, np.float32),
                customer_weight=float(meta.get("customer_weight", 0.0)) if customer else 0.0,
                customer_coef=data["customer_coef"] if customer else None,
                customer_intercept=data["customer_intercept"] if customer else None)
    except LexiconError:
        raise
    except FileNotFoundError:
        raise LexiconError(path, None, "meaning model file not found") from None
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise LexiconError(path, None, f"not a meaning model file ({exc})") from None
    n = len(weights.text_grams) + len(weights.next_grams)
    fits = weights.coef.shape == (n, len(weights.classes)) and weights.classes[:1] == ("none",)
    if weights.customer_coef is not None:
        fits = fits and weights.customer_coef.shape == (n + len(weights.customer_grams),
                                                       len(weights.classes))
    if not fits:
        raise LexiconError(path, None, "meaning model arrays do not fit together: retrain it")
    return weights


def load_meaning_weights(lexicon) -> MeaningWeights | None:
    """The weights of the model ``lexicon`` asks for, or None (off, or another language)."""
    settings = lexicon.meaning
    if not settings.enabled or not settings.model:
        return None
    weights = load_weights(Path(settings.model))
    if lexicon.language and weights.language and lexicon.language != weights.language:
        return None  # a Korean lexicon inherits the setting, not the Chinese model's sense
    return weights


def build_meaning(lexicon, weights: MeaningWeights | None, normalize) -> MeaningModel | None:
    """The model for ``lexicon`` from weights already read (None: none, or none of
    its classes is a rule of this lexicon)."""
    if weights is None:
        return None
    rules = {r.id: (r.severity, r.message, r.suggestions, r.category)
             for r in lexicon.rules if r.id in weights.classes}
    if not rules:
        return None
    return MeaningModel(weights, rules, min_confidence=lexicon.meaning.min_confidence,
                        wait_confidence=lexicon.meaning.wait_confidence, normalize=normalize,
                        read_customer=lexicon.meaning.read_customer)


def load_meaning(lexicon, normalize) -> MeaningModel | None:
    """The meaning model ``lexicon`` asks for, or None (off, or another language).

    ``normalize`` is the matcher's fast normaliser, so the model reads text
    folded the way the lexicon's rules do.
    """
    return build_meaning(lexicon, load_meaning_weights(lexicon), normalize)


def attach_meaning(matcher, weights: MeaningWeights | None) -> bool:
    """Give ``matcher``'s dialogue judge the model built from ``weights``
    (None: the rules alone). A batch reads the file once and sends the
    weights to every worker, which then needs no copy of the file. Returns
    whether there is a model."""
    model = build_meaning(matcher.lexicon, weights, matcher.normalize_fast)
    matcher.dialogue.use_meaning(model, matcher.mentions)
    return model is not None


def use_meaning(matcher) -> bool:
    """Give ``matcher`` the meaning model its lexicon names, read from its file.

    Front doors call this where the model is on (``live``, ``lint
    --meaning``; ``score`` reads the weights once per batch and attaches
    them in each worker). Returns whether there is a model.
    """
    return attach_meaning(matcher, load_meaning_weights(matcher.lexicon))
