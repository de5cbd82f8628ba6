"""The one progress display of the long-running commands (score, transcribe, models pull).

On a terminal: rich progress bars on standard error, cleared when done. When
standard error is not a terminal (a log, CI): no bars, and :meth:`Progress.note`
prints plain lines instead, so a log still shows what happened.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

#: ``update(done, total)``: how far a task has got (total None when unknown).
Update = Callable[[float, float | None], None]


class Progress:
    """Progress bars on stderr; use as a context manager.

    ``kind`` picks the columns: ``count`` (files: 3/10, elapsed, ETA),
    ``percent`` (one file's audio) or ``bytes`` (a download).
    """

    def __init__(self, *, enabled: bool = True, kind: str = "count") -> None:
        self.enabled = enabled
        self.kind = kind
        self._bar: Any = None

    @property
    def on_terminal(self) -> bool:
        return self._bar is not None

    def __enter__(self) -> Progress:
        if self.enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress as Bars

            self._bar = Bars(*_columns(self.kind), console=Console(stderr=True), transient=True)
            self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
            self._bar = None

    def task(self, description: str, total: float | None = None) -> Update | None:
        """A bar for one task; None when there are no bars (not a terminal)."""
        if self._bar is None:
            return None
        task = self._bar.add_task(description, total=total, last="")
        bar = self._bar

        def update(done: float, total: float | None = None, last: str = "") -> None:
            bar.update(task, completed=done, total=total or None, last=last)

        return update

    def note(self, text: str, *, always: bool = False) -> None:
        """A line for the record: above the bars on a terminal; plain otherwise.

        Without bars, only ``always`` notes are printed unless the display is
        enabled (``-q`` keeps a log quiet, but failures still show).
        """
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        elif self.enabled or always:
            click.echo(text, err=True)


def _columns(kind: str) -> list:
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    if kind == "bytes":
        return [TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                TransferSpeedColumn()]
    if kind == "percent":
        return [TextColumn("{task.description}"), BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn()]
    return [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[last]}")]
