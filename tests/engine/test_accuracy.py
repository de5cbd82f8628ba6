"""Line-level precision and recall of the default lexicon (bench/accuracy.py's functions)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benches import load_bench

FORMS = ["plain", "traditional", "spaced", "homophone", "spaced+homophone"]
TARGET = 0.9


@pytest.fixture(scope="module")
def bench():
    return load_bench("accuracy")


@pytest.fixture(scope="module")
def constructed_forms(bench):
    examples = bench.constructed_examples()
    return examples, bench.forms(examples)


@pytest.fixture(scope="module")
def corpus_forms(bench):
    if not bench.CORPUS.is_dir():
        pytest.skip(f"corpus absent: {bench.CORPUS}")
    examples = bench.corpus_examples(bench.CORPUS)
    return examples, bench.forms(examples)


def _report(wrong) -> list[str]:
    return [f"{'FN' if ex.violation else 'FP'} {text[:60]}" for ex, text, _ in wrong[:20]]


@pytest.mark.parametrize("form", FORMS)
def test_constructed_set_precision_and_recall(bench, matcher, constructed_forms,
                                              form: str) -> None:
    examples, texts = constructed_forms
    assert len(examples) >= 100
    assert any(e.violation for e in examples) and not all(e.violation for e in examples)
    score, wrong = bench.evaluate(matcher, examples, texts[form], judge=matcher.dialogue)
    assert score.precision >= TARGET, _report(wrong)
    assert score.recall >= TARGET, _report(wrong)


@pytest.mark.parametrize("form", FORMS)
def test_families_set_precision_and_recall_at_major_and_minor(bench, matcher, form) -> None:
    examples = bench.constructed_examples(bench.FAMILIES)
    texts = bench.forms(examples)[form]
    for severity in ("major", "minor"):
        score, wrong = bench.evaluate(matcher, examples, texts, min_severity=severity,
                                      judge=matcher.dialogue)
        assert score.precision >= TARGET, (severity, _report(wrong))
        assert score.recall >= TARGET, (severity, _report(wrong))


@pytest.mark.corpus
@pytest.mark.parametrize("form", FORMS)
def test_corpus_precision_and_recall(bench, matcher, corpus_forms, form: str) -> None:
    examples, texts = corpus_forms
    assert len(examples) >= 400
    score, wrong = bench.evaluate(matcher, examples, texts[form], judge=matcher.dialogue)
    assert score.precision >= TARGET, _report(wrong)
    assert score.recall >= TARGET, _report(wrong)


def test_forms_keep_one_text_per_example(bench, constructed_forms) -> None:
    examples, texts = constructed_forms
    assert set(texts) == set(FORMS)
    for form in FORMS:
        assert len(texts[form]) == len(examples)
    assert texts["plain"] == [e.text for e in examples]
    assert {e.label for e in examples} == {"violation", "minor", "benign"}
    assert any(" " in t for t in texts["spaced"])
    assert texts["homophone"] != texts["plain"]


def test_corpus_examples_are_empty_without_the_corpus(bench, tmp_path: Path) -> None:
    assert bench.corpus_examples(tmp_path / "absent") == []


@pytest.mark.parametrize("round_", [3, 4, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 20, 21, 22,
                                    23, 25, 26, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38,
                                    39, 40, 41, 42, 43, 44, 45, 46, 47, 48])
def test_paraphrase_only_rounds_load_every_row_and_no_corpus(bench, round_) -> None:
    # Rounds 3, 4, 6-12, 14-18, 20-23, 25, 26 and 28-48 have no corpus file; their paraphrases are all read
    # (counts only: held-out lines are never shown by the tests).
    sets = bench.heldout_sets(round_)
    assert sets["corpus"] == []
    assert len(sets["paraphrases"]) == 250


def test_rounds_flag_rejects_words(bench, capsys) -> None:
    assert bench.main(["--heldout-only", "--rounds", "four"]) == 2
    assert "--rounds" in capsys.readouterr().err


@pytest.mark.corpus
@pytest.mark.parametrize(("round_", "lines", "violations"),
                         [(5, 207, 2), (13, 799, 2), (19, 147, 4), (24, 154, 2),
                          (27, 156, 2)])
def test_real_line_round_loads_every_row_and_no_paraphrases(bench, round_, lines,
                                                            violations) -> None:
    # Rounds 5, 13, 19, 24 and 27 are real lines only (counts only: held-out lines are never shown).
    sets = bench.heldout_sets(round_)
    assert sets["paraphrases"] == []
    assert len(sets["corpus"]) == lines
    assert sum(e.violation for e in sets["corpus"]) == violations


@pytest.mark.parametrize("argv", [["--tunning-only"], ["--help-me"], ["--sets"],
                                  ["--tuning-only", "--rounds"]])
def test_an_unknown_or_incomplete_option_stops_before_anything_is_read(bench, capsys,
                                                                      argv) -> None:
    # A typo must never fall through to the default run, which prints every
    # held-out round (each print is one more look at a blind set).
    assert bench.main(argv) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1


def test_help_prints_the_usage_and_reads_nothing(bench, capsys) -> None:
    assert bench.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--tuning-only" in out and "HELD-OUT" not in out and "TUNING" not in out


@pytest.mark.corpus
def test_second_hunt_is_a_tuning_set_of_real_lines(bench) -> None:
    hunt2 = bench.tuning_sets()["hunt2"]
    assert len(hunt2) == 333 and sum(e.violation for e in hunt2) == 9


@pytest.mark.corpus
def test_third_hunt_is_a_tuning_set_of_real_lines(bench) -> None:
    hunt3 = bench.tuning_sets()["hunt3"]
    assert len(hunt3) == 296 and sum(e.violation for e in hunt3) == 11


@pytest.mark.corpus
def test_fourth_hunt_is_a_tuning_set_of_real_lines(bench) -> None:
    hunt4 = bench.tuning_sets()["hunt4"]
    assert len(hunt4) == 294 and sum(e.violation for e in hunt4) == 7


@pytest.mark.corpus
def test_hunted_real_lines_are_a_tuning_set(bench, matcher) -> None:
    hunt = bench.tuning_sets()["hunt"]
    assert len(hunt) == 438 and sum(e.violation for e in hunt) == 10
    # the families written from it find most of its violations without a model
    score, wrong = bench.evaluate(matcher, hunt, judge=matcher.dialogue)
    assert score.recall >= 0.8 and score.precision >= 0.85, _report(wrong)
