"""Warnings about a lexicon that loads but may not mean what its writer meant.

Errors stop a lexicon from loading (``lexicon.load_lexicon``); a warning
points at something legal that is usually a slip, and ``phraseguard lexicon
check`` prints it without failing. Today there is one: a filler written as
one choice of a group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from phraseguard.engine.lexicon_files import Lines, load_chain, resolve
from phraseguard.engine.pattern import folded_alternatives
from phraseguard.engine.word_lists import PROSE_KEYS, SETTINGS_SECTIONS, expand_words
from phraseguard.errors import LexiconError


def _patterns(value: object, key: str = "") -> Iterator[str]:
    """Every string under ``value`` that may be a pattern (prose keys skipped)."""
    if key in PROSE_KEYS:  # (text for people: a brace there is not a group)
        return
    if isinstance(value, str):
        if "{" in value:
            yield value
    elif isinstance(value, list):
        for v in value:
            yield from _patterns(v, key)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _patterns(v, str(k))


def _line_of(lines: Lines, source: str) -> int | None:
    """The first line that holds the pattern as written (None when TOML escaped it)."""
    for i, line in enumerate(lines.lines):
        if source in line:
            return i + 1
    return None


def lexicon_warnings(path_or_name: str | Path | None, fillers: str,
                     normalize: Callable[[str], str]) -> list[LexiconError]:
    """Warnings for every file of a lexicon chain, each at the line of the pattern.

    ``fillers`` are the merged ``[matching] fillers`` and ``normalize`` the
    normaliser built from them, as ``load_lexicon`` builds it.
    """
    out: list[LexiconError] = []
    for path, data, text in expand_words(load_chain(resolve(path_or_name)), []):
        lines = Lines(text)
        seen: set[str] = set()
        # Rules, named lists, call-flow rules: everything but settings tables.
        tables = {k: v for k, v in data.items() if k not in SETTINGS_SECTIONS}
        for source in _patterns(tables):
            if source in seen:
                continue
            seen.add(source)
            for written in folded_alternatives(source, normalize=normalize):
                which = ("a filler ([matching] fillers)" if all(c in fillers for c in written)
                         else "dropped by normalising")
                out.append(LexiconError(
                    path, _line_of(lines, source),
                    f"warning: alternative {written!r} in {source!r} is {which}, so it matches "
                    "nothing and makes its group optional; remove it, or write an empty "
                    "alternative if the group is meant to be optional"))
    return out
