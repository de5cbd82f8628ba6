"""Where the speech model is on a Dask cluster: at a shared path, or shipped once per worker.

A Vosk model is a folder of a few hundred MB. On a cluster it is either

- **at a path every worker has** (a shared file system, a container image,
  a configuration-management copy): the workers load the folder the client
  resolved, as a local run does; or
- **shipped**: the client packs the folder into one archive, registers it
  with the scheduler inside the worker plugin, and each worker process unpacks
  it once into its own local directory before its first call (a worker that
  joins later, or one its nanny restarts, gets it the same way).

:func:`fingerprint` says whether a worker's folder is the client's model
(same file names and sizes), so the choice is made per run, automatically:
shipped only when some worker lacks the model at that path.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

#: Unpacked models live under the worker's local directory in this folder.
SHIPPED_FOLDER = "phraseguard-models"


def fingerprint(folder: str | Path) -> str | None:
    """A digest of the model folder's file names and sizes; None when there is no folder.

    Names and sizes, not contents: hashing 250 MB on every worker at every
    run would cost more than it protects against (a model file edited in
    place to the same size).
    """
    root = Path(folder)
    if not root.is_dir():
        return None
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\n".encode())
    return h.hexdigest()


def pack(folder: str | Path) -> bytes:
    """The model folder as a zip in memory.

    Fastest deflate: the Korean model's 264 MB pack to 92 MB in about 3 s,
    a third of the bytes to send to every worker.
    """
    root = Path(folder)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(root).as_posix())
    return buf.getvalue()


def unpack(archive: bytes, local_directory: str | Path, digest: str) -> Path:
    """Unpack a shipped model under ``local_directory``; returns the model folder.

    Already unpacked (same digest): nothing to do. Unpacked into a temporary
    folder and renamed into place, so a worker killed halfway never leaves a
    half model that a restarted worker would take for a whole one. Member
    names that would escape the folder are refused.
    """
    base = Path(local_directory) / SHIPPED_FOLDER
    target = base / digest[:16]
    if fingerprint(target) == digest:
        return target
    base.mkdir(parents=True, exist_ok=True)
    partial = base / f".{digest[:16]}.{os.getpid()}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        for name in zf.namelist():
            dest = (partial / name).resolve()
            if not dest.is_relative_to(partial.resolve()):
                raise ValueError(f"shipped model member {name!r} escapes its folder")
        zf.extractall(partial)
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target
