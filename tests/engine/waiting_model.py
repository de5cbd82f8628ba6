"""A tiny meaning model whose reading waits for the next turn ([meaning]
wait_confidence): 哎呀 alone reads about 0.60, between wait_confidence 0.5 and
min_confidence 0.7; before a next turn with 还 (还有别的问题吗: nothing offered)
about 0.97; before one with 帮 (我帮您…) near 0."""

from __future__ import annotations

import numpy as np

from phraseguard.engine.hit import Severity
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.meaning import MeaningModel, MeaningWeights


def waiting_weights() -> MeaningWeights:
    return MeaningWeights(text_grams=("哎", "呀"), text_idf=np.ones(2, np.float32),
                          next_grams=("还", "帮"), next_idf=np.ones(2, np.float32),
                          coef=np.array([[0, 1], [0, 1], [0, 6], [0, -12]], np.float32),
                          intercept=np.array([0, -1], np.float32),
                          classes=("none", "give-up"), next_weight=0.5)


def waiting_matcher(lexicon, wait: float = 0.5) -> Matcher:
    """A matcher of ``lexicon`` whose dialogue judge reads with that model
    (min_confidence 0.7, wait_confidence ``wait``)."""
    m = Matcher(lexicon)
    rules = {"give-up": (Severity.MAJOR, "Gives up", (), "giving_up")}
    m.dialogue.use_meaning(MeaningModel(waiting_weights(), rules, min_confidence=0.7,
                                        wait_confidence=wait, normalize=m.normalize_fast),
                           m.mentions)
    return m
