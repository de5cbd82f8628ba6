"""Word boundaries, so a hit never cuts a word in two.

不清楚 inside 看不清楚 ("can't see clearly") is not the agent disclaiming
knowledge, and 不知道 read across 布置道具 is a homophone accident. A hit is
kept only when both its ends fall on word boundaries. Speech-recogniser output
already has them (the spaces between Vosk's words); written text is segmented
with jieba's dictionary and jieba's algorithm (the most probable path through
the word graph, dictionary words only: jieba's ``cut(HMM=False)``).

Why not call jieba directly: loading its 350,000-word dictionary costs 0.7 s
per process, more than a whole cold ``phraseguard lint`` may take. The same
dictionary is copied into an SQLite file (shipped in the wheel, built at build
time; else built once into the user's cache folder, see ``cache.py``), read
into memory when the graph is opened (9 MB, a few milliseconds), and looked
up word by word, so a scan does no I/O and a process pays microseconds for
the few lines that need segmenting. ``tests/engine/test_segment.py`` checks
that the result equals jieba's own.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import os
import re
import sqlite3
import tempfile
from pathlib import Path

from phraseguard.engine.cache import file_key, find_table

_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
# Sentence punctuation a recogniser (or a typist) may set off with spaces:
# "这个 不管 ~ 嘿嘿" is spaced speech as much as "这个 不管 嘿嘿" is.
_PUNCT = r"[，。！？、；：…,.!?;:~～]"
# jieba's own split of a sentence into blocks it segments (re_han_default)
# and the single alphanumerics it glues together.
_HAN_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+)")
_ALNUM = re.compile(r"[a-zA-Z0-9]")
# Room beyond the word table's size in its memory map (which must cover the whole file).
_MMAP_SLACK = 64 * 1024


@functools.cache
def _spacing() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(gaps between Chinese characters, one Chinese character), compiled on
    first use: the character classes span the whole CJK block, which the
    regex compiler walks one code point at a time (about 10 ms together), and
    only spaced text needs them."""
    gap = re.compile(
        rf"(?<={_CJK})[ \t\u3000]+(?={_CJK}|{_PUNCT})|(?<={_PUNCT})[ \t\u3000]+(?={_CJK})")
    return gap, re.compile(_CJK)


def space_density(text: str) -> float:
    """Spaces between Chinese characters (or a Chinese character and a
    punctuation mark) per Chinese character.

    Speech-recogniser output puts a space between nearly every word (about
    0.5-0.7); written chat uses one now and then to end a sentence.
    """
    gap, cjk = _spacing()
    gaps = len(gap.findall(text))
    if not gaps:
        return 0.0
    return gaps / max(1, len(cjk.findall(text)))


def jieba_dictionary() -> Path:
    """jieba's main dictionary file (word, frequency, tag per line)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise RuntimeError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


def _build_word_db(source: Path, target: Path) -> None:
    """Copy jieba's dictionary (words and their prefixes) into SQLite, atomically."""
    freq: dict[str, int] = {}
    total = 0
    with source.open(encoding="utf-8") as fp:
        for line in fp:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            word, count = parts[0], int(parts[1])
            freq[word] = count
            total += count
            for i in range(1, len(word)):
                freq.setdefault(word[:i], 0)  # prefixes keep the word walk going
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        with con:
            con.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER)")
            con.executemany("INSERT INTO words VALUES (?, ?)", freq.items())
            con.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
        con.close()
        os.replace(tmp, target)  # concurrent builders: the last one wins, whole
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class WordGraph:
    """jieba's dictionary, looked up on demand from the SQLite copy."""

    def __init__(self, *, dictionary: Path | None = None, cache: Path | None = None,
                 removed: tuple[str, ...] = ()) -> None:
        source = dictionary or jieba_dictionary()
        name = f"words-{file_key(source)}.sqlite"
        path = find_table(name, folder=cache)
        if not path.exists():
            try:
                _build_word_db(source, path)
            except OSError:
                # An unwritable cache folder (read-only home, sandbox): build
                # in the temporary folder instead, which only costs speed.
                path = Path(tempfile.gettempdir()) / f"phraseguard-{os.getuid()}" / name
                if not path.exists():
                    _build_word_db(source, path)
        # Mapped into memory whole, read-only, so a lookup makes no file call
        # (a scan does no I/O): the file is only ever replaced whole, never
        # changed (``immutable``). Copying its 9 MB in instead (``deserialize``)
        # was a twentieth of a cold lint; lookups are as fast either way.
        self._con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                    check_same_thread=False)
        self._con.execute(f"PRAGMA mmap_size = {path.stat().st_size + _MMAP_SLACK}")
        self._total = self._con.execute("SELECT value FROM meta WHERE key='total'").fetchone()[0]
        self._log_total = math.log(self._total)
        self._freq: dict[str, int | None] = {w: 0 for w in removed}
        self._removed = set(removed)

    def freq(self, word: str) -> int | None:
        """Frequency of ``word``; 0 for a mere prefix; None when unknown."""
        if word in self._freq:
            return self._freq[word]
        row = self._con.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        value = None if row is None else row[0]
        if len(self._freq) > 200_000:
            self._freq = {w: 0 for w in self._removed}
        self._freq[word] = value
        return value

    def cut(self, sentence: str) -> list[str]:
        """Words of ``sentence``, as jieba's ``cut(sentence, HMM=False)``."""
        out: list[str] = []
        for block in _HAN_BLOCK.split(sentence):
            if not block:
                continue
            if _HAN_BLOCK.fullmatch(block):
                out.extend(self._cut_block(block))
            else:
                out.extend(block)  # jieba yields other characters one by one
        return out

    def _cut_block(self, s: str) -> list[str]:
        n = len(s)
        dag: list[list[int]] = []
        for k in range(n):
            ends = []
            i = k
            frag = s[k]
            while i < n:
                f = self.freq(frag)
                if f is None:
                    break
                if f:
                    ends.append(i)
                i += 1
                frag = s[k : i + 1]
            dag.append(ends or [k])
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):
            route[idx] = max(
                (math.log(self.freq(s[idx : x + 1]) or 1) - self._log_total + route[x + 1][0], x)
                for x in dag[idx])
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = route[x][1] + 1
            word = s[x:y]
            if len(word) == 1 and _ALNUM.match(word):
                buf += word
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(word)
            x = y
        if buf:
            words.append(buf)
        return words


class Segmenter:
    """Word boundaries of normalised text (dictionary opened when built, cached per text).

    Only dictionary words count (no HMM guessing of unknown words: it glues
    particles onto phrases, 管哈). ``split_words`` are dictionary entries that
    are just an intensifier plus a phrase (真不知道), removed so they don't
    hide the phrase inside them.
    """

    def __init__(self, *, split_words: tuple[str, ...] = ()) -> None:
        self._graph = WordGraph(removed=split_words)
        self._cache: dict[str, frozenset[int]] = {}

    def boundaries(self, text: str) -> frozenset[int]:
        """Positions in ``text`` where a word starts or ends (0 and len included)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        bounds = {0, len(text)}
        pos = 0
        for token in self._graph.cut(text):
            pos += len(token)
            bounds.add(pos)
        result = frozenset(bounds)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[text] = result
        return result
