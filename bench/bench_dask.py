"""The same calls on the local pool (2 processes) and on a 2-worker Dask cluster.

    python bench/bench_dask.py [--calls 6] [--repeats 3]

Builds ``--calls`` recordings from the committed real Korean clips
(tests/data/audio/ko-free: each call is the seven clips joined in a
different order, about 50 s) and scores them with the real Korean Vosk model
into a fresh store per repeat:

- **local**: ``LocalPool`` with 2 worker processes (today's ``score --jobs 2``);
- **dask**: ``DaskExecutor`` on ``local:2``, a LocalCluster of 2 single-threaded
  worker processes with its own scheduler, on this machine.

Both are warmed (model loaded in every worker) before the timed runs.

Reported (medians over repeats):
- audio seconds per wall second for both, and the ratio dask/local (target >= 0.9);
- seconds from submission until the first call is saved, warm (steady
  state) and cold (a new cluster or pool: start-up and model load included);
- calls per day per worker core, for the README's sizing table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from phraseguard.calls.cluster_address import parse_cluster
from phraseguard.calls.dask_pool import DaskExecutor
from phraseguard.calls.pool import LocalPool
from phraseguard.calls.run import run_batch
from phraseguard.calls.store import Store
from phraseguard.calls.worker import VoskEngineFactory, WorkerConfig
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.speech.transcript import Role

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO / "tests" / "data" / "audio" / "ko-free"
KO_BASE = REPO / "tests" / "data" / "ko_base.toml"
LEXICON = f"""
[lexicon]
name = "ko-bench"
extends = "{KO_BASE}"

[[rule]]
id = "ko-bench-phrase"
category = "bench"
severity = "major"
message = "a phrase the Korean model hears in these clips"
suggestions = ["다른 말"]
phrases = ["아파트", "안철수", "동백", "아무리"]
fuzzy = false
"""
WORKERS = 2
#: A typical customer-service call, for the sizing table.
CALL_MINUTES = (3, 6, 10)


def make_calls(folder: Path, n: int) -> tuple[list[Path], float]:
    clips = sorted(CLIPS.glob("*.wav"))
    data = [sf.read(c, dtype="int16")[0] for c in clips]
    rate = sf.info(clips[0]).samplerate
    gap = np.zeros(rate // 2, dtype="int16")
    out, seconds = [], 0.0
    for i in range(n):
        order = data[i % len(data):] + data[: i % len(data)]
        joined = np.concatenate([x for d in order for x in (d, gap)])
        if i >= len(data):  # a different length, so no two calls are the same bytes
            joined = np.concatenate([joined, gap[: i]])
        path = folder / f"2026-11-0{i % 9 + 1}_agent{i % 2}_call{i}.wav"
        sf.write(path, joined, rate, subtype="PCM_16")
        out.append(path)
        seconds += len(joined) / rate
    return out, seconds


def timed_run(files, executor, lexicon, factory, db: Path) -> tuple[float, float, float]:
    """(wall seconds, audio seconds, seconds until the first call was saved)."""
    first: list[float] = []
    t0 = time.perf_counter()
    with Store.open(db) as store:
        result = run_batch(files, store, lexicon, engine_factory=factory, pool=executor,
                           progress=lambda e: first.append(time.perf_counter() - t0))
    wall = time.perf_counter() - t0
    assert (result.scored, result.failed) == (len(files), 0), result
    return wall, result.audio_seconds, first[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=6)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_dask_"))
    files, audio_total = make_calls(tmp, args.calls)
    lex_file = tmp / "ko.toml"
    lex_file.write_text(LEXICON, "utf-8")
    lexicon = load_lexicon(lex_file)
    factory = VoskEngineFactory().prepare()
    config = WorkerConfig(lexicon, factory, None, Role.AGENT)
    warm_file = files[0]
    print(f"{args.calls} calls, {audio_total:.0f} s of audio, {args.repeats} repeats; "
          f"model {factory.describe()}", flush=True)

    # Cold: from submission to the first saved call with a new pool / cluster.
    cold = {}
    t0 = time.perf_counter()
    with LocalPool(config, WORKERS) as pool:
        cold["local"] = timed_run([warm_file], pool, lexicon, factory, tmp / "cold-local.db")[2]
    with DaskExecutor(parse_cluster(f"local:{WORKERS}"), config) as ex:
        cold["dask"] = timed_run([warm_file], ex, lexicon, factory, tmp / "cold-dask.db")[2]
    print(f"cold first call saved: local {cold['local']:.1f} s, dask {cold['dask']:.1f} s "
          f"({time.perf_counter() - t0:.0f} s)", flush=True)

    rows: dict[str, list[tuple[float, float, float]]] = {"local": [], "dask": []}
    notes: list[str] = []
    with LocalPool(config, WORKERS) as pool, \
            DaskExecutor(parse_cluster(f"local:{WORKERS}"), config, notify=notes.append) as ex:
        assert len(pool.warm()) == WORKERS
        assert len(ex.warm()) == WORKERS
        print("; ".join(notes), flush=True)
        for r in range(args.repeats):
            for name, executor in (("local", pool), ("dask", ex)):
                wall, audio_s, first = timed_run(files, executor, lexicon, factory,
                                                 tmp / f"{name}{r}.db")
                rows[name].append((wall, audio_s, first))
                print(f"  repeat {r + 1} {name:5}: {audio_s / wall:5.2f} audio s/s, "
                      f"first saved {first:.2f} s", flush=True)

    med = {k: statistics.median(a / w for w, a, _ in v) for k, v in rows.items()}
    first_warm = {k: statistics.median(f for _, _, f in v) for k, v in rows.items()}
    ratio = med["dask"] / med["local"]
    print()
    print(f"audio s per wall s: local (2 processes) {med['local']:.2f}, "
          f"dask (2 workers) {med['dask']:.2f}; ratio dask/local {ratio:.2f} (target >= 0.9)")
    print(f"first call saved after submission: warm local {first_warm['local']:.2f} s, "
          f"dask {first_warm['dask']:.2f} s; cold local {cold['local']:.1f} s, "
          f"dask {cold['dask']:.1f} s")
    per_core = med["dask"] / WORKERS
    print(f"per worker core: {per_core:.2f} audio s per wall s")
    print("calls per day per worker core: " + ", ".join(
        f"{86400 * per_core / (m * 60):,.0f} of {m} min" for m in CALL_MINUTES))
    return 0 if ratio >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
