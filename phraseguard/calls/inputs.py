"""What a batch reads: its files, who took each call, and each file's content hash.

- :func:`discover` expands files and folders (through :mod:`phraseguard.files`)
  into :class:`Source` values, pairing a recording with its transcript.
- :class:`FilenamePattern` and :class:`Manifest` say who took a call;
  :func:`call_meta` combines them.
- :func:`file_hash` is the content hash a rerun recognises a file by.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from phraseguard.calls.rows import CallMeta
from phraseguard.errors import ConfigError, InputError
from phraseguard.files import Skipped, walk
from phraseguard.speech import remote
from phraseguard.speech.audio import AUDIO_EXTENSIONS
from phraseguard.speech.transcript import TRANSCRIPT_EXTENSIONS

#: Filename pattern used when neither --pattern nor a manifest says who took a call.
DEFAULT_PATTERN = "{date}_{agent}_{call_id}"
#: Bytes read at a time while hashing (files are never loaded whole).
HASH_CHUNK = 1 << 20

_FIELD_RE = re.compile(r"\{(\w*)\}")
_FIELD_PATTERNS = {
    # A date like 2024-05-01, 20240501 or 2024-05-01T103000.
    "date": r"\d{4}-?\d{2}-?\d{2}(?:[T ]?\d{2}:?\d{2}(?::?\d{2})?)?",
    "agent": r".+?",
    "team": r".+?",
    "call_id": r".+",
    "": r".*?",  # {} skips a part of the name
}



@dataclass(frozen=True)
class Source:
    """One file to score: a recording or a transcript (with its recording, if found).

    ``kind`` is "audio", "transcript" or "unknown" (named explicitly; it will
    fail as a wrong format). ``problem`` is set for a folder that could not
    be listed: it becomes a failed call saying why.
    """

    path: Path | str  # a str only for an fsspec URL (s3://bucket/call.wav)
    kind: str
    audio_path: Path | str | None = None  # the recording a report can play
    problem: str | None = None


@dataclass
class Discovery:
    """What :func:`discover` found: the sources, and notices of what it skipped."""

    sources: list[Source] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # "path: not a regular file...; skipped"


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in AUDIO_EXTENSIONS:
        return "audio"
    if suffix in TRANSCRIPT_EXTENSIONS:
        return "transcript"
    return None


def call_stem(path: Path) -> str:
    """``call1`` for call1.wav, call1.json and call1.wav.json alike."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    inner = Path(stem)
    if inner.suffix.lower() in AUDIO_EXTENSIONS:
        return stem[: -len(inner.suffix)]
    return stem


def discover(inputs: Iterable[str | Path]) -> Discovery:
    """Expand files and folders (recursively) into sources, in a stable order.

    Folders contribute the files whose endings are audio or transcripts;
    other files there (a manifest, a README) are ignored, and non-regular
    files (FIFOs, sockets, devices) are skipped with a notice. A file named
    explicitly is always tried, so a wrong-format file becomes a failed call
    rather than being skipped silently. A recording and a transcript of the
    same call (``call1.wav`` and ``call1.json`` side by side) are one call:
    the transcript is scored (no need to transcribe again) and the recording
    is kept for playback.
    """
    found = Discovery()
    seen: dict[Path, None] = {}
    walked: set[Path] = set()  # folders whose recordings are all in `seen` already
    unreadable: list[Source] = []
    urls: list[Source] = []
    for item in inputs:
        if remote.is_url(item):
            urls += _url_sources(str(item))
            continue
        p = Path(item)
        if not p.is_dir():
            seen[p.absolute()] = None
            continue
        walked.add(p.absolute())
        for f in walk(p, keep=lambda rel, name: _kind(Path(name)) is not None):
            if isinstance(f, Skipped):
                if f.error:
                    unreadable.append(Source(f.path.absolute(), "unknown", problem=f.reason))
                else:
                    found.notices.append(f"{f.path}: {f.reason}")
            else:
                path = f.absolute()
                seen[path] = None
                walked.add(path.parent)
    files = list(seen)
    kinds = {f: _kind(f) or "unknown" for f in files}
    transcripts = {(f.parent, call_stem(f)) for f in files if kinds[f] == "transcript"}
    # One index of the given recordings, so pairing each transcript with its
    # recording stays linear in the number of files (it was a scan per file).
    given_audio: dict[tuple[Path, str], Path] = {}
    for f in files:
        if kinds[f] == "audio":
            given_audio.setdefault((f.parent, call_stem(f)), f)
    for f in files:
        kind = kinds[f]
        if kind == "audio" and (f.parent, call_stem(f)) in transcripts:
            continue  # scored through its transcript
        audio = (f if kind == "audio"
                 else _sibling_audio(f, given_audio, f.parent in walked)
                 if kind == "transcript" else None)
        found.sources.append(Source(f, kind, audio))
    found.sources += urls + unreadable
    return found


def _url_sources(url: str) -> list[Source]:
    """Recordings at an fsspec URL: the object itself, or the recordings under a prefix.

    Recordings only (a transcript is read from a path). A URL that names
    nothing, or that cannot be listed, is one unreadable source saying why.
    """
    try:
        found = remote.expand(url)
    except InputError as exc:
        return [Source(url, "unreadable", problem=exc.message)]
    if found == [url]:
        kind = "audio" if _kind(naming_path(url)) == "audio" else "unknown"
        return [Source(url, kind, url if kind == "audio" else None)]
    return [Source(u, "audio", u) for u in found if _kind(naming_path(u)) == "audio"]


def naming_path(location: Path | str) -> Path | PurePosixPath:
    """The path a call is named from: the path itself, or a URL's path (bucket/folders/name)."""
    if remote.is_url(location):
        return PurePosixPath(str(location).split("://", 1)[1])
    return Path(location)


def _sibling_audio(transcript: Path, given_audio: dict[tuple[Path, str], Path],
                   walked: bool) -> Path | None:
    """The recording beside a transcript: one given as input, else one on disk.

    In a folder that was walked every recording is among the inputs already,
    so the disk is asked only for a transcript named on its own (a stat per
    audio extension per transcript was most of discovery on 1,000 files)."""
    key = (transcript.parent, call_stem(transcript))
    if key in given_audio:
        return given_audio[key]
    if walked:
        return None
    for ext in AUDIO_EXTENSIONS:
        candidate = transcript.with_name(key[1] + ext)
        if candidate.is_file():
            return candidate.absolute()
    return None


class FilenamePattern:
    """Reads call id, agent, team and date from a file name.

    Fields: ``{call_id}``, ``{agent}``, ``{team}``, ``{date}`` and ``{}`` for
    a part to ignore; everything else is literal. The pattern matches the
    name without its extension; with ``/`` in it, the last folders too
    (``{team}/{agent}/{call_id}``). A brace outside a field (``{agent``) is
    refused: it is a mistyped field, not a literal. Errors are ConfigErrors
    naming ``where`` (the option, or the settings file and key).
    """

    def __init__(self, pattern: str, *, where: str = "--pattern") -> None:
        self.pattern = pattern
        parts: list[str] = []
        pos = 0
        fields: list[str] = []
        for m in _FIELD_RE.finditer(pattern):
            name = m.group(1)
            if name not in _FIELD_PATTERNS:
                known = ", ".join("{" + f + "}" for f in _FIELD_PATTERNS if f)
                raise ConfigError(f"{where} {pattern!r}: unknown field {{{name}}} (use {known})")
            if name and name in fields:
                raise ConfigError(f"{where} {pattern!r}: {{{name}}} appears twice")
            parts.append(re.escape(pattern[pos : m.start()]))
            parts.append(f"(?P<{name}>{_FIELD_PATTERNS[name]})" if name else _FIELD_PATTERNS[""])
            fields.append(name)
            pos = m.end()
        parts.append(re.escape(pattern[pos:]))
        if "{" in _FIELD_RE.sub("", pattern) or "}" in _FIELD_RE.sub("", pattern):
            raise ConfigError(f"{where} {pattern!r}: unbalanced brace (fields are written "
                              "{agent}, {team}, {date}, {call_id} or {})")
        self._re = re.compile("".join(parts) + r"\Z")
        self._depth = pattern.count("/") + 1

    def match(self, path: Path | PurePosixPath) -> CallMeta | None:
        parts = list(path.parent.parts[-(self._depth - 1) :]) if self._depth > 1 else []
        target = "/".join([*parts, call_stem(path)])
        m = self._re.match(target)
        if not m:
            return None
        g = m.groupdict()
        return CallMeta(
            call_id=g.get("call_id") or call_stem(path),
            agent=g.get("agent"),
            team=g.get("team"),
            date=_iso_date(g.get("date")),
        )


def _iso_date(value: str | None) -> str | None:
    """20240501 -> 2024-05-01 (sortable as text); other forms pass through."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:[T ]?(\d{2}):?(\d{2})(?::?(\d{2}))?)?", value)
    if not m:
        return value
    y, mo, d, h, mi, s = m.groups()
    out = f"{y}-{mo}-{d}"
    if h:
        out += f"T{h}:{mi}" + (f":{s}" if s else "")
    return out


class Manifest:
    """A CSV listing calls: ``path`` (or ``file``), ``call_id``, ``agent``, ``team``, ``date``.

    Only the path column is required. Paths are relative to the manifest's
    folder (or absolute); a bare file name matches that file in any folder.
    """

    COLUMNS = ("call_id", "agent", "team", "date")

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._by_path: dict[Path, dict[str, str]] = {}
        self._by_name: dict[str, dict[str, str]] = {}
        self._by_url: dict[str, dict[str, str]] = {}
        try:
            with open(self.path, newline="", encoding="utf-8-sig") as fp:
                reader = csv.DictReader(fp)
                header = [h.strip().lower() for h in reader.fieldnames or []]
                key = "path" if "path" in header else "file" if "file" in header else None
                if key is None:
                    raise InputError(self.path, "manifest needs a 'path' or 'file' column")
                for row in reader:
                    row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                    name = row.get(key, "")
                    if not name:
                        continue
                    if remote.is_url(name):
                        self._by_url[name] = row
                        self._by_name.setdefault(naming_path(name).name, row)
                        continue
                    p = Path(name)
                    full = p if p.is_absolute() else self.path.parent / p
                    self._by_path[full.absolute()] = row
                    self._by_name.setdefault(p.name, row)
        except OSError as exc:
            raise InputError(self.path, f"cannot read manifest: {exc.strerror}") from exc
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(self.path, f"not a readable CSV manifest: {exc}") from exc

    def lookup(self, path: Path | str) -> dict[str, str] | None:
        if remote.is_url(path):  # a row naming the URL itself, else its file name
            return self._by_url.get(str(path)) or self._by_name.get(naming_path(path).name)
        path = Path(path)
        return self._by_path.get(path.absolute()) or self._by_name.get(path.name)


def call_meta(
    location: Path | str, *, manifest: Manifest | None = None,
    pattern: FilenamePattern | None = None,
) -> tuple[CallMeta, bool]:
    """Who took the call in ``location``; the flag says whether anything identified it.

    The manifest wins field by field; the file name pattern fills the rest;
    the call id is the file name's stem when nothing else says. A URL is
    named from its path (``s3://qa/alice/0001.wav``: ``qa/alice/0001.wav``).
    """
    path = naming_path(location)
    from_name = pattern.match(path) if pattern else None
    row = manifest.lookup(location) if manifest else None
    if row is None and from_name is None:
        return CallMeta(call_id=call_stem(path)), False
    base = from_name or CallMeta(call_id=call_stem(path))
    if row:
        base = CallMeta(
            call_id=row.get("call_id") or base.call_id,
            agent=row.get("agent") or base.agent,
            team=row.get("team") or base.team,
            date=_iso_date(row.get("date")) or base.date,
        )
    return base, True


def file_hash(path: str | Path) -> str:
    """sha256 of the file's bytes (or the object's, for a URL), read in chunks.

    The same bytes give the same hash wherever they are kept, so a call
    moved from disk to object storage is recognised as already scored.
    """
    h = hashlib.sha256()
    with remote.open_url(str(path)) if remote.is_url(path) else open(path, "rb") as fp:  # noqa: SIM115
        while chunk := fp.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()
