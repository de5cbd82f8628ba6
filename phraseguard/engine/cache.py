"""A small on-disk cache for tables that are slow to build and never change.

Pinyin fold tables, the BMP translation table and jieba's word graph cost a
quarter of a second or more to build; a cold ``phraseguard lint`` must finish
in under one. They are built once, written atomically into the user's cache
folder (``$PHRASEGUARD_CACHE``, else ``$XDG_CACHE_HOME/phraseguard``, else
``~/.cache/phraseguard``) under a key naming their inputs, and loaded from
there afterwards. A cache that cannot be written only costs speed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """phraseguard's cache folder."""
    explicit = os.environ.get("PHRASEGUARD_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "phraseguard"


def file_key(*paths: Path, extra: str = "") -> str:
    """A short key that changes when any of the files (or ``extra``) changes."""
    h = hashlib.sha1(extra.encode())
    for p in paths:
        st = p.stat()
        h.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def cached_marshal(name: str, key: str, build: Callable[[], Any], *,
                   folder: Path | None = None) -> Any:
    """``build()``'s value, from ``<cache>/<name>-<key>.marshal`` when present.

    The value must be marshal-able (lists, dicts, strings, numbers, None).
    """
    path = (folder or cache_dir()) / f"{name}-{key}.marshal"
    try:
        with path.open("rb") as fp:
            return marshal.load(fp)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fp:
                marshal.dump(value, fp)
            os.replace(tmp, path)  # readers see the old file or the whole new one
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass
    return value
