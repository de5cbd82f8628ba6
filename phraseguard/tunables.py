"""The tunable numbers of running a batch and splitting a report: ``tunables.toml``.

Every tunable number lives in a data file, not code (the lexicon holds the
matching and scoring ones; ``speech/decoding.toml`` the decoder's). This
module reads ``tunables.toml`` beside it once per process and hands out one
number at a time; a broken file is a ConfigError naming it. The engine never
imports it (pyproject.toml's import-linter contract).
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from phraseguard.errors import ConfigError

TUNABLES_FILE = Path(__file__).with_name("tunables.toml")


@functools.lru_cache(maxsize=1)
def _load(path: Path = TUNABLES_FILE) -> dict:
    """The file's tables (memoised: constant data, read once per process)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the tunable numbers: {exc}") from None


def tunable(section: str, key: str, *, path: Path = TUNABLES_FILE) -> int | float:
    """``[section] key`` from ``tunables.toml``: a number > 0 (int stays int)."""
    value = _load(path).get(section, {}).get(key)
    if value is None:
        raise ConfigError(f"{path}: [{section}] {key} is missing")
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise ConfigError(f"{path}: [{section}] {key} must be a number > 0 ({value!r})")
    return value


def whole(section: str, key: str, *, path: Path = TUNABLES_FILE) -> int:
    """``[section] key`` from ``tunables.toml``: a whole number > 0."""
    value = tunable(section, key, path=path)
    if not isinstance(value, int):
        raise ConfigError(f"{path}: [{section}] {key} must be a whole number ({value!r})")
    return value
