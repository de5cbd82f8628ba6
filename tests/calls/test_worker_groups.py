"""Jobs go through the worker's stages in groups (read all, match all, check
all, score all): the outcomes are those of one job at a time, a failure stays
with its job, and a recording that needs the recogniser goes alone."""

from __future__ import annotations

from collections import deque

import pytest
from batch_fakes import FakeEngineFactory

from phraseguard.calls import pool as pool_module
from phraseguard.calls.pool import LocalPool
from phraseguard.calls.rows import CallMeta
from phraseguard.calls.worker import Job, Worker, WorkerConfig
from phraseguard.speech.transcript import Role


def _job(path, kind: str = "transcript") -> Job:
    return Job(str(path), kind, CallMeta(str(path), agent="alice"), content_hash=str(path))


@pytest.fixture(scope="module")
def worker(default_lexicon) -> Worker:
    return Worker(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT,
                               call_flow=True))


def _calls(tmp_path) -> list[Job]:
    texts = {
        "a.txt": "客服：您好，我是客服小王\n客户：我的快递没到\n客服：这个我们不管\n",
        "empty.txt": "",
        "b.txt": "客服：您好\n客户：能退吗\n客服：可以的，我帮您处理，祝您生活愉快\n",
        "bad.txt": b"\xff\xfe\x00\xd8 not text",
        "c.txt": "客服：请问还有什么问题\n",
    }
    jobs = []
    for name, text in texts.items():
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        jobs.append(_job(path))
    return jobs


def _summary(outcome):
    hits = [(h.rule_id, h.matched) for hs in outcome.hits for h in hs]
    return (outcome.job.path, outcome.ok, outcome.error, outcome.stage,
            outcome.score.score if outcome.score else None, hits, sorted(outcome.seconds))


def test_a_group_gives_the_outcomes_of_one_job_at_a_time(worker, tmp_path) -> None:
    jobs = _calls(tmp_path)
    together = worker.process_many(jobs)
    alone = [worker.process(j) for j in jobs]
    assert [_summary(o) for o in together] == [_summary(o) for o in alone]
    assert [o.job.path for o in together] == [j.path for j in jobs]


def test_a_bad_file_in_a_group_fails_alone(worker, tmp_path) -> None:
    outcomes = {o.job.path.rsplit("/", 1)[-1]: o for o in worker.process_many(_calls(tmp_path))}
    assert not outcomes["empty.txt"].ok and outcomes["empty.txt"].stage == "read"
    assert "empty file" in outcomes["empty.txt"].error
    assert not outcomes["bad.txt"].ok and outcomes["bad.txt"].stage == "read"
    assert all(outcomes[n].ok for n in ("a.txt", "b.txt", "c.txt"))
    # the call-flow check ran on every good call of the group: c has no greeting
    flagged = {h.rule_id for hs in outcomes["c.txt"].hits for h in hs}
    assert "greeting" in flagged
    assert {"read", "match", "score"} <= set(outcomes["a.txt"].seconds)


def test_a_failure_in_a_later_stage_names_that_stage(worker, tmp_path, monkeypatch) -> None:
    jobs = _calls(tmp_path)
    real = worker.scorer.score

    def score(transcript, hits):
        if "请问还有什么问题" in transcript.utterances[0].text:
            raise ValueError("scoring broke")
        return real(transcript, hits)

    monkeypatch.setattr(worker.scorer, "score", score)
    outcomes = worker.process_many(jobs)
    broken = outcomes[-1]
    assert (broken.ok, broken.stage, broken.error) == (False, "score", "ValueError: scoring broke")
    assert outcomes[0].ok and outcomes[2].ok


def test_transcripts_are_grouped_and_a_recording_goes_alone(default_lexicon, monkeypatch):
    monkeypatch.setattr(pool_module, "CALLS_PER_GROUP", 3)
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 1)
    kinds = ["transcript"] * 4 + ["audio", "transcript", "audio", "audio", "transcript"]
    pool._queue = deque(_job(f"f{i}", kind) for i, kind in enumerate(kinds))
    groups = []
    while pool._queue:
        groups.append([j.path for j in pool._next_group()])
    assert groups == [["f0", "f1", "f2"], ["f3"], ["f4"], ["f5"], ["f6"], ["f7"], ["f8"]]


def test_a_recording_with_a_stored_transcript_is_grouped_like_text(default_lexicon, monkeypatch):
    from phraseguard.speech.transcript import Transcript, Utterance

    monkeypatch.setattr(pool_module, "CALLS_PER_GROUP", 16)
    pool = LocalPool(WorkerConfig(default_lexicon, FakeEngineFactory(), None, Role.AGENT), 1)
    stored = Transcript([Utterance("您好", Role.AGENT)])
    jobs = [_job("t0"), Job("r1.wav", "audio", CallMeta("r1"), "h", transcript=stored), _job("t2")]
    pool._queue = deque(jobs)
    assert [j.path for j in pool._next_group()] == ["t0", "r1.wav", "t2"]
