"""One exception hierarchy for everything phraseguard reports to a user.

The CLI turns a :class:`PhraseguardError` into a one-line ``Error: ...`` and
exit code 2 in one place (``cli.py``); library code raises, it never prints
and exits.
"""

from __future__ import annotations

from pathlib import Path


class PhraseguardError(Exception):
    """Base class: a problem the user can fix (bad input, missing model...)."""


class LexiconError(PhraseguardError):
    """A lexicon file is malformed; carries the file and line of the problem."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class LexiconErrors(PhraseguardError):
    """Several lexicon problems found in one check; each is a LexiconError."""

    def __init__(self, errors: list[LexiconError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class InputError(PhraseguardError):
    """An input file cannot be read (missing, binary, undecodable...)."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


class ConfigError(PhraseguardError):
    """A phraseguard.toml / [tool.phraseguard] setting is wrong."""


class AudioError(PhraseguardError):
    """Audio could not be decoded or captured; carries the decoder's stderr."""


class ModelError(PhraseguardError):
    """No speech model was found, or a model could not be loaded or fetched."""
