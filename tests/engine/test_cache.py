"""The table cache: built once, read back whole, rebuilt when damaged."""

from __future__ import annotations

import io
import marshal
import os
import time

from phraseguard.engine import cache


def test_a_table_is_built_once_then_read_from_the_cache_folder(tmp_path) -> None:
    calls = []

    def build():
        calls.append(1)
        return {"keys": ("不知道", "没办法"), "n": 2}

    first = cache.cached_marshal("t", "k1", build, folder=tmp_path)
    second = cache.cached_marshal("t", "k1", build, folder=tmp_path)
    assert first == second == {"keys": ("不知道", "没办法"), "n": 2}
    assert len(calls) == 1
    assert (tmp_path / "t-k1.marshal").is_file()


def test_a_damaged_table_is_rebuilt_and_rewritten(tmp_path) -> None:
    (tmp_path / "t-k1.marshal").write_bytes(b"\x00not marshal")
    assert cache.cached_marshal("t", "k1", lambda: [1, 2, 3], folder=tmp_path) == [1, 2, 3]
    assert marshal.loads((tmp_path / "t-k1.marshal").read_bytes()) == [1, 2, 3]


class _CountingFile(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return super().read(*args)

    def readinto(self, *args):
        self.reads += 1
        return super().readinto(*args)


def test_a_table_is_read_from_its_file_in_one_call() -> None:
    # marshal.load on a Python file object asks it for every string and
    # tuple (the compiled default lexicon: tens of thousands of reads, four
    # times slower than one read and marshal.loads).
    value = [("key", tuple(range(5)))] * 1000
    fp = _CountingFile(marshal.dumps(value))
    assert cache._load_marshal(fp) == value
    assert fp.reads == 1


def _entry(folder, name: str, age: float):
    path = folder / name
    path.write_bytes(marshal.dumps([name]))
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_building_a_table_keeps_only_the_newest_versions_of_its_kind(tmp_path) -> None:
    old = [_entry(tmp_path, f"matcher-{i:012x}.marshal", age=100 + i) for i in range(10)]
    other = _entry(tmp_path, "regex-programs-00000000000a.marshal", age=500)
    stranger = _entry(tmp_path, "notes.txt", age=500)
    cache.cached_marshal("matcher", "ffffffffffff", lambda: [1], folder=tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("matcher-*"))
    # The new one and the newest of the rest, up to cache.toml's bound.
    keep = cache.keep_per_table()
    assert "matcher-ffffffffffff.marshal" in kept
    assert kept == sorted(["matcher-ffffffffffff.marshal"] + [p.name for p in old[:keep - 1]])
    assert other.exists() and stranger.exists()


def test_reading_a_table_marks_it_used_so_pruning_keeps_it(tmp_path) -> None:
    used = _entry(tmp_path, "t-000000000000.marshal", age=1000)
    for i in range(1, 4):
        _entry(tmp_path, f"t-{i:012x}.marshal", age=10 * i)
    assert cache.cached_marshal("t", "000000000000", lambda: ["rebuilt"], folder=tmp_path) \
        == ["t-000000000000.marshal"]
    removed = cache.prune(tmp_path / "t-000000000001.marshal", keep=2)
    assert used.exists()
    assert sorted(p.name for p in removed) == ["t-000000000002.marshal", "t-000000000003.marshal"]


def test_pruning_skips_files_that_are_not_cache_entries(tmp_path) -> None:
    assert cache.prune(tmp_path / "README", keep=1) == []
