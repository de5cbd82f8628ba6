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
    # As lint reads a plain script: without the rules that need the
    # customer's turn, which it never searches for (below).
    lines = corpus_agent_lines()
    per_pattern: Counter[int] = Counter()
    for text in lines:
        # (the matcher's own first step on a line: anchor keys found in its fold)
        per_pattern.update(matcher._candidates(matcher._blocks.fold_line(text)))
    worst = [(n, matcher.rules[matcher._patterns[i].rule].id) for i, n in per_pattern.most_common(3)]
    assert worst[0][0] <= MAX_SHARE * len(lines), worst


@pytest.mark.corpus
def test_customer_rules_searched_where_they_can_count_stay_under_one_percent(matcher) -> None:
    # The rules that need the customer's turn (耐心等待, 建议您联系: one agent line
    # in twenty holds their keys) are searched only in agent turns after a
    # customer turn they can count after, each rule where its own
    # requires.customer holds, as score and live do: counted so, over the
    # corpus's dialogues, each pattern stays as selective as any other.
    import json

    from benches import load_bench

    from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn

    dialogues: dict[tuple[str, str], list[dict]] = {}
    for path in sorted(load_bench("form_agreement").CORPUS.glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(raw)
            dialogues.setdefault((path.stem, row["dialog"]), []).append(row)
    agent_turns = 0
    per_pattern: Counter[int] = Counter()
    for rows in dialogues.values():
        rows.sort(key=lambda r: r["turn"])
        turns = [Turn(CUSTOMER if r["role"] == "customer" else AGENT, r["text"]) for r in rows]
        for turn, searched in zip(turns, matcher.dialogue.customer_rules_per_turn(turns),
                                  strict=True):
            agent_turns += turn.role != CUSTOMER
            if searched:
                per_pattern.update(i for i in matcher._candidates(
                    matcher._blocks.fold_line(turn.text), customer_rules=searched)
                    if matcher.rules[matcher._patterns[i].rule].needs_customer)
    assert per_pattern, "no customer-turn rule was searched anywhere"
    worst = [(n, matcher.rules[matcher._patterns[i].rule].id) for i, n in per_pattern.most_common(3)]
    assert worst[0][0] <= MAX_SHARE * agent_turns, worst
