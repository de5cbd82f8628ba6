"""Project settings: ``phraseguard.toml``, or ``[tool.phraseguard]`` in pyproject.toml.

Every command that reads settings (lint, score, report, transcribe, live)
finds them the same way: the nearest file walking up from the CURRENT
folder, like git finds its repository, so a project carries its own lexicon,
store and thresholds; ``--config FILE`` names one instead and
``--no-config`` uses none (:func:`load_settings`). Command-line options win
over the file; paths in the file are relative to the file. Values are
checked when the file is read, against what the option of the same name
accepts: a bad one is a ConfigError naming the file. Sections ([lint],
[score], [live], [report]) only group settings for the reader: every
command reads every section, so a key given two different values (in two
sections, or in a section and at the top level) is a ConfigError too.

Example ``phraseguard.toml``::

    lexicon = "qa/our-lexicon.toml"
    min_severity = "major"
    exclude = ["drafts/**"]

    [score]
    db = "qa/phraseguard.db"
    agent_channel = "left"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from phraseguard.engine.hit import Severity
from phraseguard.errors import ConfigError

CONFIG_NAME = "phraseguard.toml"

#: Values of --agent-channel and --mono-role, and of the same settings in the file.
AGENT_CHANNELS = ("left", "right")
MONO_ROLES = ("agent", "customer")
#: Values of lint's --min-severity (and min_severity), and of --fail-on (and fail_on).
SEVERITIES = tuple(s.label for s in Severity)
FAIL_ON = (*SEVERITIES, "never")
#: Values of lint's --format and of the format setting (pinned to the writers by a test).
LINT_FORMATS = ("text", "json", "sarif", "html")
#: Range of lint's --min-confidence and of the min_confidence setting.
CONFIDENCE_RANGE = (0.0, 1.0)
#: Settings that are paths, relative to the settings file.
PATH_SETTINGS = ("lexicon", "model", "db", "manifest")

# Text files `lint` reads when given a folder (a file named explicitly is
# always read, whatever its extension).
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.markdown", "*.rst", "*.csv", "*.tsv", "*.srt", "*.vtt",
                   "*.json", "*.jsonl", "*.yaml", "*.yml", "*.html", "*.htm", "*.xml", "*.text")
DEFAULT_EXCLUDE = (".git/**", "**/.git/**", "**/node_modules/**", "**/__pycache__/**",
                   "**/.venv/**", "**/venv/**")


@dataclass(frozen=True)
class Config:
    """Settings from the config file (all optional); ``source`` is where they came from."""

    source: Path | None = None
    lexicon: str | None = None
    min_severity: str | None = None
    fail_on: str | None = None
    min_confidence: float | None = None
    format: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # [score] / [live]
    model: str | None = None
    db: str | None = None
    agent_channel: str | None = None
    mono_role: str | None = None
    jobs: int | None = None
    manifest: str | None = None
    pattern: str | None = None
    frames_per_chunk: int | None = None  # [live]; checked by speech.model_config
    # Call flow: {company} in required phrases. call_flow: `score` checks call
    # flow unless it is false (unset: whenever the lexicon has call-flow rules);
    # `lint` checks a script's greeting and closing only when it is true.
    company: tuple[str, ...] = ()
    call_flow: bool | None = None
    # lint: also read lines no rule matched with the lexicon's meaning model
    # (score and live always do when the lexicon enables it).
    meaning: bool | None = None
    # score / transcribe / live: run a model whose language is not the lexicon's
    allow_language_mismatch: bool | None = None
    cluster: str | None = None  # a Dask scheduler (tcp://HOST:8786) or local:N

    def path(self, value: str | None) -> str | None:
        """A path setting resolved against the config file's folder."""
        if value is None or self.source is None or value == "default":
            return value
        p = Path(value).expanduser()
        return str(p if p.is_absolute() else (self.source.parent / p).resolve())

    def pick(self, name: str, given: Any = None) -> Any:
        """``given`` (the command line) when set, else the file's ``name`` (paths resolved)."""
        if given is not None and given != ():
            return given
        value = getattr(self, name)
        return self.path(value) if name in PATH_SETTINGS else value


_TYPES: dict[str, type | tuple[type, ...]] = {
    "lexicon": str, "min_severity": str, "fail_on": str, "min_confidence": (int, float),
    "format": str, "include": list, "exclude": list, "model": str, "db": str,
    "agent_channel": str, "mono_role": str, "jobs": int, "manifest": str, "pattern": str,
    "frames_per_chunk": int,
    "company": (str, list), "call_flow": bool, "meaning": bool,
    "allow_language_mismatch": bool,
    "cluster": str,
}


def find_config(start: Path | None = None) -> Path | None:
    """The nearest phraseguard.toml, or pyproject.toml with [tool.phraseguard]."""
    here = (start or Path.cwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError, RecursionError):
                continue
            if "phraseguard" in data.get("tool", {}):
                return pyproject
    return None


def load_settings(config_file: str | Path | None = None, *, disabled: bool = False) -> Config:
    """A command's settings: ``--config FILE``, else the file found upward from the
    current folder; none with ``--no-config`` (``disabled``)."""
    if disabled:
        return Config()
    return load_config(Path.cwd(), explicit=Path(config_file) if config_file else None)


_CHOICES = {"agent_channel": AGENT_CHANNELS, "mono_role": MONO_ROLES,
            "min_severity": SEVERITIES, "fail_on": FAIL_ON, "format": LINT_FORMATS}
_SECTIONS = ("lint", "score", "live", "report")


def _check(path: Path, key: str, value: Any) -> None:
    """The values an option would refuse are refused in the file too (named by the file).

    Each check reuses what the option itself uses: its choices, its range,
    the parser of its value.
    """
    where = f"{path}: setting {key!r}"
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ConfigError(f"{where} must be {' or '.join(_CHOICES[key])} (got {value!r})")
    if key == "jobs" and value < 1:
        raise ConfigError(f"{where} must be 1 or more (got {value!r})")
    if key == "min_confidence" and not CONFIDENCE_RANGE[0] <= value <= CONFIDENCE_RANGE[1]:
        raise ConfigError(f"{where} must be between {CONFIDENCE_RANGE[0]:g} and "
                          f"{CONFIDENCE_RANGE[1]:g} (got {value!r})")
    if key == "manifest" and (path.parent / Path(value).expanduser()).is_dir():
        raise ConfigError(f"{where} is a folder; it must name a CSV file (got {value!r})")
    if key == "pattern":
        from phraseguard.calls.inputs import FilenamePattern

        FilenamePattern(value, where=where)
    if key == "frames_per_chunk":
        from phraseguard.speech.model_config import check_frames_per_chunk

        check_frames_per_chunk(value, source=where)
    if key == "cluster":
        from phraseguard.calls.cluster_address import parse_cluster

        parse_cluster(value, where)


def _flatten(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """One level of settings from the top level and the sections, which only group them.

    Every command reads every section, so a key with two different values
    could only silently lose one: that is a ConfigError naming both places.
    """
    flat: dict[str, Any] = {}
    where: dict[str, str] = {}
    for key, value in data.items():
        items = value.items() if isinstance(value, dict) and key in _SECTIONS else [(key, value)]
        place = f"[{key}]" if isinstance(value, dict) and key in _SECTIONS else "the top level"
        for name, item in items:
            norm = name.replace("-", "_")
            if norm in flat and flat[norm] != item:
                raise ConfigError(
                    f"{path}: setting {norm!r} is {flat[norm]!r} in {where[norm]} but {item!r} "
                    f"in {place}; sections only group settings (every command reads them "
                    "all): give it one value")
            flat[norm], where[norm] = item, place
    return flat


def load_config(start: Path | None = None, *, explicit: Path | None = None) -> Config:
    """Settings from ``explicit`` or from the file found upward from ``start``.

    No file is not an error (all defaults); a broken file is a ConfigError
    naming the file and the problem.
    """
    path = explicit or find_config(start)
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML syntax: {exc}") from None
    except RecursionError:
        # tomllib recurses per nested array or table: one line of 5,000 "[".
        raise ConfigError(f"{path}: TOML nested too deeply to be a settings file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("phraseguard", {})
    known = {f.name for f in fields(Config)} - {"source"}
    values: dict[str, Any] = {}
    unknown: list[str] = []
    for key, value in _flatten(path, data).items():
        if key not in known:
            unknown.append(key)
            continue
        expected = _TYPES[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(f"{path}: setting {key!r} has the wrong type ({value!r})")
        if key in ("include", "exclude"):
            if not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: setting {key!r} must be a list of glob patterns")
            value = tuple(value)
        if key == "company":
            value = (value,) if isinstance(value, str) else value
            if not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: setting 'company' must be a name or a list of names")
            value = tuple(value)
        _check(path, key, value)
        values[key] = value
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s): {', '.join(sorted(unknown))}")
    return Config(source=path, **values)
