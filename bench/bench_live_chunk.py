"""Live alert latency and CPU against the recogniser's chunk size (``--frames-per-chunk``).

    python bench/bench_live_chunk.py [--values 51,0,33,21,15,9] [--repeats 3] [-v]

What it does, in one run:

1. Builds a playlist from the committed real-speech clips
   (``tests/data/audio/ko-free``: the six Zeroth clips, one speaker reading
   news and literature): 1 s of silence, then each clip followed by 1.5 s of
   silence (53 s). A lexicon makes 17 words the Korean model recognises in
   them into rules, so the playlist holds 17 phrases to alert on. (The
   Picovoice clip is left out: in the playlist the model hears none of its
   words reliably.)
2. Reference: the playlist is recognised once with ``live --input --fast``
   at the model's own chunk size; the final words' times say where each
   phrase ENDS.
3. For each value and repeat, ``phraseguard live --input PLAYLIST
   --frames-per-chunk N`` runs at real-time pace (the file's blocks are
   released on its own clock: the same pipeline as a headset, without the
   sound server, whose part the PulseAudio bench puts at 6-7 ms). Values are
   interleaved and their order rotated from one repeat to the next, so a
   burst of load from other users falls on all of them alike.
   - alert latency = wall time of the ``hit`` event - (wall time the session
     started + where the phrase ends); alerts are paired with the nearest
     played phrase of their rule;
   - audio lag = the session's audio clock at the alert - where the phrase
     ends: the recogniser's own delay, which machine load does not change
     (it includes up to one 50 ms capture block);
   - CPU = the live process's utime+stime over the wall time between
     ``session_start`` and ``session_end`` (cores).
4. Prints the median over every alert of every repeat per value, and the
   ratios against 51 frames (the baseline, measured in the same run) and
   against the model's own setting (0).

0 means the model's own conf/model.conf: the Korean model's sets no
``--frames-per-chunk``, so Kaldi's default applies: 24 frames (partial
results change on the same 0.24 s grid as with ``--frames-per-chunk 24``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO / "tests" / "data" / "audio" / "ko-free"
RATE = 16000
LEAD_SILENCE = 1.0
GAP_SILENCE = 1.5
BASELINE = 51  # frames per chunk the comparison is against (issue 10)
TARGET_LATENCY = 0.3  # seconds (issue 10's remaining goal)

#: (clip, words the Korean model returns in it that become rules).
PLAYLIST = [
    ("zeroth_104_003_0374.wav", ["박근혜", "안철수", "국민의당", "선택"]),
    ("zeroth_104_003_0352.wav", ["아무리", "라이몬디"]),
    ("zeroth_104_003_0253.wav", ["백화점과", "영화관", "아파트", "완공"]),
    ("zeroth_104_003_0294.wav", ["소비", "공정을"]),
    ("zeroth_104_003_0451.wav", ["노인", "씨름"]),
    ("zeroth_104_003_0193.wav", ["바람", "겹쳐", "동백"]),
]


def lexicon_text() -> str:
    rules = "".join(
        f'\n[[rule]]\nid = "w{i:02d}"\ncategory = "bench"\nseverity = "minor"\n'
        f'message = "bench phrase {word}"\nsuggestions = ["-"]\nphrases = ["{word}"]\n'
        for i, word in enumerate(w for _, words in PLAYLIST for w in words)
    )
    base = REPO / "tests" / "data" / "ko_base.toml"
    return f'[lexicon]\nname = "bench-chunk"\nextends = "{base}"\n' + rules


def die(message: str) -> None:
    print(f"bench_live_chunk: {message}", file=sys.stderr)
    sys.exit(2)


def build_playlist(out: Path) -> float:
    silence = np.zeros(int(RATE * GAP_SILENCE), dtype=np.int16)
    parts = [np.zeros(int(RATE * LEAD_SILENCE), dtype=np.int16)]
    for name, _ in PLAYLIST:
        data, rate = sf.read(str(CLIPS / name), dtype="int16")
        if rate != RATE or data.ndim != 1:
            die(f"{name}: expected 16 kHz mono")
        parts += [data, silence]
    audio = np.concatenate(parts)
    sf.write(str(out), audio, RATE, subtype="PCM_16")
    return len(audio) / RATE


def live_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "phraseguard", "live", "--events", "-", "--plain",
            *map(str, args)]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), e.get("PYTHONPATH")]))
    return e


def reference_ends(playlist: Path, lexicon: Path, work: Path) -> list[tuple[str, float]]:
    """(rule, end of the phrase in the playlist) from one --fast run's final word times."""
    done = subprocess.run(live_cmd("--input", playlist, "--fast", "--lexicon", lexicon,
                                   "--db", work / "ref.db", "--frames-per-chunk", 0),
                          capture_output=True, text=True, env=env(), cwd=work)
    if done.returncode != 0:
        die(f"reference run failed: {done.stderr.strip()[-500:]}")
    ends = []
    for line in done.stdout.splitlines():
        e = json.loads(line)
        if e["event"] == "utterance":
            ends += [(h["rule_id"], h["time"][1]) for h in e["hits"] if h["time"]]
    return sorted(ends, key=lambda x: x[1])


class Run:
    """One real-time ``live --input`` run: its events, with the process CPU at each."""

    def __init__(self, playlist: Path, lexicon: Path, value: int, work: Path) -> None:
        self.value = value
        self.events: list[dict] = []
        self.cpu: list[float] = []  # process CPU seconds when each event arrived
        proc = subprocess.Popen(
            live_cmd("--input", playlist, "--lexicon", lexicon, "--db", work / f"run{value}.db",
                     "--frames-per-chunk", value),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=work)
        tick = os.sysconf("SC_CLK_TCK")
        stat = Path(f"/proc/{proc.pid}/stat")
        errors: list[str] = []
        drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
        drain.start()
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                self.cpu.append((int(fields[11]) + int(fields[12])) / tick)
            except (OSError, IndexError):
                self.cpu.append(float("nan"))
            self.events.append(json.loads(line))
        if proc.wait() != 0:
            drain.join(5)
            die(f"live run with --frames-per-chunk {value} failed: {''.join(errors)[-500:]}")

    def index(self, kind: str) -> int:
        return next(i for i, e in enumerate(self.events) if e["event"] == kind)

    def cores(self) -> float:
        a, b = self.index("session_start"), self.index("session_end")
        wall = self.events[b]["wall"] - self.events[a]["wall"]
        return (self.cpu[b] - self.cpu[a]) / wall

    def latencies(self, ends: list[tuple[str, float]], verbose: bool) -> tuple[list, list]:
        """(wall latency, audio lag) of each alert paired with a played phrase of its rule."""
        started = self.events[self.index("session_start")]["wall"]
        free = list(ends)
        wall, lag = [], []
        for h in (e for e in self.events if e["event"] == "hit"):
            same = [(abs(end - h["t"]), i) for i, (rule, end) in enumerate(free)
                    if rule == h["rule_id"]]
            if not same:
                continue
            _, i = min(same)
            _, end = free.pop(i)
            wall.append(h["wall"] - (started + end))
            lag.append(h["t"] - end)
            if verbose:
                print(f"    {h['rule_id']} ends {end:6.2f} s: alert after "
                      f"{wall[-1] * 1000:5.0f} ms (audio {lag[-1] * 1000:4.0f} ms, "
                      f"{'partial' if h['from_partial'] else 'final'})")
        return wall, lag


def p90(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", default=f"{BASELINE},0,33,21,15,9",
                        help="frames per chunk to compare (0: the model's own); "
                             f"must include {BASELINE}, the baseline")
    parser.add_argument("--repeats", type=int, default=3, help="runs per value")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every alert")
    args = parser.parse_args()
    values = [int(v) for v in args.values.split(",")]
    if BASELINE not in values:
        die(f"--values must include the baseline {BASELINE}")
    with tempfile.TemporaryDirectory(prefix="bench_live_chunk_") as tmp:
        work = Path(tmp)
        lexicon = work / "bench.toml"
        lexicon.write_text(lexicon_text(), encoding="utf-8")
        playlist = work / "playlist.wav"
        duration = build_playlist(playlist)
        ends = reference_ends(playlist, lexicon, work)
        load0 = os.getloadavg()
        print(f"playlist {duration:.1f} s, {len(ends)} phrases; values {values} x "
              f"{args.repeats} repeats, real-time pace; {os.cpu_count()} CPUs, "
              f"load average {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
        results: dict[int, dict[str, list[float]]] = {
            v: {"wall": [], "lag": [], "cores": [], "alerts": [], "retracted": []}
            for v in values}
        for r in range(args.repeats):
            order = values[r % len(values):] + values[:r % len(values)]
            for v in order:
                run = Run(playlist, lexicon, v, work)
                wall, lag = run.latencies(ends, args.verbose)
                end = run.events[run.index("session_end")]
                res = results[v]
                res["wall"] += wall
                res["lag"] += lag
                res["cores"].append(run.cores())
                res["alerts"].append(len(wall))
                res["retracted"].append(end["retracted"])
                print(f"  repeat {r + 1} value {v:>2}: median {statistics.median(wall) * 1000:4.0f} ms"
                      f", audio lag {statistics.median(lag) * 1000:4.0f} ms, "
                      f"{run.cores():.3f} cores, {len(wall)}/{len(ends)} alerts, "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
    load1 = os.getloadavg()
    base = results[BASELINE]
    base_wall, base_cores = statistics.median(base["wall"]), statistics.median(base["cores"])
    own = results.get(0)
    print(f"\nload average at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
    print(f"{'frames/chunk':>12} {'alert median':>12} {'p90':>6} "
          f"{'audio lag':>9} {'vs 51':>6} {'vs own':>6} {'CPU cores':>9} {'vs 51':>6} "
          f"{'alerts':>7} {'retracted':>9}")
    for v in values:
        res = results[v]
        wall = statistics.median(res["wall"])
        cores = statistics.median(res["cores"])
        vs_own = f"{wall / statistics.median(own['wall']):6.2f}" if own else "     -"
        print(f"{(str(v) if v else 'own (0)'):>12} {wall * 1000:9.0f} ms {p90(res['wall']) * 1000:6.0f} "
              f"{statistics.median(res['lag']) * 1000:6.0f} ms {wall / base_wall:6.2f} {vs_own} "
              f"{cores:9.3f} {cores / base_cores:6.2f} "
              f"{sum(res['alerts']):>3}/{len(ends) * args.repeats:<3} {sum(res['retracted']):>9}")
    best = min(values, key=lambda v: statistics.median(results[v]["wall"]))
    gap = statistics.median(results[best]["wall"]) - TARGET_LATENCY
    print(f"\nlowest median: {best or 'own'} frames per chunk, "
          f"{statistics.median(results[best]['wall']) * 1000:.0f} ms; "
          f"target {TARGET_LATENCY * 1000:.0f} ms: "
          + ("met" if gap <= 0 else f"NOT met ({gap * 1000:.0f} ms short)"))


if __name__ == "__main__":
    main()
