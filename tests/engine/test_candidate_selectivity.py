"""Lint's speed rests on few candidate lines: a pattern's anchor keys (its most
selective literals, spelled by sound) decide which lines are verified at all.
A pattern whose keys are common words (a bare 跟, 商家, or 就回, which sounds
like 就会) makes every tenth line a candidate and halves lint's throughput
(it happened in the eighth session: 880 candidate lines became 10,993), while
every finding stays the same, so no accuracy test notices. This one does."""

from __future__ import annotations

from collections import Counter

import pytest
from benches import corpus_agent_lines

# The commonest pattern (没法) keys about 0.2% of the corpus's agent lines.
MAX_SHARE = 0.01


@pytest.mark.corpus
def test_no_pattern_makes_more_than_one_percent_of_agent_lines_candidates(matcher) -> None:
    lines = corpus_agent_lines()
    per_pattern: Counter[int] = Counter()
    for text in lines:
        # (the matcher's own first step on a line: anchor keys found in its fold)
        per_pattern.update(matcher._candidates(matcher._blocks.fold_line(text)))
    worst = [(n, matcher.rules[matcher._patterns[i].rule].id) for i, n in per_pattern.most_common(3)]
    assert worst[0][0] <= MAX_SHARE * len(lines), worst
