"""``phraseguard score`` and ``phraseguard report`` through click's CliRunner."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import phraseguard.calls.run as batch
from phraseguard.calls.run import BatchOptions
from phraseguard.cli import cli
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.speech.transcript import Role


def vosk(words):
    return json.dumps({"result": [{"word": w, "start": s, "end": e, "conf": 1.0}
                                  for w, s, e in words], "text": " ".join(w for w, _, _ in words)},
                      ensure_ascii=False)  # fmt: skip


@pytest.fixture
def calls(tmp_path):
    d = tmp_path / "calls"
    d.mkdir()
    (d / "2024-05-01_alice_c1.json").write_text(
        vosk([("这个", 3.0, 3.3), ("我", 3.3, 3.5), ("不", 3.5, 3.7), ("知道", 3.7, 4.1)]), "utf-8"
    )
    (d / "2024-05-02_bob_c2.txt").write_text("客服: 您好\n客户: 我 不 知道\n", "utf-8")
    return d


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


def run(args, cwd):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, args, catch_exceptions=False)


def test_score_then_report(calls, tmp_path):
    db = str(tmp_path / "qa.db")
    points = load_lexicon().rule("disclaim-knowledge").deduction
    result = run(
        ["score", str(calls), "--db", db, "-q", "--no-call-flow", "--csv",
         str(tmp_path / "qa.csv")], tmp_path)  # forbidden phrases only: call flow has its tests
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Scored 2 calls, skipped 0 already scored, 0 failed."
    assert lines[2] == "Calls: 2 (2 scored, 0 failed)"
    assert lines[3] == f"Mean score: {(100 + 100 - points) / 2:.1f}"
    assert "Agents (lowest mean score first):" in lines
    assert any(line.split()[:2] == ["alice", "-"] for line in lines)
    assert "Most frequent violations (say instead):" in lines

    rows = read_csv(tmp_path / "qa.csv")
    assert [(r["call_id"], r["agent"], r["time_start"], r["rule_id"], r["matched"]) for r in rows] == [
        ("c1", "alice", "3.5", "disclaim-knowledge", "不 知道")]  # fmt: skip
    assert rows[0]["suggestion"]
    calls_csv = read_csv(tmp_path / "qa.calls.csv")
    assert [(r["call_id"], r["status"]) for r in calls_csv] == [("c1", "ok"), ("c2", "ok")]
    agents_csv = read_csv(tmp_path / "qa.agents.csv")
    assert [r["agent"] for r in agents_csv] == ["alice", "bob"]

    again = run(["score", str(calls), "--db", db, "-q", "--no-call-flow"], tmp_path)
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == "Scored 0 calls, skipped 2 already scored, 0 failed."
    # the report from the store prints the same summary, without rescoring
    report = run(["report", "--db", db], tmp_path)
    assert report.exit_code == 0
    assert report.stdout == "\n".join(lines[2:]) + "\n"

    only_bob = run(["report", "--db", db, "--agent", "bob", "--json", "-"], tmp_path)
    doc = json.loads(only_bob.stdout)
    assert doc["summary"]["calls"] == 1 and doc["calls"][0]["agent"] == "bob"
    # the customer's 不知道 is stored as a hit that cost nothing
    assert [(h["role"], h["counted"], h["points"]) for h in doc["hits"]] == [
        ("customer", False, 0.0)]  # fmt: skip


def test_failed_file_exit_code_and_line(calls, tmp_path):
    (calls / "broken.json").write_text("{not json", "utf-8")
    result = run(["score", str(calls), "--db", str(tmp_path / "qa.db")], tmp_path)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == "Scored 2 calls, skipped 0 already scored, 1 failed."
    assert "Failed files:" in result.stdout
    assert result.stderr.splitlines()[-1] == "1 of 3 files could not be scored (see Failed files)."
    assert any(line.startswith("[") and "FAILED" in line for line in result.stderr.splitlines())


def test_fail_on(calls, tmp_path):
    db = str(tmp_path / "qa.db")
    assert (
        run(["score", str(calls), "--db", db, "-q", "--fail-on", "major"], tmp_path).exit_code == 1
    )
    assert (
        run(["score", str(calls), "--db", db, "-q", "--fail-on", "critical"], tmp_path).exit_code
        == 0
    )


def test_report_without_store(tmp_path):
    result = run(["report", "--db", str(tmp_path / "missing.db")], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'missing.db'}: no results store here; run `phraseguard score` first\n"
    )


def test_help_has_examples():
    for command in ("score", "report"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.output


def test_help_documents_the_exit_codes_and_config_defaults():
    text = " ".join(CliRunner().invoke(cli, ["score", "--help"]).output.split())
    assert "130 interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM" in text
    assert "Default: `mono_role` in phraseguard.toml, else agent." in text


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
@pytest.mark.parametrize("command", ["score", "report"])
def test_output_in_a_missing_folder_fails_before_any_work(calls, tmp_path, command, fmt):
    db = tmp_path / "qa.db"
    if command == "report":
        assert run(["score", str(calls), "--db", str(db), "-q"], tmp_path).exit_code == 0
    target = tmp_path / "nonexistent" / f"r.{fmt}"
    args = ["score", str(calls), "-q"] if command == "score" else ["report"]
    result = run([*args, "--db", str(db), f"--{fmt}", str(target)], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --{fmt} {target}: folder {target.parent} does not exist\n"
    assert result.stdout == ""
    if command == "score":
        assert not db.exists()  # checked before the batch, not after it


def test_output_that_is_a_folder_fails_before_any_work(calls, tmp_path):
    db = tmp_path / "qa.db"
    (tmp_path / "week.calls.csv").mkdir()  # where --csv week.csv puts its calls table
    target = tmp_path / "week.csv"
    result = run(["score", str(calls), "--db", str(db), "--csv", str(target)], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --csv {target}: {tmp_path / 'week.calls.csv'} is a folder, not a file\n")
    assert not db.exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_write_error_is_an_error_naming_the_file(calls, tmp_path):
    result = run(["score", str(calls), "--db", str(tmp_path / "qa.db"), "-q",
                  "--json", "/dev/full"], tmp_path)  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --json: cannot write /dev/full: No space left on device")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with phraseguard.toml; the command runs from a folder below it."""
    root = tmp_path / "project"
    (root / "qa").mkdir(parents=True)
    (root / "sub").mkdir()
    monkeypatch.chdir(root / "sub")  # found upward; its paths are relative to it, not the cwd
    return root


@pytest.fixture
def options_seen(monkeypatch):
    """The BatchOptions ``score`` passes to run_batch (which then runs with one worker)."""
    seen: list[BatchOptions] = []
    real = batch.run_batch

    def spy(inputs, store, lexicon, *, options, **kwargs):
        seen.append(options)
        return real(inputs, store, lexicon, options=replace(options, jobs=1), **kwargs)

    monkeypatch.setattr(batch, "run_batch", spy)
    return seen


def score_json(args: list[str]) -> dict:
    result = CliRunner().invoke(cli, ["score", *args, "-q", "--json", "-"])
    assert result.exit_code == 0, result.output
    return {c["call_id"]: c for c in json.loads(result.stdout)["calls"]}


def test_score_settings_from_config(calls, tmp_path, project, options_seen):
    (project / "qa" / "who.csv").write_text("file,agent\n2024-05-02_bob_c2.txt,carol\n", "utf-8")
    (project / "phraseguard.toml").write_text(
        '[score]\njobs = 3\nmono_role = "customer"\nagent_channel = "right"\n'
        'manifest = "qa/who.csv"\npattern = "{date}_{team}_{call_id}"\n', "utf-8")
    got = score_json([str(calls), "--db", str(tmp_path / "a.db")])
    assert options_seen == [BatchOptions(
        jobs=3, agent_channel="right", mono_role=Role.CUSTOMER,
        manifest=(project / "qa" / "who.csv").resolve(), pattern="{date}_{team}_{call_id}")]
    # c1 is a Vosk result (one speaker, no roles): the customer's, per mono_role.
    assert (got["c1"]["team"], got["c1"]["agent"], got["c1"]["score"]) == ("alice", None, 100)
    assert (got["c2"]["agent"], got["c2"]["team"]) == ("carol", "bob")  # the manifest wins


def test_command_line_beats_config(calls, tmp_path, project, options_seen):
    (project / "phraseguard.toml").write_text(
        '[score]\njobs = 3\nmono_role = "customer"\nagent_channel = "right"\n'
        'manifest = "qa/missing.csv"\npattern = "{date}_{team}_{call_id}"\n'
        'call_flow = true\n', "utf-8")
    (tmp_path / "m.csv").write_text("file,team\n2024-05-02_bob_c2.txt,south\n", "utf-8")
    got = score_json([str(calls), "--db", str(tmp_path / "b.db"), "--jobs", "2",
                      "--mono-role", "agent", "--agent-channel", "left",
                      "--manifest", str(tmp_path / "m.csv"),
                      "--pattern", "{date}_{agent}_{call_id}", "--no-call-flow"])  # fmt: skip
    assert options_seen == [BatchOptions(
        jobs=2, agent_channel="left", mono_role=Role.AGENT, manifest=tmp_path / "m.csv",
        pattern="{date}_{agent}_{call_id}", call_flow=False)]
    points = load_lexicon().rule("disclaim-knowledge").deduction
    assert (got["c1"]["agent"], got["c1"]["score"]) == ("alice", 100 - points)
    assert (got["c2"]["agent"], got["c2"]["team"]) == ("bob", "south")


def test_built_in_defaults_without_config(calls, tmp_path, project, options_seen):
    score_json([str(calls), "--db", str(tmp_path / "c.db")])
    assert options_seen == [BatchOptions()]


@pytest.mark.parametrize(
    "setting, value, message",
    [
        ("mono_role", '"boss"', "setting 'mono_role' must be agent or customer (got 'boss')"),
        ("agent_channel", '"middle"', "setting 'agent_channel' must be left or right "
                                      "(got 'middle')"),
        ("jobs", "0", "setting 'jobs' must be 1 or more (got 0)"),
    ],
)
def test_bad_score_setting_in_config(calls, tmp_path, project, setting, value, message):
    config = project / "phraseguard.toml"
    config.write_text(f"[score]\n{setting} = {value}\n", "utf-8")
    db = tmp_path / "qa.db"
    result = CliRunner().invoke(cli, ["score", str(calls), "--db", str(db), "-q"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {Path(config).resolve()}: {message}\n"
    assert not db.exists()
