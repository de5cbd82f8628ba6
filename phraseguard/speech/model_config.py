"""A per-session copy of a model's decoding configuration, never the model itself.

Vosk reads a model's decoding options (beam, endpointing, ``--frames-per-chunk``...)
from ``conf/model.conf`` when the model is loaded, and nowhere else. To decode
with another value, :func:`derived_model` builds a temporary folder that
mirrors the model: a symbolic link to every file and folder of the installed
model, except ``conf/model.conf``, which is written anew with the option
changed. Vosk loads from that folder; the installed model is only read, so a
read-only install or one shared with other users is never changed.

The folder is removed when the ``with`` block ends, whatever happens in it.
Vosk reads every file of a model while ``vosk.Model()`` runs (vosk-api
src/model.cc, ``ReadDataFiles``) and builds recognisers from what it loaded,
so :func:`phraseguard.speech.asr.load_model` keeps the copy only while the
model loads: a session that is killed later leaves nothing behind.

Models without ``conf/model.conf`` are handled as Vosk handles them. Vosk
uses the new layout only when both ``am/final.mdl`` and ``conf/model.conf``
exist, and otherwise the old one (``final.mdl``, ``mfcc.conf``, ``HCLG.fst``...
at the top of the folder) with built-in options (``ConfigureV1``). The copy
of an old-layout model is laid out the new way, with those built-in options
(from ``decoding.toml``) plus the changed one in its ``conf/model.conf``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from phraseguard.errors import ConfigError, ModelError

#: The data file with the live default and the accepted range.
DECODING_FILE = Path(__file__).with_name("decoding.toml")
#: Kaldi's option name (Kaldi treats ``_`` and ``-`` in option names alike).
FRAMES_PER_CHUNK = "frames-per-chunk"
#: Prefix of the temporary folders, in the system's temporary folder.
TEMP_PREFIX = "phraseguard-model-"

# Old layout (Vosk's ConfigureV1) -> where the new layout (ConfigureV2) expects
# the same file; from vosk-api src/model.cc. Anything else keeps its name.
_OLD_TO_NEW = {
    "final.mdl": "am/final.mdl",
    "global_cmvn.stats": "am/global_cmvn.stats",
    "mfcc.conf": "conf/mfcc.conf",
    "fbank.conf": "conf/fbank.conf",
    "pitch.conf": "conf/pitch.conf",
    "HCLG.fst": "graph/HCLG.fst",
    "HCLr.fst": "graph/HCLr.fst",
    "Gr.fst": "graph/Gr.fst",
    "disambig_tid.int": "graph/disambig_tid.int",
    "words.txt": "graph/words.txt",
    "word_boundary.int": "graph/phones/word_boundary.int",
}


@dataclass(frozen=True)
class DecodingSettings:
    """``decoding.toml``: the live default and what is accepted."""

    frames_per_chunk: int
    min_frames_per_chunk: int
    max_frames_per_chunk: int
    legacy_model_conf: tuple[str, ...]


def load_decoding_settings(path: str | Path = DECODING_FILE) -> DecodingSettings:
    """Read the decoding data file; a broken one is a ModelError naming it."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        limits = data["limits"]
        settings = DecodingSettings(
            frames_per_chunk=int(data["live"]["frames_per_chunk"]),
            min_frames_per_chunk=int(limits["min_frames_per_chunk"]),
            max_frames_per_chunk=int(limits["max_frames_per_chunk"]),
            legacy_model_conf=tuple(str(x) for x in data["legacy_layout"]["model_conf"]),
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the decoding settings: {exc}") from None
    if settings.frames_per_chunk:
        check_frames_per_chunk(settings.frames_per_chunk, settings, source=str(path))
    return settings


def check_frames_per_chunk(value: int, settings: DecodingSettings | None = None, *,
                           source: str = "frames_per_chunk") -> int:
    """``value`` if it is 0 (the model's own) or within the accepted range, else ConfigError."""
    settings = settings or load_decoding_settings()
    lo, hi = settings.min_frames_per_chunk, settings.max_frames_per_chunk
    if isinstance(value, bool) or not isinstance(value, int) or (
            value != 0 and not lo <= value <= hi):
        raise ConfigError(
            f"{source}: frames per chunk must be 0 (the model's own setting) or "
            f"{lo}..{hi} (10 ms frames), not {value!r}"
        )
    return value


def live_frames_per_chunk(value: int | None = None) -> int | None:
    """The chunk size a live session decodes with: ``value``, else the data file's default.

    None means "use the model as installed" (the value, or the default, is 0).
    """
    settings = load_decoding_settings()
    chosen = settings.frames_per_chunk if value is None else check_frames_per_chunk(
        value, settings, source="--frames-per-chunk")
    return chosen or None


def rewrite_model_conf(text: str, options: Mapping[str, str]) -> str:
    """``conf/model.conf`` text with each option in ``options`` set to its value.

    Every existing line for an option (either spelling, ``-`` or ``_``) is
    dropped and one ``--name=value`` line appended per option, so the new
    value is the only one (Kaldi would take the last of several). Other lines,
    comments included, are kept as they are.
    """
    names = {_norm(name) for name in options}
    kept = []
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        m = re.match(r"--([^=\s]+)", body)
        if m and _norm(m.group(1)) in names:
            continue
        kept.append(line)
    kept += [f"--{_norm(name)}={value}" for name, value in options.items()]
    return "\n".join(kept) + "\n"


def read_option(conf_text: str, name: str) -> str | None:
    """The value the last ``--name=...`` line of a model.conf gives, or None."""
    value = None
    for line in conf_text.splitlines():
        body = line.split("#", 1)[0].strip()
        key, eq, rest = body.partition("=")
        if eq and key.startswith("--") and _norm(key[2:]) == _norm(name):
            value = rest.strip()
    return value


@contextmanager
def derived_model(model_path: str | Path, options: Mapping[str, str], *,
                  parent: str | Path | None = None) -> Iterator[Path]:
    """Yield a temporary mirror of ``model_path`` whose conf/model.conf sets ``options``.

    The mirror lives in ``parent`` (default: the system's temporary folder)
    and is removed when the block ends, also on error. Raises ModelError when
    ``model_path`` is not a Vosk model folder or the mirror cannot be made.
    """
    model = Path(model_path).absolute()
    if (model / "am" / "final.mdl").is_file():
        new_layout = True
    elif (model / "final.mdl").is_file():
        new_layout = False
    else:
        raise ModelError(f"{model}: not a Vosk model folder (no am/final.mdl or final.mdl)")
    try:
        work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent))
    except OSError as exc:
        where = parent or tempfile.gettempdir()
        raise ModelError(f"{where}: cannot create the model's per-session folder: "
                         f"{exc.strerror or exc}") from None
    try:
        base = _mirror(model, work, new_layout)
        conf = work / "conf" / "model.conf"
        conf.parent.mkdir(exist_ok=True)
        conf.write_text(rewrite_model_conf(base, options), encoding="utf-8",
                        errors="surrogateescape")
    except OSError as exc:
        _remove(work, quiet=True)
        raise ModelError(f"{work}: cannot build the per-session copy of {model}'s "
                         f"configuration: {exc}") from None
    except BaseException:
        _remove(work, quiet=True)
        raise
    try:
        yield work
    except BaseException:
        _remove(work, quiet=True)  # the error that ended the block is the one to see
        raise
    _remove(work)


def _mirror(model: Path, work: Path, new_layout: bool) -> str:
    """Link every entry of ``model`` into ``work``; return the model.conf text to start from."""
    conf_dir = model / "conf"
    for entry in sorted(model.iterdir()):
        if entry.name == "conf" and entry.is_dir():
            (work / "conf").mkdir(exist_ok=True)
            for inner in sorted(entry.iterdir()):
                link = work / "conf" / inner.name
                if inner.name != "model.conf" and not os.path.lexists(link):
                    link.symlink_to(inner)
            continue
        target = work / (entry.name if new_layout else _OLD_TO_NEW.get(entry.name, entry.name))
        if os.path.lexists(target):
            continue  # both layouts in one folder: the new one's file wins
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(entry)
    own = conf_dir / "model.conf"
    if new_layout and own.is_file():
        return own.read_text(encoding="utf-8", errors="surrogateescape")
    # No model.conf, or an old-layout model (Vosk ignores a model.conf there):
    # Vosk's built-in options for models without one.
    return "\n".join(load_decoding_settings().legacy_model_conf) + "\n"


def _remove(work: Path, *, quiet: bool = False) -> None:
    """Delete the mirror; rmtree unlinks symbolic links without following them."""
    if quiet:
        shutil.rmtree(work, ignore_errors=True)
        return
    try:
        shutil.rmtree(work)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ModelError(f"{work}: cannot remove the model's per-session folder: {exc}") from None


def _norm(name: str) -> str:
    return name.strip().lstrip("-").replace("_", "-")
