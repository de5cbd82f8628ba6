"""Short files in every common encoding are read right; a bad byte keeps the findings before it.

A five-character Big5 file (我們不管。) once read as GB18030 (иぃ恨) and was
reported clean. Invalid UTF-8 in the first 64 KB once discarded the findings
before it, although the README promises they are kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from phraseguard.lint.linter import LintOptions, lint_file


def _lint(tmp_path: Path, data: bytes, matcher):
    path = tmp_path / "script.txt"
    path.write_bytes(data)
    return lint_file(str(path), matcher, LintOptions())


@pytest.mark.parametrize(("encoding", "text"), [
    ("big5", "我們不管。"),
    ("gb18030", "我们不管。"),
    ("gb18030", "我們不管。"),
    ("utf-8", "我們不管。"),
    ("utf-8", "我们不管"),
])
def test_short_file_is_read_in_its_encoding_and_its_phrase_found(
        tmp_path: Path, matcher, encoding: str, text: str) -> None:
    result = _lint(tmp_path, text.encode(encoding), matcher)
    assert result.error is None
    assert [(f.line, f.column, f.hit.rule_id, f.hit.matched) for f in result.findings] == [
        (1, 1, "disclaim-responsibility", text[:4])]


def test_invalid_utf8_in_the_first_64kb_keeps_the_findings_before_it(tmp_path: Path,
                                                                    matcher) -> None:
    good = "您好，请问有什么可以帮您？\n这个我们不管。\n好的，请稍等。\n".encode()
    data = good + b"\xff\xfe broken \n" + "我们不管\n".encode()
    result = _lint(tmp_path, data, matcher)
    assert result.error is not None and f"at byte {len(good)}" in result.error
    assert [(f.line, f.column, f.hit.rule_id) for f in result.findings] == [
        (2, 3, "disclaim-responsibility")]
