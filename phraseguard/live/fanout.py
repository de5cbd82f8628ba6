"""Handing a live session's events to its sinks, and switching off a sink that fails.

A sink that fails (a closed ``--events -`` pipe, a full disk) must not end the
monitoring: it is switched off and the others are told once, with a
``warning`` event (or, when none is left, a line on standard error).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import suppress

from phraseguard.live.events import Event, Notice, Sink


class Fanout:
    """The session's sinks; :meth:`emit` gives an event to each one still working."""

    def __init__(self, sinks: Sequence[Sink], clock: Callable[[], float]) -> None:
        self.sinks = list(sinks)
        self.warnings: list[str] = []
        self._clock = clock

    def emit(self, event: Event) -> None:
        """Give ``event`` to every sink; one that fails is switched off, not fatal."""
        for sink in list(self.sinks):
            if sink not in self.sinks:  # switched off while this event went round
                continue
            try:
                sink.handle(event)
            except Exception as exc:  # noqa: BLE001 - a sink must not end the monitoring
                self._drop(sink, exc)

    def warn(self, message: str) -> None:
        """Something the sinks should know that does not end the session."""
        self.warnings.append(message)
        self.emit(Notice(message=message, wall=self._clock()))

    def _drop(self, sink: Sink, exc: Exception) -> None:
        self.sinks.remove(sink)
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        name = getattr(sink, "name", None) or type(sink).__name__
        message = f"output {name} failed and was switched off ({detail})"
        self.warnings.append(message)
        if self.sinks:
            self.emit(Notice(message=message, wall=self._clock()))
        else:  # nothing left to tell: the terminal's error stream, if it is there
            with suppress(OSError, ValueError):
                print(f"phraseguard live: warning: {message}", file=sys.stderr, flush=True)
