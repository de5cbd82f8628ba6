"""Command-line mistakes get one clear line: a missing INPUT, a bare `lint`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from phraseguard.cli import cli


def invoke(args: list[str], cwd: Path):
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=cwd) as here:
        result = runner.invoke(cli, args, catch_exceptions=False)
        return result, Path(here)


def test_score_missing_input_is_a_one_line_usage_error(tmp_path: Path):
    (tmp_path / "real.txt").write_text("客服: 您好\n", "utf-8")
    result, here = invoke(["score", str(tmp_path / "real.txt"), "missing.wav",
                           "--db", "qa.db"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "Error: missing.wav: no such file or folder\n"
    assert result.stdout == ""
    # Refused before any work: no store was made, no failed call recorded.
    assert not (here / "qa.db").exists()


def test_bare_lint_says_it_lints_the_current_folder(tmp_path: Path):
    result, _ = invoke(["lint", "--no-config"], tmp_path)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "phraseguard: no PATH given, linting the current folder (.)",
        "phraseguard: no findings in 0 files"]
    quiet, _ = invoke(["lint", "--no-config", "-q"], tmp_path)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    named, _ = invoke(["lint", "--no-config", "."], tmp_path)
    assert "no PATH given" not in named.stderr
