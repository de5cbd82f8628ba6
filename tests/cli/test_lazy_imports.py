"""A cold ``phraseguard lint`` imports only what linting needs.

Start-up is most of a lint of one script, so the CLI loads each command's
module only when that command runs, and lint's report formats pull in the
HTML report only for ``--format html``. Checked in a fresh interpreter,
through ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
from phraseguard.cli import main
rc = main(sys.argv[1:])
print(json.dumps({"rc": rc, "modules": sorted(sys.modules)}))
"""

# Heavy modules a lint of a text file has no use for.
_NOT_FOR_LINT = ("phraseguard.report.html", "phraseguard.calls.store", "phraseguard.calls",
                 "phraseguard.cli.score_cmd", "phraseguard.cli.live_cmd",
                 "phraseguard.cli.speech_cmd", "phraseguard.live", "numpy", "sounddevice",
                 "vosk", "pypinyin", "jieba")


def _run(*args: str, cwd: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_lint_of_a_script_does_not_import_reports_store_or_audio(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("您好，请问有什么可以帮您？\n这个我们不管的\n", encoding="utf-8")
    got = _run("lint", "-q", str(script), cwd=tmp_path)
    assert got["rc"] == 1  # it did lint: one finding
    loaded = [m for m in _NOT_FOR_LINT if m in got["modules"]]
    assert loaded == [], f"a cold lint imported {loaded}"


def test_lint_html_format_still_loads_the_html_report(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("这个我们不管的\n", encoding="utf-8")
    out = tmp_path / "review.html"
    got = _run("lint", "-q", "--format", "html", "-o", str(out), str(script), cwd=tmp_path)
    assert got["rc"] == 1
    assert "phraseguard.report.html" in got["modules"]
    assert "<html" in out.read_text(encoding="utf-8").lower()


def test_lazy_commands_name_the_commands_they_load() -> None:
    from phraseguard.cli import LAZY_COMMANDS, cli

    commands = cli.commands  # loads every one
    assert set(commands) == set(LAZY_COMMANDS)
    for name, command in commands.items():
        assert command.name == name
    assert "--html" in {o for p in commands["score"].params for o in p.opts}
