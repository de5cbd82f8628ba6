"""Reading text files: encodings, bad bytes, line endings, segments of very long lines."""

from __future__ import annotations

import codecs
import io

import pytest

from phraseguard.errors import InputError
from phraseguard.lint.textio import READ_BYTES, SNIFF_BYTES, TextLine, read_lines, sniff_encoding

SIMPLIFIED = "您好，这个问题我们不管。\n请问还有什么可以帮您？\n我不知道具体的时间\n"
TRADITIONAL = "您好，這個問題我們不管。\n請問還有什麼可以幫您？\n我不知道具體的時間\n"
EXPECTED = ["您好，这个问题我们不管。", "请问还有什么可以帮您？", "我不知道具体的时间"]
EXPECTED_TRAD = ["您好，這個問題我們不管。", "請問還有什麼可以幫您？", "我不知道具體的時間"]


def _lines(data: bytes, **kw) -> list[TextLine]:
    return list(read_lines(io.BytesIO(data), "t.txt", **kw))


def _texts(data: bytes, **kw) -> list[str]:
    return [ln.text for ln in _lines(data, **kw)]


@pytest.mark.parametrize(
    ("data", "expected", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), EXPECTED, "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), EXPECTED, "utf-8"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), EXPECTED, "utf-16-le"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), EXPECTED, "utf-16-be"),
        (SIMPLIFIED.encode("utf-16"), EXPECTED, None),  # the codec writes its own BOM
        (SIMPLIFIED.encode("gb18030"), EXPECTED, "gb18030"),
        (SIMPLIFIED.encode("gbk"), EXPECTED, "gb18030"),
        (TRADITIONAL.encode("big5"), EXPECTED_TRAD, "big5"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-16", "gb18030", "gbk", "big5"],
)
def test_encodings_are_read_correctly(data: bytes, expected: list[str],
                                      encoding: str | None) -> None:
    assert _texts(data) == expected
    if encoding is not None:
        assert sniff_encoding(data[:SNIFF_BYTES], "t.txt")[0] == encoding


def test_bom_is_not_part_of_the_first_line() -> None:
    [line] = _lines(codecs.BOM_UTF8 + "不知道".encode())
    assert line == TextLine(1, 0, "不知道")


def test_line_numbers_and_columns() -> None:
    lines = _lines("一\n二\n\n四".encode())
    assert [(ln.number, ln.column, ln.text, ln.limit) for ln in lines] == [
        (1, 0, "一", None), (2, 0, "二", None), (3, 0, "", None), (4, 0, "四", None)]


@pytest.mark.parametrize("data", [b"a\r\nb\r\n", b"a\r\nb", b"a\nb\r\n"])
def test_crlf_is_stripped(data: bytes) -> None:
    assert _texts(data) == ["a", "b"]


def test_empty_file_has_no_lines() -> None:
    assert _lines(b"") == []


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary", b"PK\x03\x04\x00\x00" + bytes(range(256))])
def test_binary_is_an_input_error(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        _lines(data)


def test_undecodable_bytes_after_the_first_block_name_the_byte_offset() -> None:
    # 7 bytes a line: the first block ends 2 bytes into a character.
    good = ("好的\n" * (SNIFF_BYTES // 7 + 10)).encode("utf-8")
    assert SNIFF_BYTES % 7 == 2
    offset = len(good) + 3
    data = good + b"abc\xff\xfe" + "不知道\n".encode()
    assert offset > SNIFF_BYTES
    got: list[TextLine] = []
    with pytest.raises(InputError) as info:
        for ln in read_lines(io.BytesIO(data), "t.txt"):
            got.append(ln)
    assert f"byte {offset}" in str(info.value)
    assert info.value.path == "t.txt"
    assert len(got) >= SNIFF_BYTES // 7  # the lines before the error were yielded


def test_undecodable_bytes_in_the_first_block_name_the_byte_offset() -> None:
    data = "您好，请问".encode() + b"\xff\xfe\xfd" + "我们不管".encode()
    with pytest.raises(InputError) as info:
        _lines(data)
    assert "byte 15" in str(info.value)


def test_undecodable_file_is_an_input_error() -> None:
    with pytest.raises(InputError, match="decode"):
        _lines("您好".encode() + b"\xff\xfe\xfd")


def test_long_line_is_split_into_overlapping_segments() -> None:
    text = "".join(chr(0x4E00 + i % 500) for i in range(25))
    lines = _lines(text.encode(), segment_chars=10, overlap=3)
    assert [(ln.number, ln.column, ln.limit) for ln in lines] == [
        (1, 0, 10), (1, 10, 10), (1, 20, None)]
    for ln in lines:
        assert text[ln.column:ln.column + len(ln.text)] == ln.text
    assert lines[0].text == text[:13]
    assert lines[1].text == text[10:23]
    assert lines[2].text == text[20:]


def test_long_line_ending_in_a_newline_is_split_too() -> None:
    """A complete long line inside one read block is segmented like an unfinished one."""
    data = ("x" * 25 + "\n短\n").encode()
    lines = _lines(data, segment_chars=10, overlap=3)
    assert [(ln.number, ln.column) for ln in lines] == [(1, 0), (1, 10), (1, 20), (2, 0)]
    assert lines[-1].text == "短"


def test_long_line_across_read_blocks_keeps_columns() -> None:
    n = READ_BYTES + SNIFF_BYTES + 1000  # ASCII: one byte per character
    text = "".join("abcdefghij"[i % 10] for i in range(n))
    lines = _lines(text.encode(), segment_chars=300_000, overlap=50)
    assert all(ln.number == 1 for ln in lines)
    covered = 0
    for ln in lines:
        assert text[ln.column:ln.column + len(ln.text)] == ln.text
        assert ln.column <= covered
        covered = ln.column + (ln.limit if ln.limit is not None else len(ln.text))
    assert covered == n


@pytest.mark.parametrize("start", [5, 8, 9, 10, 11, 12])
def test_no_phrase_is_lost_across_a_segment_boundary(matcher, start: int) -> None:
    """Scanning the segments the way lint does finds the phrase exactly once."""
    filler = "好的请稍等一下亲您稍等哦好的请稍等一下亲您稍等哦好的请稍等"
    phrase = "我们不管"
    text = filler[:start] + phrase + filler[start:]
    segment_chars, overlap = 10, 6
    found: list[tuple[int, str]] = []
    for ln in _lines(text.encode(), segment_chars=segment_chars, overlap=overlap):
        for hit in matcher.scan(ln.text):
            if ln.limit is not None and hit.start >= ln.limit:
                continue
            found.append((ln.column + hit.start, hit.matched))
    assert found == [(start, phrase)]


def test_undecodable_byte_offset_when_blocks_split_no_character() -> None:
    good = b"a" * (SNIFF_BYTES + 100)
    data = good + b"\xff" + b"\n"
    with pytest.raises(InputError) as info:
        _lines(data)
    assert f"byte {len(good)}" in str(info.value)
