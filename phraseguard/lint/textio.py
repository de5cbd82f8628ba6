"""Reading text files the way call-centre scripts really come: any encoding, any size.

Scripts arrive as UTF-8 (with or without a BOM), UTF-16 from Windows tools,
GB18030/GBK from mainland systems and Big5 from Taiwan and Hong Kong. The
encoding is decided from the first block; the file is then decoded as a
stream, line by line, so a 100 MB file (even a single 100 MB line) is read
in bounded memory. A line longer than ``segment_chars`` is handed out in
overlapping segments; a segment's ``limit`` says which hits belong to it (the
rest are found again, whole, in the next segment).
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

from phraseguard.errors import InputError

# How much of a file decides its encoding, and how much is read at a time.
SNIFF_BYTES = 64 * 1024
READ_BYTES = 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class TextLine(NamedTuple):
    """A line (or a segment of a very long line) of a text file.

    ``number`` is 1-based; ``column`` is the 0-based character offset of
    ``text`` within the line. Hits starting at or after ``limit`` (when set)
    belong to the next segment.
    """

    number: int
    column: int
    text: str
    limit: int | None = None


def sniff_encoding(head: bytes, name: str) -> tuple[str, int]:
    """(encoding, BOM length) for a file starting with ``head``.

    Raises InputError for binary data or bytes that are none of the
    supported encodings.
    """
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    if b"\x00" in head[:8192]:
        raise InputError(name, "binary file (contains NUL bytes), not text")
    if _decodes(head, "utf-8") or _mostly_utf8(head):
        # A bad byte after real UTF-8 text: read it as UTF-8, so the lines
        # before the bad byte are linted and the error names its offset.
        return "utf-8", 0
    big5 = _decodes(head, "big5")
    gb = _decodes(head, "gb18030")
    if big5 and gb:
        # Both read without error (short files often do): the right reading
        # is the one made of common Chinese characters and punctuation, the
        # wrong one of rare characters, kana, Cyrillic and box drawing
        # (Big5 我們不管。 read as GB18030 is иぃ恨).
        as_gb = codecs.getincrementaldecoder("gb18030")().decode(head)
        as_big5 = codecs.getincrementaldecoder("big5")().decode(head)
        common = common_characters()
        return ("big5" if _plausibility(as_big5, common) > _plausibility(as_gb, common)
                else "gb18030"), 0
    if gb:
        return "gb18030", 0
    if big5:
        return "big5", 0
    try:
        head.decode("utf-8")
        where = ""
    except UnicodeDecodeError as exc:
        where = f" (first invalid byte at byte {exc.start})"
    raise InputError(name, f"cannot decode: not UTF-8, UTF-16, GB18030 or Big5 text{where}")


# Valid multi-byte UTF-8 characters before the first invalid byte that make
# a file UTF-8: GB18030 or Big5 text forms one by chance now and then, never
# this many in a row.
_UTF8_EVIDENCE = 4


def _mostly_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        prefix = head[: exc.start].decode("utf-8")
    return sum(1 for c in prefix if ord(c) > 0x7F) >= _UTF8_EVIDENCE


@functools.lru_cache(maxsize=1)
def common_characters(top: int = 4000) -> frozenset[str]:
    """The most frequent Chinese characters, simplified and traditional.

    Counted from jieba's word list (word frequencies summed per character);
    only needed to tell GB18030 from Big5 when both decode, so built on demand.
    """
    import importlib.util
    from pathlib import Path

    from phraseguard.engine.normalize import load_t2s

    spec = importlib.util.find_spec("jieba")
    counts: dict[str, int] = {}
    if spec is not None and spec.origin is not None:
        with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as fp:
            for line in fp:
                word, _, rest = line.partition(" ")
                freq = int(rest.split(" ", 1)[0] or 0)
                for ch in word:
                    counts[ch] = counts.get(ch, 0) + freq
    simplified = sorted(counts, key=counts.get, reverse=True)[:top]
    chars = set(simplified)
    chars.update(chr(t) for t, s in load_t2s().items() if chr(s) in chars)
    return frozenset(chars)


def _plausibility(text: str, common: frozenset[str]) -> float:
    """Share of the non-ASCII characters that are common Chinese characters or punctuation."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    ok = sum(c in common or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
             or "\u2010" <= c <= "\u2027" for c in wide)
    return ok / len(wide)


def _decodes(data: bytes, encoding: str) -> bool:
    # final=False: the sniffed block may end in the middle of a character.
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def read_lines(stream: BinaryIO, name: str, *, segment_chars: int = 65536,
               overlap: int = 128) -> Iterator[TextLine]:
    """Decode ``stream`` and yield its lines (segments of very long lines).

    An encoding error raises InputError naming the byte offset, after every
    line before the bad byte has been yielded.
    """
    for chunk in read_chunks(stream, name, segment_chars=segment_chars, overlap=overlap):
        if chunk.limit is not None or "\n" not in chunk.text:
            yield chunk
            continue
        for i, line in enumerate(chunk.text.split("\n")):
            yield TextLine(chunk.number + i, chunk.column if i == 0 else 0, line)


def read_chunks(stream: BinaryIO, name: str, *, segment_chars: int = 65536,
                overlap: int = 128) -> Iterator[TextLine]:
    """Decode ``stream`` and yield it in chunks of whole lines, for block scanning.

    A chunk's ``text`` holds one or more complete lines joined by ``"\\n"``
    (line endings removed, ``"\\r\\n"`` included), starting at line ``number``;
    ``column`` applies to its first line. A line of ``segment_chars +
    overlap`` characters or more comes alone, in overlapping segments with a
    ``limit``, exactly as ``read_lines`` hands it out. An encoding error
    raises InputError naming the byte offset, after every line before the bad
    byte has been yielded.
    """
    head = stream.read(SNIFF_BYTES)
    encoding, skip = sniff_encoding(head, name)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    consumed = skip  # bytes handed to the decoder so far
    pending = head[skip:]
    number = 1
    column = 0
    buf = ""
    error: InputError | None = None
    whole = segment_chars + overlap
    while True:
        final = not pending
        buffered = decoder.getstate()[0]  # bytes of a character split across reads
        try:
            text = decoder.decode(pending, final=final)
        except UnicodeDecodeError as exc:
            # Keep what decodes before the bad byte, then report it.
            data = buffered + pending
            text = data[: exc.start].decode(encoding, errors="ignore")
            offset = consumed - len(buffered) + exc.start
            error = InputError(name, f"not valid {encoding} text at byte {offset}"
                                     " (mixed encodings?)")
            final = True
        consumed += len(pending)
        buf += text
        cut = buf.rfind("\n")
        if cut >= 0:
            # Every line ending "\r\n" loses its "\r" (the last one too).
            complete = buf[: cut + 1].replace("\r\n", "\n")[:-1]
            buf = buf[cut + 1 :]
            yield from _chunks(number, column, complete, segment_chars, overlap)
            number += complete.count("\n") + 1
            column = 0
        while len(buf) >= whole:
            yield TextLine(number, column, buf[:whole], limit=segment_chars)
            buf = buf[segment_chars:]
            column += segment_chars
        if final:
            break
        pending = stream.read(READ_BYTES)
    if buf.endswith("\r"):
        buf = buf[:-1]
    if buf or column:
        yield TextLine(number, column, buf)
    if error is not None:
        raise error


def _long_lines(text: str, size: int) -> list[tuple[int, int]]:
    """Bounds of the lines of ``text`` with ``size`` characters or more.

    Probes windows of ``size // 2`` characters for a newline instead of
    walking every line: a line that long contains a whole probed window.
    """
    half = max(1, size // 2)
    n = len(text)
    out: list[tuple[int, int]] = []
    p = 0
    while p + half <= n:
        if text.find("\n", p, p + half) >= 0:
            p += half
            continue
        start = text.rfind("\n", 0, p) + 1
        end = text.find("\n", p + half)
        end = n if end < 0 else end
        if end - start >= size:
            out.append((start, end))
        p = end + 1
    return out


def _chunks(number: int, column: int, text: str, size: int, overlap: int
            ) -> Iterator[TextLine]:
    """Complete lines as chunks: runs of ordinary lines, long lines as segments."""
    pos = 0
    for start, end in _long_lines(text, size + overlap):
        if start > pos:
            run = text[pos : start - 1]
            yield TextLine(number, column, run)
            number += run.count("\n") + 1
            column = 0
        yield from _segments(number, column, text[start:end], size, overlap)
        number += 1
        column = 0
        pos = end + 1
    if pos <= len(text):  # past the end only when the text ended with a long line
        yield TextLine(number, column, text[pos:])
def _segments(number: int, column: int, line: str, size: int, overlap: int
              ) -> Iterator[TextLine]:
    """A complete line as overlapping segments of ``size + overlap`` characters at most."""
    while len(line) >= size + overlap:
        yield TextLine(number, column, line[: size + overlap], limit=size)
        line = line[size:]
        column += size
    yield TextLine(number, column, line)
