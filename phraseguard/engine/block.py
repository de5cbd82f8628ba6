"""Folding text for the candidate scan: a line, or a block of many lines at array speed.

``Matcher.scan_block`` searches a whole block of lines (up to about a
megabyte of text) in one automaton pass. The per-character work before that
pass, normalising and folding every character to its pinyin key, is a table
lookup; ``str.translate`` does it at about 30 ns a character, which on its
own took longer than the raw Aho-Corasick scan lint is measured against. A
large block is therefore viewed as an array of UTF-16 code units
(``str.encode("utf-16-le")`` is close to a copy for Chinese text) and looked
up with numpy's ``take``; the same arrays give the line starts and the lines
that may be speech-recogniser output without a Python loop per line.

**Everything folds into the Basic Multilingual Plane.** The pinyin keys are
plane-15 private-use characters, and traditional characters can simplify to
characters beyond the BMP (𫚕); a folded text holding either is a four-byte
string, slower to build, decode and scan. So every folded value beyond the
BMP is renamed, one to one, to a BMP private-use character (U+E000 on;
normalising drops those from the input, so they cannot collide), and the
automaton's keys are renamed the same way (:meth:`BlockFolder.key`). A
block that itself holds characters beyond the BMP takes a UTF-32 view
instead, and those characters are renamed too, so both views give the same
folded text.

Small blocks (a line, an utterance, a one-page script) take the plain
``str.translate`` path: importing numpy (about 50 ms) costs more than it
saves there, and a cold ``phraseguard lint`` must stay fast. So numpy is
imported only when the caller asks for the array path
(``Matcher.prepare_large_blocks``: lint does, on meeting its first large
block), never inside a scan: a scan does no I/O. All paths give the same
result (``tests/engine/test_block.py`` checks it).

The table is stored packed (:meth:`BlockFolder.pack`: two-byte code units
and the renamed characters), which loads in about a millisecond where a
marshalled list of 65,536 numbers took fifteen.
"""

from __future__ import annotations

import array
import bisect
from collections.abc import Sequence
from dataclasses import dataclass

# Below this many characters the plain path is faster than importing numpy.
ARRAY_MIN_CHARS = 32_768

_PUA_FIRST = 0xE000  # BMP private use: U+E000..U+F8FF
_PUA_SIZE = 0xF900 - 0xE000
_NEWLINE = 10


@dataclass(frozen=True)
class FoldedBlock:
    """A block of lines, normalised and folded for the candidate scan.

    ``folded`` keeps the newlines, so a candidate's position tells its line
    (``lines_of``). ``starts``/``ends`` are each line's bounds in the
    original block, ``folded_starts`` in ``folded`` (lists, or numpy arrays
    on the array path). ``spaced`` lists the lines with enough ASCII spaces
    to be recogniser output (the cheap upper bound; the matcher checks
    them). ``bmp``: the block holds no character beyond the BMP, so each
    folded line is exactly the careful path's coarse fold of that line,
    renamed (which a character beyond the BMP can break: the careful path
    folds a rare character the block leaves as it is).
    """

    text: str
    folded: str
    folded_starts: Sequence[int]
    starts: Sequence[int]
    ends: Sequence[int]
    spaced: Sequence[int]
    bmp: bool = True
    # The lines that may hold an anchor (their folded text has a key's first
    # characters somewhere), or None: every line must be read.
    maybe: Sequence[int] | None = None

    def lines_of(self, positions: list[int]) -> list[int]:
        """Index of the line holding each ``folded[position]`` (positions ascending)."""
        starts = self.folded_starts
        if isinstance(starts, list):
            return [bisect.bisect_right(starts, p) - 1 for p in positions]
        import numpy as np  # already imported: an array block came from numpy

        return (np.searchsorted(starts, positions, side="right") - 1).tolist()

    def line(self, index: int) -> str:
        """The original text of line ``index``."""
        return self.text[int(self.starts[index]) : int(self.ends[index])]

    def folded_line(self, index: int) -> str:
        """The folded text of line ``index``."""
        return self.folded[int(self.folded_starts[index]) : self._folded_end(index)]

    @property
    def count(self) -> int:
        return len(self.starts)

    def anchor_matches(self, automaton, rows: Sequence[int] | None = None
                       ) -> list[tuple[int, object]]:
        """(line index, value) of every match of ``automaton`` (pyahocorasick) in folded lines.

        The lines searched are ``rows`` (ascending), else those in ``maybe``
        (a key cannot occur in a line without its first characters), else
        all. They are joined and searched in one pass.
        """
        rows = self.maybe if rows is None else rows
        if rows is None:
            found = list(automaton.iter(self.folded))
            lines = self.lines_of([last for last, _ in found])
            return [(li, value) for li, (_, value) in zip(lines, found, strict=True)]
        if not len(rows):
            return []
        if isinstance(self.folded_starts, list):
            bounds = [(self.folded_starts[i], self._folded_end(i)) for i in rows]
        else:
            import numpy as np  # already imported: an array block came from numpy

            starts = self.folded_starts
            stops = np.append(starts[1:] - 1, len(self.folded))
            bounds = zip(starts[rows].tolist(), stops[rows].tolist(), strict=True)
        parts = [self.folded[a:b] for a, b in bounds]
        found = list(automaton.iter("\n".join(parts)))
        if not found:
            return []
        # Where each joined line starts, then each match's row: its line.
        joined = [0]
        for part in parts[:-1]:
            joined.append(joined[-1] + len(part) + 1)
        rows = rows.tolist() if hasattr(rows, "tolist") else list(rows)  # ints, not numpy's
        return [(rows[bisect.bisect_right(joined, last) - 1], value) for last, value in found]

    def _folded_end(self, index: int) -> int:
        return (int(self.folded_starts[index + 1]) - 1 if index + 1 < len(self.folded_starts)
                else len(self.folded))

    def lines(self, indices: list[int]) -> list[str]:
        """The original text of each line in ``indices``."""
        if isinstance(self.starts, list):
            return [self.text[self.starts[i] : self.ends[i]] for i in indices]
        return [self.text[a:b] for a, b in zip(self.starts[indices].tolist(),
                                                self.ends[indices].tolist(), strict=True)]


def _newlines(text: str) -> list[int]:
    out = []
    find = text.find
    pos = find("\n")
    while pos >= 0:
        out.append(pos)
        pos = find("\n", pos + 1)
    return out


class BlockFolder:
    """Folds lines and blocks of lines with one flat BMP table.

    Built from the normalise-and-fold ``str.translate`` table (a list over
    the BMP, ``None`` for a dropped character, ``"\\n"`` kept as itself) or
    from its packed form. Characters beyond the BMP pass through the table
    unchanged, as with ``str.translate`` on a list, then are renamed like
    every other folded value beyond the BMP. Blocks of
    :data:`ARRAY_MIN_CHARS` or more are folded with numpy once
    :meth:`use_arrays` has imported it; folding never imports anything.
    """

    def __init__(self, table: list[int | None]) -> None:
        self._init(*self._packed_from(table))

    @classmethod
    def from_packed(cls, packed: tuple[bytes, list[int]]) -> BlockFolder:
        """A folder from :meth:`pack`'s value (say, from the cache)."""
        folder = cls.__new__(cls)
        folder._init(*packed)
        return folder

    def sharing(self) -> BlockFolder:
        """A folder with the same (read-only) tables but keys of its own to search for.

        What :meth:`search_for` sets is a matcher's own; the tables, and the
        array copies :meth:`use_arrays` made, are shared as they are.
        """
        folder = BlockFolder.__new__(BlockFolder)
        folder.__dict__.update(self.__dict__)
        folder._keys = []
        folder._grams = None
        return folder

    def pack(self) -> tuple[bytes, list[int]]:
        """The table as marshal-able values that load fast: 0 means dropped."""
        return self._units, self._renamed

    @staticmethod
    def _packed_from(table: list[int | None]) -> tuple[bytes, list[int]]:
        if len(table) != 0x10000 or table[_NEWLINE] != _NEWLINE:
            raise ValueError("a block table covers the BMP and keeps the newline")
        renamed = sorted({v for v in table if v is not None and v > 0xFFFF})
        if len(renamed) > _PUA_SIZE:  # pinyin has about 700 keys, far below this
            raise ValueError(f"{len(renamed)} folded values beyond the BMP; "
                             f"at most {_PUA_SIZE} can be renamed")
        rename = {v: _PUA_FIRST + i for i, v in enumerate(renamed)}
        # 0 (NUL) marks a dropped character: no table keeps NUL, a control
        # character normalising drops.
        units = array.array("H", [0 if v is None else rename.get(v, v) for v in table])
        return units.tobytes(), renamed

    def _init(self, units: bytes, renamed: list[int]) -> None:
        self._units = units
        self._renamed = renamed
        codes = array.array("H")
        codes.frombytes(units)
        self._block = codes.tolist()  # for str.translate: a list is its fastest table
        self._line = list(self._block)
        self._line[_NEWLINE] = 0  # a line's own newline is dropped, like any control
        self._rename = {v: chr(_PUA_FIRST + i) for i, v in enumerate(renamed)}
        self._units16 = None
        self._units32 = None
        self._renamed_array = None
        self._keys: list[str] = []
        self._grams = None

    @property
    def arrays(self) -> bool:
        """Whether large blocks take the numpy path (:meth:`use_arrays` was called)."""
        return self._units16 is not None

    def use_arrays(self) -> None:
        """Import numpy and make the array copies of the table (not during a scan)."""
        if self._units16 is None:
            import numpy as np

            self._units16 = np.frombuffer(self._units, dtype=np.uint16)
            self._units32 = self._units16.astype(np.uint32)
            self._renamed_array = np.array(self._renamed, dtype=np.uint32)
            self._grams = _grams(self._keys)

    def search_for(self, keys: list[str]) -> None:
        """The (renamed) keys the candidate automaton searches folded blocks for.

        The array path then marks the lines that hold the first three
        characters of some key (``FoldedBlock.maybe``), so the automaton
        reads a tenth of a block instead of all of it.
        """
        self._keys = list(keys)
        if self._units16 is not None:
            self._grams = _grams(self._keys)

    def key(self, folded: str) -> str:
        """A folded key (a phrase's, the careful path's fold) renamed as this folder's output."""
        return folded.translate(self._rename)

    def fold_line(self, text: str) -> str:
        """The folded text of one line (a newline in it is dropped)."""
        return self._beyond(text.translate(self._line).replace("\0", ""))

    def _beyond(self, folded: str) -> str:
        # Only characters beyond the BMP that were in the text are left to
        # rename; a UTF-16 encoding longer than two bytes a character finds them.
        if folded.isascii() or len(folded.encode("utf-16-le", "surrogatepass")) == 2 * len(folded):
            return folded
        return folded.translate(self._rename)

    def fold(self, text: str, *, spaced_density: float | None) -> FoldedBlock:
        """Fold ``text`` (lines joined by ``"\\n"``).

        ``spaced_density`` None: no line is looked at for spaces.
        """
        if self._units16 is not None and len(text) >= ARRAY_MIN_CHARS:
            return self._fold_array(text, spaced_density)
        return self._fold_plain(text, spaced_density)

    def _fold_plain(self, text: str, spaced_density: float | None) -> FoldedBlock:
        folded = text.translate(self._block).replace("\0", "")
        bmp = folded.isascii() or len(folded.encode("utf-16-le", "surrogatepass")) \
            == 2 * len(folded)
        if not bmp:
            folded = folded.translate(self._rename)
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
        return FoldedBlock(text, folded, folded_starts, starts, ends, spaced, bmp)

    def _fold_array(self, text: str, spaced_density: float | None) -> FoldedBlock:
        import numpy as np

        wide = text.encode("utf-16-le", "surrogatepass")
        bmp = len(wide) == 2 * len(text)
        if bmp:
            codes = np.frombuffer(wide, dtype=np.uint16)
            out = self._units16.take(codes)
            out = np.compress(out != 0, out)
            folded = out.tobytes().decode("utf-16-le")
            maybe = None
        else:
            del wide
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            beyond = codes > 0xFFFF
            out = np.where(beyond, codes, self._units32.take(codes & 0xFFFF))
            names = self._renamed_array
            if names.size:
                at = np.minimum(np.searchsorted(names, codes), names.size - 1)
                out = np.where(beyond & (names[at] == codes), _PUA_FIRST + at, out)
            out = out[out != 0].astype(np.uint32)
            folded = out.tobytes().decode("utf-32-le")
            maybe = None
        nl = np.flatnonzero(codes == _NEWLINE)
        starts = np.concatenate(([0], nl + 1))
        ends = np.concatenate((nl, [len(codes)]))
        folded_starts = np.concatenate(([0], np.flatnonzero(out == _NEWLINE) + 1))
        if bmp and self._grams is not None:
            maybe = _maybe_lines(out, folded_starts, self._grams)
        spaced: list[int] = []
        if spaced_density is not None:
            spaces = np.flatnonzero(codes == 32)
            if spaces.size:
                per_line = np.bincount(np.searchsorted(nl, spaces), minlength=len(starts))
                bound = spaced_density * (ends - starts) / 2
                spaced = np.flatnonzero((per_line > 0) & (per_line >= bound)).tolist()
        return FoldedBlock(text, folded, folded_starts, starts, ends, spaced, bmp, maybe)


# Up to this many possible triples, they are a table of flags (one byte
# each: size cubed, about 10 MB for the default lexicon's 211 first
# characters), else a sorted list, searched (binary search at every marked
# position: lint about 10% slower on big files). 1 << 23 held 202 characters;
# the seventh session's families needed 211 (measured: lint / raw scan 4.7x
# with the list, against 4.2-4.4x for the lexicon before them).
_DENSE_TRIPLES = 1 << 24


def _grams(keys: list[str]):
    """Tables telling, for each pair and triple of folded characters, whether a key starts so.

    None when some key is shorter than two characters (no prefix narrows it).
    """
    import numpy as np

    keys = [k for k in keys if max(k[:3], default="\0") <= "\uffff"]  # beyond the BMP:
    # such a key cannot occur in a block of BMP text, the only kind narrowed
    if not keys or min(map(len, keys)) < 2:
        return None
    alphabet = sorted({c for k in keys for c in k[:3]})
    size = len(alphabet) + 1
    # One byte a character while pairs fit two bytes (the usual case: a
    # lexicon's keys start with a hundred or so pinyin symbols).
    ids = np.zeros(0x10000, dtype=np.uint8 if size < 256 else np.int32)
    ids[[ord(c) for c in alphabet]] = np.arange(1, size)  # 0: in no key's start
    # Per pair: 1 = a two-character key, 2 = the first two of a longer key.
    pairs = np.zeros(size * size, dtype=np.uint8)
    triples: dict[int, None] = {}
    for k in keys:
        pair = int(ids[ord(k[0])]) * size + int(ids[ord(k[1])])
        if len(k) == 2:
            pairs[pair] |= 1
        else:
            pairs[pair] |= 2
            triples[pair * size + int(ids[ord(k[2])])] = None
    if size ** 3 <= _DENSE_TRIPLES:
        table = np.zeros(size ** 3, dtype=bool)
        table[list(triples)] = True
    else:  # a sorted list, searched
        table = np.array(sorted(triples) or [-1])
    return ids, size, pairs, table


def _maybe_lines(out, folded_starts, grams):
    """The lines of folded units ``out`` holding a key's first two or three characters.

    Pairs are looked up at every position; triples (few, sorted) only where
    a pair leads one.
    """
    import numpy as np

    ids, size, pairs, triples = grams
    d = ids.take(out)
    two = d[:-1].astype(np.uint16 if d.dtype == np.uint8 else np.int64)
    two *= size
    two += d[1:]
    flags = pairs.take(two)
    at = np.flatnonzero(flags != 0)
    kind = flags[at]
    p = at[((kind & 2) != 0) & (at < d.size - 2)]  # a longer key may start here
    three = two[p].astype(np.int64) * size + d[p + 2]
    if triples.dtype == bool:
        leads = triples.take(three)
    else:
        leads = triples[np.minimum(np.searchsorted(triples, three), len(triples) - 1)] == three
    marked = np.zeros(len(folded_starts), dtype=bool)
    for positions in (at[(kind & 1) != 0], p[leads]):
        marked[np.searchsorted(folded_starts, positions, side="right") - 1] = True
    return np.flatnonzero(marked)
