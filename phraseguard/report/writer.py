"""The one base class of report writers, and their lifecycle.

Every writer (lint: text, json, sarif, html; score: text, json, csv, html)
has a ``name`` (its ``--format`` or ``--<name> FILE``), an ``extension`` and
one lifecycle on an open text stream ``fp``: :meth:`start` once,
:meth:`handle` per item (a lint writer gets one file's result at a time and
may stream; a score writer gets the whole :class:`ScoreResults` once),
:meth:`finish` once. :meth:`write` runs the lifecycle on a stream;
:meth:`write_path` on a file, through :func:`phraseguard.output.atomic_write`,
so a writer killed halfway never empties the file it replaces.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, ClassVar

from phraseguard.output import atomic_write


class ReportWriter:
    """Base class: subclasses set ``name``/``extension`` and override the hooks."""

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""
    newline: ClassVar[str | None] = None  # "" for csv: the csv module writes \r\n itself

    def __init__(self, fp: IO[str] | None = None) -> None:
        self.fp: IO[str] = fp  # type: ignore[assignment]  # set by write() when None

    def start(self) -> None:
        """Called once before the first item."""

    def handle(self, item: Any) -> None:
        """Called once per item, in order."""

    def finish(self) -> None:
        """Called once after the last item."""

    def write(self, item: Any, fp: IO[str]) -> None:
        """The whole lifecycle for one item on ``fp``."""
        self.fp = fp
        self.start()
        self.handle(item)
        self.finish()

    def write_path(self, item: Any, path: str | Path) -> list[Path]:
        """Write ``item`` to ``path`` (whole, or not at all); returns every file written."""
        path = Path(path)
        with atomic_write(path, newline=self.newline) as fp:
            self.write(item, fp)
        return [path]
