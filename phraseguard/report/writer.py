"""The base of the score report writers: a name, a file extension, ``write``."""

from __future__ import annotations

from pathlib import Path
from typing import IO, ClassVar

from phraseguard.report.results import ScoreResults


class ResultWriter:
    """Writes :class:`ScoreResults` in one format.

    Subclasses set ``name`` and ``extension`` and implement :meth:`write`;
    :meth:`write_path` opens the file (and may write companions beside it).
    """

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""
    newline: ClassVar[str | None] = None  # "" for csv: the csv module writes \r\n itself

    def write(self, results: ScoreResults, fp: IO[str]) -> None:
        raise NotImplementedError

    def write_path(self, results: ScoreResults, path: str | Path) -> list[Path]:
        """Write to ``path``; returns every file written."""
        path = Path(path)
        with open(path, "w", encoding="utf-8", newline=self.newline) as fp:
            self.write(results, fp)
        return [path]
