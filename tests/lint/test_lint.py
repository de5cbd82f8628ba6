"""The lint front door: discovery, suppression comments, file errors, columns, memory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from phraseguard.engine.hit import Severity
from phraseguard.lint.linter import FileResult, LintOptions, discover, lint_file, lint_paths
from phraseguard.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

OPTS = LintOptions()
REPO = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str = "好的", encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def _lint_text(tmp_path: Path, matcher, text: str, options: LintOptions = OPTS) -> FileResult:
    return lint_file(str(_write(tmp_path / "script.txt", text)), matcher, options)


def _found(result: FileResult) -> list[tuple[int, int, int, str]]:
    return [(f.line, f.column, f.end_column, f.hit.rule_id) for f in result.findings]


# ------------------------------------------------------------------ discover


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for rel in ("b.txt", "a.md", "sub/c.txt", "sub/deep/d.txt", "drafts/e.txt", "img.png",
                ".git/f.txt", "notes.TXT"):
        _write(tmp_path / rel)
    return tmp_path


def _rel(root: Path, paths) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


def test_discover_walks_folders_in_a_stable_order(tree: Path) -> None:
    got = _rel(tree, discover([str(tree)], include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE))
    assert got == ["a.md", "b.txt", "drafts/e.txt", "sub/c.txt", "sub/deep/d.txt"]
    again = _rel(tree, discover([str(tree)], include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE))
    assert again == got


def test_discover_include_and_exclude_globs(tree: Path) -> None:
    got = _rel(tree, discover([str(tree)], include=("*.txt",),
                              exclude=("drafts/**", "sub/deep/*", *DEFAULT_EXCLUDE)))
    assert got == ["b.txt", "sub/c.txt"]
    assert _rel(tree, discover([str(tree)], include=("sub/*",), exclude=DEFAULT_EXCLUDE)) == [
        "sub/c.txt", "sub/deep/d.txt"]


@pytest.mark.parametrize("folder", [".git", "node_modules", ".venv", "venv", "__pycache__",
                                    "sub/node_modules", "sub/.git"])
def test_default_excludes_skip_tool_folders_at_any_depth(tmp_path: Path, folder: str) -> None:
    _write(tmp_path / "keep.txt")
    _write(tmp_path / folder / "pkg" / "skip.txt")
    got = _rel(tmp_path, discover([str(tmp_path)], include=DEFAULT_INCLUDE,
                                  exclude=DEFAULT_EXCLUDE))
    assert got == ["keep.txt"]


def test_discover_keeps_explicit_files_and_missing_paths(tree: Path) -> None:
    png = str(tree / "img.png")
    missing = str(tree / "nope.txt")
    got = list(discover([png, missing, "-"], include=DEFAULT_INCLUDE, exclude=DEFAULT_EXCLUDE))
    assert got == [png, missing, "-"]


def test_discover_keeps_argument_order(tree: Path) -> None:
    got = list(discover([str(tree / "sub"), str(tree / "b.txt")], include=("*.txt",),
                        exclude=()))
    assert _rel(tree, got) == ["sub/c.txt", "sub/deep/d.txt", "b.txt"]


# ------------------------------------------------------------------ findings and columns


def test_columns_are_one_based_characters_end_exclusive(tmp_path: Path, matcher) -> None:
    result = _lint_text(tmp_path, matcher, "好的\n😀您好，这个我们不管\n我 不 知道\n")
    assert result.error is None
    assert _found(result) == [
        (2, 7, 11, "disclaim-responsibility"),  # 😀 is one character
        (3, 3, 7, "disclaim-knowledge"),
    ]
    f = result.findings[0]
    assert f.end_column - f.column == len(f.hit.matched)
    assert result.lines == 3


def test_columns_in_gb18030_and_big5(tmp_path: Path, matcher) -> None:
    gb = lint_file(str(_write(tmp_path / "gb.txt", "您好，这个我们不管的\n", "gb18030")),
                   matcher, OPTS)
    big5 = lint_file(str(_write(tmp_path / "b5.txt", "您好，這個我們不管的\n", "big5")),
                     matcher, OPTS)
    assert _found(gb) == _found(big5) == [(1, 6, 10, "disclaim-responsibility")]
    assert big5.findings[0].hit.matched == "我們不管"


def test_min_severity_filters(tmp_path: Path, matcher) -> None:
    text = "我不知道\n这个我们不管\n"
    result = _lint_text(tmp_path, matcher, text, LintOptions(min_severity=Severity.CRITICAL))
    assert [f.hit.rule_id for f in result.findings] == ["disclaim-responsibility"]


def test_empty_file_is_no_error_and_no_findings(tmp_path: Path, matcher) -> None:
    result = _lint_text(tmp_path, matcher, "")
    assert result.error is None
    assert result.findings == []
    assert result.lines == 0


# ------------------------------------------------------------------ suppression


SUPPRESSION = [
    ("这个我们不管 # phraseguard: ignore", []),
    ("这个我们不管，我不知道 phraseguard: ignore[disclaim-responsibility]",
     ["disclaim-knowledge"]),
    ("这个我们不管，我不知道 phraseguard: ignore[give-up, disclaim-knowledge]",
     ["disclaim-responsibility"]),
    ("这个我们不管 <!-- phraseguard: ignore -->", []),
]


@pytest.mark.parametrize(("line", "rules"), SUPPRESSION)
def test_suppression_on_the_line(tmp_path: Path, matcher, line: str, rules: list[str]) -> None:
    result = _lint_text(tmp_path, matcher, line + "\n")
    assert [f.hit.rule_id for f in result.findings] == rules
    assert result.suppressed == 2 - len(rules) if "，" in line else 1 - len(rules)


def test_ignore_next_line(tmp_path: Path, matcher) -> None:
    text = textwrap.dedent("""\
        # phraseguard: ignore-next-line
        这个我们不管
        这个我们不管
        phraseguard: ignore-next-line[disclaim-knowledge]
        我们不管，我不知道
        """)
    result = _lint_text(tmp_path, matcher, text)
    assert _found(result) == [(3, 3, 7, "disclaim-responsibility"),
                              (5, 1, 5, "disclaim-responsibility")]
    assert result.suppressed == 2


def test_ignore_next_line_does_not_reach_further(tmp_path: Path, matcher) -> None:
    text = "phraseguard: ignore-next-line\n\n我们不管\n"
    assert _found(_lint_text(tmp_path, matcher, text)) == [(3, 1, 5, "disclaim-responsibility")]


# ------------------------------------------------------------------ errors


def test_missing_path_is_a_result_error(tmp_path: Path, matcher) -> None:
    result = lint_file(str(tmp_path / "nope.txt"), matcher, OPTS)
    assert result.error == "no such file or directory"
    assert result.findings == []


def test_directory_is_a_result_error(tmp_path: Path, matcher) -> None:
    assert lint_file(str(tmp_path), matcher, OPTS).error == "is a directory"


def test_binary_file_is_a_result_error(tmp_path: Path, matcher) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x7fELF\x00\x00\x00" + "我们不管".encode())
    result = lint_file(str(path), matcher, OPTS)
    assert "binary" in result.error
    assert result.findings == []


def test_decoding_error_halfway_keeps_earlier_findings(tmp_path: Path, matcher) -> None:
    path = tmp_path / "mixed.txt"
    head = "这个我们不管\n" + "好的\n" * 40_000  # well past the sniffed block
    path.write_bytes(head.encode() + b"\xff\xfe\n" + "我不知道\n".encode())
    result = lint_file(str(path), matcher, OPTS)
    assert result.error is not None and "byte" in result.error
    assert _found(result) == [(1, 3, 7, "disclaim-responsibility")]


def test_decoding_error_keeps_findings_just_before_the_bad_byte(tmp_path: Path,
                                                                 matcher) -> None:
    """Lines before the bad byte count even when they share its read block."""
    path = tmp_path / "mixed.txt"
    head = "好的\n" * 20_000 + "这个我们不管\n"  # past the sniffed block, same read block
    path.write_bytes(head.encode() + b"\xff\xfe\n")
    result = lint_file(str(path), matcher, OPTS)
    assert result.error is not None and "byte" in result.error
    assert _found(result) == [(20_001, 3, 7, "disclaim-responsibility")]


def test_lint_paths_continues_after_a_bad_file(tmp_path: Path, matcher) -> None:
    good = _write(tmp_path / "a.txt", "我们不管\n")
    results = list(lint_paths([str(tmp_path / "missing.txt"), str(good)], matcher, OPTS))
    assert [r.error is None for r in results] == [False, True]
    assert len(results[1].findings) == 1


def test_phrase_across_a_segment_boundary_is_found_once(tmp_path: Path) -> None:
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    lex = _write(tmp_path / "small.toml", '[lexicon]\nextends = "default"\n\n'
                 "[matching]\nsegment_chars = 40\nsegment_overlap = 12\n")
    m = Matcher(load_lexicon(lex))
    filler = "好的请稍等一下亲" * 20
    for start in (30, 37, 38, 39, 40, 41, 79):
        text = filler[:start] + "我们不管" + filler[start:]
        result = _lint_text(tmp_path, m, text)  # no newline: segmented
        assert _found(result) == [(1, start + 1, start + 5, "disclaim-responsibility")], start


# ------------------------------------------------------------------ memory


# Peak RSS is read from /proc (VmHWM) after resetting it: getrusage's
# ru_maxrss is inherited across fork and exec, so a child of a large pytest
# process would start with the parent's peak.
_BIG_SCRIPT = textwrap.dedent("""\
    import sys
    def peak_kb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    with open("/proc/self/clear_refs", "w") as fp:
        fp.write("5")  # reset the high-water mark
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.lint.linter import LintOptions, lint_file
    from phraseguard.engine.matcher import Matcher
    matcher = Matcher(load_lexicon())
    import numpy  # the first large block imports it anyway
    before = peak_kb()
    result = lint_file(sys.argv[1], matcher, LintOptions())
    after = peak_kb()
    print(result.error)
    print([(f.line, f.column, f.end_column, f.hit.rule_id) for f in result.findings])
    print(before // 1024, after // 1024)
    """)


@pytest.mark.slow
def test_200mb_single_line_in_bounded_memory(tmp_path: Path) -> None:
    size = 200 * 1024 * 1024
    unit = "好的请您稍等，".encode()  # 7 characters, 21 bytes
    units = size // len(unit)
    half = units // 2
    path = tmp_path / "big.txt"
    phrase = "我们不管".encode()
    with path.open("wb") as fp:
        fp.write(phrase)
        chunk = unit * 10_000
        for _ in range(half // 10_000):
            fp.write(chunk)
        fp.write(unit * (half % 10_000))
        fp.write(phrase)
        for _ in range(half // 10_000):
            fp.write(chunk)
        fp.write(unit * (half % 10_000))
        fp.write(phrase)
    chars_half = half * 7
    expected = [(1, 1, 5, "disclaim-responsibility"),
                (1, 5 + chars_half, 9 + chars_half, "disclaim-responsibility"),
                (1, 9 + 2 * chars_half, 13 + 2 * chars_half, "disclaim-responsibility")]
    env = dict(os.environ)
    proc = subprocess.run([sys.executable, "-c", _BIG_SCRIPT, str(path)], capture_output=True,
                          text=True, timeout=900, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    error, findings, mem = proc.stdout.strip().splitlines()
    assert error == "None"
    assert findings == repr(expected)
    before_mb, after_mb = map(int, mem.split())
    assert after_mb < 300, f"peak RSS {after_mb} MB (before linting: {before_mb} MB)"
    print(f"peak RSS {after_mb} MB (before linting: {before_mb} MB)")


def _vosk_json(path: Path, utterances: list[tuple[str, str]]) -> Path:
    import json

    rows = []
    for i, (role, text) in enumerate(utterances):
        words = [{"word": w, "start": i + k * 0.1, "end": i + k * 0.1 + 0.1, "conf": 1.0}
                 for k, w in enumerate(text.split())]
        rows.append({"text": text, "role": role, "result": words})
    path.write_text(json.dumps({"utterances": rows}, ensure_ascii=False, indent=1), "utf-8")
    return path


def test_json_transcript_is_linted_by_utterance_not_by_word_entry(tmp_path: Path, matcher
                                                                   ) -> None:
    path = _vosk_json(tmp_path / "call.json", [
        ("agent", "随便 哪个 都 可以"),  # harmless as a sentence; "word": "随便" alone is not
        ("customer", "我 也 不 知道"),  # the customer may say it
        ("agent", "这个 小妹 不 清楚 呢"),
    ])
    result = lint_file(str(path), matcher, OPTS)
    assert result.error is None
    assert [(f.hit.rule_id, f.hit.matched) for f in result.findings] == [
        ("disclaim-knowledge", "不 清楚")]
    f = result.findings[0]
    line = path.read_text("utf-8").splitlines()[f.line - 1]
    assert line[f.column - 1:f.end_column - 1] == "不 清楚"
    assert '"text"' in line


def test_json_that_is_not_a_transcript_is_linted_as_text(tmp_path: Path, matcher) -> None:
    text = '{"replies": ["您好", "这个我们不管的哦"]}'
    path = _write(tmp_path / "replies.json", text)
    result = lint_file(str(path), matcher, OPTS)
    assert [(f.line, f.column, f.hit.rule_id) for f in result.findings] == [
        (1, text.index("我们不管") + 1, "disclaim-responsibility")]


# ----------------------------------------------------- the next line is the next turn


def test_next_non_empty_line_resolves_a_give_up(tmp_path: Path, matcher) -> None:
    text = "这个没办法呢\n\n我帮您申请一下补偿\n这个没办法呢\n\n  \n真的很抱歉\n小妹也不清楚呢\n"
    result = _lint_text(tmp_path, matcher, text)
    assert [(f.line, f.hit.rule_id) for f in result.findings] == [
        (4, "give-up"), (8, "disclaim-knowledge")]
    assert "nothing offered in this or the agent's next turn" in result.findings[0].hit.reason
    assert "no next agent turn" in result.findings[1].hit.reason


def test_next_line_resolves_across_scan_blocks(tmp_path: Path, matcher) -> None:
    # The linter scans 512 lines at a time: the give-up on the last line of a
    # block is judged with the first line of the next one.
    lines = ["好的"] * 511 + ["这个没办法呢", "您可以拒收后重新下单", "这个没办法呢"]
    result = _lint_text(tmp_path, matcher, "\n".join(lines) + "\n")
    assert [(f.line, f.hit.rule_id) for f in result.findings] == [(514, "give-up")]


def test_transcript_next_agent_utterance_resolves(tmp_path: Path, matcher) -> None:
    import json

    path = tmp_path / "call.json"
    path.write_text(json.dumps({"utterances": [
        {"role": "agent", "text": "这个没办法呢"},
        {"role": "customer", "text": "那怎么办"},
        {"role": "agent", "text": "您可以拒收后重新下单"},
        {"role": "agent", "text": "小妹也不知道呢"},
    ]}, ensure_ascii=False), encoding="utf-8")
    result = lint_file(str(path), matcher, OPTS)
    assert [f.hit.rule_id for f in result.findings] == ["disclaim-knowledge"]


def test_a_large_file_gets_the_array_fold_and_a_small_one_does_not(tmp_path: Path) -> None:
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.lint.linter import LintOptions, lint_file

    matcher = Matcher(load_lexicon())
    small = tmp_path / "small.txt"
    small.write_text("这个不归我们管\n", encoding="utf-8")
    assert len(lint_file(str(small), matcher, LintOptions()).findings) == 1
    assert not matcher._blocks.arrays  # a cold lint of a short script never imports numpy
    large = tmp_path / "large.txt"
    large.write_text("您好\n这个不归我们管\n" * 10_000, encoding="utf-8")
    assert len(lint_file(str(large), matcher, LintOptions()).findings) == 10_000
    assert matcher._blocks.arrays
