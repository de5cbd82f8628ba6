"""bench/bench_meaning.py: the model that reads the customer's turn, timed against
the same file's first set of weights in the same run."""

from __future__ import annotations

import re

import pytest
from benches import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench("bench_meaning")


def test_prints_both_arms_their_hits_and_the_ratio(bench, capsys) -> None:
    assert bench.main(["--calls", "12", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "agent's turns alone" in out and "with the customer's turn" in out
    assert len(re.findall(r"median \d+\.\d{3} s", out)) == 2
    assert re.search(r"^ratio \d+\.\d\d$", out, re.M)


def test_generated_dialogues_have_customer_turns_for_the_model_to_read(bench) -> None:
    from phraseguard.speech.transcript import Role

    (t,) = bench.generated_transcripts(1)
    assert {u.role for u in t.utterances} == {Role.AGENT, Role.CUSTOMER}
