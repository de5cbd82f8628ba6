"""scripts/train_meaning.py: what it learns from, and that the same files give the same model."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

import train_meaning  # noqa: E402

from phraseguard.engine.lexicon import load_lexicon  # noqa: E402
from phraseguard.engine.matcher import Matcher  # noqa: E402
from phraseguard.engine.meaning import MeaningModel  # noqa: E402
from phraseguard.errors import PhraseguardError  # noqa: E402
from tests.engine.labelled import rows, write_labels  # noqa: E402


@pytest.fixture
def config(tmp_path):
    data = write_labels(tmp_path / "set.tsv", rows())
    cfg = train_meaning.load_config()
    cfg.update(paraphrases=[str(data)], written=[], corpus_labels=[])
    return cfg


def _train(config, matcher):
    examples, weights, classes = train_meaning.training_set(
        config, matcher, corpus_lines=[], root=Path("/"))
    return train_meaning.train(examples, weights, classes, config, matcher.normalize_fast)


def test_training_learns_the_labelled_meanings_and_the_rescuing_next_turn(config):
    matcher = Matcher(load_lexicon(None))
    weights = _train(config, matcher)
    assert weights.classes == ("none", "disclaim-knowledge", "give-up")
    rules = {r.id: (r.severity, r.message, r.suggestions, r.category)
             for r in matcher.lexicon.rules}
    model = MeaningModel(weights, rules, min_confidence=0.5, normalize=matcher.normalize_fast)
    assert model.read("真没辙").rule_id == "give-up"
    assert model.read("真没辙").violation > model.read("真没辙", "我帮您申请换货").violation


def test_the_same_files_give_the_same_weights(config):
    matcher = Matcher(load_lexicon(None))
    a, b = _train(config, matcher), _train(config, matcher)
    assert a.text_grams == b.text_grams and np.array_equal(a.coef, b.coef)


def test_a_category_missing_from_the_config_stops_training_with_the_line(config):
    del config["categories"]["ignorance"]
    with pytest.raises(PhraseguardError, match="category 'ignorance'"):
        train_meaning.training_set(config, Matcher(load_lexicon(None)), corpus_lines=[],
                                   root=Path("/"))


def test_held_out_corpus_lines_are_never_training_lines():
    keys = train_meaning.heldout_keys()
    assert len(keys) >= 700  # both rounds of held-out corpus lines
    assert all(len(k) == 3 and k[0].endswith(".jsonl") for k in keys)
