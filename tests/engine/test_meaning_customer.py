"""The meaning model reads the customer's turn before where it is known.

The same polite words give nothing after a chase and answer a plain
question; a second set of weights, trained with the customer's turn, reads
that. Where the customer's turn is not known (a script, a one-voice
recording, the call's first turn) the first set reads the turn as a model
trained without it would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import train_meaning  # noqa: E402

from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402
from phraseguard.engine.matcher import Matcher  # noqa: E402
from phraseguard.engine.meaning import MeaningModel, MeaningWeights  # noqa: E402
from phraseguard.engine.meaning_files import load_weights, save_weights  # noqa: E402
from tests.engine.labelled import write_labels  # noqa: E402
from tests.engine.recording_model import RecordingModel  # noqa: E402

CHASE = "都催了三次了还没到"
QUESTION = "请问大概什么时候能到呀"
WAIT = "请您再耐心等一等"

# Written for this test: the agent's words are the same; the customer's turn decides.
ROWS = [
    *[(f"{CHASE}{'！' * i}", WAIT, "", "major", "brush_off") for i in range(1, 4)],
    *[(f"{QUESTION}{'？' * i}", WAIT, "", "benign", "none") for i in range(1, 4)],
    ("东西坏了", "这个我们也没辙了", "", "major", "giving_up"),
    ("东西坏了", "这个我们也没辙了", "我帮您申请换货", "benign", "none"),
    ("你好", "您好，很高兴为您服务", "", "benign", "none"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_lexicon(None))


def _trained(tmp_path, matcher, customer_weight: float) -> MeaningWeights:
    data = write_labels(tmp_path / f"set{customer_weight}.tsv", ROWS)
    config = train_meaning.load_config()
    config.update(paraphrases=[str(data)], written=[], corpus_labels=[])
    config["training"] = {**config["training"], "customer_weight": customer_weight}
    examples, weights, classes = train_meaning.training_set(
        config, matcher, corpus_lines=[], root=Path("/"))
    return train_meaning.train(examples, weights, classes, config, matcher.normalize_fast)


def _model(weights: MeaningWeights, matcher: Matcher) -> MeaningModel:
    rules = {r.id: (r.severity, r.message, r.suggestions, r.category)
             for r in matcher.lexicon.rules}
    return MeaningModel(weights, rules, min_confidence=0.5, normalize=matcher.normalize_fast)


def test_a_chase_before_the_same_words_reads_as_the_violation_a_plain_question_does_not(
        tmp_path, matcher):
    model = _model(_trained(tmp_path, matcher, 1.0), matcher)
    assert model.reads_customer
    after_chase = model.read(WAIT, customer=f"{CHASE}！")
    after_question = model.read(WAIT, customer=f"{QUESTION}？")
    assert after_chase.violation > 0.5 > after_question.violation
    hit = model.hit(WAIT, customer=f"{CHASE}！")
    assert hit is not None and "after the customer's turn before" in hit.reason


def test_without_the_customers_turn_the_model_reads_as_one_trained_without_it(
        tmp_path, matcher):
    with_customer = _trained(tmp_path, matcher, 1.0)
    plain = _trained(tmp_path, matcher, 0.0)
    assert plain.customer_coef is None and with_customer.customer_coef is not None
    assert np.array_equal(with_customer.coef, plain.coef)
    a, b = _model(with_customer, matcher), _model(plain, matcher)
    for text in (WAIT, "这个我们也没辙了", "您好，很高兴为您服务"):
        assert abs(a.read(text).violation - b.read(text).violation) < 1e-9
        # a model without the second set ignores a customer's turn it is given
        assert b.read(text, customer=CHASE).violation == b.read(text).violation


def test_reading_many_turns_with_and_without_customers_equals_reading_each(tmp_path, matcher):
    model = _model(_trained(tmp_path, matcher, 1.0), matcher)
    texts = [WAIT, WAIT, "这个我们也没辙了", WAIT]
    nexts = [None, None, "我帮您申请换货", None]
    customers = [CHASE, None, "东西坏了", QUESTION]
    many = model.read_many(texts, nexts, customers)
    for text, nxt, customer, reading in zip(texts, nexts, customers, many, strict=True):
        one = model.read(text, nxt, customer)
        assert one.rule_id == reading.rule_id
        assert abs(one.violation - reading.violation) < 1e-9


def test_the_second_set_of_weights_round_trips_through_the_file(tmp_path, matcher):
    weights = _trained(tmp_path, matcher, 1.0)
    save_weights(weights, tmp_path / "m.npz")
    back = load_weights(tmp_path / "m.npz")
    assert back.customer_grams == weights.customer_grams and back.customer_weight == 1.0
    assert np.array_equal(back.customer_coef, weights.customer_coef)
    assert np.array_equal(back.customer_intercept, weights.customer_intercept)
    plain = _trained(tmp_path, matcher, 0.0)
    save_weights(plain, tmp_path / "p.npz")
    assert load_weights(tmp_path / "p.npz").customer_coef is None


def test_a_model_file_of_the_first_format_is_read_without_the_second_set(tmp_path, matcher):
    import json

    weights = _trained(tmp_path, matcher, 0.0)
    path = tmp_path / "old.npz"
    with path.open("wb") as fp:  # as a format 1 file was written: no customer arrays
        np.savez_compressed(
            fp, text_grams=np.array(weights.text_grams), text_idf=weights.text_idf,
            next_grams=np.array(weights.next_grams), next_idf=weights.next_idf,
            coef=weights.coef, intercept=weights.intercept, classes=np.array(weights.classes),
            meta=np.array(json.dumps({"format": 1, "next_weight": 0.5, "language": "zh",
                                      "about": "old"})))
    back = load_weights(path)
    assert back.customer_coef is None and back.customer_grams == ()
    assert not _model(back, matcher).reads_customer


def test_the_dialogue_judge_gives_the_model_each_turns_customer_turn(matcher):
    judge = matcher.dialogue
    recording = RecordingModel()
    kept = judge.meaning, judge._mentions
    judge.use_meaning(recording)  # type: ignore[arg-type]
    try:
        turns = [Turn(AGENT, "您好"), Turn(CUSTOMER, CHASE), Turn(AGENT, WAIT),
                 Turn(AGENT, "还有别的吗"), Turn(CUSTOMER, QUESTION), Turn(AGENT, WAIT)]
        judge.judge_dialogue(turns, [[] for _ in turns])
        assert recording.customers == [None, CHASE, CHASE, QUESTION]
        recording.customers.clear()
        judge.judge_turn(WAIT, [], customer=CHASE)
        assert recording.customers == [CHASE]
    finally:
        judge.use_meaning(*kept)


def test_a_lexicon_can_turn_the_customers_turn_off(tmp_path) -> None:
    from phraseguard.engine.meaning_files import load_meaning

    ours = tmp_path / "ours.toml"
    ours.write_text('[lexicon]\nextends = "default"\n[meaning]\nread_customer = false\n', "utf-8")
    lexicon = load_lexicon(str(ours))
    assert lexicon.meaning.read_customer is False
    matcher = Matcher(lexicon)
    model = load_meaning(lexicon, matcher.normalize_fast)
    assert model is not None and not model.reads_customer
    assert model.read(WAIT, customer=CHASE).violation == model.read(WAIT).violation
    default = load_meaning(load_lexicon(None), matcher.normalize_fast)
    assert default is not None and default.reads_customer
