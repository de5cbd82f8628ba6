"""The ``lint`` front door: find forbidden phrases in written scripts and replies.

Walks the given files and folders, reads each as text (any common Chinese
encoding), runs the shared matcher over every line and yields one
:class:`FileResult` per file. A file that cannot be read becomes a result
with an ``error`` instead of stopping the run.

Training material may quote a forbidden phrase on purpose; a comment on the
line silences it:

* ``phraseguard: ignore`` — every rule on this line;
* ``phraseguard: ignore[give-up,whatever]`` — only those rules;
* ``phraseguard: ignore-next-line`` (with or without ``[rules]``) — the next line.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from phraseguard.errors import InputError
from phraseguard.engine.hit import Hit, Severity
from phraseguard.engine.matcher import Matcher
from phraseguard.lint.textio import TextLine, read_lines

STDIN = "-"

_SUPPRESS = re.compile(
    r"phraseguard:\s*(?:ignore|disable)(?P<next>-next-line)?(?:\[(?P<rules>[^\]]*)\])?")


@dataclass(frozen=True)
class Finding:
    """A hit located in a file: 1-based line and columns, in characters.

    ``end_column`` is exclusive (the column just after the match), as in
    SARIF, so ``end_column - column`` is the match's length.
    """

    path: str
    line: int
    column: int
    end_column: int
    hit: Hit


@dataclass
class FileResult:
    """What linting one file produced: findings, or the reason it failed."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # one line, without the path
    lines: int = 0
    chars: int = 0
    suppressed: int = 0


@dataclass(frozen=True)
class LintOptions:
    """What to lint and which hits to keep (keyword-only, documented defaults)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_severity: Severity = Severity.INFO
    min_confidence: float | None = None  # None: the lexicon's [matching] min_confidence


def discover(paths: Iterable[str], *, include: tuple[str, ...], exclude: tuple[str, ...]
             ) -> Iterator[str]:
    """Files to lint, in a stable order.

    A file named on the command line is always read; files found in a folder
    must match ``include`` and not ``exclude`` (globs on the path relative to
    that folder; ``*`` also crosses ``/``). A missing path is yielded as is:
    reading it reports the error.
    """
    for given in paths:
        if given == STDIN:
            yield STDIN
            continue
        p = Path(given)
        if not p.is_dir():
            yield given
            continue
        found: list[str] = []
        for root, dirs, files in os.walk(p):
            rel_root = Path(root).relative_to(p)
            dirs[:] = sorted(d for d in dirs
                             if not _matches((rel_root / d).as_posix() + "/", d, exclude))
            for name in files:
                rel = (rel_root / name).as_posix()
                if _matches(rel, name, include) and not _matches(rel, name, exclude):
                    found.append(os.path.join(root, name))
        yield from sorted(found)


def _matches(rel: str, name: str, globs: tuple[str, ...]) -> bool:
    # "**/x/**" also means x at the top: fnmatch's ** needs a "/" before x.
    globs = globs + tuple(g[3:] for g in globs if g.startswith("**/"))
    for g in globs:
        if fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g):
            return True
        if g.endswith("/**") and (rel.startswith(g[:-2]) or fnmatch.fnmatch(rel, g[:-3] + "/*")):
            return True
    return False


def lint_stream(stream: BinaryIO, name: str, matcher: Matcher, options: LintOptions
                ) -> FileResult:
    """Lint one open binary stream; never raises for bad content."""
    result = FileResult(name)
    settings = matcher.settings
    try:
        lines = read_lines(stream, name, segment_chars=settings.segment_chars,
                           overlap=settings.segment_overlap)
        _collect(result, lines, matcher, options)
    except InputError as exc:
        result.error = exc.message
    except OSError as exc:
        result.error = f"cannot read: {exc.strerror or exc}"
    return result


# A speech transcript in JSON (Vosk's result format or ours) is linted by
# utterance, not by file line: its per-word entries ("word": "随便") would
# otherwise be judged one by one, out of their sentence.
_TRANSCRIPT_SUFFIXES = (".json", ".jsonl", ".ndjson")
_TEXT_KEY = re.compile(r'"text"\s*:\s*"')


def lint_transcript(path: Path, matcher: Matcher, options: LintOptions) -> FileResult | None:
    """Lint a JSON speech transcript utterance by utterance; None if it is not one.

    Customer speech is left out (the standard binds the agent). Each
    utterance's position is the ``"text"`` value it came from, so findings
    point at the right line and column; when the file's ``"text"`` keys do not
    line up one to one with its utterances, None (the file is linted as text).
    """
    from phraseguard.errors import PhraseguardError
    from phraseguard.speech.transcript import NestedTooDeepError, Role, load_transcript

    try:
        transcript = load_transcript(path)
        raw = path.read_bytes().decode("utf-8-sig")
    except NestedTooDeepError as exc:
        return FileResult(str(path), error=exc.message)  # no reading of it would be sane
    except (PhraseguardError, OSError, UnicodeDecodeError):
        return None
    places = list(_TEXT_KEY.finditer(raw))
    utterances = transcript.utterances
    if not utterances or len(places) != len(utterances):
        return None
    result = FileResult(str(path), lines=raw.count("\n") + 1, chars=len(raw))
    texts = [u.text for u in utterances]
    for u, m, hits in zip(utterances, places, matcher.scan_lines(
            [t.replace("\n", " ") for t in texts], min_confidence=options.min_confidence),
            strict=True):
        if u.role is Role.CUSTOMER:
            continue
        line = raw.count("\n", 0, m.end()) + 1
        column = m.end() - (raw.rfind("\n", 0, m.end()) + 1)  # 0-based, inside the quotes
        for hit in hits:
            if hit.severity < options.min_severity:
                continue
            col = column + hit.start + 1
            result.findings.append(Finding(result.path, line, col,
                                           col + (hit.end - hit.start), hit))
    return result


def lint_file(path: str, matcher: Matcher, options: LintOptions) -> FileResult:
    """Lint one file by path (``-`` is standard input)."""
    if path == STDIN:
        import sys

        return lint_stream(sys.stdin.buffer, "<stdin>", matcher, options)
    p = Path(path)
    if not p.exists():
        return FileResult(path, error="no such file or directory")
    if p.is_dir():
        return FileResult(path, error="is a directory")
    if p.suffix.lower() in _TRANSCRIPT_SUFFIXES:
        as_transcript = lint_transcript(p, matcher, options)
        if as_transcript is not None:
            return as_transcript
    try:
        fp = p.open("rb")
    except OSError as exc:
        return FileResult(path, error=f"cannot open: {exc.strerror or exc}")
    with fp:
        return lint_stream(fp, path, matcher, options)


def lint_paths(paths: Iterable[str], matcher: Matcher, options: LintOptions
               ) -> Iterator[FileResult]:
    """Lint files and folders; one result per file, errors included."""
    for path in discover(paths, include=options.include, exclude=options.exclude):
        yield lint_file(path, matcher, options)


def _parse_suppress(text: str) -> tuple[set[str] | None, set[str] | None] | None:
    """(rules for this line, rules for the next line); None in a slot = all rules."""
    this: set[str] | None = set()
    nxt: set[str] | None = set()
    found = False
    for m in _SUPPRESS.finditer(text):
        found = True
        rules = None if m.group("rules") is None else {
            r.strip() for r in m.group("rules").split(",") if r.strip()}
        if m.group("next"):
            nxt = None if rules is None or nxt is None else nxt | rules
        else:
            this = None if rules is None or this is None else this | rules
    return (this, nxt) if found else None


def _collect(result: FileResult, lines: Iterator[TextLine], matcher: Matcher,
             options: LintOptions) -> None:
    carried: set[str] | None = set()  # suppression from the previous line
    pending: list[TextLine] = []

    def flush() -> None:
        nonlocal carried
        hits_per_line = matcher.scan_lines([ln.text for ln in pending],
                                           min_confidence=options.min_confidence)
        for ln, hits in zip(pending, hits_per_line, strict=True):
            marks = _parse_suppress(ln.text) if "phraseguard" in ln.text else None
            silenced: set[str] | None = set() if carried is not None else None
            if carried:
                silenced = set(carried)
            if marks is not None and silenced is not None:
                this, _ = marks
                silenced = None if this is None else silenced | this
            for hit in hits:
                if ln.limit is not None and hit.start >= ln.limit:
                    continue
                if hit.severity < options.min_severity:
                    continue
                if silenced is None or hit.rule_id in silenced:
                    result.suppressed += 1
                    continue
                col = ln.column + hit.start + 1
                result.findings.append(Finding(result.path, ln.number, col,
                                               col + (hit.end - hit.start), hit))
            if ln.limit is None:
                carried = marks[1] if marks is not None else set()
        pending.clear()

    try:
        for ln in lines:
            result.chars += len(ln.text) if ln.limit is None else ln.limit
            if ln.limit is None:
                result.lines += 1
            pending.append(ln)
            if len(pending) >= 512:
                flush()
    finally:
        # A decoding error halfway keeps the findings of the lines before it.
        flush()
