"""Lexicon files: load, validate, merge (``extends``), and describe the rules.

A lexicon is a TOML file QA staff edit (see ``lexicons/README.md``). Loading
validates everything up front, so a bad file fails at load with its path and
line (``LexiconError``), never in the middle of a scan. Every tunable number
(scores, confidences, gap sizes) lives in the file too.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import re
import stat
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from phraseguard.engine.flowrules import FlowRules, load_flow
from phraseguard.engine.hit import Severity
from phraseguard.engine.pattern import PatternError, anchor_texts, has_anchor, match_work, parse
from phraseguard.errors import LexiconError, LexiconErrors

DEFAULT_NAME = "default"
CONTEXT_SCOPES = ("before", "after", "clause", "utterance")
# Scopes judged across turns by the dialogue judge (engine/dialogue.py), not
# by the matcher: the agent's next turn and the customer's preceding turn.
TURN_SCOPES = ("next_turn", "customer")


@dataclass(frozen=True)
class Context:
    """Patterns looked for around a hit, by scope.

    ``before``: ends where the hit starts; ``after``: starts where it ends;
    ``clause``/``utterance``: anywhere in the hit's clause / whole line;
    ``overlap``: a longer benign phrase that contains or overlaps the hit
    (看不清楚 around 不清楚). Across turns (judged by the dialogue judge):
    ``next_turn``: anywhere in the agent's next turn; ``customer``: anywhere
    in the customer's turn just before.
    """

    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    clause: tuple[str, ...] = ()
    utterance: tuple[str, ...] = ()
    overlap: tuple[str, ...] = ()
    next_turn: tuple[str, ...] = ()
    customer: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        """No condition the matcher checks (the turn scopes are the dialogue judge's)."""
        return not any(getattr(self, f.name) for f in fields(self) if f.name not in TURN_SCOPES)


@dataclass(frozen=True)
class Rule:
    """One rule: what to find, why it is wrong, and what to say instead."""

    id: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]
    phrases: tuple[str, ...] = ()  # literal phrases (match kind "exact")
    variants: tuple[str, ...] = ()  # patterns with {a|b} and * (match kind "variant")
    unless: Context = Context()  # any of these makes a hit benign
    requires: Context = Context()  # when set, one of these must hold
    deduction: float = 0.0  # points a hit costs a call (resolved from severity)
    fuzzy: bool = True  # allow homophone/fuzzy matches of this rule's phrases
    words: bool = True  # a hit may not cut a word in two (jieba / ASR spaces)
    line: int | None = None  # where the rule starts in its file
    # A hit that fails ``requires`` is reported under this rule instead of
    # dropped (give-up -> limit-without-alternative).
    otherwise: str | None = None

    def turn_conditions(self) -> bool:
        """Whether the dialogue judge has anything to check for this rule."""
        return bool(self.unless.next_turn or self.unless.customer or self.requires.customer)


# The defaults of every [scoring] and [matching] setting are the values in
# lexicons/default.toml, for every lexicon (one that does not extend the
# default too): load_lexicon reads them from there. The dataclasses below
# have no defaults of their own, so code and file cannot disagree.


@dataclass(frozen=True)
class ScoringPolicy:
    """Quality-inspection scoring: a call starts at ``start`` and loses points."""

    start: float
    floor: float
    min_confidence: float
    deductions: dict[str, float]  # severity label -> points


@dataclass(frozen=True)
class MatchingSettings:
    """The matcher's tunable numbers (``[matching]`` in the lexicon)."""

    max_gap: int
    exact_confidence: float
    variant_confidence: float
    homophone_confidence: float
    fuzzy_pinyin_confidence: float
    fuzzy_min_similarity: float
    fuzzy_min_chars: int
    homophone_min_chars: int
    fuzzy_pinyin_min_chars: int
    fuzzy_confidence_weight: float
    min_confidence: float
    fillers: str
    segment_chars: int
    segment_overlap: int
    spaced_density: float
    split_words: tuple[str, ...]
    # Ways a pattern may try to match at one position, at most (gap lengths
    # times alternatives; see pattern.match_work): keeps matching linear in
    # the text's length. A pattern above it is refused at load.
    max_pattern_work: int


@dataclass(frozen=True)
class DialogueSettings:
    """Judging across turns (``[dialogue]`` in the lexicon)."""

    # live: a hit waiting for the agent's next turn is confirmed after this
    # many seconds without one.
    pending_seconds: float


@dataclass(frozen=True)
class Lexicon:
    """A validated, merged lexicon: rules plus scoring and matching settings."""

    name: str
    rules: tuple[Rule, ...]
    scoring: ScoringPolicy
    matching: MatchingSettings
    source: str  # file path, or "default"
    digest: str  # sha256 over the merged content: changes when any rule changes
    dialogue: DialogueSettings
    sources: tuple[str, ...] = ()  # every file that went into it, base first
    # Call-flow rules ([[required]], [[timing]], [callflow]): engine/flowrules.py.
    flow: FlowRules = FlowRules()
    # [lexicon] language ("zh", "ko"...), inherited through extends; "" when no
    # file says. The speech front doors compare it with the model's language.
    language: str = ""

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


# --------------------------------------------------------------------------
# Locating lines: tomllib gives no positions, so find them in the raw text.


class _Lines:
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


# --------------------------------------------------------------------------


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


def _read_bytes(path: Path) -> bytes:
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


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    raw = _read_bytes(path)
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


def _load_chain(path: Path, seen: tuple[Path, ...] = ()) -> list[tuple[Path, dict, str]]:
    """The file and everything it extends, base first."""
    path = path.resolve()
    if path in seen:
        # Reported at the 'extends' of the file that closes the cycle.
        closing = seen[-1]
        chain = " -> ".join(str(p) for p in (*seen[seen.index(path):], path))
        try:
            line = _Lines(_read_bytes(closing).decode("utf-8-sig", "replace")).key_line("extends")
        except LexiconError:
            line = None
        raise LexiconError(closing, line, f"'extends' makes a cycle: {chain}")
    data, text = _read_toml(path)
    meta = data.get("lexicon", {})
    base = meta.get("extends") if isinstance(meta, dict) else None
    chain: list[tuple[Path, dict, str]] = []
    if base:
        if not isinstance(base, str):
            raise LexiconError(path, _Lines(text).key_line("extends"), "'extends' must be a string")
        base_path = resolve(base, relative_to=path.parent)
        try:
            chain = _load_chain(base_path, (*seen, path))
        except LexiconError as exc:
            if exc.path == str(base_path.resolve()) and exc.message == "no such lexicon file":
                raise LexiconError(path, _Lines(text).key_line("extends"),
                                   f"extends {base!r}, which does not exist") from None
            if exc.path == str(base_path.resolve()) and exc.line is None:
                # The base cannot be read at all: say so where 'extends' names it.
                raise LexiconError(path, _Lines(text).key_line("extends"),
                                   f"extends {base!r}: {exc.message}") from None
            raise
    chain.append((path, data, text))
    return chain


_RULE_KEYS = {"id", "category", "severity", "message", "suggestions", "phrases", "variants",
              "unless", "requires", "deduction", "fuzzy", "words", "disabled", "otherwise"}
_FLOW_SECTIONS = ("callflow", "required", "timing")  # engine/flowrules.py reads them
_CONTEXT_KEYS = {"before", "after", "clause", "utterance", "overlap", *TURN_SCOPES}
_SECTIONS = ("lexicon", "scoring", "matching", "dialogue", "lists", "rule", *_FLOW_SECTIONS)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _merge_rules(chain: list[tuple[Path, dict, str]]) -> tuple[dict[str, tuple[dict, Path, str, int]], list[LexiconError]]:
    """Rules by id, later files overriding earlier ones key by key."""
    merged: dict[str, tuple[dict, Path, str, int]] = {}
    errors: list[LexiconError] = []
    for path, data, text in chain:
        raw_rules = data.get("rule", [])
        if not isinstance(raw_rules, list):
            errors.append(LexiconError(path, _Lines(text).key_line("rule"),
                                       "'rule' must be written as [[rule]] tables"))
            continue
        for i, raw in enumerate(raw_rules):
            rid = raw.get("id")
            if not isinstance(rid, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", rid or ""):
                errors.append(LexiconError(path, _Lines(text).rule_line(i),
                                           "rule needs an 'id' of letters, digits, '-', '_' or '.'"))
                continue
            if rid in merged and merged[rid][1] == path:
                errors.append(LexiconError(path, _Lines(text).rule_line(i),
                                           f"duplicate rule id {rid!r}"))
                continue
            if rid in merged:
                base = dict(merged[rid][0])
                base.update(raw)
                merged[rid] = (base, path, text, i)
            else:
                merged[rid] = (dict(raw), path, text, i)
    return merged, errors


def _check_pattern(source: str, normalize, matching: MatchingSettings, *, context: bool) -> None:
    """Parse a pattern and refuse what the matcher cannot match in linear time."""
    nodes = parse(source, normalize=normalize, context=context)
    if not context and not has_anchor(nodes):
        raise PatternError(f"pattern {source!r} has only optional parts: "
                           "one plain part or group without an empty choice is needed")
    work = match_work(nodes, max_gap=matching.max_gap)
    if work > matching.max_pattern_work:
        raise PatternError(
            f"pattern {source!r} is too loose: its gaps and alternatives allow {work:,} ways to "
            f"match at each position (at most {matching.max_pattern_work:,}, "
            "[matching] max_pattern_work); use fewer or shorter gaps, or split it")


def _build_rule(raw: dict, path: Path, text: str, index: int, deductions: dict[str, float],
                normalize, matching: MatchingSettings,
                lists: dict[str, tuple[str, ...]] | None = None,
                checked: set[str] | None = None) -> tuple[Rule | None, list[LexiconError]]:
    lines = _Lines(text)
    errs: list[LexiconError] = []
    rid = raw["id"]

    def err(key: str | None, msg: str, value: str | None = None) -> None:
        line = lines.key_line(key, rule_index=index, value=value) if key else None
        errs.append(LexiconError(path, line or lines.rule_line(index), f"rule {rid!r}: {msg}"))

    for key in raw:
        if key not in _RULE_KEYS:
            err(key, f"unknown key {key!r} (known: {', '.join(sorted(_RULE_KEYS))})")
    for key in ("category", "message"):
        if not isinstance(raw.get(key), str) or not raw.get(key, "").strip():
            err(key if key in raw else None, f"needs a non-empty '{key}'")
    severity = Severity.MAJOR
    try:
        severity = Severity.parse(str(raw.get("severity", "")))
    except ValueError as exc:
        err("severity" if "severity" in raw else None, str(exc))
    suggestions = raw.get("suggestions", [])
    if isinstance(suggestions, str):
        suggestions = [suggestions]
    if not _str_list(suggestions) or not suggestions:
        err("suggestions" if "suggestions" in raw else None,
            "needs 'suggestions': what the agent should say instead")
        suggestions = []
    lists = lists or {}
    # Context patterns already parsed for another rule (the shared [lists]).
    checked = set() if checked is None else checked

    def expand(key: str, pats: list[str]) -> list[str]:
        """Named lists (``"@offers"``) replaced by their patterns."""
        out: list[str] = []
        for p in pats:
            if p.startswith("@"):
                if p[1:] not in lists:
                    err(key, f"no list {p[1:]!r} in [lists] (known: "
                             f"{', '.join(sorted(lists)) or 'none'})", value=p)
                    continue
                out.extend(lists[p[1:]])
            else:
                out.append(p)
        return out

    phrases = raw.get("phrases", [])
    variants = raw.get("variants", [])
    for key, value in (("phrases", phrases), ("variants", variants)):
        if not _str_list(value):
            err(key, f"'{key}' must be a list of strings")
    if _str_list(variants):
        variants = expand("variants", variants)
    if _str_list(phrases) and _str_list(variants):
        # A rule without phrases only receives hits other rules hand it
        # (``otherwise``); load_lexicon checks that one does.
        for p in phrases:
            if any(c in p for c in "{}|*^$"):
                err("phrases", f"phrase {p!r} has pattern characters: put it in 'variants'",
                    value=p)
            elif not normalize(p):
                err("phrases", f"phrase {p!r} is empty after normalisation", value=p)
        for v in variants:
            try:
                _check_pattern(v, normalize, matching, context=False)
                anchor_texts(parse(v, normalize=normalize))
            except PatternError as exc:
                err("variants", str(exc), value=v)
    contexts: dict[str, Context] = {}
    for key in ("unless", "requires"):
        table = raw.get(key, {})
        if not isinstance(table, dict):
            err(key, f"'{key}' must be a table ([rule.{key}])")
            table = {}
        kwargs: dict[str, tuple[str, ...]] = {}
        for scope, pats in table.items():
            if scope not in _CONTEXT_KEYS:
                err(scope, f"unknown {key} scope {scope!r} (use {', '.join(sorted(_CONTEXT_KEYS))})")
                continue
            if isinstance(pats, str):
                pats = [pats]
            if not _str_list(pats):
                err(scope, f"{key}.{scope} must be a list of strings")
                continue
            if key == "requires" and scope == "next_turn":
                err(scope, "requires.next_turn is not a condition (use unless.next_turn)")
                continue
            pats = expand(scope, pats)
            for p in pats:
                if p in checked:
                    continue
                try:
                    _check_pattern(p, normalize, matching, context=True)
                    checked.add(p)
                except PatternError as exc:
                    err(scope, f"{key}.{scope}: {exc}", value=p)
            kwargs[scope] = tuple(pats)
        contexts[key] = Context(**kwargs)
    deduction = raw.get("deduction", deductions.get(severity.label, 0.0))
    if not isinstance(deduction, int | float) or isinstance(deduction, bool) or deduction < 0:
        err("deduction", "'deduction' must be a number of points >= 0")
        deduction = 0.0
    for key in ("fuzzy", "words", "disabled"):
        if key in raw and not isinstance(raw[key], bool):
            err(key, f"'{key}' must be true or false")
    otherwise = raw.get("otherwise")
    if otherwise is not None and (not isinstance(otherwise, str) or otherwise == rid):
        err("otherwise", "'otherwise' names another rule's id")
    if errs:
        return None, errs
    return Rule(
        id=rid, category=raw["category"].strip(), severity=severity,
        message=raw["message"].strip(), suggestions=tuple(suggestions),
        phrases=tuple(phrases), variants=tuple(variants),
        unless=contexts["unless"], requires=contexts["requires"], deduction=float(deduction),
        fuzzy=bool(raw.get("fuzzy", True)), words=bool(raw.get("words", True)),
        line=lines.rule_line(index), otherwise=otherwise,
    ), []


def _settings(chain: list[tuple[Path, dict, str]], section: str, cls, errors: list[LexiconError]):
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for path, data, text in chain:
        table = data.get(section, {})
        if not isinstance(table, dict):
            errors.append(LexiconError(path, _Lines(text).key_line(section), f"'{section}' must be a table"))
            continue
        for key, value in table.items():
            if key == "deductions" and cls is ScoringPolicy:
                if not isinstance(value, dict) or not all(
                        isinstance(v, int | float) and v >= 0 for v in value.values()):
                    errors.append(LexiconError(path, _Lines(text).key_line("deductions"),
                                               "[scoring.deductions] maps severities to points >= 0"))
                    continue
                for sev in value:
                    try:
                        Severity.parse(sev)
                    except ValueError as exc:
                        errors.append(LexiconError(path, _Lines(text).key_line(sev), str(exc)))
                merged = dict(values.get("deductions", {}))
                merged.update({k.lower(): float(v) for k, v in value.items()})
                values["deductions"] = merged
                continue
            if key not in known:
                errors.append(LexiconError(path, _Lines(text).key_line(key),
                                           f"unknown [{section}] setting {key!r}"))
                continue
            kind = str(known[key].type)
            if kind.startswith("tuple"):
                ok = _str_list(value)
                value = tuple(value) if ok else value
            elif kind == "str":
                if isinstance(value, list):
                    value = "".join(value)
                ok = isinstance(value, str)
            elif kind == "int":
                ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            else:
                ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
                value = float(value) if ok else value
            if not ok:
                errors.append(LexiconError(path, _Lines(text).key_line(key),
                                           f"[{section}] {key} has the wrong type ({value!r})"))
                continue
            values[key] = value
    missing = [name for name in known if name not in values]
    if missing:  # only a broken default.toml can lack a setting: it is every file's base
        path, _, text = chain[0]
        errors.append(LexiconError(path, _Lines(text).section_line(section),
                                   f"[{section}] lacks {', '.join(missing)}"))
        return None
    return cls(**values)


def _settings_chain(chain: list[tuple[Path, dict, str]]) -> list[tuple[Path, dict, str]]:
    """``chain`` on top of default.toml's [scoring], [matching] and [dialogue] (the defaults).

    A lexicon that extends the default has them already; one that does not
    gets the same numbers (points per severity included), not zeros.
    """
    base = default_path().resolve()
    if chain[0][0] == base:
        return chain
    data, text = _read_toml(base)
    settings = {k: v for k, v in data.items() if k in ("scoring", "matching", "dialogue")}
    return [(base, settings, text), *chain]


def load_lexicon(path_or_name: str | Path | None = None) -> Lexicon:
    """Load, merge and validate a lexicon; raise LexiconErrors listing every problem.

    ``None`` or ``"default"`` is the bundled default lexicon. A file whose
    ``[lexicon] extends`` names another file (or ``"default"``) is merged on
    top of it: rules with the same id are overridden key by key, and
    ``disabled = true`` removes a rule.
    """
    from phraseguard.engine.normalize import Normalizer

    path = resolve(path_or_name)
    chain = _load_chain(path)
    errors: list[LexiconError] = []
    settings_chain = _settings_chain(chain)
    scoring = _settings(settings_chain, "scoring", ScoringPolicy, errors)
    matching = _settings(settings_chain, "matching", MatchingSettings, errors)
    dialogue = _settings(settings_chain, "dialogue", DialogueSettings, errors)
    if scoring is None or matching is None or dialogue is None:
        raise LexiconErrors(errors)
    lists = _named_lists(chain, errors)
    for top_path, data, text in chain:
        for key in data:
            if key not in _SECTIONS:
                errors.append(LexiconError(top_path, _Lines(text).key_line(key) or
                                           _Lines(text).section_line(key),
                                           f"unknown section {key!r}"))
    normalizer = Normalizer(fillers=matching.fillers)
    merged, rule_errors = _merge_rules(chain)
    errors.extend(rule_errors)
    rules: list[Rule] = []
    checked: set[str] = set()
    for raw, rpath, text, index in merged.values():
        if raw.get("disabled") is True:
            continue
        rule, errs = _build_rule(raw, rpath, text, index, scoring.deductions, normalizer.fast,
                                 matching, lists, checked)
        errors.extend(errs)
        if rule:
            rules.append(rule)
    errors.extend(_check_otherwise(rules, merged))
    flow = load_flow(chain, scoring.deductions, normalizer.fast, set(merged), errors)
    if not rules and not errors:
        errors.append(LexiconError(path, None, "lexicon has no rules"))
    if errors:
        raise LexiconErrors(errors)
    digest = hashlib.sha256()
    for _path, _, text in settings_chain:  # default.toml's numbers count too
        digest.update(text.encode("utf-8"))
    meta = chain[-1][1].get("lexicon", {})
    name = meta.get("name", path.stem) if isinstance(meta, dict) else path.stem
    source = DEFAULT_NAME if path == default_path().resolve() else str(path)
    metas = [d.get("lexicon") for _, d, _ in chain]
    languages = [m["language"] for m in metas
                 if isinstance(m, dict) and isinstance(m.get("language"), str)]
    return Lexicon(name=str(name), rules=tuple(rules), scoring=scoring, matching=matching,
                   source=source, digest=digest.hexdigest()[:16],
                   sources=tuple(str(p) for p, _, _ in chain), dialogue=dialogue, flow=flow,
                   language=languages[-1] if languages else "")


def _named_lists(chain: list[tuple[Path, dict, str]], errors: list[LexiconError]
                 ) -> dict[str, tuple[str, ...]]:
    """``[lists]``: named pattern lists a rule uses as ``"@name"`` (later files override)."""
    out: dict[str, tuple[str, ...]] = {}
    for path, data, text in chain:
        table = data.get("lists", {})
        if not isinstance(table, dict):
            errors.append(LexiconError(path, _Lines(text).section_line("lists"),
                                       "'lists' must be a table of pattern lists"))
            continue
        for name, pats in table.items():
            if not _str_list(pats) or any(p.startswith("@") for p in pats):
                errors.append(LexiconError(path, _Lines(text).key_line(name),
                                           f"[lists] {name} must be a list of patterns"))
                continue
            out[name] = tuple(pats)
    return out


def _check_otherwise(rules: list[Rule], merged: dict[str, tuple[dict, Path, str, int]]
                     ) -> list[LexiconError]:
    """``otherwise`` names a rule that exists; a rule without phrases is someone's ``otherwise``."""
    errors: list[LexiconError] = []
    ids = {r.id for r in rules}
    targets = {r.otherwise for r in rules if r.otherwise}
    for r in rules:
        _raw, path, text, index = merged[r.id]
        lines = _Lines(text)
        if r.otherwise and r.otherwise not in ids:
            errors.append(LexiconError(path, lines.key_line("otherwise", rule_index=index),
                                       f"rule {r.id!r}: 'otherwise' names no rule: {r.otherwise!r}"))
        if not r.phrases and not r.variants and r.id not in targets:
            errors.append(LexiconError(path, lines.rule_line(index),
                                       f"rule {r.id!r}: needs at least one entry in 'phrases' or "
                                       "'variants' (or another rule's 'otherwise' naming it)"))
    return errors
