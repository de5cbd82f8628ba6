"""Every output file is written whole or not at all: yesterday's file survives a kill."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from phraseguard.output import atomic_write
from phraseguard.report.score_json import JsonWriter

OLD = "yesterday's report\n" * 100

KILLED_MID_WRITE = """
import os, sys
from phraseguard.output import atomic_write
with atomic_write(sys.argv[1]) as fp:
    fp.write("half of today's report" * 1000)
    fp.flush()
    os.kill(os.getpid(), 9)
"""


def test_a_kill_9_mid_write_leaves_the_old_file_intact(tmp_path):
    target = tmp_path / "report.html"
    target.write_text(OLD, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(target)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    assert target.read_text("utf-8") == OLD


class FailsHalfway(JsonWriter):
    def handle(self, results) -> None:
        self.fp.write('{"version": ')
        raise OSError(28, "No space left on device")


def test_a_writer_failing_halfway_leaves_the_old_file_and_no_litter(tmp_path):
    target = tmp_path / "week.json"
    target.write_text(OLD, "utf-8")
    with pytest.raises(OSError):
        FailsHalfway().write_path(None, target)
    assert target.read_text("utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week.json"]


def test_a_finished_write_replaces_the_file_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text(OLD, "utf-8")
    target.chmod(0o640)
    with atomic_write(target) as fp:
        fp.write("new\n")
    assert target.read_text("utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_stays_a_symlink_and_its_target_is_replaced(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text(OLD, "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with atomic_write(link) as fp:
        fp.write("new\n")
    assert link.is_symlink() and real.read_text("utf-8") == "new\n"


def test_a_fifo_or_device_is_written_in_place_never_renamed_over(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text("utf-8")))
    reader.start()
    with atomic_write(fifo) as fp:
        fp.write("through the pipe\n")
    reader.join(timeout=10)
    assert got == ["through the pipe\n"] and stat.S_ISFIFO(fifo.stat().st_mode)
    with atomic_write(os.devnull) as fp:
        fp.write("nothing\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
