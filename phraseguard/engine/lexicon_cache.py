"""The parsed lexicon, kept in the cache folder while its files and parser are unchanged.

Reading and checking a lexicon (TOML, every rule, every pattern, the
call-flow rules, the line of each key for error messages) takes about
25 ms of a cold ``phraseguard lint``, whose budget is 250 ms. A parsed
:class:`~phraseguard.engine.lexicon.Lexicon` is frozen dataclasses of
strings, numbers and tuples, so :func:`load_lexicon_cached` pickles it into
the cache folder (``cache.py``) with the files it was read from, each
with a digest of its content, and the engine's source files (the parser)
with their size and modification time. The copy is used only while every
one of them is unchanged; editing a lexicon, or any ``.toml`` file beside
it that it could include, reparses it. A lexicon with errors is never cached: its errors are reported
every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from phraseguard.engine.cache import cache_dir, mark_used, prune, write_atomic
from phraseguard.engine.lexicon import Lexicon, load_lexicon
from phraseguard.engine.lexicon_files import default_path, resolve

# Bump when the layout of the cache entry changes.
_FORMAT = 1


def _stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """(path, size, modification time) of each file; missing files as -1, -1."""
    out = []
    for p in paths:
        try:
            st = p.stat()
            out.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((str(p), -1, -1))
    return tuple(out)


def _digests(paths: list[Path]) -> tuple[tuple[str, str], ...]:
    """(path, digest of the content) of each lexicon file; "" for a missing one.

    Content, not times: an edit that keeps the size within a coarse clock
    tick must still count. Lexicons are small, so this costs well under a
    millisecond.
    """
    out = []
    for p in paths:
        try:
            out.append((str(p), hashlib.sha1(p.read_bytes()).hexdigest()))
        except OSError:
            out.append((str(p), ""))
    return tuple(out)


def _watched(lexicon: Lexicon) -> list[Path]:
    """The files a reparse could read: the chain, the default, and the .toml files beside them."""
    files = {Path(s) for s in lexicon.sources} | {default_path().resolve()}
    for folder in {f.parent for f in files}:
        files.update(folder.glob("*.toml"))
    return sorted(files)


def _code() -> list[Path]:
    """The engine's source: the parser and everything it calls."""
    return sorted(Path(__file__).resolve().parent.glob("*.py"))


def load_lexicon_cached(path_or_name: str | Path | None = None) -> Lexicon:
    """:func:`~phraseguard.engine.lexicon.load_lexicon`, from the cache while nothing changed.

    Raises what ``load_lexicon`` raises (never a cached result for a bad lexicon).
    """
    path = resolve(path_or_name)
    name = hashlib.sha1(f"{os.fspath(path.absolute())}:{_FORMAT}".encode()).hexdigest()[:12]
    entry = cache_dir() / f"lexicon-{name}.pickle"
    code = _stamp(_code())
    try:
        with entry.open("rb") as fp:
            stamp_code, watched, stamp_files, data = pickle.load(fp)
        if stamp_code == code and _digests([Path(p) for p in watched]) == stamp_files:
            found = pickle.loads(data)
            if isinstance(found, Lexicon):
                mark_used(entry)
                return found
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError,
            pickle.UnpicklingError):
        pass
    lexicon = load_lexicon(path_or_name)
    lexicon.rules_digest  # noqa: B018 - computed now, so it is pickled with the lexicon
    watched = _watched(lexicon)
    write_atomic(entry, pickle.dumps(
        (code, [str(p) for p in watched], _digests(watched),
         pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL)),
        protocol=pickle.HIGHEST_PROTOCOL))
    prune(entry)
    return lexicon
