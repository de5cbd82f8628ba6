"""The table cache: built once, read back whole, rebuilt when damaged."""

from __future__ import annotations

import io
import marshal

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
