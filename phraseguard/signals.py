"""The one place SIGINT (Ctrl-C) and SIGTERM are handled, for ``score`` and ``live``.

Both commands stop cleanly on either signal, keeping what is done:

- ``score`` (:class:`StopFlag`): the first signal interrupts the run, except
  while a call is being saved, when it waits for the save to end; the command
  then exits :data:`EXIT_INTERRUPTED` (130) or :data:`EXIT_TERMINATED` (143),
  the shells' 128 + signal number, so a script can tell an interruption from
  a failure.
- ``live`` (:func:`stop_on_signals`): the first signal asks the session to
  end (what was heard is still recognised and saved, exit 0); a second
  Ctrl-C cuts the end short.

Python delivers signals to the main thread only: in another thread the
handlers are not installed and the default behaviour stays.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells do).
EXIT_INTERRUPTED = 128 + signal.SIGINT
#: Exit code of a run stopped by SIGTERM (128 + SIGTERM, as shells do).
EXIT_TERMINATED = 128 + signal.SIGTERM

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def exit_code(signum: int | None) -> int:
    """The exit code of a run stopped by ``signum`` (130 for Ctrl-C, 143 for SIGTERM)."""
    return EXIT_TERMINATED if signum == signal.SIGTERM else EXIT_INTERRUPTED


@contextmanager
def handling(handler: Callable[[int, object], None]) -> Iterator[None]:
    """Route SIGINT and SIGTERM to ``handler`` inside the block, then restore the old ones."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


class StopFlag:
    """SIGINT/SIGTERM: raise KeyboardInterrupt, except while something is being saved.

    During :meth:`saving` (a store write *and* the run's bookkeeping of it)
    the signal only sets ``stop``; :meth:`check` raises afterwards. This way a
    finished call is never lost to Ctrl-C, neither from the store nor from the
    run's counts. ``signum`` says which signal came first.
    """

    def __init__(self) -> None:
        self.stop = False
        self.signum: int | None = None
        self._saving = False

    def handler(self, signum, frame) -> None:
        first = not self.stop
        self.stop = True
        self.signum = self.signum or signum
        # Only the first signal interrupts: a second one while the run is
        # already stopping must not cut short the recording of its end.
        if first and not self._saving:
            raise KeyboardInterrupt

    def check(self) -> None:
        """Raise KeyboardInterrupt if a signal came during a save."""
        if self.stop:
            raise KeyboardInterrupt

    @contextmanager
    def saving(self) -> Iterator[None]:
        self._saving = True
        try:
            yield
        finally:
            self._saving = False

    def installed(self):
        """Handle SIGINT and SIGTERM with this flag inside the ``with`` block."""
        return handling(self.handler)


@contextmanager
def stop_on_signals(session_stop: Callable[[], None],
                    session_abort: Callable[[], None] | None = None) -> Iterator[None]:
    """SIGINT and SIGTERM call ``session_stop`` instead of killing the process.

    The first signal asks for a clean end (pending audio recognised, the
    call finished); a second SIGINT calls ``session_abort`` (skip the
    recognition still to do) and raises KeyboardInterrupt, for when the
    clean end itself takes too long.
    """
    count = 0

    def handler(signum, frame):
        nonlocal count
        count += 1
        if count > 1 and signum == signal.SIGINT:
            if session_abort is not None:
                session_abort()
            raise KeyboardInterrupt
        session_stop()

    with handling(handler):
        yield
