"""Judging 1,000 transcripts with the meaning model that reads the customer's turn,
against the same model reading the agent's turns alone.

    python bench/bench_meaning.py [--calls 1000] [--repeats 5]

The shipped model (``lexicons/meaning-model.npz``) holds two sets of weights:
the first reads an agent turn and the agent's next turn, the second the
customer's turn before as well (``lexicons/README.md``, "The customer's turn
before"). Both arms judge the same transcripts the way a batch worker does
(``calls.worker.judged_hits``: every utterance matched, the dialogue judged,
the model reading the turns no rule matched): the baseline with the model's
second set removed (the model of the fourteenth session, read from the same
file), then the shipped model. They alternate in one process, ``--repeats``
times, each run from a collected heap; prints the medians, the ratio and
how many hits each arm found. Transcripts come from real corpus dialogues
(../shared/corpus, JD.com and Weibo, with roles), or generated ones where
the corpus is absent.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

from bench_callflow import corpus_transcripts, generated_transcripts  # noqa: E402

from phraseguard.calls.worker import judged_hits  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402
from phraseguard.engine.matcher import Matcher  # noqa: E402
from phraseguard.engine.meaning_files import attach_meaning, load_meaning_weights  # noqa: E402


def judge_all(transcripts, matcher) -> tuple[float, int]:
    """Seconds to judge every transcript, and the hits found."""
    gc.collect()
    t0 = time.perf_counter()
    found = sum(len(hits) for t in transcripts for hits in judged_hits(matcher, t))
    return time.perf_counter() - t0, found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=1000, help="transcripts to judge (1000)")
    ap.add_argument("--repeats", type=int, default=5, help="alternating runs of each arm (5)")
    args = ap.parse_args(argv)
    transcripts = corpus_transcripts(args.calls)
    source = "corpus dialogues"
    if not transcripts:
        transcripts, source = generated_transcripts(args.calls), "generated dialogues (no corpus)"
    lexicon = load_lexicon()
    weights = load_meaning_weights(lexicon)
    if weights is None or weights.customer_coef is None:
        print("the lexicon's meaning model does not read the customer's turn: nothing to compare")
        return 0
    alone = dataclasses.replace(weights, customer_coef=None, customer_intercept=None)
    arms = {}
    for name, w in (("agent's turns alone", alone), ("with the customer's turn", weights)):
        m = Matcher(lexicon)
        attach_meaning(m, w)
        for t in transcripts[:50]:  # warm: lazily compiled conditions, caches
            judged_hits(m, t)
        arms[name] = m
    times: dict[str, list[float]] = {name: [] for name in arms}
    found: dict[str, int] = {}
    for _ in range(args.repeats):
        for name, m in arms.items():
            seconds, found[name] = judge_all(transcripts, m)
            times[name].append(seconds)
    print(f"{len(transcripts)} {source}, {sum(len(t.utterances) for t in transcripts):,} "
          f"utterances, {args.repeats} alternating runs each")
    for name, runs in times.items():
        print(f"  {name:<26} median {statistics.median(runs):.3f} s "
              f"(min {min(runs):.3f}, max {max(runs):.3f}); {found[name]} hits")
    base, new = (statistics.median(r) for r in times.values())
    print(f"ratio {new / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
