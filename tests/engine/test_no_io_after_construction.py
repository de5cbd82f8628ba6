"""A built Matcher scans without touching a file: its tables load in the constructor.

The engine once loaded its fold table and opened the word database on the
first scan, and live worked around that with a warm-up scan. Here every way
the engine reads a file is made to fail after construction, and the first
scans (a written line that needs word boundaries, a spaced transcript line,
a block of lines) must still give their hits.
"""

from __future__ import annotations

import builtins
import io
import marshal
import os
import sqlite3

import pytest

from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher


def test_first_scans_do_no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = Matcher(load_lexicon())

    def refuse(*args, **kwargs):
        raise AssertionError(f"I/O during a scan: {args[:1]}")

    for target, name in ((builtins, "open"), (io, "open"), (os, "open"), (sqlite3, "connect"),
                         (marshal, "load")):
        monkeypatch.setattr(target, name, refuse)
    hits = matcher.scan("这个我们不管，您自己去问吧")
    assert [h.rule_id for h in hits] == ["disclaim-responsibility"] * 2
    assert matcher.scan("我看不清楚这张图") == []  # a word boundary decides: 看不清楚
    assert [h.rule_id for h in matcher.scan("这个 小妹 也 布 知道 呢")] == ["disclaim-knowledge"]
    lines = ["您好", "这个不归我们管"] * 20_000  # large enough for the array path
    found = matcher.scan_block("\n".join(lines[:2]))
    assert [i for i, _ in found] == [1]
    # A large block too: without prepare_large_blocks it takes the plain path.
    assert len(matcher.scan_block("\n".join(lines))) == 20_000


def test_large_blocks_after_prepare_do_no_io(monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = Matcher(load_lexicon())
    matcher.prepare_large_blocks()  # imports numpy: the caller's choice, before scanning

    def refuse(*args, **kwargs):
        raise AssertionError(f"I/O during a scan: {args[:1]}")

    for target, name in ((builtins, "open"), (io, "open"), (os, "open"), (sqlite3, "connect"),
                         (marshal, "load")):
        monkeypatch.setattr(target, name, refuse)
    lines = ["您好", "这个不归我们管"] * 20_000
    assert len(matcher.scan_block("\n".join(lines))) == 20_000
