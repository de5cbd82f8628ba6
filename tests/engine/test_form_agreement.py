"""Spaced, traditional and written forms of every real agent line agree (no labels needed).

bench/form_agreement.py's check over every agent line of ../shared/corpus:
the (rule, severity) set the matcher finds in a line must equal the set found
in its traditional form and in its speech-spaced form (jieba's words with
spaces, punctuation kept where it was).
"""

from __future__ import annotations

import pytest
from benches import corpus_agent_lines, load_bench


@pytest.mark.corpus
@pytest.mark.slow
def test_every_corpus_agent_line_gets_the_same_findings_spaced_and_traditional(matcher) -> None:
    bench = load_bench("form_agreement")
    lines = corpus_agent_lines()
    forms = {"traditional": bench.traditional(lines), "spaced": bench.spaced(lines)}
    wrong = bench.disagreements(matcher, lines, forms)
    shown = {name: [(t, sorted(a), sorted(b)) for t, _, a, b in w[:5]] for name, w in wrong.items()}
    assert all(not w for w in wrong.values()), shown


def test_disagreement_check_reports_a_line_whose_form_differs(matcher) -> None:
    bench = load_bench("form_agreement")
    lines = ["我们不管", "好的呢"]
    wrong = bench.disagreements(matcher, lines, {"other": ["好的呢", "好的呢"]})
    assert [(t, a, b) for t, _, a, b in wrong["other"]] == [
        ("我们不管", {("disclaim-responsibility", "critical")}, set())]
