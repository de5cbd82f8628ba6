"""The one folder walker (phraseguard.files) and the commands that use it.

A FIFO in a folder is skipped with a notice instead of hanging the run; an
unreadable subfolder is an error (exit 2) and the rest is still read.

The tests run as root, and root can list a chmod 000 folder, so an
unreadable folder is simulated where it really fails for root: os.scandir is
made to raise PermissionError for that one folder (the error the kernel gives
an ordinary user).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from phraseguard.cli import cli
from phraseguard.files import Skipped, walk


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "scripts"
    (root / "a").mkdir(parents=True)
    (root / "locked").mkdir()
    (root / "a" / "one.txt").write_text("这个我们不管\n", "utf-8")
    (root / "locked" / "hidden.txt").write_text("随便你\n", "utf-8")
    (root / "z.txt").write_text("您好\n", "utf-8")
    os.mkfifo(root / "a" / "pipe.txt")  # a name lint would read: it must not open it
    return root


@pytest.fixture
def locked(monkeypatch, tree: Path) -> Path:
    """``scripts/locked`` cannot be listed, as for a non-root user after chmod 000."""
    (tree / "locked").chmod(0)
    real = os.scandir
    folder = tree / "locked"

    def scandir(path="."):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield folder
    folder.chmod(0o755)


def test_walk_reports_fifos_and_unreadable_folders_and_goes_on(tree, locked):
    items = list(walk(tree))
    files = [p.relative_to(tree).as_posix() for p in items if isinstance(p, Path)]
    skipped = {s.path.relative_to(tree).as_posix(): s for s in items if isinstance(s, Skipped)}
    assert files == ["a/one.txt", "z.txt"]
    assert skipped["a/pipe.txt"].error is False and "FIFO" in skipped["a/pipe.txt"].reason
    assert skipped["locked"].error is True and "Permission denied" in skipped["locked"].reason


@pytest.mark.timeout(60)
def test_lint_skips_a_fifo_and_fails_on_an_unreadable_folder(tree, locked):
    result = CliRunner().invoke(cli, ["lint", "--no-config", "-f", "json", str(tree)])
    assert result.exit_code == 2  # the unreadable folder
    assert [Path(i["path"]).name for i in json.loads(result.stdout)] == ["one.txt"]
    assert f"{tree / 'a' / 'pipe.txt'}: notice: not a regular file (a FIFO); skipped" in result.stderr
    assert f"{locked}: error: cannot read folder: Permission denied" in result.stderr


@pytest.mark.timeout(60)
def test_score_skips_a_fifo_and_records_an_unreadable_folder_as_failed(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    (calls / "locked").mkdir(parents=True)
    (calls / "2024-05-01_alice_c1.txt").write_text("客服: 这个我们不管\n", "utf-8")
    os.mkfifo(calls / "2024-05-01_bob_c2.txt")
    real = os.scandir

    def scandir(path="."):
        if Path(path) == calls / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["score", str(calls), "--db", "qa.db", "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "Scored 1 calls, skipped 0 already scored, 1 failed." in result.stdout
    assert "2024-05-01_bob_c2.txt: not a regular file (a FIFO); skipped" in result.stderr
