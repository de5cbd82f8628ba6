"""The batch runner end to end: real matcher, fake speech engine, real SQLite.

Transcripts are Vosk result JSON with spaced words and homophone errors, as
the Chinese model writes them; recordings are small real WAV files whose
"recognised" text comes from a sidecar (``tests.fakes.FakeEngine``).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from batch_fakes import FakeEngineFactory, MissingModelFactory, chinese_model_folder

import phraseguard.calls.plan as plan
from phraseguard.calls.inputs import FilenamePattern, Manifest, call_meta, discover
from phraseguard.calls.pool import LocalPool
from phraseguard.calls.run import BatchOptions, run_batch
from phraseguard.calls.store import CallFilter, Store
from phraseguard.calls.worker import WorkerConfig
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.errors import ModelError
from phraseguard.signals import StopFlag
from phraseguard.speech.transcript import Role

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def vosk_utterance(words: list[tuple[str, float, float]], conf: float = 0.95) -> dict:
    """One Vosk final result: words with times, text joined with spaces."""
    return {
        "result": [{"conf": conf, "end": e, "start": s, "word": w} for w, s, e in words],
        "text": " ".join(w for w, _, _ in words),
    }


# Agent speech only (a Vosk result file has no roles: mono, counted as agent).
CALL_1 = [
    vosk_utterance([("您好", 0.3, 0.8), ("请问", 0.8, 1.1), ("有", 1.1, 1.2), ("什么", 1.2, 1.5)]),
    vosk_utterance([("这个", 3.0, 3.3), ("我", 3.3, 3.5), ("不", 3.5, 3.7), ("知道", 3.7, 4.1)]),
    vosk_utterance([("布", 6.0, 6.2), ("知道", 6.2, 6.6), ("呢", 6.6, 6.8)]),
]
CALL_2 = [
    vosk_utterance([("不", 1.0, 1.2), ("知道", 1.2, 1.5), ("您", 1.5, 1.7), ("还有", 1.7, 2.0),
                    ("其他", 2.0, 2.3), ("问题", 2.3, 2.6), ("吗", 2.6, 2.7)]),
]  # fmt: skip


def forbidden_only(**options) -> BatchOptions:
    """Batch options scoring forbidden phrases only (``--no-call-flow``): these tests pin
    the batch's mechanics; call flow, on by default, is tested in test_score_callflow.py."""
    return BatchOptions(call_flow=False, **options)


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def write_json(path: Path, results: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in results), "utf-8")
    return path


def make_wav(path: Path, seed: int, seconds: float = 0.2, rate: int = 8000) -> Path:
    rng = np.random.default_rng(seed)
    sf.write(path, (rng.standard_normal(int(seconds * rate)) * 0.05).astype("float32"), rate,
             subtype="PCM_16")  # fmt: skip
    return path


def counts(db: Path) -> tuple[int, int, int, int]:
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT (SELECT COUNT(*) FROM calls), (SELECT COUNT(DISTINCT content_hash) FROM calls),"
            " (SELECT COUNT(*) FROM utterances), (SELECT COUNT(*) FROM hits)"
        ).fetchone()


def test_vosk_transcripts_end_to_end(tmp_path, lexicon):
    write_json(tmp_path / "2024-05-01_alice_c001.json", CALL_1)
    write_json(tmp_path / "2024-05-02_bob_c002.jsonl", CALL_2)
    with Store.open(tmp_path / "r.db") as store:
        result = run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1))
        assert (result.scored, result.skipped, result.failed) == (2, 0, 0)
        hits = store.hits(counted=True)
        got = [(h.call_id, h.agent, h.utterance, h.matched, h.kind, h.time_start, h.time_end)
               for h in hits]  # fmt: skip
        assert got == [
            ("c001", "alice", 1, "不 知道", "exact", 3.5, 4.1),
            ("c001", "alice", 2, "布 知道", "homophone", 6.0, 6.6),
        ]
        assert {h.rule_id for h in hits} == {"disclaim-knowledge"}
        points = lexicon.rule("disclaim-knowledge").deduction
        calls = {c.call_id: c for c in store.calls()}
        assert calls["c001"].score == 100 - 2 * points
        assert calls["c001"].date == "2024-05-01"
        # "不知道您还有其他问题吗" is a benign question: no deduction.
        assert calls["c002"].score == 100 and calls["c002"].hits == 0


def test_rerun_skips_and_rescore_replaces(tmp_path, lexicon):
    write_json(tmp_path / "2024-05-01_alice_c001.json", CALL_1)
    write_json(tmp_path / "2024-05-02_bob_c002.json", CALL_2)
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        first = run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1))
        before = counts(db)
        again = run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1))
        assert (again.scored, again.skipped) == (0, 2)
        assert sorted(again.calls) == sorted(first.calls)
        assert counts(db) == before
        forced = run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1, rescore=True))
        assert (forced.scored, forced.skipped) == (2, 0)
        assert counts(db) == before == (2, 2, 4, 2)
        assert [r.status for r in store.runs()] == ["complete"] * 3


def test_bad_files_fail_and_the_batch_goes_on(tmp_path, lexicon):
    good = write_json(tmp_path / "good.json", CALL_1)
    (tmp_path / "truncated.json").write_text(json.dumps(CALL_1)[:-40], "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "wrong.json").write_text('"just a string"', "utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    wav = make_wav(tmp_path / "cut.wav", 1, seconds=1.0)
    (tmp_path / "cut.wav.txt").write_text("客服: 我 不 知道", "utf-8")
    data = wav.read_bytes()
    wav.write_bytes(data[: len(data) // 2])  # truncated: header promises more
    (tmp_path / "noise.wav").write_bytes(b"RIFF....WAVEjunk" * 10)
    bad = ["truncated.json", "empty.txt", "binary.txt", "wrong.json", "notes.pdf", "cut.wav",
           "noise.wav"]  # fmt: skip
    inputs = [good, *(tmp_path / name for name in bad)]
    with Store.open(tmp_path / "r.db") as store:
        result = run_batch(inputs, store, lexicon, options=forbidden_only(jobs=1),
                           engine_factory=FakeEngineFactory())  # fmt: skip
        failures = {Path(f.path).name: f for f in store.failures()}
        assert (result.scored, result.failed) == (1, 7)
        assert sorted(failures) == sorted(bad)
        assert "invalid JSON" in failures["truncated.json"].message
        assert failures["empty.txt"].message == "empty file"
        assert "binary file" in failures["binary.txt"].message
        assert "not a recording or a transcript" in failures["notes.pdf"].message
        assert failures["cut.wav"].stage == "transcribe"
        assert all(not f.message.startswith(str(tmp_path)) for f in failures.values())


def test_folder_pairs_a_recording_with_its_transcript(tmp_path):
    make_wav(tmp_path / "c1.wav", 1)
    write_json(tmp_path / "c1.json", CALL_1)
    make_wav(tmp_path / "c2.wav", 2)
    (tmp_path / "manifest.csv").write_text("file,agent\n", "utf-8")
    got = [(s.path.name, s.kind, s.audio_path and s.audio_path.name) for s in discover([tmp_path]).sources]
    assert got == [("c1.json", "transcript", "c1.wav"), ("c2.wav", "audio", "c2.wav")]


def test_transcripts_pair_with_the_recording_in_their_own_folder(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write_json(tmp_path / folder / "c1.json", CALL_1)
    make_wav(tmp_path / "a" / "c1.wav", 1)
    make_wav(tmp_path / "b" / "c1.flac", 1)
    got = {(s.path.parent.name, s.audio_path and s.audio_path.parent.name + "/"
            + s.audio_path.name) for s in discover([tmp_path]).sources}
    assert got == {("a", "a/c1.wav"), ("b", "b/c1.flac")}


@pytest.mark.parametrize(
    "pattern, name, expected",
    [
        (
            "{date}_{agent}_{call_id}",
            "20240501_alice_c_7.wav",
            ("c_7", "alice", None, "2024-05-01"),
        ),
        ("{date}_{agent}_{call_id}", "alice_c7.wav", None),
        ("{team}/{agent}/{call_id}", "sales/bob/call9.json", ("call9", "bob", "sales", None)),
        ("{agent}-{}-{call_id}", "张三-x-1.wav", ("1", "张三", None, None)),
    ],
)
def test_filename_pattern(tmp_path, pattern, name, expected):
    meta = FilenamePattern(pattern).match(tmp_path / name)
    assert (meta and (meta.call_id, meta.agent, meta.team, meta.date)) == expected


def test_manifest_overrides_the_pattern(tmp_path):
    (tmp_path / "m.csv").write_text(
        "File,Agent,Team\nsub/2024-05-01_x_c1.wav,alice,sales\nc2.wav,bob,\n", "utf-8"
    )
    m = Manifest(tmp_path / "m.csv")
    p = FilenamePattern("{date}_{agent}_{call_id}")
    meta, ok = call_meta(tmp_path / "sub" / "2024-05-01_x_c1.wav", manifest=m, pattern=p)
    assert ok and (meta.call_id, meta.agent, meta.team, meta.date) == (
        "c1", "alice", "sales", "2024-05-01")  # fmt: skip
    meta, ok = call_meta(tmp_path / "elsewhere" / "c2.wav", manifest=m, pattern=p)
    assert ok and (meta.call_id, meta.agent) == ("c2", "bob")
    meta, ok = call_meta(tmp_path / "c3.wav", manifest=m, pattern=p)
    assert not ok and meta.call_id == "c3" and meta.agent is None


def test_two_worker_processes_with_fake_engine(tmp_path, lexicon):
    wavs = []
    for i in range(6):
        wavs.append(make_wav(tmp_path / f"2024-05-0{i + 1}_agent{i % 2}_c{i}.wav", i))
        (tmp_path / f"{wavs[-1].name}.txt").write_text("客服: 这个 我 不 知道\n客户: 好的", "utf-8")
    meet = tmp_path / "meet"
    meet.mkdir()
    factory = FakeEngineFactory(delay=0.2, meet=str(meet))  # each worker waits for the other
    with Store.open(tmp_path / "r.db") as store:
        result = run_batch(wavs, store, lexicon, options=forbidden_only(jobs=2),
                           engine_factory=factory)  # fmt: skip
        assert (result.scored, result.failed) == (6, 0)
        assert len(result.peak_rss_kb) == 2  # both workers did work
        assert all(c.source == "audio" and c.model == "fake" for c in store.calls())
        hits = store.hits(CallFilter(agent="agent0"))
        assert [(h.role.value, h.counted, h.time_start) for h in hits] == [("agent", True, 1.0)] * 3


def _script(tmp_path: Path, delay: float) -> Path:
    script = tmp_path / "run_score.py"
    script.write_text(
        "import sys\n"
        f"sys.path[:0] = [{str(REPO)!r}, {str(HERE)!r}]\n"
        "import phraseguard.calls.worker as worker\n"
        "from batch_fakes import FakeEngineFactory\n"
        f"worker.VoskEngineFactory = lambda **kw: FakeEngineFactory(delay={delay})\n"
        "from phraseguard.cli import main\n"
        # Guarded: spawned workers import this file again as __mp_main__.
        "if __name__ == '__main__':\n"
        "    sys.exit(main(sys.argv[1:]))\n",
        "utf-8",
    )
    return script


def _calls_ok(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT COUNT(*) FROM calls WHERE status = 'ok'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _many_calls(tmp_path: Path, n: int) -> list[Path]:
    folder = tmp_path / "calls"
    folder.mkdir()
    wavs = []
    for i in range(n):
        wav = make_wav(folder / f"2024-05-01_agent{i % 3}_c{i:03}.wav", i)
        (folder / f"{wav.name}.txt").write_text(f"客服: 这个 我 不 知道 {i}\n客户: 好", "utf-8")
        wavs.append(wav)
    return wavs


@pytest.mark.slow
@pytest.mark.parametrize(
    "sig, jobs", [(signal.SIGKILL, 2), (signal.SIGINT, 2), (signal.SIGTERM, 2)]
)
def test_killed_batch_then_rerun_loses_and_doubles_nothing(tmp_path, sig, jobs):
    n = 30
    wavs = _many_calls(tmp_path, n)
    db = tmp_path / "r.db"
    args = [sys.executable, str(_script(tmp_path, 0.3)), "score", "--db", str(db), "-q",
            "--no-call-flow",
            "--jobs", str(jobs), "--model", str(chinese_model_folder(tmp_path)),
            *map(str, wavs)]  # fmt: skip
    proc = subprocess.Popen(args, cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while _calls_ok(db) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, f"the batch ended before it could be stopped: {proc.communicate()}"
    os.killpg(proc.pid, sig)  # the whole group: parent and workers, as a kill would
    out, err = proc.communicate(timeout=60)
    saved = _calls_ok(db)
    assert 5 <= saved < n
    if sig in (signal.SIGINT, signal.SIGTERM):
        # 128 + the signal, as shells report it: 130 for Ctrl-C, 143 for SIGTERM.
        assert proc.returncode == {signal.SIGINT: 130, signal.SIGTERM: 143}[sig], err
        assert err.strip().splitlines()[-1].startswith(f"Interrupted: {saved} calls saved")
    else:
        assert proc.returncode == -signal.SIGKILL
    assert counts(db)[0] == counts(db)[1] == saved  # nothing half-written, nothing doubled

    rerun = subprocess.run(args[:1] + [str(_script(tmp_path, 0.0))] + args[2:], cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert rerun.returncode == 0, rerun.stderr
    first = rerun.stdout.splitlines()[0]
    assert first == f"Scored {n - saved} calls, skipped {saved} already scored, 0 failed."
    calls, hashes, utterances, hits = counts(db)
    assert (calls, hashes, utterances) == (n, n, 2 * n)
    assert hits == n  # one 不知道 per call, said by the agent


def test_lexicon_change_rescores_recordings_from_their_stored_transcripts(tmp_path, lexicon):
    calls = tmp_path / "calls"
    calls.mkdir()
    for i, line in enumerate(["客服: 这个 我 不 知道", "客服: 没 关系 哦"]):
        make_wav(calls / f"2024-05-0{i + 1}_alice_c{i}.wav", i, seconds=1.0)
        (calls / f"2024-05-0{i + 1}_alice_c{i}.wav.txt").write_text(line, "utf-8")
    company = tmp_path / "acme.toml"
    company.write_text(
        '[lexicon]\nextends = "default"\n\n[[rule]]\nid = "acme-reassure"\ncategory = "test"\n'
        'severity = "minor"\nmessage = "m"\nsuggestions = ["s"]\nphrases = ["没关系"]\n', "utf-8")
    wavs = sorted(calls.glob("*.wav"))  # named alone: the sidecars are the fake's "speech"
    with Store.open(tmp_path / "r.db") as store:
        first = run_batch(wavs, store, lexicon, options=forbidden_only(jobs=1),
                          engine_factory=FakeEngineFactory())  # fmt: skip
        assert (first.scored, first.reused) == (2, 0) and "transcribe" in first.outcomes_seconds
        # The recogniser would now hear something else: proof it is not asked again.
        for sidecar in calls.glob("*.txt"):
            sidecar.write_text("客服: 您好", "utf-8")
        again = run_batch(wavs, store, load_lexicon(company), options=forbidden_only(jobs=1),
                          engine_factory=FakeEngineFactory())  # fmt: skip
        assert (again.scored, again.reused) == (2, 2)
        assert "transcribe" not in again.outcomes_seconds
        assert {h.rule_id for h in store.hits(counted=True)} == {
            "disclaim-knowledge", "acme-reassure"}
        assert all("fake" in (c.model or "") for c in store.calls())
        # Other channel settings, or --retranscribe, listen again.
        for options in (forbidden_only(jobs=1, rescore=True, mono_role=Role.CUSTOMER),
                        forbidden_only(jobs=1, rescore=True, retranscribe=True)):
            heard = run_batch(wavs, store, load_lexicon(company), options=options,
                              engine_factory=FakeEngineFactory())  # fmt: skip
            assert (heard.scored, heard.reused) == (2, 0)
            assert "transcribe" in heard.outcomes_seconds


def _distinct_call(i: int) -> list[dict]:
    """CALL_1 with one more utterance: another file content (not a duplicate) per ``i``."""
    return [*CALL_1, vosk_utterance([("好的", 9.0 + i, 9.5 + i)])]


def _company_lexicon(tmp_path: Path):
    company = tmp_path / "acme.toml"
    company.write_text(
        '[lexicon]\nextends = "default"\n\n[[rule]]\nid = "acme-reassure"\ncategory = "test"\n'
        'severity = "minor"\nmessage = "m"\nsuggestions = ["s"]\nphrases = ["没关系"]\n', "utf-8")
    return load_lexicon(company)


def test_signal_just_after_a_save_keeps_the_call_in_the_run(tmp_path, lexicon, monkeypatch):
    for i in range(3):
        write_json(tmp_path / f"2024-05-0{i + 1}_alice_c{i}.json", _distinct_call(i))
    with Store.open(tmp_path / "r.db") as store:
        original = StopFlag.saving
        sent: list[int] = []

        @contextmanager
        def saving_then_signal(self):
            with original(self):
                yield
            if not sent and store.calls():
                # Ctrl-C the moment the first call's save is no longer protected.
                sent.append(signal.SIGINT)
                os.kill(os.getpid(), signal.SIGINT)

        monkeypatch.setattr(StopFlag, "saving", saving_then_signal)
        result = run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1))
        saved = [c.pk for c in store.calls()]
        assert sent and len(saved) == 1
        assert result.calls == saved  # the committed call is in the run's summary
        assert result.interrupted and result.signal == signal.SIGINT
        assert (result.scored, result.failed, result.not_done) == (1, 0, 2)
        run = store.runs()[-1]
        assert (run.status, run.files, run.scored) == ("interrupted", 3, 1)


def test_ctrl_c_while_hashing_marks_the_run_interrupted(tmp_path, lexicon, monkeypatch):
    for i in range(3):
        write_json(tmp_path / f"2024-05-0{i + 1}_alice_c{i}.json", _distinct_call(i))
    real_hash = plan.file_hash

    def hash_then_ctrl_c(path):
        digest = real_hash(path)
        os.kill(os.getpid(), signal.SIGINT)
        return digest

    monkeypatch.setattr(plan, "file_hash", hash_then_ctrl_c)
    handler = signal.getsignal(signal.SIGINT)
    with Store.open(tmp_path / "r.db") as store:
        try:
            result = run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1))
        except KeyboardInterrupt:
            pytest.fail("Ctrl-C while hashing escaped run_batch and left the run running")
        assert result.interrupted and result.signal == signal.SIGINT
        assert (result.scored, result.skipped, result.failed, result.not_done) == (0, 0, 0, 3)
        assert store.calls() == []
        assert [(r.status, r.files) for r in store.runs()] == [("interrupted", 3)]
    assert signal.getsignal(signal.SIGINT) is handler  # put back


def test_missing_model_leaves_no_run_running_and_is_looked_up_once(tmp_path, lexicon):
    for i, line in enumerate(["客服: 这个 我 不 知道", "客服: 没 关系 哦"]):
        wav = make_wav(tmp_path / f"2024-05-0{i + 1}_alice_c{i}.wav", i)
        (tmp_path / f"{wav.name}.txt").write_text(line, "utf-8")
    wavs = sorted(tmp_path.glob("*.wav"))
    with Store.open(tmp_path / "r.db") as store:
        run_batch(wavs, store, lexicon, options=forbidden_only(jobs=1),
                  engine_factory=FakeEngineFactory())  # fmt: skip
        # Already scored with this lexicon: no model needed, the run completes.
        lookups: list[int] = []
        again = run_batch(wavs, store, lexicon, options=forbidden_only(jobs=1),
                          engine_factory=MissingModelFactory(lookups))  # fmt: skip
        assert (again.scored, again.skipped, again.interrupted) == (0, 2, False)
        # A new lexicon: both stored transcripts ask which model would listen
        # (none), and the recordings must be heard again: no model, an error.
        lookups.clear()
        with pytest.raises(ModelError, match="no speech model found"):
            run_batch(wavs, store, _company_lexicon(tmp_path), options=forbidden_only(jobs=1),
                      engine_factory=MissingModelFactory(lookups))  # fmt: skip
        assert len(lookups) == 1  # the failed lookup is remembered, not repeated per file
        assert [r.status for r in store.runs()] == ["complete", "complete", "interrupted"]


def test_warm_up_reaches_every_worker(lexicon):
    config = WorkerConfig(lexicon, FakeEngineFactory(), None, Role.AGENT)
    with LocalPool(config, 2) as pool:
        # No hold at first: one worker may take both warm jobs; the rounds
        # that follow hold longer until the other one has answered too.
        pids = pool.warm(hold=0.0)
        assert len(pids) == 2 and os.getpid() not in pids
    with LocalPool(config, 1) as pool:
        assert pool.warm() == {os.getpid()}


def _children(pid: int) -> list[int]:
    """Worker processes (multiprocessing spawn) whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its exit status is left to collect


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the workers")
def test_workers_exit_when_score_is_killed(tmp_path):
    """kill -9 of `score` alone (not its group): its workers must not live on."""
    wavs = _many_calls(tmp_path, 8)
    args = [sys.executable, str(_script(tmp_path, 5.0)), "score", "--db", str(tmp_path / "r.db"),
            "-q", "--jobs", "2", "--model", str(chinese_model_folder(tmp_path)),
            *map(str, wavs)]  # fmt: skip
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert len(workers) == 2, "the workers never started"
    time.sleep(1.0)  # let them reach their (slow) first job
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # don't leave them to the next test
        os.kill(w, signal.SIGKILL)
    assert left == [], "worker processes outlived the killed parent"


def test_next_agent_utterance_resolves_a_give_up_in_score(tmp_path, lexicon):
    # Mono Vosk results count as the agent's: the give-up in the first
    # utterance is resolved by the offer in the second; the last one is not.
    call = [
        vosk_utterance([("这个", 0.3, 0.6), ("没", 0.6, 0.8), ("办法", 0.8, 1.1), ("呢", 1.1, 1.2)]),
        vosk_utterance([("您", 2.0, 2.2), ("可以", 2.2, 2.5), ("重新", 2.5, 2.8),
                        ("下单", 2.8, 3.1)]),
        vosk_utterance([("这个", 4.0, 4.3), ("没", 4.3, 4.5), ("办法", 4.5, 4.8), ("呢", 4.8, 4.9)]),
    ]  # fmt: skip
    write_json(tmp_path / "2024-05-01_alice_c009.json", call)
    with Store.open(tmp_path / "r.db") as store:
        run_batch([tmp_path], store, lexicon, options=forbidden_only(jobs=1))
        hits = store.hits(counted=True)
        assert [(h.utterance, h.rule_id) for h in hits] == [(2, "give-up")]
