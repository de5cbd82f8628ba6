"""The one folder walker: which files a folder given on the command line holds.

``lint`` (text files), ``score`` (recordings and transcripts) and
``transcribe`` (recordings) all expand folders here, so they agree on order
and on what is skipped:

- files come in a stable order (sorted as paths), symlinked folders are not
  followed (no loops);
- a FIFO, socket or device inside a folder is never opened (reading a FIFO
  waits forever): it is reported as a :class:`Skipped` notice and the walk
  goes on;
- a subfolder that cannot be listed (permission denied) is reported as a
  :class:`Skipped` error, which the commands turn into exit status 2, and
  the walk goes on with the rest.

A path named explicitly is not walked: the command reads it and reports its
own error.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Skipped:
    """Something in a folder that was not walked, and why (one line, without the path)."""

    path: Path
    reason: str
    error: bool  # True: an unreadable folder (the run fails); False: a notice


#: ``(relative posix path, name) -> bool``: which files to keep, which folders to skip.
Filter = Callable[[str, str], bool]


def _keep_all(rel: str, name: str) -> bool:
    return True


def _skip_none(rel: str, name: str) -> bool:
    return False


def walk(folder: str | Path, *, keep: Filter = _keep_all,
         skip_dir: Filter = _skip_none) -> Iterator[Path | Skipped]:
    """Regular files under ``folder`` that ``keep`` accepts, and what was skipped, in order.

    ``keep`` gets each file's path relative to ``folder`` (posix) and its
    name; ``skip_dir`` the same for a subfolder, with a trailing ``/`` on the
    relative path. Non-regular files are reported whether or not ``keep``
    would accept their name, so nothing is silently passed over.
    """
    root = Path(folder)
    found: list[Path | Skipped] = []
    _scan(root, "", keep, skip_dir, found)
    found.sort(key=lambda item: item.path if isinstance(item, Skipped) else item)
    yield from found


def _scan(folder: Path, rel: str, keep: Filter, skip_dir: Filter,
          found: list[Path | Skipped]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as exc:
        found.append(Skipped(folder, f"cannot read folder: {exc.strerror or exc}", error=True))
        return
    for entry in entries:
        sub = f"{rel}{entry.name}"
        path = folder / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if not skip_dir(sub + "/", entry.name):
                    _scan(path, sub + "/", keep, skip_dir, found)
                continue
            mode = entry.stat().st_mode  # follows a symlink to the file it names
        except OSError as exc:
            if entry.is_symlink():
                continue  # a dangling symlink or one to a folder: not a file to read
            found.append(Skipped(path, f"cannot read: {exc.strerror or exc}", error=True))
            continue
        if stat.S_ISDIR(mode):
            continue  # a symlink to a folder: not followed
        if not stat.S_ISREG(mode):
            found.append(Skipped(path, f"not a regular file ({_kind(mode)}); skipped",
                                 error=False))
        elif keep(sub, entry.name):
            found.append(path)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
