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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from phraseguard.engine.block import ARRAY_MIN_CHARS
from phraseguard.engine.dialogue import AGENT, CUSTOMER, Turn
from phraseguard.engine.hit import Hit, Severity
from phraseguard.engine.matcher import Matcher
from phraseguard.errors import InputError
from phraseguard.files import Skipped, walk
from phraseguard.lint.textio import TextLine, read_chunks

if TYPE_CHECKING:  # not imported by a lint without --call-flow (cold start)
    from phraseguard.engine.callflow import CallFlow

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
    notice: str | None = None  # not linted, and not an error (a FIFO in a folder)
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
             ) -> Iterator[str | Skipped]:
    """Files to lint, in a stable order, and what was skipped in folders.

    A file named on the command line is always read; files found in a folder
    (:func:`phraseguard.files.walk`) must match ``include`` and not ``exclude``
    (globs on the path relative to that folder; ``*`` also crosses ``/``). A
    missing path is yielded as is: reading it reports the error. FIFOs,
    sockets and devices in a folder, and subfolders that cannot be read, come
    as :class:`~phraseguard.files.Skipped`.
    """
    for given in paths:
        if given == STDIN or not Path(given).is_dir():
            yield given
            continue
        for item in walk(given, keep=lambda rel, name: _matches(rel, name, include)
                         and not _matches(rel, name, exclude),
                         skip_dir=lambda rel, name: _matches(rel, name, exclude)):
            yield item if isinstance(item, Skipped) else str(item)


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
        chunks = read_chunks(stream, name, segment_chars=settings.segment_chars,
                             overlap=settings.segment_overlap)
        _collect(result, chunks, matcher, options)
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
    if sum(map(len, texts)) >= ARRAY_MIN_CHARS:
        matcher.prepare_large_blocks()
    lines = [t.replace("\n", " ") for t in texts]
    # Recognised speech with word times: its pauses end clauses, as in score.
    # Those lines are scanned one by one with their pauses, the rest in blocks.
    gap = matcher.settings.spoken_pause_seconds
    pauses = [u.pause_offsets(gap) for u in utterances]
    turns = [Turn(CUSTOMER if u.role is Role.CUSTOMER else AGENT, u.text) for u in utterances]
    # The rules that read the customer's turn are searched only after one
    # they can count after (engine/dialogue.py).
    searched = matcher.dialogue.customer_rules_per_turn(turns)
    found: list[list[Hit]] = [[] for _ in lines]
    plain = [i for i, p in enumerate(pauses) if not p]
    for i, hits in zip(plain, matcher.scan_lines_each([lines[i] for i in plain],
                                                      [searched[i] for i in plain],
                                                      min_confidence=options.min_confidence),
                       strict=True):
        found[i] = hits
    for i, p in enumerate(pauses):
        if p:
            found[i] = matcher.scan(lines[i], min_confidence=options.min_confidence, pauses=p,
                                    customer_rules=searched[i])
    # Judged in the conversation: the customer's turn before, the agent's next.
    judged = matcher.dialogue.judge_dialogue(turns, found)
    for u, m, hits in zip(utterances, places, judged, strict=True):
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


def lint_paths(paths: Iterable[str], matcher: Matcher, options: LintOptions, *,
               flow: CallFlow | None = None) -> Iterator[FileResult]:
    """Lint files and folders; one result per file, errors included.

    With ``flow`` (``lint --call-flow``), each readable file is also checked
    for its greeting and farewell, and those findings join the file's in
    line and column order.
    """
    for path in discover(paths, include=options.include, exclude=options.exclude):
        if isinstance(path, Skipped):
            if path.error:
                yield FileResult(str(path.path), error=path.reason)
            else:
                yield FileResult(str(path.path), notice=path.reason)
            continue
        result = lint_file(path, matcher, options)
        if flow is not None and not result.error:
            # Imported here: lint/callflow.py builds on this module's Finding.
            from phraseguard.lint.callflow import flow_findings

            result.findings.extend(flow_findings(result.path, flow, options))
            result.findings.sort(key=lambda f: (f.line, f.column))
        yield result


@dataclass
class Tally:
    """A lint run's totals: files linted, files unreadable, findings by severity.

    ``failing``: some finding is at least ``fail_level`` severe (never when
    ``fail_level`` is None, ``--fail-on never``). Notices are not counted.
    """

    fail_level: Severity | None = None
    files: int = 0
    failed: int = 0
    counts: dict[Severity, int] = field(default_factory=dict)
    failing: bool = False

    def add(self, result: FileResult) -> None:
        """Count one file's result."""
        if result.notice:
            return
        self.files += 1
        if result.error:
            self.failed += 1
        for f in result.findings:
            self.counts[f.hit.severity] = self.counts.get(f.hit.severity, 0) + 1
            self.failing = self.failing or (self.fail_level is not None
                                            and f.hit.severity >= self.fail_level)


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


def _collect(result: FileResult, chunks: Iterator[TextLine], matcher: Matcher,
             options: LintOptions) -> None:
    """Scan chunks of lines (``read_chunks``) and keep the findings not silenced.

    Each chunk is one ``Matcher.scan_block`` call; Python work per line is
    spent only on lines with hits or a ``phraseguard:`` comment. A script's
    next non-empty line is the agent's next turn: hits it may resolve (a
    give-up followed by an offer) are judged with it (``engine/dialogue.py``),
    across chunks too. Findings are kept chunk by chunk, so a decoding error
    halfway keeps the findings of the lines before it.
    """
    carried: set[str] | None = set()  # suppression from the previous line
    judge = matcher.dialogue
    # Hits waiting for the next non-empty line, which is in a later chunk.
    waiting: list[tuple[int, int, list[Hit], set[str] | None]] = []

    def emit(number: int, column: int, hits: list[Hit], silenced: set[str] | None) -> None:
        for hit in hits:
            if hit.severity < options.min_severity:
                continue
            if silenced is None or hit.rule_id in silenced:
                result.suppressed += 1
                continue
            col = column + hit.start + 1
            result.findings.append(Finding(result.path, number, col,
                                           col + (hit.end - hit.start), hit))

    def settle(next_turn: str | None) -> None:
        for number, column, hits, silenced in waiting:
            emit(number, column, judge.judge(hits, next_turn=next_turn), silenced)
        waiting.clear()

    try:
        for chunk in chunks:
            text = chunk.text
            newlines = text.count("\n")
            if chunk.limit is None:
                result.lines += newlines + 1
                result.chars += len(text) - newlines
            else:
                result.chars += chunk.limit
            if waiting:
                first = _next_turn(text, 0)
                if first is not None:
                    settle(first)
            if len(text) >= ARRAY_MIN_CHARS:  # a large file: numpy pays for its import now
                matcher.prepare_large_blocks()
            marks = _marks_by_line(text)
            folded = matcher.fold_block(text)
            first_finding = len(result.findings)

            def judged(li: int, hits: list[Hit], line_end: int, *, text: str = text,
                       chunk: TextLine = chunk, marks: dict = marks,
                       carried: set[str] | None = carried) -> None:
                # (This chunk's values bound as defaults: called only while it is read.)
                # Marks from the line before: the previous chunk's, or this one's.
                before = carried if li == 0 else marks[li - 1][1] if li - 1 in marks else set()
                silenced: set[str] | None = None if before is None else set(before)
                if li in marks and silenced is not None:
                    this = marks[li][0]
                    silenced = None if this is None else silenced | this
                number = chunk.number + li
                column = chunk.column if li == 0 else 0
                if chunk.limit is not None or not any(judge.waits_for_next_turn(h) for h in hits):
                    # A segment of a huge line has no "next line" worth waiting for.
                    emit(number, column, judge.judge(hits), silenced)
                    return
                nxt = _next_turn(text, line_end + 1) if line_end < len(text) else None
                if nxt is None:
                    waiting.append((number, column, hits, silenced))
                else:
                    emit(number, column, judge.judge(hits, next_turn=nxt), silenced)

            matched: set[int] = set()
            # (a plain script has no customer turns: the rules that read one
            # are not searched for, and the model reads the lines they alone match)
            for li, hits in matcher.scan_folded(folded, min_confidence=options.min_confidence):
                if chunk.limit is not None:
                    hits = [h for h in hits if h.start < chunk.limit]
                matched.add(li)
                judged(li, hits, int(folded.ends[li]) if li + 1 < folded.count else len(text))
            if judge.meaning is not None and chunk.limit is None:
                # --meaning: lines no rule matched, read by the model (it
                # waits for the next line, which may offer something).
                todo: list[tuple[int, str, int]] = []  # (line index, text, end offset)
                start = 0
                for li, line in enumerate(text.split("\n")):
                    end = start + len(line)
                    if li not in matched and line.strip():
                        todo.append((li, line, end))
                    start = end + 1
                for (li, _, end), read in zip(todo, judge.read_many([t for _, t, _ in todo]),
                                              strict=True):
                    if read:
                        judged(li, read, end)
                result.findings[first_finding:] = sorted(
                    result.findings[first_finding:], key=lambda f: (f.line, f.column))
            if chunk.limit is None:
                carried = marks[newlines][1] if newlines in marks else set()
    finally:
        settle(None)


def _next_turn(text: str, pos: int) -> str | None:
    """The first line of ``text`` from offset ``pos`` on that is not blank (None: none is).

    Walks line by line from ``pos``, so the chunk is never split into lines.
    """
    n = len(text)
    while pos <= n:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        line = text[pos:end]
        if line.strip():
            return line
        pos = end + 1
    return None


def _marks_by_line(text: str) -> dict[int, tuple[set[str] | None, set[str] | None]]:
    """Suppression comments of a chunk's lines, by line index (lines without none)."""
    marks: dict[int, tuple[set[str] | None, set[str] | None]] = {}
    pos = text.find("phraseguard")
    while pos >= 0:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        parsed = _parse_suppress(text[start:end])
        if parsed is not None:
            marks[text.count("\n", 0, start)] = parsed
        pos = text.find("phraseguard", end)
    return marks
