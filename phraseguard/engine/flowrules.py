"""Call-flow rules in the lexicon: what the agent must say and when, and timing.

Two kinds beside the forbidden ``[[rule]]`` tables (see ``lexicons/README.md``):

- ``[[required]]``: a phrase the agent must say inside a position window (the
  greeting in the first turn, the farewell in the last); written in the same
  pattern language as forbidden phrases, with the placeholders ``{company}``
  and ``{agent}``;
- ``[[timing]]``: dead air, talk-over, fast speech and a slow start, each with
  its threshold.

``[callflow]`` holds what the placeholders expand to. This module only
validates and holds the values; :mod:`phraseguard.engine.required` and
:mod:`phraseguard.engine.timing` apply them. Kept apart from ``lexicon.py``
so the forbidden rules and these evolve independently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phraseguard.engine.hit import Severity

WINDOWS = ("first", "last", "anywhere")
TIMING_CHECKS = {
    # check -> the threshold key it needs
    "dead-air": "seconds",
    "talk-over": "seconds",
    "fast-speech": "chars_per_minute",
    "slow-start": "seconds",
}
# {known_company} is {company} for forms that name the company and nothing
# else ("京东很高兴为您服务"): with no company configured it has no values and
# its patterns drop, where {company} would stand for any few characters and
# make a plain "您好，很高兴为您服务" an introduction.
PLACEHOLDERS = ("company", "known_company", "agent")
_PLACEHOLDER_RE = re.compile(r"\{(company|known_company|agent)\}")


@dataclass(frozen=True)
class NameFrame:
    """A name known only by where it stands in the agent's first words.

    Phone agents open with the company or team as a phrase of its own,
    between a greeting and the offer of help (您好，95598供电服务热线，很高兴为您
    服务; 老百姓大药房请问需要什么药). With no company configured the name is
    unknown, so its place decides: what stands after any of ``greetings``
    (or at the start) and right before one of ``offers`` — or ends the
    utterance with one of ``name_ends`` (您好，市第一人民医院预约挂号中心) — is a
    name, when it has ``min_chars`` to ``max_chars`` characters, none of
    ``not_in_name`` inside it, and is not made only of ``not_a_name`` words
    (a role or a department with no name: 客服中心, 信用卡中心). Busy lines say
    the company bare and go straight on (长城宽带，咱家网咋的了; 中通快递，你的件到
    楼下了): a name ending in one of ``trades`` needs no offer after it, only a
    clause break (the comma), or, where the recogniser wrote none, a greeting,
    an offer, a particle or one of ``trade_then`` (the agent turning to the
    customer: 中通快递你的件到了) — not the company as the subject of a written
    sentence (您好,北京联通目前针对…). ``leads`` may stand between the greeting
    and the name (这是建业物业客服中心，您说; 我这万达影城的). Outbound agents may
    first address the customer: up to ``address_chars`` characters ending in
    one of ``addresses`` and then one of ``address_asks`` (刘先生吗？神州租车，…;
    李女士是吧？我这海尔售后的) may open the utterance before the greeting; the
    frame is tried without the address first, so an address never swallows a
    company said before it. ``bare_addresses`` (大姐, 老妹儿) need no ask, but
    only at the very start, after greetings alone and at most one character
    (a surname: 王哥) — 哎，大姐，我海尔售后的，…. ``brands`` are names by
    themselves, ended as a trade ends one (喂，顺丰的，你有个件到了), where a trade
    word alone names no one (喂，快递). Small shops answer with the name and
    nothing after it (喂，老北京烤鸭; 这里是云雾茶庄): with ``bare_name_chars`` set, a
    name of at least that many characters that ends the utterance counts
    after a greeting, an address or one of ``bare_leads`` (never alone: 好的收到;
    nor after 我: 我司会尽快处理), when none of ``not_in_bare_name`` is inside it
    either (one of ``greetings_after_name`` may close it: 喂，金满楼，你好。); or,
    said first of all, when only one of ``greetings_after_name`` follows it
    (悠然瑜伽，您好。). A bare name shorter than ``short_bare_name_chars``
    is a short one (喂 海底捞; 你好，e代驾): it counts only after a greeting, an
    address or a lead, and never with one of ``not_in_short_bare_name`` in it
    (您好报关部, 喂，物流园: a desk or a place by its ending, which a longer name
    such as 福满楼宴会部 may hold). Text only: written plainly, no pattern
    characters; matched after normalising (punctuation and spaces dropped).
    An offer ends no name where one of ``not_offers`` starts at it (…满五年。
    我是说报名时…: 我是 then 说 is no introduction, and the sentence before it
    no name). The same test reads the rule's own phrases: a hit that opens
    with one of ``kind_leads`` and has nothing after it but ``not_a_name``
    words and particles names no one (我是车行的, 这边是空调安装的, 我是游戏客服:
    a kind of shop, trade or desk alone), where 我是车行的王师傅 does — unless
    one of ``kind_names`` is in it (工商银行: a name made of kind words, which
    the frame's own ``not_a_name`` test lets through too: 您好，工商银行), or
    what follows the hit starts with one of ``names_after_kind`` and not with
    a ``not_a_name`` word (我是客服小艾, 我是课程顾问Amy; not 我是快递的小哥).
    A name may end with one of ``names_may_end`` though a part of it is in
    ``not_in_name`` or ``not_in_bare_name`` (歌华有线 holds 有, 泰康在线 holds 在:
    those parts keep out 有什么可以帮您 and 正在开车, not the company's name).
    """

    greetings: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    name_ends: tuple[str, ...] = ()
    not_in_name: tuple[str, ...] = ()
    not_a_name: tuple[str, ...] = ()
    name_particles: tuple[str, ...] = ()  # may follow the name (成都燃气哈，有啥子事)
    leads: tuple[str, ...] = ()  # may come right before the name (这是, 我这)
    trades: tuple[str, ...] = ()  # a name ending so needs no offer after it (长城宽带)
    trade_then: tuple[str, ...] = ()  # ...or a break: 中通快递你的件 (你)
    addresses: tuple[str, ...] = ()  # the customer addressed first: 刘先生吗？ (先生)
    address_asks: tuple[str, ...] = ()  # ...then one of these (吗, 是吧)
    bare_addresses: tuple[str, ...] = ()  # ...or, first of all, one of these alone (大姐)
    brands: tuple[str, ...] = ()  # a name by itself, then what ends a trade (顺丰的，你有个件)
    not_in_bare_name: tuple[str, ...] = ()  # never inside a bare name (喂，听不清楚)
    not_in_short_bare_name: tuple[str, ...] = ()  # ...nor inside a short one (喂，物流园)
    bare_leads: tuple[str, ...] = ()  # the leads a bare name may follow (这里是, not 我)
    greetings_after_name: tuple[str, ...] = ()  # a bare name said first, then these (悠然瑜伽，您好)
    not_offers: tuple[str, ...] = ()  # an offer is none where one of these starts (我是说)
    kind_leads: tuple[str, ...] = ()  # a phrase hit opening so needs a name after it (我是)
    kind_names: tuple[str, ...] = ()  # names made of not_a_name words (工商银行)
    names_after_kind: tuple[str, ...] = ()  # a name starting so may follow the hit (小, Amy)
    names_may_end: tuple[str, ...] = ()  # a name may end so though a part is barred (歌华有线)
    min_chars: int = 2
    max_chars: int = 16
    address_chars: int = 12  # what may stand before an address word (请问是…的业主吗)
    bare_name_chars: int = 0  # a bare name this long or longer counts alone (0: never)
    short_bare_name_chars: int = 0  # a bare name shorter than this is short (0: none is)


@dataclass(frozen=True)
class RequiredRule:
    """Something the agent must say, and where in the call it must come."""

    id: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]
    missing: str  # "no greeting": starts the reason a missing item gives
    phrases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    unless: dict[str, tuple[str, ...]] = field(default_factory=dict)  # scope -> patterns
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    window: str = "first"  # first | last | anywhere
    turns: int | None = None  # the first/last N agent turns
    messages: int | None = None  # ... or the first/last N agent messages (utterances)
    seconds: float | None = None  # ... and, where there are times, the first/last N s
    deduction: float = 0.0
    fuzzy: bool = True
    words: bool = True
    live_reminder: bool = True  # `live` reminds the agent when the window closes
    name_frame: NameFrame | None = None  # [required.name_frame]: a name by its place
    line: int | None = None


@dataclass(frozen=True)
class TimingRule:
    """A timing threshold: dead air, talk-over, fast speech or a slow start."""

    id: str
    check: str  # one of TIMING_CHECKS
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]
    seconds: float | None = None
    chars_per_minute: float | None = None
    min_seconds: float = 0.0  # fast-speech: turns shorter than this are not judged
    deduction: float = 0.0
    line: int | None = None


@dataclass(frozen=True)
class CallFlowSettings:
    """``[callflow]``: what placeholders expand to, and the timing tunables."""

    company: tuple[str, ...] = ()  # {company}; a config file's `company` wins
    # What {agent} matches when the call's agent is unknown: name-like
    # patterns ("*4号" for 3021号, "小{王|李|...}" for 小王).
    name_like: tuple[str, ...] = ()
    # Words closer than this belong to one stretch of speech (seconds).
    join_gap: float = 0.5
    # Words that, with a pause after them (punctuation, a space, a filler),
    # are the speaker hesitating, not a clause ending: the required rules
    # read 我是那个……嗯，巴蜀装饰的小曾 as 我是巴蜀装饰的小曾.
    hesitations: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlowRules:
    """Every call-flow rule of a lexicon (empty when it has none)."""

    required: tuple[RequiredRule, ...] = ()
    timing: tuple[TimingRule, ...] = ()
    settings: CallFlowSettings = CallFlowSettings()

    def __bool__(self) -> bool:
        return bool(self.required or self.timing)


def placeholders_in(pattern: str) -> set[str]:
    """The placeholder names a pattern uses ({company}, {agent})."""
    return set(_PLACEHOLDER_RE.findall(pattern))


def expand(pattern: str, values: dict[str, tuple[str, ...]]) -> list[str]:
    """The pattern with each placeholder replaced by each of its values.

    Values may themselves be patterns (``*4号``); every combination is a
    pattern of its own. A placeholder with no values makes the pattern
    impossible (an empty list): {company} with no company configured.
    """
    out = [pattern]
    for name in PLACEHOLDERS:
        token = "{" + name + "}"
        if token not in pattern:
            continue
        options = values.get(name, ())
        out = [p.replace(token, v) for p in out for v in options]
    return out


# --------------------------------------------------------------------------
# Loading. ``lexicon.load_lexicon`` calls :func:`load_flow` with the file
# chain; errors are collected like the forbidden rules' (path:line: message).

_REQUIRED_KEYS = {"id", "category", "severity", "message", "suggestions", "missing", "phrases",
                  "variants", "unless", "requires", "window", "turns", "messages", "seconds",
                  "deduction", "name_frame",
                  "fuzzy", "words", "live_reminder", "disabled"}
_TIMING_KEYS = {"id", "check", "category", "severity", "message", "suggestions", "seconds",
                "chars_per_minute", "min_seconds", "deduction", "disabled"}
_CONTEXT_KEYS = ("before", "after", "clause", "utterance", "overlap")


def _merge(chain, section: str, errors: list) -> dict[str, tuple[dict, Path, str, int]]:
    from phraseguard.engine.lexicon import LexiconError, Lines

    merged: dict[str, tuple[dict, Path, str, int]] = {}
    for path, data, text in chain:
        raw = data.get(section, [])
        if not isinstance(raw, list):
            errors.append(LexiconError(path, Lines(text).key_line(section),
                                       f"'{section}' must be written as [[{section}]] tables"))
            continue
        for i, item in enumerate(raw):
            rid = item.get("id")
            line = _table_line(text, section, i)
            if not isinstance(rid, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", rid or ""):
                errors.append(LexiconError(path, line,
                                           f"[[{section}]] needs an 'id' of letters, digits, '-', '_' or '.'"))
                continue
            if rid in merged and merged[rid][1] == path:
                errors.append(LexiconError(path, line, f"duplicate {section} id {rid!r}"))
                continue
            base = dict(merged[rid][0]) if rid in merged else {}
            # A window counted one way replaces the base's other count: a
            # lexicon that sets `turns = 1` on the default closing (counted
            # in `messages`) means turns, not both.
            for key, other in (("turns", "messages"), ("messages", "turns")):
                if key in item and other not in item:
                    base.pop(other, None)
            base.update(item)
            merged[rid] = (base, path, text, i)
    return merged


def _table_line(text: str, section: str, index: int) -> int | None:
    starts = [i + 1 for i, ln in enumerate(text.splitlines())
              if re.match(rf"\s*\[\[\s*{section}\s*\]\]", ln)]
    return starts[index] if index < len(starts) else None


def _key_line(text: str, section: str, index: int, key: str | None) -> int | None:
    start = _table_line(text, section, index)
    if start is None or key is None:
        return start
    lines = text.splitlines()
    pat = re.compile(rf"\s*{re.escape(key)}\s*=")
    for i in range(start, len(lines)):
        if re.match(rf"\s*\[\[\s*{section}\s*\]\]", lines[i]):
            break
        if pat.match(lines[i]):
            return i + 1
    return start


class _Checker:
    """Shared validation of one table (required or timing) with error lines."""

    def __init__(self, raw: dict, path: Path, text: str, index: int, section: str,
                 errors: list) -> None:
        from phraseguard.engine.lexicon import LexiconError

        self.raw, self.path, self.text, self.index, self.section = raw, path, text, index, section
        self.errors, self._error = errors, LexiconError
        self.ok = True

    def err(self, key: str | None, msg: str) -> None:
        self.ok = False
        line = _key_line(self.text, self.section, self.index, key if key in self.raw else None)
        self.errors.append(self._error(self.path, line,
                                       f"{self.section} {self.raw['id']!r}: {msg}"))

    def text_key(self, key: str, default: str | None = None) -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.err(key, f"needs a non-empty '{key}'")
            return ""
        return value.strip()

    def severity(self) -> Severity:
        try:
            return Severity.parse(str(self.raw.get("severity", "")))
        except ValueError as exc:
            self.err("severity", str(exc))
            return Severity.MAJOR

    def suggestions(self) -> tuple[str, ...]:
        value = self.raw.get("suggestions", [])
        if isinstance(value, str):
            value = [value]
        if not _str_list(value) or not value:
            self.err("suggestions", "needs 'suggestions': what the agent should say")
            return ()
        return tuple(value)

    def number(self, key: str, *, positive: bool = True) -> float | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0 or (
                positive and value == 0):
            self.err(key, f"'{key}' must be a number {'> 0' if positive else '>= 0'}")
            return None
        return float(value)

    def deduction(self, severity: Severity, deductions: dict[str, float]) -> float:
        value = self.raw.get("deduction", deductions.get(severity.label, 0.0))
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            self.err("deduction", "'deduction' must be a number of points >= 0")
            return 0.0
        return float(value)

    def unknown_keys(self, known: set[str]) -> None:
        for key in self.raw:
            if key not in known:
                self.err(key, f"unknown key {key!r} (known: {', '.join(sorted(known))})")


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_pattern(c: _Checker, key: str, pattern: str, normalize, values, *,
                   context: bool = False) -> None:
    from phraseguard.engine.pattern import PatternError, anchor_texts, parse

    names = placeholders_in(pattern)
    # Validate with a stand-in for each placeholder, so a pattern is checked
    # even when {company} is not configured in this file.
    stand_in = {n: values.get(n) or ("占位",) for n in names}
    for p in expand(pattern, stand_in):
        try:
            nodes = parse(p, normalize=normalize, context=context)
            if not context:
                anchor_texts(nodes)  # raises when alternatives multiply too far
        except PatternError as exc:
            c.err(key, f"{key}: {exc}")
            return


def _build_required(c: _Checker, deductions, normalize, values) -> RequiredRule | None:
    raw = c.raw
    c.unknown_keys(_REQUIRED_KEYS)
    category = c.text_key("category", "call-flow")
    message = c.text_key("message")
    severity = c.severity()
    suggestions = c.suggestions()
    missing = c.text_key("missing", f"no {raw['id'].replace('-', ' ')}")
    phrases, variants = raw.get("phrases", []), raw.get("variants", [])
    for key, value in (("phrases", phrases), ("variants", variants)):
        if not _str_list(value):
            c.err(key, f"'{key}' must be a list of strings")
            return None
    if not phrases and not variants:
        c.err(None, "needs at least one entry in 'phrases' or 'variants'")
    for p in phrases:
        if any(ch in _PLACEHOLDER_RE.sub("", p) for ch in "{}|*^$"):
            c.err("phrases", f"phrase {p!r} has pattern characters: put it in 'variants'")
    for v in [*phrases, *variants]:
        _check_pattern(c, "variants" if v in variants else "phrases", v, normalize, values)
    contexts: dict[str, dict[str, tuple[str, ...]]] = {}
    for key in ("unless", "requires"):
        table = raw.get(key, {})
        if not isinstance(table, dict):
            c.err(key, f"'{key}' must be a table ([required.{key}])")
            table = {}
        out: dict[str, tuple[str, ...]] = {}
        for scope, pats in table.items():
            if scope not in _CONTEXT_KEYS:
                c.err(key, f"unknown {key} scope {scope!r} (use {', '.join(_CONTEXT_KEYS)})")
                continue
            pats = [pats] if isinstance(pats, str) else pats
            if not _str_list(pats):
                c.err(key, f"{key}.{scope} must be a list of strings")
                continue
            for p in pats:
                _check_pattern(c, key, p, normalize, values, context=True)
            out[scope] = tuple(pats)
        contexts[key] = out
    window = raw.get("window", "first")
    if window not in WINDOWS:
        c.err("window", f"'window' must be one of {', '.join(WINDOWS)} (not {window!r})")
    counts: dict[str, int | None] = {}
    for key in ("turns", "messages"):
        n = raw.get(key)
        if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
            c.err(key, f"'{key}' must be a whole number >= 1")
            n = None
        counts[key] = n
    turns, messages = counts["turns"], counts["messages"]
    if turns is not None and messages is not None:
        c.err("messages", "give 'turns' or 'messages', not both")
    seconds = c.number("seconds")
    if window != "anywhere" and turns is None and messages is None and seconds is None:
        c.err("window", f"a '{window}' window needs 'turns' or 'messages', 'seconds', or both")
    deduction = c.deduction(severity, deductions)
    frame = _name_frame(c, raw.get("name_frame"))
    for key in ("fuzzy", "words", "live_reminder", "disabled"):
        if key in raw and not isinstance(raw[key], bool):
            c.err(key, f"'{key}' must be true or false")
    if not c.ok:
        return None
    return RequiredRule(
        id=raw["id"], category=category, severity=severity, message=message,
        suggestions=suggestions, missing=missing, phrases=tuple(phrases),
        variants=tuple(variants), unless=contexts["unless"], requires=contexts["requires"],
        window=window, turns=turns, messages=messages, seconds=seconds, deduction=deduction,
        fuzzy=bool(raw.get("fuzzy", True)), words=bool(raw.get("words", True)),
        live_reminder=bool(raw.get("live_reminder", True)), name_frame=frame,
        line=_table_line(c.text, "required", c.index),
    )


_FRAME_LISTS = ("greetings", "offers", "name_ends", "not_in_name", "not_a_name",
                "name_particles", "leads", "trades", "trade_then", "addresses", "address_asks",
                "bare_addresses", "brands", "not_in_bare_name", "bare_leads",
                "greetings_after_name", "not_offers", "kind_leads", "kind_names",
                "names_after_kind", "not_in_short_bare_name", "names_may_end")
# key -> (default, least allowed); bare_name_chars 0 turns bare names off
_FRAME_SIZES = {"min_chars": (2, 1), "max_chars": (16, 1), "address_chars": (12, 1),
                "bare_name_chars": (0, 0), "short_bare_name_chars": (0, 0)}


def _name_frame(c: _Checker, table: Any) -> NameFrame | None:
    """``[required.name_frame]``, checked (None when absent or wrong: errors noted)."""
    if table is None:
        return None
    if not isinstance(table, dict):
        c.err("name_frame", "'name_frame' must be a table ([required.name_frame])")
        return None
    for key in table:
        if key not in (*_FRAME_LISTS, *_FRAME_SIZES):
            c.err("name_frame", f"unknown name_frame key {key!r} (use "
                  f"{', '.join((*_FRAME_LISTS, *_FRAME_SIZES))})")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _FRAME_LISTS:
        value = table.get(key, [])
        if not _str_list(value) or any(not v or any(ch in v for ch in "{}|*^$") for v in value):
            c.err("name_frame", f"name_frame.{key} must be a list of plain texts "
                  "(no pattern characters)")
            value = []
        lists[key] = tuple(value)
    if not lists["offers"] and not lists["name_ends"] and not lists["trades"] \
            and not lists["brands"]:
        c.err("name_frame", "name_frame needs 'offers', 'name_ends', 'trades' or 'brands': "
              "what ends a name")
    sizes = {}
    for key, (default, least) in _FRAME_SIZES.items():
        n = table.get(key, default)
        if not isinstance(n, int) or isinstance(n, bool) or n < least:
            c.err("name_frame", f"name_frame.{key} must be a whole number >= {least}")
            n = default
        sizes[key] = n
    if bool(lists["addresses"]) != bool(lists["address_asks"]):
        c.err("name_frame", "name_frame.addresses and address_asks come together: an address "
              "(先生) counts before the name only with the question after it (吗)")
    if sizes["min_chars"] > sizes["max_chars"]:
        c.err("name_frame", "name_frame.min_chars is larger than max_chars")
    if lists["greetings_after_name"] and not sizes["bare_name_chars"]:
        c.err("name_frame", "name_frame.greetings_after_name needs bare_name_chars: it is "
              "how long a name said first must be (悠然瑜伽，您好。)")
    return NameFrame(**lists, **sizes)


def _build_timing(c: _Checker, deductions) -> TimingRule | None:
    raw = c.raw
    c.unknown_keys(_TIMING_KEYS)
    check = raw.get("check", raw["id"])
    if check not in TIMING_CHECKS:
        c.err("check", f"'check' must be one of {', '.join(TIMING_CHECKS)} (not {check!r})")
        return None
    category = c.text_key("category", "timing")
    message = c.text_key("message")
    severity = c.severity()
    suggestions = c.suggestions()
    seconds = c.number("seconds")
    cpm = c.number("chars_per_minute")
    min_seconds = c.number("min_seconds", positive=False) or 0.0
    need = TIMING_CHECKS[check]
    if (seconds if need == "seconds" else cpm) is None and c.ok:
        c.err(need, f"a {check} check needs '{need}' (its threshold)")
    deduction = c.deduction(severity, deductions)
    if "disabled" in raw and not isinstance(raw["disabled"], bool):
        c.err("disabled", "'disabled' must be true or false")
    if not c.ok:
        return None
    return TimingRule(id=raw["id"], check=check, category=category, severity=severity,
                      message=message, suggestions=suggestions, seconds=seconds,
                      chars_per_minute=cpm, min_seconds=min_seconds, deduction=deduction,
                      line=_table_line(c.text, "timing", c.index))


def _settings(chain, errors: list) -> CallFlowSettings:
    from phraseguard.engine.lexicon import LexiconError, Lines

    values: dict[str, Any] = {}
    for path, data, text in chain:
        table = data.get("callflow", {})
        if not isinstance(table, dict):
            errors.append(LexiconError(path, Lines(text).key_line("callflow"),
                                       "'callflow' must be a table"))
            continue
        for key, value in table.items():
            line = Lines(text).key_line(key)
            if key in ("company", "name_like", "hesitations"):
                value = [value] if isinstance(value, str) else value
                if not _str_list(value):
                    errors.append(LexiconError(path, line, f"[callflow] {key} must be a list of strings"))
                    continue
                values[key] = tuple(v for v in value if v.strip())
            elif key == "join_gap":
                if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                    errors.append(LexiconError(path, line, "[callflow] join_gap must be seconds >= 0"))
                    continue
                values[key] = float(value)
            else:
                errors.append(LexiconError(path, line, f"unknown [callflow] setting {key!r}"))
    return CallFlowSettings(**values)


def load_flow(chain, deductions: dict[str, float], normalize, rule_ids: set[str],
              errors: list) -> FlowRules:
    """The call-flow part of a lexicon file chain (base first); errors are appended."""
    from phraseguard.engine.lexicon import LexiconError

    settings = _settings(chain, errors)
    values = {"company": settings.company, "agent": settings.name_like}
    required: list[RequiredRule] = []
    timing: list[TimingRule] = []
    seen = set(rule_ids)
    for section in ("required", "timing"):
        for rid, (raw, path, text, index) in _merge(chain, section, errors).items():
            if rid in seen:
                errors.append(LexiconError(path, _table_line(text, section, index),
                                           f"{section} id {rid!r} is already a rule id"))
                continue
            seen.add(rid)
            if raw.get("disabled") is True:
                continue
            c = _Checker(raw, path, text, index, section, errors)
            if section == "required":
                rule = _build_required(c, deductions, normalize, values)
                if rule:
                    required.append(rule)
            else:
                trule = _build_timing(c, deductions)
                if trule:
                    timing.append(trule)
    return FlowRules(required=tuple(required), timing=tuple(timing), settings=settings)
