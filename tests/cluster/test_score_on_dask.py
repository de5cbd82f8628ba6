"""``score --cluster`` on a real Dask scheduler and two real workers, with the real Korean model.

The reference is a local run (``--jobs 1``) of the same committed real clips
with the same Korean lexicon: the cluster's store must hold the same calls,
hits and scores, also when a worker is killed mid-run, when the scheduler
is killed and the run repeated, and when the recordings are memory:// URLs.

What is compared is what a QA lead reads: each call once, its status, agent
and score, and its hits (rule, words, kind, second). Not Vosk's raw output:
the same recording decoded twice in one process already gives word
confidences that differ by up to 0.2 and times by up to 25 ms (and a fresh
recogniser's first stream can differ in a word), so the lexicon below uses
words the model hears with confidence 1.0, far from the 0.7 threshold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from phraseguard.calls.cluster_address import ClusterSpec, parse_cluster
from phraseguard.calls.dask_pool import DaskExecutor
from phraseguard.calls.run import BatchOptions, run_batch
from phraseguard.calls.store import Store
from phraseguard.calls.worker import VoskEngineFactory
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.errors import ConfigError

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
KO_FREE = REPO / "tests" / "data" / "audio" / "ko-free"
KO_BASE = REPO / "tests" / "data" / "ko_base.toml"
# Words the small Korean model does recognise in these clips. The lexicon
# says its language (ko, from the base) explicitly: the tests do not depend on
# which model or default lexicon happens to be installed.
KO_LEXICON = f"""
[lexicon]
name = "ko-cluster-test"
extends = "{KO_BASE}"

[[rule]]
id = "ko-test-phrase"
category = "test"
severity = "major"
message = "a phrase the Korean model recognises in these clips"
suggestions = ["다른 말"]
phrases = ["아파트", "안철수", "동백", "아무리"]
fuzzy = false
"""
#: Each clip is one call of agent alice on 2026-11-02 (the default file name pattern).
CALL_NAMES = {clip.name: f"2026-11-02_alice_{i:04d}.wav"
              for i, clip in enumerate(sorted(KO_FREE.glob("*.wav")), start=1)}


@pytest.fixture(scope="module")
def calls_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("calls")
    for src, name in CALL_NAMES.items():
        shutil.copyfile(KO_FREE / src, folder / name)
    return folder


@pytest.fixture(scope="module")
def lexicon_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "ko.toml"
    path.write_text(KO_LEXICON, "utf-8")
    return path


def score(calls: Path | str, db: Path, lexicon: Path, model: Path, *extra: str,
          popen: bool = False):
    """``python -m phraseguard score`` as a user runs it (progress lines on stderr)."""
    cmd = [sys.executable, "-m", "phraseguard", "score", str(calls), "--db", str(db),
           "--lexicon", str(lexicon), "--model", str(model), *extra]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if popen:
        return subprocess.Popen(cmd, cwd=db.parent, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=db.parent, env=env, capture_output=True, text=True,
                          timeout=600)


#: Vosk's word times for the same audio differ by up to this much between decodes.
TIME_TOLERANCE = 0.05


def snapshot(db: Path) -> dict[str, tuple]:
    """Per call id (each saved once): status, agent, score, and hits (rule, words, kind, second)."""
    with Store.open(db, create=False) as store:
        out: dict[str, tuple] = {}
        for call in store.calls():
            assert call.call_id not in out, f"call {call.call_id} saved twice"
            hits = sorted((h.rule_id, h.matched, h.kind, h.time_start or -1.0)
                          for h in store.hits() if h.call == call.pk)
            out[call.call_id] = (call.status, call.agent, call.score, tuple(hits))
        return out


def same(got: dict[str, tuple], want: dict[str, tuple]) -> bool:
    """Equal snapshots, hit times within TIME_TOLERANCE."""
    if got.keys() != want.keys():
        return False
    for key, (status, agent, score, hits) in got.items():
        w_status, w_agent, w_score, w_hits = want[key]
        if (status, agent, score, len(hits)) != (w_status, w_agent, w_score, len(w_hits)):
            return False
        for (*h, t), (*wh, wt) in zip(hits, w_hits, strict=True):
            if h != wh or abs(t - wt) > TIME_TOLERANCE:
                return False
    return True


@pytest.fixture(scope="module")
def local_reference(tmp_path_factory, calls_dir, lexicon_file, ko_model_path) -> dict:
    """The same calls scored by the local pool, in one process."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    done = score(calls_dir, db, lexicon_file, ko_model_path, "--jobs", "1", "-q")
    assert done.returncode == 0, done.stderr
    ref = snapshot(db)
    assert len(ref) == len(CALL_NAMES) and all(s[0] == "ok" for s in ref.values())
    # The lexicon's words are heard in four calls: the comparison covers hits.
    assert sum(len(s[3]) for s in ref.values()) == 4
    assert sorted(s[2] for s in ref.values()).count(90.0) == 4
    return ref


def wait_for_progress(proc: subprocess.Popen, lines: list[str]) -> None:
    """Read stderr until the first call is saved (``[1/N] ok ...``)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("[1/"):
            return
    raise AssertionError(f"the run ended before saving a call:\n{''.join(lines)}")


# --- the option ---------------------------------------------------------------


def test_cluster_values_are_read_or_refused_with_the_setting_named():
    assert parse_cluster("tcp://10.0.0.5:8786") == ClusterSpec(address="tcp://10.0.0.5:8786")
    assert parse_cluster("local:3") == ClusterSpec(local_workers=3)
    with pytest.raises(ConfigError, match=r"^--cluster: 'scheduler:8786' is not a scheduler"):
        parse_cluster("scheduler:8786")
    with pytest.raises(ConfigError, match="at least one worker"):
        parse_cluster("local:0")


# --- same results as a local run ------------------------------------------------


@pytest.mark.vosk
def test_a_cluster_run_stores_the_same_calls_hits_and_scores_as_a_local_run(
        dask_cluster, tmp_path, calls_dir, lexicon_file, ko_model_path, local_reference):
    db = tmp_path / "cluster.db"
    done = score(calls_dir, db, lexicon_file, ko_model_path, "--cluster", dask_cluster.address)
    assert done.returncode == 0, done.stderr
    assert f"Dask cluster {dask_cluster.address}: 2 workers, 2 threads" in done.stderr
    assert "at that path on every worker" in done.stderr
    assert f"[{len(CALL_NAMES)}/{len(CALL_NAMES)}] ok" in done.stderr  # progress as locally
    assert f"Scored {len(CALL_NAMES)} calls" in done.stdout
    assert same(snapshot(db), local_reference), snapshot(db)


@pytest.mark.vosk
def test_recordings_at_memory_urls_score_as_the_same_files_on_disk(
        dask_cluster, tmp_path, calls_dir, lexicon_file, ko_model_path, local_reference):
    # memory:// is per process: the objects are put in this process (which
    # plans and hashes) and in every worker, as a bucket every machine reaches.
    import fsspec

    objects = {f"/pg-calls/2026-11-02/{p.name}": p.read_bytes() for p in calls_dir.iterdir()}

    def put(objects=objects):
        fs = fsspec.filesystem("memory")
        for key, data in objects.items():
            fs.pipe(key, data)
        return len(objects)

    put()
    with dask_cluster.client() as client:
        assert set(client.run(put).values()) == {len(objects)}
    lexicon = load_lexicon(lexicon_file)
    notes: list[str] = []
    try:
        with Store.open(tmp_path / "urls.db") as store:
            result = run_batch(
                ["memory://pg-calls/2026-11-02/"], store, lexicon, options=BatchOptions(),
                engine_factory=VoskEngineFactory(model=str(ko_model_path)),
                executor_factory=lambda config, jobs: DaskExecutor(
                    parse_cluster(dask_cluster.address), config, notify=notes.append),
            )
            assert (result.scored, result.failed) == (len(CALL_NAMES), 0), store.failures()
            paths = {c.path for c in store.calls()}
        assert all(p.startswith("memory://pg-calls/2026-11-02/") for p in paths), paths
        assert same(snapshot(tmp_path / "urls.db"), local_reference)
        assert any("2 workers" in n for n in notes)
    finally:
        fs = fsspec.filesystem("memory")
        fs.rm("/pg-calls", recursive=True)


@pytest.mark.vosk
def test_a_shipped_model_is_unpacked_once_per_worker_and_scores_the_same(
        dask_cluster, tmp_path, calls_dir, lexicon_file, ko_model_path, local_reference):
    lexicon = load_lexicon(lexicon_file)
    notes: list[str] = []
    with Store.open(tmp_path / "shipped.db") as store:
        result = run_batch(
            [calls_dir], store, lexicon,
            engine_factory=VoskEngineFactory(model=str(ko_model_path)),
            executor_factory=lambda config, jobs: DaskExecutor(
                parse_cluster(dask_cluster.address), config, notify=notes.append,
                ship_model=True),
        )
        assert (result.scored, result.failed) == (len(CALL_NAMES), 0), store.failures()
    assert any("shipping it" in n and "once to each worker" in n for n in notes), notes
    assert same(snapshot(tmp_path / "shipped.db"), local_reference)
    # Each worker process unpacked it into its own local directory.
    from tests.cluster.cluster_fakes import shipped_models

    with dask_cluster.client() as client:
        unpacked = client.run(shipped_models)
    assert len(unpacked) == 2 and all(len(found) == 1 for found in unpacked.values()), unpacked


# --- faults -------------------------------------------------------------------


@pytest.mark.vosk
def test_a_worker_killed_mid_run_leaves_every_call_saved_once_with_local_scores(
        fresh_dask_cluster, tmp_path, calls_dir, lexicon_file, ko_model_path, local_reference):
    db = tmp_path / "killed-worker.db"
    proc = score(calls_dir, db, lexicon_file, ko_model_path, "--cluster",
                 fresh_dask_cluster.address, popen=True)
    lines: list[str] = []
    try:
        wait_for_progress(proc, lines)
        busy = fresh_dask_cluster.busy_workers()
        assert busy, "no call running when the worker was to be killed"
        address, pid = fresh_dask_cluster.kill_worker()  # kill -9 a worker that has calls
        assert address in busy
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, "".join(lines) + err
    assert same(snapshot(db), local_reference), snapshot(db)


@pytest.mark.vosk
def test_the_scheduler_gone_stops_the_run_with_exit_2_and_a_rerun_completes_it(
        fresh_dask_cluster, tmp_path, calls_dir, lexicon_file, ko_model_path, local_reference):
    db = tmp_path / "killed-scheduler.db"
    proc = score(calls_dir, db, lexicon_file, ko_model_path, "--cluster",
                 fresh_dask_cluster.address, popen=True)
    lines: list[str] = []
    try:
        wait_for_progress(proc, lines)
        fresh_dask_cluster.kill_scheduler()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2, "".join(lines) + err
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "lost the Dask scheduler" in errors[0], err
    assert "Traceback" not in err
    saved = snapshot(db)
    assert 1 <= len(saved) < len(CALL_NAMES)
    assert same(saved, {c: local_reference[c] for c in saved})  # what finished is kept

    fresh_dask_cluster.restart()
    again = score(calls_dir, db, lexicon_file, ko_model_path, "--cluster",
                  fresh_dask_cluster.address)
    assert again.returncode == 0, again.stderr
    assert f"skipped {len(saved)} already scored" in again.stdout
    assert same(snapshot(db), local_reference), snapshot(db)


def test_a_call_that_kills_its_worker_twice_is_a_failed_call_not_retried_forever(
        dask_cluster, tmp_path):
    import numpy as np
    import soundfile as sf

    from tests.cluster.cluster_fakes import PoisonEngineFactory

    for frames, name in enumerate(("2026-11-02_alice_0001.wav", "2026-11-02_alice_poison.wav")):
        # Different lengths: the same bytes would be one call (a duplicate).
        sf.write(tmp_path / name, np.zeros(8000 + frames, dtype=np.int16), 16000)
        (tmp_path / f"{name}.txt").write_text("agent: 안녕하세요\n", "utf-8")
    lexicon = _tiny_lexicon(tmp_path)
    with Store.open(tmp_path / "poison.db") as store:
        result = run_batch(
            [tmp_path / "2026-11-02_alice_0001.wav", tmp_path / "2026-11-02_alice_poison.wav"],
            store, lexicon, engine_factory=PoisonEngineFactory(),
            executor_factory=lambda config, jobs: DaskExecutor(
                parse_cluster(dask_cluster.address), config),
        )
        assert (result.scored, result.failed) == (1, 1)
        failures = store.failures()
    assert len(failures) == 1 and failures[0].path.endswith("poison.wav")
    assert failures[0].message.startswith("the call killed 2 Dask workers one after another")
    assert failures[0].error_type == "KilledWorker"
    dask_cluster.wait_for_workers(2)  # the nannies started fresh workers


def _tiny_lexicon(folder: Path):
    path = folder / "tiny.toml"
    path.write_text(KO_LEXICON, "utf-8")
    return load_lexicon(path)
