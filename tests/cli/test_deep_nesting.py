"""A deeply nested JSON (or TOML) file is that file's error; the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli

DEPTH = 100_000  # far past Python's recursion limit


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "2024-05-01_alice_a.json").write_text("[" * DEPTH + "]" * DEPTH, "utf-8")
    (d / "2024-05-01_bob_b.json").write_text('{"a": ' * DEPTH + "1" + "}" * DEPTH, "utf-8")
    (d / "2024-05-01_carol_c.txt").write_text("客服: 这个我不知道\n", "utf-8")
    return d


def invoke(args: list[str], cwd: Path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=cwd):
        return runner.invoke(cli, args, catch_exceptions=False)


def test_lint_reports_deep_json_as_that_files_error(folder: Path, tmp_path: Path):
    result = invoke(["lint", str(folder)], tmp_path)
    assert result.exit_code == 2
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert errors == [
        f"{folder / name}: error: JSON nested too deeply (arrays or objects inside each other "
        "thousands of levels deep); not a transcript"
        for name in ("2024-05-01_alice_a.json", "2024-05-01_bob_b.json")]
    assert "Traceback" not in result.output
    # The other file was still linted.
    assert f"{folder / '2024-05-01_carol_c.txt'}:1:" in result.stdout
    assert result.stderr.splitlines()[-1] == (
        "phraseguard: 1 finding (1 major) in 3 files; 2 could not be read")


def test_score_fails_deep_json_alone(folder: Path, tmp_path: Path):
    out = tmp_path / "r.json"
    result = invoke(["score", str(folder), "--db", str(tmp_path / "qa.db"), "-q",
                     "--json", str(out)], tmp_path)
    assert result.exit_code == 2, result.output
    assert "Scored 1 calls, skipped 0 already scored, 2 failed." in result.output
    doc = json.loads(out.read_text("utf-8"))
    reasons = {Path(f["path"]).name: f["message"] for f in doc["failures"]}
    assert set(reasons) == {"2024-05-01_alice_a.json", "2024-05-01_bob_b.json"}
    assert all(r.startswith("JSON nested too deeply") and "\n" not in r
               and "RecursionError" not in r for r in reasons.values()), reasons


def test_deep_settings_file_is_a_one_line_config_error(tmp_path: Path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "phraseguard.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    (project / "a.txt").write_text("您好\n", "utf-8")
    result = invoke(["lint", str(project / "a.txt")], project)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {project / 'phraseguard.toml'}: TOML nested too deeply "
                             "to be a settings file\n")
