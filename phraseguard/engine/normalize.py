"""Normalisation with an offset map back to the original text.

Forbidden phrases must match however the text is written: full-width or
half-width, upper or lower case, traditional or simplified characters, with
speech-recogniser spaces between words ("我 不 知道"), punctuation and filler
noise. Every character is mapped 1:1 or deleted (never expanded), so a
normalised position maps back to exactly one original position.

Two paths share one translation table:

* :meth:`Normalizer.fast` is one ``str.translate`` call; the matcher scans its
  output for candidates at C speed and never needs offsets there.
* :meth:`Normalizer.normalize` walks a single line (only lines with a
  candidate) and also records the offset map and clause breaks.
"""

from __future__ import annotations

import array
import hashlib
import importlib.util
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from phraseguard.engine.cache import cached_marshal, file_key

# Punctuation that ends a clause: a phrase may not match across it, and the
# context conditions of a rule look no further than it. Brackets and quotes
# are dropped silently instead ("不知道" in quotes is still 不知道).
_BREAK_CATEGORIES = frozenset({"Po", "Pd"})
_DROP_CATEGORIES = frozenset({"Ps", "Pe", "Pi", "Pf", "Pc", "Sm", "Sc", "Sk", "So", "Zs", "Zl",
                              "Zp", "Cc", "Cf", "Cs", "Co", "Cn"})

# Plane-15 private-use code points are reserved for the phonetic fold
# (phonetics.py); the originals are dropped so they can never collide.
PUA_BASE = 0xF0000
_PUA_END = 0xFFFFD
# Bump when the classification in _Table changes (cached tables are rebuilt).
_TABLE_FORMAT = 2


@dataclass(frozen=True)
class Normalized:
    """A normalised line: ``text[i]`` came from ``original[offsets[i]]``.

    ``breaks`` holds the normalised positions where a clause-ending
    punctuation mark (or a newline) was removed just before that position.
    ``spoken`` holds where a clause ends in speech without punctuation
    (engine/spoken.py): it bounds a clause for the conditions, but a phrase
    may match across it (a garbled word can look like a particle: 我不了卩).
    """

    original: str
    text: str
    offsets: tuple[int, ...]
    breaks: frozenset[int]
    questions: frozenset[int] = frozenset()  # breaks that were a question mark
    spoken: frozenset[int] = frozenset()

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of normalised ``[start, end)`` (end > start)."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def clause_bounds(self, start: int, end: int, *, spoken: bool = True) -> tuple[int, int]:
        """Normalised bounds of the clause that contains ``[start, end)``
        (``spoken=False``: of the clause as written, ignoring ``spoken``)."""
        ends = self.breaks | self.spoken if spoken and self.spoken else self.breaks
        lo = max((b for b in ends if b <= start), default=0)
        hi = min((b for b in ends if b >= end), default=len(self.text))
        return lo, hi

    def crosses_break(self, start: int, end: int) -> bool:
        """True when a clause break falls strictly inside ``[start, end)``."""
        return any(start < b < end for b in self.breaks)


class _Table(dict):
    """A lazily filled ``str.translate`` table: each code point is classified
    the first time it is seen, then looked up at C speed."""

    def __init__(self, t2s: dict[int, int], fillers: frozenset[int], keep_newline: bool,
                 then: dict[int, int] | None = None) -> None:
        super().__init__()
        self._t2s = t2s
        self._fillers = fillers
        self._keep_newline = keep_newline
        self._then = then  # a fold applied after normalising (one pass, not two)

    def __missing__(self, cp: int) -> int | None:
        value = self._classify(cp)
        if value is not None and self._then is not None:
            value = self._then.get(value, value)
        self[cp] = value
        return value

    def _classify(self, cp: int) -> int | None:
        if cp == 10 and self._keep_newline:
            return 10
        if cp in self._fillers or PUA_BASE <= cp <= _PUA_END:
            return None
        if cp in self._t2s:
            return self._t2s[cp]
        if 0xFF01 <= cp <= 0xFF5E:  # full-width ASCII
            cp -= 0xFEE0
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in _BREAK_CATEGORIES or cat in _DROP_CATEGORIES or cat == "Mn":
            return None
        if ch.isupper():
            low = ch.lower()
            if len(low) == 1:
                return ord(low)
        return cp


class _Marked(dict):
    """``_Table`` with dropped characters mapped to NUL instead of deleted, so
    the translated text keeps every position (``Normalizer.normalize``)."""

    def __init__(self, table: _Table) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, cp: int) -> int:
        value = self._table[cp]
        value = 0 if value is None else value
        self[cp] = value
        return value


_QUESTION = re.compile(r"[?？]+")


def keep_questions(text: str, normalize: Callable[[str], str]) -> str:
    """``text`` normalised by ``normalize`` (which drops punctuation), each run of
    question marks kept as one ``?``: the dialogue judge's turn conditions and
    the meaning model both tell a question from a statement ("我上哪知道去?")."""
    return "?".join(normalize(part) for part in _QUESTION.split(text))


# A Weibo @mention: the @, perhaps a space, the name, and the space that ends
# it (这里是@ 中国联通吉林客服 微博). Without that space it is no mention: the
# corpus masks a persona's name as 小@ (小@ 已关注到您反映的问题), where the @
# still ends the clause.
_MENTION = re.compile(r"[@＠](\s*)[^\s@＠，。,.!?！？;；:：]+(\s+)")


def _inside_latin(text: str, pos: int) -> bool:
    """Whether ``pos`` is a plain space between two Latin letters or digits (an
    ideographic space, which English never uses, still ends a clause)."""
    return (text[pos] == " " and 0 < pos < len(text) - 1
            and text[pos - 1].isascii() and text[pos - 1].isalnum()
            and text[pos + 1].isascii() and text[pos + 1].isalnum())


def _mention_marks(text: str) -> frozenset[int]:
    """Positions of the @ and the whitespace of each @mention in ``text``:
    they delimit the mention, not a clause."""
    marks: set[int] = set()
    for m in _MENTION.finditer(text):
        marks.add(m.start())
        for group in (1, 2):
            marks.update(range(m.start(group), m.end(group)))
    return frozenset(marks)


# A short text in square brackets: a chat sticker when its name is listed.
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,8})\]")


def _blank(marked: str, spans: list[tuple[int, int]]) -> str:
    """``marked`` with each span turned to NULs (dropped, positions kept)."""
    for start, end in spans:
        marked = marked[:start] + "\0" * (end - start) + marked[end:]
    return marked


def _is_break(ch: str) -> bool:
    return ch in "\n\r" or unicodedata.category(ch) in _BREAK_CATEGORIES


# Folds OpenCC keeps for phrases only (看著 -> 看着), applied to every character.
_EXTRA_T2S = Path(__file__).with_name("t2s_extra.txt")


def load_t2s() -> dict[int, int]:
    """Traditional -> simplified, character for character, from OpenCC's table.

    Only single-character mappings are used (first candidate), so the map
    stays 1:1 and offsets stay exact; that covers every character of the
    lexicon's phrases (們→们, 沒→没, 關係→关系, 隨→随...), plus the few folds
    of ``t2s_extra.txt`` that OpenCC makes only inside phrases. Parsing the file
    takes about 10 ms, paid twice by a cold run (lexicon and matcher), so the
    map is kept in the cache folder, keyed by the file's content.
    """
    spec = importlib.util.find_spec("opencc")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        return {}
    path = Path(spec.origin).parent / "dictionary" / "TSCharacters.txt"
    trad, simp = cached_marshal("t2s", file_key(path, _EXTRA_T2S, extra="t2s:2"),
                                lambda: _parse_t2s(path, _EXTRA_T2S))
    return dict(zip(trad, simp, strict=True))


def _parse_t2s(path: Path, extra: Path) -> tuple[list[int], list[int]]:
    table: dict[int, int] = {}
    for source in (path, extra):
        with source.open(encoding="utf-8") as fp:
            for line in fp:
                if line.startswith("#"):
                    continue
                trad, _, simp = line.rstrip("\n").partition("\t")
                # The first simplified form that differs: 瞭 lists itself first
                # (瞭望) but 了 is the form in 瞭解 -> 了解.
                others = [c for c in simp.split(" ") if c != trad]
                if len(trad) == 1 and others and len(others[0]) == 1:
                    table[ord(trad)] = ord(others[0])
    return list(table), list(table.values())


class Normalizer:
    """Normalises text for matching; build once, reuse for every line."""

    def __init__(self, *, fillers: str | frozenset[str] = frozenset(),
                 t2s: dict[int, int] | None = None,
                 chat_emoji: tuple[str, ...] | frozenset[str] = ()) -> None:
        t2s = load_t2s() if t2s is None else t2s
        filler_cps = frozenset(ord(c) for c in fillers)
        self._t2s = t2s
        # (the map's content, not its size, names it: a fold changed in place
        # must not reuse a cached table)
        self._t2s_key = hashlib.sha1(array.array(
            "I", [cp for pair in sorted(t2s.items()) for cp in pair]).tobytes()).hexdigest()[:12]
        self._fillers = filler_cps
        self._line = _Table(t2s, filler_cps, keep_newline=False)
        self._block = _Table(t2s, filler_cps, keep_newline=True)
        self._marked = _Marked(self._line)
        self._is_break: dict[str, bool] = {}  # dropped character -> ends a clause
        # A chat sticker written as its name in square brackets ([摊手],
        # [微笑]) ends a clause as a full stop would, and its name is no part
        # of the text: "您得问银行[摊手]" ends its referral there. Names are
        # compared normalised ([攤手] is [摊手]). :meth:`mark` and
        # :meth:`normalize` (the line a candidate is verified in, and its
        # folds) drop them; :meth:`fast` keeps the names, which costs nothing
        # but a few candidates (the matcher's block scan, the meaning model's
        # features, the turn conditions).
        self._stickers = frozenset(n for n in (e.translate(self._line) for e in chat_emoji) if n)
        self._folded: dict[tuple[int, bool], list[int | None]] = {}

    def fold_table(self, fold: dict[int, int], *, keep_newlines: bool = False
                   ) -> list[int | None]:
        """The flat ``str.translate`` table of normalising then folding with ``fold``.

        A flat list over the Basic Multilingual Plane, which ``str.translate``
        indexes twice as fast as a dict; built once per fold (about 0.1 s:
        the matcher keeps its packed form in the cache folder, see
        ``block.py``).
        """
        key = (id(fold), keep_newlines)
        table = self._folded.get(key)
        if table is None:
            lazy = _Table(self._t2s, self._fillers, keep_newlines, then=fold)
            table = self._folded[key] = [lazy[cp] for cp in range(0x10000)]
        return table

    @property
    def key(self) -> str:
        """Names this normalisation (fillers, traditional-to-simplified map, table format)."""
        return self.table_key("", keep_newlines=False)

    def table_key(self, fold_key: str, keep_newlines: bool = True) -> str:
        """Cache key of the normalise-then-fold table of the fold named ``fold_key``."""
        return hashlib.sha1(f"{fold_key}:{keep_newlines}:{sorted(self._fillers)}:"
                            f"{self._t2s_key}:{_TABLE_FORMAT}".encode()).hexdigest()[:12]

    def fast(self, text: str, *, keep_newlines: bool = False) -> str:
        """Normalised text without offsets (for candidate search)."""
        return text.translate(self._block if keep_newlines else self._line)

    def char(self, ch: str) -> str:
        """The normalised form of one character ('' when it is dropped)."""
        value = self._line[ord(ch)]
        return "" if value is None else chr(value)

    def mark(self, text: str) -> str:
        """``text`` normalised, each dropped character kept as NUL (positions unchanged).

        ``mark(text).replace("\\0", "")`` is ``fast(text)`` without the chat
        stickers (``chat_emoji``), which ``mark`` drops and ``fast`` keeps: the
        matcher reads a line, and folds it, from the marked text.
        """
        return _blank(text.translate(self._marked), self._sticker_spans(text))

    def _sticker_spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` holds a chat sticker ([摊手]), brackets included."""
        if not self._stickers or "[" not in text:
            return []
        return [m.span() for m in _BRACKETED.finditer(text)
                if m.group(1).translate(self._line) in self._stickers]

    def ends_clause(self, ch: str) -> bool:
        """Whether ``ch``, a character normalising drops, ends a clause (a break of
        :meth:`normalize`; whitespace also does there with ``space_breaks``)."""
        brk = self._is_break.get(ch)
        if brk is None:
            brk = self._is_break[ch] = _is_break(ch)
        return brk

    def normalize(self, text: str, *, space_breaks: bool = False,
                  marked: str | None = None) -> Normalized:
        """Normalised text with the offset map and clause breaks.

        With ``space_breaks``, whitespace also ends a clause: written chat
        uses a space where a full stop would be ("不清楚的呢 这个是…"), while
        speech output uses one between every word and must not be split. A
        space between two Latin letters or digits never does: it is inside a
        name written in English (我是Iron Bay健身房的小美, Lion City Fibre).
        ``marked``: ``mark(text)``, when the caller has it already.
        """
        # One C-speed pass marks every dropped character as NUL (a control
        # character, itself always dropped, so a NUL in the input is marked
        # too); only the dropped characters, a few per line, take Python
        # work. The walk per character this replaces was most of verifying a
        # candidate line.
        spans = self._sticker_spans(text)
        if marked is None:
            marked = _blank(text.translate(self._marked), spans)  # what mark() makes
        # Where a chat sticker starts: a break (mark dropped its name).
        stickers = {start for start, _ in spans}
        # A Weibo mention's @ and spaces (这里是@ 中国联通吉林客服 微博) delimit
        # the mention, not a clause.
        mentions = _mention_marks(text) if "@" in text or "＠" in text else frozenset()
        out = marked.replace("\0", "")
        n = len(out)
        if n == len(text):
            return Normalized(text, out, tuple(range(n)), frozenset(), frozenset())
        offsets: list[int] = []
        breaks: set[int] = set()
        questions: set[int] = set()
        find = marked.find
        is_break = self._is_break
        kept = 0  # characters kept before ``pos``
        prev = 0
        pos = find("\0")
        while pos >= 0:
            if pos > prev:
                offsets.extend(range(prev, pos))
                kept += pos - prev
            ch = text[pos]
            brk = is_break.get(ch)
            if brk is None:
                brk = is_break[ch] = _is_break(ch)
            if pos not in mentions and (brk or (space_breaks and kept and ch.isspace()
                                                 and not _inside_latin(text, pos))
                                        or pos in stickers):
                breaks.add(kept)
                if ch in "?？":
                    questions.add(kept)
            prev = pos + 1
            pos = find("\0", prev)
        offsets.extend(range(prev, len(text)))
        return Normalized(text, out, tuple(offsets),
                          frozenset(b for b in breaks if 0 < b < n), frozenset(questions))
