"""Lexicon files on disk: find them, read them safely, follow ``extends``.

Everything here is about the files, not their meaning: a bundled name or a
path becomes a file, a file becomes parsed TOML plus its text (for line
numbers, ``Lines``), and ``load_chain`` follows ``[lexicon] extends`` to
the list of files a lexicon is made of, base first. ``lexicon.py`` gives
them meaning.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from phraseguard.errors import LexiconError

DEFAULT_NAME = "default"
# One file of a lexicon: its path, its parsed TOML and its text.
Chain = list[tuple[Path, dict, str]]


def str_list(value: Any) -> bool:
    """Whether ``value`` is a TOML list of strings."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class Lines:
    """Where keys, sections and rules start in a lexicon's raw text (tomllib gives no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.rule_starts = [i + 1 for i, ln in enumerate(self.lines)
                            if re.match(r"\s*\[\[\s*rule\s*\]\]", ln)]

    def rule_line(self, index: int) -> int | None:
        return self.rule_starts[index] if index < len(self.rule_starts) else None

    def section_line(self, name: str) -> int | None:
        pat = re.compile(rf"\s*\[\[?\s*{re.escape(name)}\s*[\].]")
        for i, line in enumerate(self.lines):
            if pat.match(line):
                return i + 1
        return None

    def key_line(self, key: str, *, rule_index: int | None = None, value: str | None = None
                 ) -> int | None:
        lo, hi = 0, len(self.lines)
        if rule_index is not None and rule_index < len(self.rule_starts):
            lo = self.rule_starts[rule_index] - 1
            if rule_index + 1 < len(self.rule_starts):
                hi = self.rule_starts[rule_index + 1] - 1
        if value is not None:
            for i in range(lo, hi):
                if value in self.lines[i]:
                    return i + 1
        pat = re.compile(rf"\s*{re.escape(key)}\s*=")
        for i in range(lo, hi):
            if pat.match(self.lines[i]):
                return i + 1
        return None


def lexicon_dir() -> Path:
    """The folder of bundled lexicons.

    In a source checkout (and an editable install) that is the top-level
    ``lexicons/`` folder QA staff edit; a built wheel carries the same files
    as the package ``phraseguard.lexicons``, a folder without an
    ``__init__.py``, for which importlib.resources answers with a
    MultiplexedPath (whose ``str()`` is no path at all): the folder is taken
    from the real path of the file in it.
    """
    checkout = Path(__file__).resolve().parents[2] / "lexicons"
    if (checkout / "default.toml").is_file():
        return checkout
    packaged = importlib.resources.files("phraseguard.lexicons").joinpath("default.toml")
    return Path(os.fspath(packaged)).parent


def default_path() -> Path:
    """The bundled default lexicon file."""
    return lexicon_dir() / "default.toml"


def resolve(path_or_name: str | Path | None, *, relative_to: Path | None = None) -> Path:
    """A lexicon file from a path or a bundled name ("default")."""
    if path_or_name is None or str(path_or_name) == DEFAULT_NAME:
        return default_path()
    p = Path(path_or_name)
    if not p.is_absolute() and relative_to is not None:
        p = relative_to / p
    if not p.exists() and p.suffix == "" and "/" not in str(path_or_name):
        bundled = default_path().parent / f"{path_or_name}.toml"
        if bundled.exists():
            return bundled
    return p


# A lexicon is a few hundred lines; anything bigger is not one (and must not
# be read into memory whole: ``extends = "/dev/zero"``).
MAX_LEXICON_BYTES = 4 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, refusing devices, FIFOs, folders and huge files.

    Opened without blocking and checked on the open file, so a FIFO cannot
    hang the read and nothing can be swapped in between check and read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise LexiconError(path, None, "no such lexicon file") from None
    except OSError as exc:
        raise LexiconError(path, None, f"cannot read: {exc.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise LexiconError(path, None, "is a folder, not a lexicon file")
        if not stat.S_ISREG(st.st_mode):
            raise LexiconError(path, None, "not a regular file (a device, FIFO or socket)")
        if st.st_size > MAX_LEXICON_BYTES:
            raise LexiconError(path, None, f"too large for a lexicon ({st.st_size:,} bytes; "
                                           f"at most {MAX_LEXICON_BYTES:,})")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_LEXICON_BYTES:
            chunk = os.read(fd, MAX_LEXICON_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise LexiconError(path, None, f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_LEXICON_BYTES:  # grew while being read
        raise LexiconError(path, None, f"too large for a lexicon (at most {MAX_LEXICON_BYTES:,} bytes)")
    return raw


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LexiconError(path, None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise LexiconError(path, line, f"TOML syntax: {msg}") from None
    except RecursionError:
        # tomllib recurses per nested array or table: one line of 5,000 "[".
        raise LexiconError(path, None, "TOML nested too deeply to be a lexicon") from None
    return data, text


def load_chain(path: Path, seen: tuple[Path, ...] = ()) -> Chain:
    """The file and everything it extends, base first."""
    path = path.resolve()
    if path in seen:
        # Reported at the 'extends' of the file that closes the cycle.
        closing = seen[-1]
        chain = " -> ".join(str(p) for p in (*seen[seen.index(path):], path))
        try:
            line = Lines(read_bytes(closing).decode("utf-8-sig", "replace")).key_line("extends")
        except LexiconError:
            line = None
        raise LexiconError(closing, line, f"'extends' makes a cycle: {chain}")
    data, text = read_toml(path)
    meta = data.get("lexicon", {})
    base = meta.get("extends") if isinstance(meta, dict) else None
    chain: Chain = []
    if base:
        if not isinstance(base, str):
            raise LexiconError(path, Lines(text).key_line("extends"), "'extends' must be a string")
        base_path = resolve(base, relative_to=path.parent)
        try:
            chain = load_chain(base_path, (*seen, path))
        except LexiconError as exc:
            if exc.path == str(base_path.resolve()) and exc.message == "no such lexicon file":
                raise LexiconError(path, Lines(text).key_line("extends"),
                                   f"extends {base!r}, which does not exist") from None
            if exc.path == str(base_path.resolve()) and exc.line is None:
                # The base cannot be read at all: say so where 'extends' names it.
                raise LexiconError(path, Lines(text).key_line("extends"),
                                   f"extends {base!r}: {exc.message}") from None
            raise
    chain.append((path, data, text))
    return chain

