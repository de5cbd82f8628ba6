"""Tables that are slow to build and never change: shipped prebuilt, else cached.

Pinyin fold tables, the BMP translation table and jieba's word graph cost
from a quarter of a second to over a second to build; the first
``phraseguard lint`` after install must take under half a second. A wheel
therefore ships them, built at build time (``setup.py`` runs
``phraseguard.engine.prebuild``) into the package folder ``prebuilt/``.
Where that folder lacks a table (a source checkout, or a dependency whose
data changed since the wheel was built) it is built once, written
atomically into the user's cache folder (``$PHRASEGUARD_CACHE``, else
``$XDG_CACHE_HOME/phraseguard``, else ``~/.cache/phraseguard``) and loaded
from there afterwards. Every file name carries a key naming its inputs'
content, so a stale table is never read. A cache that cannot be written
only costs speed. Each table kind keeps only its most recently used
versions (``cache.toml``): every lexicon edit compiles new ones, and the
folder would otherwise grow without bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from phraseguard.errors import ConfigError


def cache_dir() -> Path:
    """phraseguard's cache folder."""
    explicit = os.environ.get("PHRASEGUARD_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "phraseguard"


def prebuilt_dir() -> Path:
    """The tables shipped in the package (present in a built wheel only)."""
    return Path(__file__).resolve().parent / "prebuilt"


def find_table(filename: str, *, folder: Path | None = None) -> Path:
    """Where ``filename`` is: the shipped copy if there is one, else in the cache folder."""
    shipped = prebuilt_dir() / filename
    if folder is None and shipped.is_file():
        return shipped
    return (folder or cache_dir()) / filename


# How much of each end of a data file goes into its key: enough to tell
# versions apart, cheap enough for every start-up (hashing all of jieba's
# 5 MB dictionary would cost 8 ms of a 250 ms budget).
_KEY_SAMPLE = 64 * 1024


def file_key(*paths: Path, extra: str = "") -> str:
    """A short key that changes when any of the files (or ``extra``) changes.

    Made from each file's size and the bytes at both its ends, not its path
    or time, so a table built from the same data on another machine (the
    wheel's build) has the same key.
    """
    h = hashlib.sha1(extra.encode())
    for p in paths:
        with p.open("rb") as fp:
            size = fp.seek(0, os.SEEK_END)
            fp.seek(0)
            h.update(f"{size}:".encode())
            h.update(fp.read(_KEY_SAMPLE))
            if size > _KEY_SAMPLE:
                fp.seek(max(_KEY_SAMPLE, size - _KEY_SAMPLE))
                h.update(fp.read(_KEY_SAMPLE))
    return h.hexdigest()[:12]


def cached_marshal(name: str, key: str, build: Callable[[], Any], *,
                   folder: Path | None = None) -> Any:
    """``build()``'s value, from ``<cache>/<name>-<key>.marshal`` when present.

    The value must be marshal-able (lists, dicts, strings, numbers, None).
    The package's shipped copy is used first (unless ``folder`` is given).
    """
    path = find_table(f"{name}-{key}.marshal", folder=folder)
    return _cached(path, (folder or cache_dir()) / path.name, build, _load_marshal,
                   marshal.dumps, (OSError, EOFError, ValueError, TypeError))


def _load_marshal(fp: Any) -> Any:
    # Read whole, then decode: marshal.load on a Python file object asks the
    # file for every string and tuple separately, four to five times slower
    # (the compiled default lexicon: about 80 ms against 17 ms).
    return marshal.loads(fp.read())


def cached_pickle(name: str, key: str, build: Callable[[], Any]) -> Any:
    """``build()``'s value, from ``<cache>/<name>-<key>.pickle`` when present.

    For values marshal cannot hold (objects of compiled extensions that
    pickle themselves, such as Aho-Corasick automata). Never shipped in the
    wheel: the wheel is built without those extensions.
    """
    path = cache_dir() / f"{name}-{key}.pickle"
    return _cached(path, path, build, pickle.load,
                   lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                   (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError,
                    pickle.UnpicklingError))


def _cached(path: Path, target: Path, build: Callable[[], Any], load: Callable[[Any], Any],
            dump: Callable[[Any], bytes], unreadable: tuple[type[BaseException], ...]) -> Any:
    """``load`` of ``path`` where it reads; else ``build()``, written to ``target``."""
    try:
        with path.open("rb") as fp:
            value = load(fp)
        if path == target:  # a shipped table is never pruned, so never marked
            mark_used(path)
        return value
    except unreadable:
        pass
    value = build()
    write_atomic(target, dump(value))
    prune(target)
    return value


def mark_used(path: Path) -> None:
    """Make ``path`` the newest of its kind, so :func:`prune` keeps it longest."""
    with contextlib.suppress(OSError):  # a read-only cache folder: pruning order only
        os.utime(path)


# A cache file's name: its kind, a dash, a key of hex digits, an extension.
_ENTRY = re.compile(r"(?P<kind>.+)-[0-9a-f]+\.[a-z]+")


def prune(entry: Path, keep: int | None = None) -> list[Path]:
    """Remove all but the ``keep`` most recently used files of ``entry``'s kind beside it.

    ``keep``: ``keep_per_table`` of ``cache.toml`` when not given. Called
    after a table is built, so a warm start never pays for it. Returns the
    files removed; a file another process removes first, or one that cannot
    be removed, is skipped (a cache only costs speed).
    """
    match = _ENTRY.fullmatch(entry.name)
    if match is None:
        return []
    keep = keep_per_table() if keep is None else keep
    same: list[tuple[float, Path]] = []
    try:
        for other in entry.parent.iterdir():
            found = _ENTRY.fullmatch(other.name)
            if found and found["kind"] == match["kind"] and other.suffix == entry.suffix:
                with contextlib.suppress(OSError):
                    same.append((other.stat().st_mtime, other))
    except OSError:
        return []
    same.sort(key=lambda pair: pair[0], reverse=True)
    removed = []
    for _, old in same[keep:]:
        if old == entry:  # just written: stays whatever the clocks say
            continue
        with contextlib.suppress(OSError):
            old.unlink()
            removed.append(old)
    return removed


def keep_per_table() -> int:
    """``keep_per_table`` from ``cache.toml`` beside this module (read when a table is built)."""
    import tomllib

    path = Path(__file__).with_name("cache.toml")
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8"))["keep_per_table"]
    except (OSError, KeyError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read keep_per_table: {exc}") from None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{path}: keep_per_table must be a whole number >= 1 ({value!r})")
    return value


def write_atomic(path: Path, data: bytes) -> None:
    """Write a cache file whole: readers see the old file or the new one, never half.

    A cache that cannot be written only costs speed, so OSError is swallowed.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fp:
                fp.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass
