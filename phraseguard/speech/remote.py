"""Recordings in object storage: fsspec URLs (``s3://``, ``gcs://``, ``file://``...).

A batch on a cluster reads its recordings where every worker can reach them:
a shared file system (plain paths, as on one machine) or an object store.
This module is the one place that knows about URLs: it tells a URL from a
path, opens the object as a seekable binary file (libsndfile decodes from
file objects), lists a "folder" URL and sizes an object. fsspec picks the
backend by protocol; backends other than ``file`` and ``memory`` are
separate packages (``s3fs``, ``gcsfs``, ``adlfs``...).

Every failure is an :class:`~phraseguard.errors.InputError` naming the URL
with one line: no such object, unknown protocol, or which package to
install for the protocol.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from phraseguard.errors import InputError

# A scheme of two or more letters: "C:\calls" (a Windows drive) is a path.
_URL_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+)://")
#: What to install when fsspec itself is missing.
_INSTALL_FSSPEC = "pip install 'phraseguard[cluster]'"


def is_url(location: str | Path) -> bool:
    """True for ``s3://bucket/call.wav`` and the like; False for paths (even ``Path`` objects)."""
    return isinstance(location, str) and _URL_RE.match(location) is not None


def protocol(url: str) -> str:
    """``s3`` for ``s3://bucket/call.wav``."""
    m = _URL_RE.match(url)
    return m.group(1).lower() if m else "file"


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem serving ``url`` and the object's path within it.

    InputError (naming the URL) when fsspec is missing, the protocol is
    unknown, or its backend package is not installed.
    """
    try:
        import fsspec
        from fsspec.registry import known_implementations
    except ImportError:
        raise InputError(url, f"reading URLs needs fsspec ({_INSTALL_FSSPEC})") from None
    proto = protocol(url)
    try:
        return fsspec.core.url_to_fs(url)
    except ValueError as exc:
        if proto not in known_implementations and "protocol" in str(exc).lower():
            raise InputError(url, f"unknown protocol '{proto}://' (not one fsspec knows: "
                                  "s3, gcs, az, file, http...)") from None
        raise InputError(url, f"cannot open: {exc}") from None
    except ImportError:
        package = _backend_package(proto)
        raise InputError(url, f"reading {proto}:// URLs needs the {package} package "
                              f"(pip install {package})") from None


_NO_OBJECT = "no such object"
_A_FOLDER = "a folder (prefix), not an object"


@contextmanager
def input_errors(source: str | Path, *, missing: str | None = None, folder: str | None = None,
                 action: str = "read", denied: bool = True) -> Iterator[None]:
    """An OSError inside the block becomes one InputError line naming ``source``.

    ``missing`` / ``folder``: what to say for a missing file or object / a
    folder where a file was expected (else the generic line). ``denied``:
    say "access denied" with the backend's own words (an object store's
    reason is in its message; a local file's would repeat the path).
    Otherwise: "cannot <action>: <reason>".
    """
    try:
        yield
    except OSError as exc:
        if missing is not None and isinstance(exc, FileNotFoundError):
            message = missing
        elif folder is not None and isinstance(exc, IsADirectoryError):
            message = folder
        elif denied and isinstance(exc, PermissionError):
            message = f"access denied: {exc}"
        else:
            message = f"cannot {action}: {exc.strerror or exc}"
        raise InputError(source, message) from None


def _backend_package(proto: str) -> str:
    """The distribution that provides fsspec's implementation of ``proto``."""
    from fsspec.registry import known_implementations

    spec = known_implementations.get(proto, {})
    return str(spec.get("class", proto)).split(".")[0] or proto


@contextmanager
def open_url(url: str) -> Iterator[IO[bytes]]:
    """Open the object at ``url`` for reading as a seekable binary file."""
    fs, path = filesystem(url)
    with input_errors(url, missing=_NO_OBJECT, folder=_A_FOLDER):
        fp = fs.open(path, "rb")
    with fp:
        yield fp


def size(url: str) -> int:
    """The object's size in bytes; InputError when it does not exist or is a folder."""
    fs, path = filesystem(url)
    with input_errors(url, missing=_NO_OBJECT):
        info = fs.info(path)
    if info.get("type") == "directory":
        raise InputError(url, _A_FOLDER)
    return int(info.get("size") or 0)


def expand(url: str) -> list[str]:
    """The object URLs under ``url``: itself for an object, every object below a prefix.

    Returned as full URLs in a stable (sorted) order. A URL that names
    nothing is an InputError.
    """
    fs, path = filesystem(url)
    with input_errors(url, action="list"):
        if fs.isdir(path):
            found = sorted(fs.find(path))
        elif fs.exists(path):
            return [url]
        else:
            raise InputError(url, "no such object or prefix")
    # Each object as the URL given plus its place below it: the user's own
    # spelling (memory://b, gcs://...) is kept, so ids and reruns match.
    base = fs._strip_protocol(path).rstrip("/")
    return [f"{url.rstrip('/')}/{p[len(base):].lstrip('/')}" for p in found
            if fs._strip_protocol(p).startswith(base)]
