"""bench/bench_callflow.py (issue #11's speed target): every figure is printed, and each
timed run starts from a collected heap."""

from __future__ import annotations

import re

import pytest
from benches import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench("bench_callflow")


def test_each_timed_run_starts_after_a_full_collection(bench, monkeypatch, tmp_path) -> None:
    # The arms alternate in one process: a collection owed by earlier runs
    # must not be charged to the run that happens to tip the count.
    from phraseguard.calls.scoring import Scorer
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    events: list[str] = []
    real_clock = bench.time.perf_counter
    monkeypatch.setattr(bench.gc, "collect", lambda *a: events.append("collect") or 0)
    monkeypatch.setattr(bench.time, "perf_counter",
                        lambda: events.append("clock") or real_clock())
    lexicon = load_lexicon()
    transcripts = bench.generated_transcripts(3)
    bench.score_all(transcripts, Matcher(lexicon), Scorer(lexicon), None)
    assert events[:2] == ["collect", "clock"]
    events.clear()
    bench.write_files(transcripts, tmp_path)
    wall, cpu, full = bench.score_command(transcripts, lexicon, tmp_path, True)
    assert events and events[0] == "collect" and "clock" in events
    assert wall > 0 and cpu > 0 and full >= 0


def test_prints_both_arms_ratios_and_the_collections(bench, capsys) -> None:
    assert bench.main(["--calls", "12", "--repeats", "1", "--command", "1"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ratio: \d+\.\d{3} \(target <= 1\.15\)$", out, re.M)
    for label in ("meaning model off", "with the meaning model (the default)"):
        for what in ("wall", "CPU "):
            assert re.search(rf"^{re.escape(label)}, {what}: --no-call-flow \(baseline\) "
                             rf"[\d.]+ s; with call flow [\d.]+ s; ratio \d+\.\d{{3}}", out, re.M)
    assert re.search(r"^full collections inside the timed runs \(all repeats\): model off "
                     r"\d+ / \d+, model on \d+ / \d+", out, re.M)


def test_the_front_door_runs_on_worker_processes_when_asked(bench, capsys) -> None:
    # score's default is one worker process per core; --jobs 2 times that.
    assert bench.main(["--calls", "6", "--repeats", "1", "--command", "1", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "saved; 2 worker processes)" in out
    assert re.search(r"^meaning model off, wall: --no-call-flow \(baseline\) [\d.]+ s; with call "
                     r"flow [\d.]+ s; ratio \d+\.\d{3}", out, re.M)
