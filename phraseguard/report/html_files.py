"""The folder beside a large HTML report, replaced whole or not at all.

``qa.html`` keeps its transcripts in ``qa_files/<generation>/calls/N.js``.
Each run writes a NEW generation (``r-`` and 12 random hex digits) in a
hidden temporary folder, renames it into place when complete, and only then
switches the page to it (:func:`phraseguard.output.atomic_write`: one atomic
rename); the older generations are removed last (:func:`prune`). So a run
killed at any point, or one that fails with a full disk, leaves yesterday's
page with yesterday's transcripts, and a reader never sees a page pointing at
half a folder. Leftovers of a killed run are removed by the next one. Only
names of this form are ever deleted: anything else a user put in the folder
stays.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
from pathlib import Path
from urllib.parse import quote

_GENERATION = re.compile(r"\.?r-[0-9a-f]{12}(\.tmp)?")


def files_folder(page: Path) -> Path:
    """The folder of ``page``'s files: ``qa.html`` -> ``qa_files`` (as browsers save pages)."""
    return page.with_name(page.stem + "_files")


class Generation:
    """One run's transcript files: written hidden, published by a rename.

    Used as a context manager: if the block raises, the generation is removed
    (published or not) and the error goes on.
    """

    def __init__(self, page: Path) -> None:
        self.folder = files_folder(page)
        self.name = "r-" + secrets.token_hex(6)
        self._tmp = self.folder / f".{self.name}.tmp"
        self._published = False

    @property
    def path(self) -> Path:
        """Where the files are now (the hidden folder until :meth:`publish`)."""
        return self.folder / self.name if self._published else self._tmp

    @property
    def url(self) -> str:
        """The generation's folder relative to the page, as a URL path ending in ``/``."""
        return quote(f"{self.folder.name}/{self.name}/")

    def __enter__(self) -> Generation:
        self.folder.mkdir(exist_ok=True)
        self._tmp.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)

    def write(self, name: str, text: str) -> None:
        """Write ``name`` (a relative path such as ``calls/3.js``) in the generation."""
        path = self._tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def publish(self) -> None:
        """Rename the finished generation into place (the page does not use it yet)."""
        self._tmp.rename(self.folder / self.name)
        self._published = True


def prune(page: Path, *, keep: str | None) -> None:
    """Remove the generations of ``page``'s folder except ``keep``; the folder too when
    nothing else is left in it (a report that became a single file)."""
    folder = files_folder(page)
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name != keep and _GENERATION.fullmatch(entry.name) and entry.is_dir() \
                and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only succeeds when empty
