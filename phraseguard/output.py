"""The one way phraseguard writes an output file: whole, or not at all.

Every file a command writes (reports in HTML, CSV and its side files, JSON,
SARIF, lint output, transcripts, the ``live --record`` WAV) is written to a
temporary file in the same folder and renamed over the target only when it is
complete. A kill (even ``kill -9``), a full disk or an error halfway leaves
yesterday's file as it was, and a reader never sees half a file: the rename
is atomic within one file system, which the same folder guarantees.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def temporary_sibling(path: str | Path, *, suffix: str = ".tmp") -> Path:
    """A new, empty file beside ``path`` (same folder, hidden name) for it to be written in."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent or ".")
    os.close(fd)
    return Path(tmp)


def commit(tmp: str | Path, path: str | Path) -> None:
    """Put the finished ``tmp`` in place of ``path`` (atomic), with the permissions of
    the file it replaces, or those a new file would get (mkstemp makes it private)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def discard(tmp: str | Path) -> None:
    """Remove an unfinished temporary file (quietly: it may already be gone)."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def replaceable(path: str | Path) -> Path | None:
    """The regular file to replace for ``path`` (a symlink's target), or None.

    None when ``path`` is not a regular file that a rename may replace: a
    device (``/dev/null``, ``/dev/stdout``), a FIFO or a socket is written to
    in place, never renamed over.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real  # a new file
    except OSError:
        return None
    return real if stat.S_ISREG(mode) else None


@contextlib.contextmanager
def atomic_write(path: str | Path, *, encoding: str = "utf-8",
                 newline: str | None = None) -> Iterator[IO[str]]:
    """A text file to write ``path`` through: renamed into place when the block ends.

    If the block raises (or the process dies), ``path`` is untouched and the
    temporary file is removed (or, after a kill, left beside it as
    ``.NAME.*.tmp``). A target that is not a regular file (``/dev/stdout``,
    a FIFO) is written in place, and so is one whose folder does not let
    this user create the temporary file (the file itself being writable).
    """
    target = replaceable(path)
    tmp = None
    if target is not None:
        with contextlib.suppress(PermissionError):
            tmp = temporary_sibling(target)
    if tmp is None:
        with open(path, "w", encoding=encoding, newline=newline) as fp:
            yield fp
        return
    try:
        with open(tmp, "w", encoding=encoding, newline=newline) as fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        commit(tmp, target)
    except BaseException:
        discard(tmp)
        raise


def check_writable(path: str | Path, *, option: str) -> None:
    """PhraseguardError now, before any work, if ``path`` cannot be written.

    Its folder must exist and be writable (or the file itself, when it
    exists, writable and not a folder). ``option`` names the option in the
    message (``--json week.json``).
    """
    from phraseguard.errors import PhraseguardError

    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise PhraseguardError(f"{option}: {path} is a folder, not a file")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise PhraseguardError(f"{option}: cannot write {path} (permission denied)")
    elif not folder.is_dir():
        raise PhraseguardError(f"{option}: folder {folder} does not exist")
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise PhraseguardError(f"{option}: cannot create files in {folder} (permission denied)")
