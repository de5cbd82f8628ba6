"""The repository's own pre-commit hook works the way users run it.

pre-commit clones this checkout (``repo: <path>``, at its HEAD commit),
builds and installs the package into its own venv as a regular install (not
editable), and runs ``phraseguard lint`` on the files of a throw-away git
repository. A regular install once could not find its built-in lexicon at
all; this runs the real thing end to end. Uncommitted changes in the
checkout are not part of what pre-commit installs: it tests HEAD.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.mark.slow
def test_precommit_runs_the_repo_hook_on_a_throwaway_repo(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None:
        pytest.fail("pre-commit is not installed: pip install -e '.[test]' installs it")
    rev = _git(REPO, "rev-parse", "HEAD")
    work = tmp_path / "scripts-repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "good.txt").write_text("您好，我帮您确认一下，请稍等。\n", encoding="utf-8")
    (work / "bad.txt").write_text("您好。\n这个我们不管的。\n", encoding="utf-8")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: phraseguard\n",
        encoding="utf-8")
    _git(work, "add", "-A")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               PHRASEGUARD_CACHE=str(tmp_path / "cache"),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    proc = subprocess.run(["pre-commit", "run", "--all-files", "--color", "never"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    # The hook fails because bad.txt has a finding, and says where; it must
    # not fail for any other reason (a missing lexicon exits 2 with "Error").
    assert proc.returncode == 1, out
    assert "bad.txt:2:" in out and "disclaim-responsibility" in out, out
    assert "good.txt" not in out, out
    assert "no such lexicon file" not in out and "Error:" not in out, out
    (work / "bad.txt").write_text("您好。\n这个问题我来帮您跟进。\n", encoding="utf-8")
    _git(work, "add", "-A")
    again = subprocess.run(["pre-commit", "run", "--all-files", "--color", "never"], cwd=work,
                           env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
