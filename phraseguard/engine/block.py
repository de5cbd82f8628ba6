"""Folding a block of many lines at array speed, for the candidate scan.

``Matcher.scan_block`` searches a whole block of lines (up to about a
megabyte of text) in one automaton pass. The per-character work before that
pass, normalising and folding every character to its pinyin key, is a table
lookup; ``str.translate`` does it at about 30 ns a character, which on its
own took twice as long as the raw Aho-Corasick scan lint is measured
against. A block of text is therefore widened to an array of code points
(``str.encode("utf-32-le")`` is a copy) and looked up with numpy's ``take``,
about six times faster, and the same arrays give the line starts and the
lines that may be speech-recogniser output without a Python loop per line.

Small blocks (a line, an utterance, a one-page script) take the plain
``str.translate`` path instead: importing numpy (about 50 ms) costs more than
it saves there, and a cold ``phraseguard lint`` must stay fast. So numpy is
imported only when the caller asks for the array path
(``Matcher.prepare_large_blocks``: lint does, on meeting its first large
block), never inside a scan: a scan does no I/O. Until then a large block
takes the plain path too. Both paths give the same result
(``tests/engine/test_block.py`` checks it).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

# Below this many characters the plain path is faster than importing numpy.
ARRAY_MIN_CHARS = 32_768


@dataclass(frozen=True)
class FoldedBlock:
    """A block of lines, normalised and folded for the candidate scan.

    ``folded`` keeps the newlines, so a candidate's position tells its line:
    ``line_of(position)``. ``starts``/``ends`` are each line's bounds in the
    original block. ``spaced`` lists the lines with enough ASCII spaces to
    be recogniser output (the cheap upper bound; the matcher checks them).
    """

    text: str
    folded: str
    folded_starts: Sequence[int]
    starts: Sequence[int]
    ends: Sequence[int]
    spaced: Sequence[int]

    def line_of(self, folded_position: int) -> int:
        """Index of the line that holds ``folded[folded_position]``."""
        return bisect.bisect_right(self.folded_starts, folded_position) - 1

    def line(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]

    @property
    def count(self) -> int:
        return len(self.starts)


def _newlines(text: str) -> list[int]:
    out = []
    find = text.find
    pos = find("\n")
    while pos >= 0:
        out.append(pos)
        pos = find("\n", pos + 1)
    return out


class BlockFolder:
    """Folds blocks of lines with one flat BMP ``str.translate`` table.

    The table must keep ``"\\n"`` as itself. Characters beyond the Basic
    Multilingual Plane pass through unchanged (as with ``str.translate`` on
    a list). Blocks of :data:`ARRAY_MIN_CHARS` or more are folded with
    numpy once :meth:`use_arrays` has imported it; ``fold`` itself never
    imports anything.
    """

    def __init__(self, table: list[int | None]) -> None:
        self._table = table
        self._array = None

    @property
    def arrays(self) -> bool:
        """Whether large blocks take the numpy path (:meth:`use_arrays` was called)."""
        return self._array is not None

    def use_arrays(self) -> None:
        """Import numpy and make the array copy of the table (I/O: not during a scan)."""
        if self._array is None:
            import numpy as np

            # 0 means "delete": no table maps a character to NUL (a control
            # character, which normalising drops).
            self._array = np.fromiter((0 if v is None else v for v in self._table),
                                      dtype=np.uint32, count=len(self._table))

    def fold(self, text: str, *, spaced_density: float | None) -> FoldedBlock:
        """Fold ``text`` (lines joined by ``"\\n"``).

        ``spaced_density`` None: no line is looked at for spaces.
        """
        if self._array is not None and len(text) >= ARRAY_MIN_CHARS:
            return _fold_array(text, self._array, spaced_density)
        return _fold_plain(text, self._table, spaced_density)


def _fold_plain(text: str, table: list[int | None], spaced_density: float | None
                ) -> FoldedBlock:
    folded = text.translate(table)
    nl = _newlines(text)
    starts = [0] + [p + 1 for p in nl]
    ends = nl + [len(text)]
    folded_starts = [0] + [p + 1 for p in _newlines(folded)]
    spaced: list[int] = []
    if spaced_density is not None and " " in text:
        for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
            n = text.count(" ", a, b)
            if n and n >= spaced_density * (b - a) / 2:
                spaced.append(i)
    return FoldedBlock(text, folded, folded_starts, starts, ends, spaced)


def _fold_array(text: str, lookup, spaced_density: float | None) -> FoldedBlock:
    import numpy as np

    size = len(lookup)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if codes.size and int(codes.max()) >= size:
        out = np.where(codes >= size, codes, lookup.take(np.minimum(codes, size - 1)))
    else:
        out = lookup.take(codes)
    out = out[out != 0]
    folded = out.tobytes().decode("utf-32-le")
    nl = np.flatnonzero(codes == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(codes)]))
    folded_starts = np.concatenate(([0], np.flatnonzero(out == 10) + 1)).tolist()
    spaced: list[int] = []
    if spaced_density is not None:
        spaces = np.flatnonzero(codes == 32)
        if spaces.size:
            per_line = np.bincount(np.searchsorted(nl, spaces), minlength=len(starts))
            bound = spaced_density * (ends - starts) / 2
            spaced = np.flatnonzero((per_line > 0) & (per_line >= bound)).tolist()
    return FoldedBlock(text, folded, folded_starts, starts.tolist(), ends.tolist(), spaced)
