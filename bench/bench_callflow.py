"""Scoring 1,000 transcripts with the call-flow rules, against today's rules only.

    python bench/bench_callflow.py [--calls 1000] [--repeats 5]

Builds the transcripts from real corpus dialogues (../shared/corpus: the
JD.com and Weibo ones, with roles; generated dialogues where the corpus is
absent) and scores each the way a batch worker does: the matcher scans every
utterance and the scorer totals the deductions (the baseline, today's
rules); then the same plus the call-flow check (required items in their
windows, timing where there are times), its hits added to the utterances.
Both run in the same process, alternating, ``--repeats`` times (a CallFlow
built afresh for each, on the matcher's tables as a worker builds it); prints
the medians and the ratio. Then the same through the ``score`` front door
(``run_batch`` on the transcripts written as files, one worker, results
saved in a store), without and with ``call_flow``, ``--command`` times each:
wall time, and this process's CPU time (on a shared machine the wall time
also holds other programs' disk and CPU load; the CPU time less so).
``--jobs N`` runs that front door on N worker processes, as ``score`` does
by default (one per core): the workers read, match and check while this
process saves, so the wall time is what a user waits for, and the CPU time
is this process's saving alone.
Target: ratio <= 1.15. The front door is timed with the meaning model off
(the work call flow was first measured against) and on (the default), and
the model's own cost is printed too.

Every timed run starts from a collected heap (``gc.collect()`` outside the
timing): the arms alternate in one long-lived process, and Python's full
collection is triggered by what earlier runs left pending, so without it the
collection (about 0.09 s over this process's heap) landed in whichever run
tipped the count, mostly the call-flow one, whose worker builds three more
matchers. The full collections inside the timed runs are counted and printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from phraseguard.calls.callflow import add_flow_hits  # noqa: E402
from phraseguard.calls.scoring import Scorer  # noqa: E402
from phraseguard.engine.callflow import CallFlow  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402
from phraseguard.engine.matcher import Matcher  # noqa: E402
from phraseguard.speech.transcript import Role, Transcript, Utterance  # noqa: E402

CORPUS = next((p for p in (REPO.parent / "shared" / "corpus",
                           REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
              REPO.parent / "shared" / "corpus")
FILES = ("csds_tods_valtest.jsonl", "jddc2019_sample.jsonl", "stc3_weibo_helpdesk.jsonl")


def corpus_transcripts(n: int) -> list[Transcript]:
    """Up to n dialogues with at least 4 utterances, round robin over the files."""
    per_file: list[list[Transcript]] = []
    for name in FILES:
        path = CORPUS / name
        if not path.is_file():
            continue
        dialogs: dict[str, list[tuple[int, Utterance]]] = {}
        with path.open(encoding="utf-8") as fp:
            for raw in fp:
                o = json.loads(raw)
                role = Role.AGENT if o["role"] == "agent" else Role.CUSTOMER
                dialogs.setdefault(o["dialog"], []).append(
                    (int(o["turn"]), Utterance(o["text"].replace("\n", " "), role)))
        per_file.append([Transcript([u for _, u in sorted(v, key=lambda t: t[0])], source=k)
                         for k, v in dialogs.items() if len(v) >= 4])
    out: list[Transcript] = []
    i = 0
    while len(out) < n and any(i < len(f) for f in per_file):
        out.extend(f[i] for f in per_file if i < len(f))
        i += 1
    return out[:n]


def generated_transcripts(n: int) -> list[Transcript]:
    agent = ["您好，请问有什么可以帮您", "好的，我帮您查一下", "这个我不太清楚", "已经给您处理好了",
             "请问还有其他可以帮您的吗", "感谢您的来电，再见"]
    customer = ["我的快递还没到", "什么时候能到", "好的", "没有了，谢谢"]
    return [Transcript([Utterance(agent[(i + k) % len(agent)], Role.AGENT) if k % 2 == 0 else
                        Utterance(customer[(i + k) % len(customer)], Role.CUSTOMER)
                        for k in range(20)], source=f"gen{i}") for i in range(n)]


def full_collections() -> int:
    """Full (generation 2) collections so far in this process."""
    return gc.get_stats()[2]["collections"]


def score_all(transcripts, matcher, scorer, flow) -> float:
    gc.collect()  # see the module docstring: no collection owed by an earlier run
    t0 = time.perf_counter()
    for t in transcripts:
        hits = [matcher.scan(u.text) for u in t.utterances]
        if flow is not None:
            add_flow_hits(flow, t, hits, agent=None)
        scorer.score(t, hits)
    return time.perf_counter() - t0


def score_command(transcripts, lexicon, folder: Path, call_flow: bool, jobs: int = 1
                  ) -> tuple[float, float, int]:
    """`phraseguard score` on the transcripts as files: read, match, score, store.
    Wall and CPU seconds, and the full collections during the run."""
    import tempfile

    from phraseguard.calls.run import BatchOptions, run_batch
    from phraseguard.calls.store import Store

    with tempfile.TemporaryDirectory(dir=folder) as tmp, \
            Store.open(Path(tmp) / "b.db") as store:
        gc.collect()  # see the module docstring
        g0 = full_collections()
        t0, c0 = time.perf_counter(), time.process_time()
        result = run_batch([folder / "calls"], store, lexicon,
                           options=BatchOptions(jobs=jobs, call_flow=call_flow))
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        full = full_collections() - g0
    assert result.scored == len(transcripts), result
    return seconds, cpu, full


def write_files(transcripts, folder: Path) -> None:
    calls = folder / "calls"
    calls.mkdir()
    for i, t in enumerate(transcripts):
        prefix = {Role.AGENT: "客服：", Role.CUSTOMER: "客户："}
        text = "".join(f"{prefix[u.role]}{u.text}\n" for u in t.utterances)
        (calls / f"2026-11-02_agent{i % 20}_{i:04d}.txt").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--command", type=int, default=3, metavar="N",
                    help="also time the score front door N times each (0: skip)")
    ap.add_argument("--jobs", type=int, default=1, metavar="N",
                    help="worker processes of the front door (default 1: in this process, "
                         "each stage timed alike; `score` itself uses one per core)")
    args = ap.parse_args(argv)
    transcripts = corpus_transcripts(args.calls) if CORPUS.is_dir() else []
    source = "corpus dialogues"
    if len(transcripts) < args.calls:
        transcripts = generated_transcripts(args.calls)
        source = "generated dialogues (no corpus)"
    lexicon = load_lexicon()
    matcher = Matcher(lexicon)
    scorer = Scorer(lexicon)
    utterances = sum(len(t.utterances) for t in transcripts)
    # The call flow on the matcher's tables, as a worker builds it.
    score_all(transcripts[:50], matcher, scorer, CallFlow(lexicon, tables=matcher.tables))
    base: list[float] = []
    new: list[float] = []
    for _ in range(args.repeats):
        base.append(score_all(transcripts, matcher, scorer, None))
        # A fresh CallFlow each repeat, built outside the timing like the
        # matcher: it remembers the texts it has scanned, and a repeat must
        # not find the previous one's.
        new.append(score_all(transcripts, matcher, scorer,
                             CallFlow(lexicon, tables=matcher.tables)))
    b, n = statistics.median(base), statistics.median(new)
    print(f"{len(transcripts)} transcripts ({source}), {utterances} utterances; "
          f"{args.repeats} alternating repeats, medians")
    print(f"today's rules only (baseline): {b:.3f} s ({len(transcripts) / b:.0f} calls/s)")
    print(f"with call-flow rules:          {n:.3f} s ({len(transcripts) / n:.0f} calls/s)")
    print(f"ratio: {n / b:.3f} (target <= 1.15)")
    if args.command:
        import dataclasses
        import tempfile

        # The meaning model (engine/meaning.py) runs in both arms by default;
        # it is measured apart, so that call flow's ratio compares the same
        # work as before the model existed, and the model's own cost shows.
        rules_only = dataclasses.replace(
            lexicon, meaning=dataclasses.replace(lexicon.meaning, enabled=False))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_files(transcripts, folder)
            runs: dict[tuple[bool, bool], list[tuple[float, float, int]]] = {
                (m, f): [] for m in (False, True) for f in (False, True)}
            for _ in range(args.command):
                for meaning, flow in runs:
                    runs[(meaning, flow)].append(score_command(
                        transcripts, lexicon if meaning else rules_only, folder, flow,
                        args.jobs))
        workers = "1 worker" if args.jobs == 1 else f"{args.jobs} worker processes"
        print(f"`score` front door (files read, matched, scored, saved; {workers}), "
              f"{args.command} alternating repeats, medians:")
        for meaning in (False, True):
            label = "with the meaning model (the default)" if meaning else "meaning model off"
            for what, i in (("wall", 0), ("CPU", 1)):
                b = statistics.median(t[i] for t in runs[(meaning, False)])
                n = statistics.median(t[i] for t in runs[(meaning, True)])
                print(f"{label}, {what:4}: --no-call-flow (baseline) {b:.2f} s; with call flow "
                      f"{n:.2f} s; ratio {n / b:.3f} (target <= 1.15)")
        full = {k: sum(t[2] for t in v) for k, v in runs.items()}
        print(f"full collections inside the timed runs (all repeats): model off "
              f"{full[(False, False)]} / {full[(False, True)]}, model on {full[(True, False)]} / "
              f"{full[(True, True)]} (baseline / with call flow)")
        off = statistics.median(t[0] for t in runs[(False, True)])
        on = statistics.median(t[0] for t in runs[(True, True)])
        print(f"the meaning model's cost (both with call flow, wall): {off:.2f} s -> {on:.2f} s, "
              f"ratio {on / off:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
