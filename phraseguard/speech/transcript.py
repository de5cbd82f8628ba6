"""Transcripts: what every front door hands to the matcher.

A text file is a transcript whose utterances are its lines (``line`` keeps the
line number, times are absent). A recording becomes a transcript through the
recogniser: utterances with times, words with times and ASR confidence, and the
channel/role they came from.

Transcripts load from and save to files (:func:`load_transcript`,
:func:`save_transcript`): Vosk's own result JSON (so a user's existing
transcripts load), our transcript JSON (the same result shape plus role and
channel per utterance), and plain text with optional ``agent:``/``客服:``
prefixes. Writers are a registry (:data:`WRITERS`): json, text, srt.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TextIO

from phraseguard.errors import InputError
from phraseguard.output import atomic_write
from phraseguard.speech.remote import input_errors


class NestedTooDeepError(InputError):
    """A JSON file nested deeper than Python's parser can follow (an attack or a broken
    generator, never a transcript): the file's error, never a crash of the run."""


class Role(enum.Enum):
    """Who spoke an utterance; only the agent's speech is scored."""

    AGENT = "agent"
    CUSTOMER = "customer"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, name: str) -> Role:
        try:
            return cls(name.strip().lower())
        except ValueError:
            raise ValueError(f"unknown role {name!r} (use agent, customer or unknown)") from None


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span (seconds) and ASR confidence."""

    text: str
    start: float
    end: float
    conf: float = 1.0


@dataclass(frozen=True)
class Utterance:
    """A line of text or a recognised stretch of speech."""

    text: str
    role: Role = Role.UNKNOWN
    start: float | None = None
    end: float | None = None
    words: tuple[Word, ...] = ()
    channel: int | None = None
    line: int | None = None  # 1-based line number for text sources
    # Characters of the source line before ``text`` (a stripped "客服:" prefix),
    # so a column in ``text`` maps back to column ``offset + col`` of the line.
    offset: int = 0

    def time_of(self, char_start: int, char_end: int) -> tuple[float, float] | None:
        """Seconds spanned by characters ``[char_start, char_end)`` of ``text``.

        Words are located in ``text`` in order (ASR output joins words with
        spaces, but a transcript edited by hand may not), so the span maps to
        the first and last word it touches. None when there are no word times.
        """
        if not self.words:
            if self.start is not None and self.end is not None:
                return (self.start, self.end)
            return None
        first: Word | None = None
        last: Word | None = None
        for at, w in self._placed_words():
            if at + len(w.text) <= char_start:
                continue
            if at >= char_end:
                break
            first = first or w
            last = w
        if first is None or last is None:
            return (self.start, self.end) if self.start is not None else None
        return (first.start, last.end)

    def pause_offsets(self, min_gap: float) -> tuple[int, ...]:
        """Offsets in ``text`` of the words that follow a pause of at least
        ``min_gap`` seconds (none without word times, or when ``min_gap`` is 0).

        Speech has no commas; a pause is where a speaker ends a clause, and the
        matcher's conditions read clauses (``Matcher.scan(pauses=...)``).
        Words are located in ``text`` in order, as :meth:`time_of` does.
        """
        if min_gap <= 0 or len(self.words) < 2:
            return ()
        out = []
        previous: Word | None = None
        for at, w in self._placed_words():
            if previous is not None and w.start - previous.end >= min_gap:
                out.append(at)
            previous = w
        return tuple(out)

    def _placed_words(self) -> Iterator[tuple[int, Word]]:
        """Each word found in ``text``, in order, with its offset (words not
        found, in a transcript edited by hand, are skipped)."""
        pos = 0
        for w in self.words:
            at = self.text.find(w.text, pos)
            if at < 0:
                continue
            pos = at + len(w.text)
            yield at, w


@dataclass
class Transcript:
    """An ordered list of utterances from one source (file, recording, stream)."""

    utterances: list[Utterance] = field(default_factory=list)
    source: str = ""
    duration: float | None = None  # seconds of audio, when there is audio

    def by_role(self, role: Role) -> list[Utterance]:
        return [u for u in self.utterances if u.role is role]


# --- reading -----------------------------------------------------------------

#: File endings read as transcripts (anything else is treated as a recording).
TRANSCRIPT_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".txt")
_JSON_EXTENSIONS = (".json", ".jsonl", ".ndjson")

#: Role prefixes accepted at the start of a text line ("客服：您好" is the agent).
ROLE_PREFIXES = {
    "agent": Role.AGENT, "客服": Role.AGENT, "坐席": Role.AGENT,
    "customer": Role.CUSTOMER, "客户": Role.CUSTOMER, "顾客": Role.CUSTOMER, "用户": Role.CUSTOMER,
    "unknown": Role.UNKNOWN,
}
_PREFIX_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(k) for k in ROLE_PREFIXES) + r")\s*[:：]\s*", re.IGNORECASE
)


def is_transcript_file(path: str | Path) -> bool:
    """True when a file name ends like a transcript (JSON or text), not a recording."""
    return Path(path).suffix.lower() in TRANSCRIPT_EXTENSIONS


def load_transcript(path: str | Path, *, default_role: Role = Role.UNKNOWN) -> Transcript:
    """Read a transcript file: Vosk result JSON, our transcript JSON, or plain text.

    JSON is recognised by the file ending (.json, .jsonl, .ndjson) or, for
    other endings except .txt, by content starting with ``{`` or ``[``.
    Utterances that do not say who spoke get ``default_role``. Raises
    InputError naming the file and the problem (bad JSON with its line and
    column, a word without a time...).
    """
    path = Path(path)
    raw = _read_text(path)
    suffix = path.suffix.lower()
    stripped = raw.lstrip()
    if suffix in _JSON_EXTENSIONS or (suffix != ".txt" and stripped[:1] in ("{", "[")):
        return parse_transcript_json(raw, source=str(path), default_role=default_role)
    return parse_transcript_text(raw, source=str(path), default_role=default_role)


def parse_transcript_text(text: str, *, source: str = "",
                          default_role: Role = Role.UNKNOWN) -> Transcript:
    """One utterance per non-blank line; an ``agent:``/``客服:``... prefix sets the role."""
    utterances = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        role, offset = default_role, 0
        m = _PREFIX_RE.match(line)
        if m:
            role, offset = ROLE_PREFIXES[m.group(1).lower()], m.end()
        body = line[offset:].rstrip()
        if body:
            utterances.append(Utterance(text=body, role=role, line=number, offset=offset))
    return Transcript(utterances=utterances, source=source)


def parse_transcript_json(raw: str, *, source: str = "",
                          default_role: Role = Role.UNKNOWN) -> Transcript:
    """Parse Vosk result JSON (one object, a list, JSON Lines or concatenated objects),
    vosk-transcriber's ``monologues`` JSON, or our own transcript JSON."""
    values = list(_json_values(raw, source))
    if not values:
        raise InputError(source, "empty JSON file: no transcript in it")
    utterances: list[Utterance] = []
    duration: float | None = None
    name = source
    for value in values:
        if isinstance(value, dict) and "utterances" in value:
            items = value["utterances"]
            if not isinstance(items, list):
                raise InputError(source, '"utterances" must be a list')
            duration = _seconds(value.get("duration"), source, "duration", optional=True)
            name = str(value.get("source") or name)
        elif isinstance(value, dict) and "monologues" in value:
            items = [_from_monologue(m, source, i) for i, m in enumerate(value["monologues"] or [], 1)]
        elif isinstance(value, list):
            items = value
        elif isinstance(value, dict):
            items = [value]
        else:
            raise InputError(
                source,
                f"expected a Vosk result object ({{\"result\": [...], \"text\": ...}}), a list of "
                f'them, or a transcript ({{"utterances": [...]}}); found {type(value).__name__}',
            )
        for item in items:
            utt = _utterance_from_json(item, source, len(utterances) + 1, default_role)
            if utt is not None:
                utterances.append(utt)
    return Transcript(utterances=utterances, source=name, duration=duration)


def _read_text(path: Path) -> str:
    with input_errors(path, missing="no such file", folder="is a folder, not a transcript file",
                      denied=False):
        data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"bad UTF-16 text at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file, not a transcript (audio goes to transcribe/score)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (bad byte at offset {exc.start}); "
                               "save it as UTF-8") from None


def _json_values(raw: str, source: str) -> Iterator[Any]:
    # raw_decode in a loop reads one document, JSON Lines, and the
    # pretty-printed Result() objects a script appended one after another.
    decoder = json.JSONDecoder()
    pos, end = 0, len(raw)
    while True:
        while pos < end and raw[pos] in " \t\r\n\ufeff":
            pos += 1
        if pos >= end:
            return
        try:
            value, pos = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError as exc:
            raise InputError(source, f"invalid JSON at line {exc.lineno} column {exc.colno}: "
                                     f"{exc.msg}") from None
        except RecursionError:
            # json's scanner recurses once per [ or {: a file of 100,000 "["
            # would otherwise end the whole lint or score run with a traceback.
            raise NestedTooDeepError(source, "JSON nested too deeply (arrays or objects "
                                             "inside each other thousands of levels deep); "
                                             "not a transcript") from None
        yield value


def _from_monologue(mono: Any, source: str, index: int) -> dict[str, Any]:
    if not isinstance(mono, dict):
        raise InputError(source, f"monologue {index}: expected an object")
    terms = mono.get("terms") or []
    words = [{"word": t.get("text", ""), "start": t.get("start"), "end": t.get("end"),
              "conf": t.get("confidence", 1.0)} for t in terms if isinstance(t, dict)]
    return {"text": " ".join(w["word"] for w in words), "result": words,
            "start": mono.get("start"), "end": mono.get("end")}


def _utterance_from_json(item: Any, source: str, index: int,
                         default_role: Role) -> Utterance | None:
    where = f"utterance {index}"
    if not isinstance(item, dict):
        raise InputError(source, f"{where}: expected an object, found {type(item).__name__}")
    if "alternatives" in item and "result" not in item:
        # SetMaxAlternatives output: take the recogniser's best guess.
        alts = item["alternatives"]
        if not isinstance(alts, list) or not alts or not isinstance(alts[0], dict):
            return None
        item = {**item, **alts[0]}
    if "partial" in item and "text" not in item and "result" not in item:
        return None  # a partial result is a guess that the final result replaces
    raw_words = item.get("result") or []
    if not isinstance(raw_words, list):
        raise InputError(source, f'{where}: "result" must be a list of words')
    words = tuple(_word_from_json(w, source, f"{where}, word {j}")
                  for j, w in enumerate(raw_words, start=1))
    text = item.get("text")
    if text is None:
        text = " ".join(w.text for w in words)
    if not isinstance(text, str):
        raise InputError(source, f'{where}: "text" must be a string')
    if not text.strip() and not words:
        return None  # Vosk reports silence as {"text": ""}
    role = default_role
    if item.get("role") is not None:
        try:
            role = Role.parse(str(item["role"]))
        except ValueError as exc:
            raise InputError(source, f"{where}: {exc}") from None
    channel = item.get("channel")
    if channel is not None and (not isinstance(channel, int) or isinstance(channel, bool)):
        raise InputError(source, f'{where}: "channel" must be a whole number')
    line = item.get("line")
    if line is not None and (not isinstance(line, int) or isinstance(line, bool)):
        raise InputError(source, f'{where}: "line" must be a whole number')
    start = _seconds(item.get("start"), source, f"{where}: start", optional=True)
    end = _seconds(item.get("end"), source, f"{where}: end", optional=True)
    if start is None and words:
        start = words[0].start
    if end is None and words:
        end = words[-1].end
    _check_order(start, end, source, where)
    return Utterance(text=text, role=role, start=start, end=end, words=words,
                     channel=channel, line=line)


def _word_from_json(w: Any, source: str, where: str) -> Word:
    if not isinstance(w, dict):
        raise InputError(source, f"{where}: expected an object with word, start, end, conf")
    if not isinstance(w.get("word"), str):
        raise InputError(source, f'{where}: missing "word"')
    what = f'{where} "{w["word"]}"'
    start = _seconds(w.get("start"), source, f"{what}: start")
    end = _seconds(w.get("end"), source, f"{what}: end")
    conf = _number(w.get("conf", 1.0), source, f"{what}: conf")
    assert start is not None and end is not None and conf is not None
    if not math.isfinite(conf):
        raise InputError(source, f"{what}: conf must be a finite number, found {json.dumps(conf)}")
    _check_order(start, end, source, what)
    return Word(text=w["word"], start=start, end=end, conf=conf)


def _number(value: Any, source: str, what: str, *, optional: bool = False) -> float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(source, f"{what} must be a number, found {json.dumps(value)}")
    return float(value)


def _seconds(value: Any, source: str, what: str, *, optional: bool = False) -> float | None:
    """A time in seconds: a finite number, 0 or more.

    ``1e999`` (which JSON reads as infinity), ``NaN`` and negative times are
    refused here, when the transcript is read, so they become this file's
    failure instead of breaking every report made from the store later.
    """
    number = _number(value, source, what, optional=optional)
    if number is not None and (not math.isfinite(number) or number < 0):
        raise InputError(source, f"{what} must be a finite number of seconds, 0 or more, "
                                 f"found {json.dumps(value)}")
    return number


def _check_order(start: float | None, end: float | None, source: str, what: str) -> None:
    if start is not None and end is not None and end < start:
        raise InputError(source, f"{what}: end {end:g} s is before start {start:g} s")


# --- writing -----------------------------------------------------------------


def to_vosk_json(transcript: Transcript) -> dict[str, Any]:
    """Our transcript JSON: Vosk's result shape per utterance plus role and channel."""
    utterances = []
    for u in transcript.utterances:
        item: dict[str, Any] = {
            "text": u.text,
            "result": [{"word": w.text, "start": w.start, "end": w.end, "conf": w.conf}
                       for w in u.words],
        }
        if u.start is not None:
            item["start"] = u.start
        if u.end is not None:
            item["end"] = u.end
        item["channel"] = u.channel
        item["role"] = u.role.value
        if u.line is not None:
            item["line"] = u.line
        utterances.append(item)
    return {"source": transcript.source, "duration": transcript.duration,
            "utterances": utterances}


class TranscriptWriter:
    """Base of the transcript writers: a name, a file ending and ``write``."""

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""

    def write(self, transcript: Transcript, fp: TextIO) -> None:
        raise NotImplementedError


class JsonWriter(TranscriptWriter):
    """Vosk result JSON with role and channel (reads back with load_transcript)."""

    name, extension = "json", ".json"

    def write(self, transcript: Transcript, fp: TextIO) -> None:
        json.dump(to_vosk_json(transcript), fp, ensure_ascii=False, indent=2)
        fp.write("\n")


class TextWriter(TranscriptWriter):
    """One line per utterance, ``agent: ...``/``customer: ...`` (reads back with roles)."""

    name, extension = "text", ".txt"

    def write(self, transcript: Transcript, fp: TextIO) -> None:
        for u in transcript.utterances:
            text = " ".join(u.text.split("\n"))
            # An unknown speaker gets no prefix, unless the text itself starts
            # like a prefix: then it must be spelled out to read back right.
            if u.role is not Role.UNKNOWN or _PREFIX_RE.match(text):
                fp.write(f"{u.role.value}: {text}\n")
            else:
                fp.write(f"{text}\n")


class SrtWriter(TranscriptWriter):
    """SubRip subtitles: one cue per timed utterance, prefixed with the speaker."""

    name, extension = "srt", ".srt"

    def write(self, transcript: Transcript, fp: TextIO) -> None:
        cue = 0
        for u in transcript.utterances:
            if u.start is None or u.end is None:
                continue  # a text line has no time to show it at
            cue += 1
            who = f"{u.role.value}: " if u.role is not Role.UNKNOWN else ""
            fp.write(f"{cue}\n{_srt_time(u.start)} --> {_srt_time(u.end)}\n{who}{u.text}\n\n")


#: Transcript writers by name (``--format``).
WRITERS: dict[str, type[TranscriptWriter]] = {w.name: w for w in (JsonWriter, TextWriter, SrtWriter)}


def get_writer(name: str) -> TranscriptWriter:
    """The writer called ``name`` (json, text, srt)."""
    try:
        return WRITERS[name]()
    except KeyError:
        raise InputError(name, f"unknown transcript format (use {', '.join(WRITERS)})") from None


def save_transcript(transcript: Transcript, path: str | Path, *, format: str | None = None) -> Path:
    """Write ``transcript`` to ``path``, atomically (a reader never sees half a file).

    ``format`` defaults from the file ending (.txt -> text, .srt -> srt, else json).
    """
    path = Path(path)
    if format is None:
        format = {".txt": "text", ".srt": "srt"}.get(path.suffix.lower(), "json")
    writer = get_writer(format)
    with atomic_write(path, newline="\n") as fp:  # whole, or the old file as it was
        writer.write(transcript, fp)
    return path


def write_transcripts(transcripts: Iterable[Transcript], fp: TextIO, *, format: str) -> None:
    """Write several transcripts to one stream (stdout): JSON as one object per line."""
    writer = get_writer(format)
    for t in transcripts:
        if format == "json":
            fp.write(json.dumps(to_vosk_json(t), ensure_ascii=False) + "\n")
        else:
            writer.write(t, fp)


def _srt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"

