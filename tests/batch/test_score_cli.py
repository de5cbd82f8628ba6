"""``phraseguard score`` and ``phraseguard report`` through click's CliRunner."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.lexicon import load_lexicon


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
        ["score", str(calls), "--db", db, "-q", "--csv", str(tmp_path / "qa.csv")], tmp_path
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Scored 2 calls, skipped 0 already scored, 0 failed."
    assert lines[2] == "Calls: 2 (2 scored, 0 failed)"
    assert lines[3] == f"Mean score: {(100 + 100 - points) / 2:.1f}"
    assert "Agents (lowest mean score first):" in lines
    assert any(line.split()[:2] == ["alice", "-"] for line in lines)
    assert "Most frequent violations (say instead):" in lines

    rows = read_csv(tmp_path / "qa.csv")
    assert [(r["call_id"], r["agent"], r["time"], r["rule_id"], r["matched"]) for r in rows] == [
        ("c1", "alice", "3.5", "disclaim-knowledge", "不 知道")]  # fmt: skip
    assert rows[0]["suggestion"]
    calls_csv = read_csv(tmp_path / "qa.calls.csv")
    assert [(r["call_id"], r["status"]) for r in calls_csv] == [("c1", "ok"), ("c2", "ok")]
    agents_csv = read_csv(tmp_path / "qa.agents.csv")
    assert [r["agent"] for r in agents_csv] == ["alice", "bob"]

    again = run(["score", str(calls), "--db", db, "-q"], tmp_path)
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
