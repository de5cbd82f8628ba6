"""Lexicon files: load, validate, merge (``extends``), and describe the rules.

A lexicon is a TOML file QA staff edit (see ``lexicons/README.md``). Loading
validates everything up front, so a bad file fails at load with its path and
line (``LexiconError``), never in the middle of a scan. Every tunable number
(scores, confidences, gap sizes) lives in the file too.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace
from pathlib import Path

from phraseguard.engine.flowrules import FlowRules, load_flow
from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon_files import (  # noqa: F401 (MAX_LEXICON_BYTES, lexicon_dir: re-exported)
    DEFAULT_NAME,
    MAX_LEXICON_BYTES,
    Chain,
    Lines,
    default_path,
    lexicon_dir,
    load_chain,
    resolve,
    str_list,
)
from phraseguard.engine.lexicon_settings import (  # noqa: F401 (ScoringPolicy: re-exported)
    DialogueSettings,
    MatchingSettings,
    MeaningSettings,
    ScoringPolicy,
    parse_settings,
    settings_chain,
)
from phraseguard.engine.pattern import PatternError, anchor_texts, has_anchor, match_work, parse
from phraseguard.engine.word_lists import expand_words
from phraseguard.errors import LexiconError, LexiconErrors

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
    # Sends a hit that meets ``requires`` to ``otherwise`` all the same (a
    # particular action named first: 网上改签这个没法弄 is a stated limit) ...
    downgrade: Context = Context()
    # ... except where one of these holds (我们也没法弄: 也 says the agent is
    # helpless, not that one action is ruled out).
    keep: Context = Context()
    # A hit becomes the rule ``escalate_to`` where the customer's turn before
    # holds one of ``escalate_customer`` and none of ``escalate_not_customer``
    # (a bare limit after a fault reported, no one change asked: giving up on it).
    escalate_to: str | None = None
    escalate_customer: tuple[str, ...] = ()
    escalate_not_customer: tuple[str, ...] = ()
    # The rule means something only after what the customer said
    # (``requires.customer``): where the customer's turn is not known (a
    # script line, a recording of the agent alone) its hits are dropped, not
    # counted as they are for other rules.
    needs_customer: bool = False

    def turn_conditions(self) -> bool:
        """Whether the dialogue judge has anything to check for this rule."""
        return bool(self.unless.next_turn or self.unless.customer or self.requires.customer
                    or self.downgrade.customer or self.escalate_customer)

    def turn_patterns(self) -> tuple[str, ...]:
        """Every pattern of the rule's turn conditions (the dialogue judge's), once each."""
        return tuple(dict.fromkeys(
            self.unless.next_turn + self.unless.customer + self.requires.customer
            + self.downgrade.customer + self.keep.customer + self.escalate_customer
            + self.escalate_not_customer))


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
    # [meaning]: the model that reads turns no listed form matched (engine/meaning.py).
    meaning: MeaningSettings = MeaningSettings(enabled=False, model="", min_confidence=1.0,
                                               wait_confidence=1.0, read_customer=False)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @functools.cached_property
    def rules_digest(self) -> str:
        """A digest of what compiling reads: the rules and the matching settings.

        Not ``digest``, which names the files' text: a lexicon built in code,
        or changed with ``dataclasses.replace``, keeps whatever ``digest`` it
        was given. Computed once per object (repr of every rule: several ms
        for the default lexicon) and pickled with it, so ``lint``'s cached
        lexicon brings it along; ``replace`` makes a new object, which
        computes its own.
        """
        return hashlib.sha1(repr((self.matching, self.rules)).encode("utf-8")).hexdigest()


_RULE_KEYS = {"id", "category", "severity", "message", "suggestions", "phrases", "variants",
              "unless", "requires", "downgrade", "keep", "deduction", "fuzzy", "words",
              "disabled", "otherwise", "escalate", "needs_customer"}
_FLOW_SECTIONS = ("callflow", "required", "timing")  # engine/flowrules.py reads them
_CONTEXT_KEYS = {"before", "after", "clause", "utterance", "overlap", *TURN_SCOPES}
# Keys of [lexicon]: written at the top level by mistake, they get a hint.
_LEXICON_KEYS = ("name", "extends", "language")
_SECTIONS = ("lexicon", "scoring", "matching", "dialogue", "meaning", "lists", "words", "rule",
             *_FLOW_SECTIONS)


def _merge_rules(chain: Chain) -> tuple[dict[str, tuple[dict, Path, str, int]], list[LexiconError]]:
    """Rules by id, later files overriding earlier ones key by key."""
    merged: dict[str, tuple[dict, Path, str, int]] = {}
    errors: list[LexiconError] = []
    for path, data, text in chain:
        raw_rules = data.get("rule", [])
        if not isinstance(raw_rules, list):
            errors.append(LexiconError(path, Lines(text).key_line("rule"),
                                       "'rule' must be written as [[rule]] tables"))
            continue
        for i, raw in enumerate(raw_rules):
            rid = raw.get("id")
            if not isinstance(rid, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", rid or ""):
                errors.append(LexiconError(path, Lines(text).rule_line(i),
                                           "rule needs an 'id' of letters, digits, '-', '_' or '.'"))
                continue
            if rid in merged and merged[rid][1] == path:
                errors.append(LexiconError(path, Lines(text).rule_line(i),
                                           f"duplicate rule id {rid!r}"))
                continue
            if rid in merged:
                base = dict(merged[rid][0])
                base.update(raw)
                merged[rid] = (base, path, text, i)
            else:
                merged[rid] = (dict(raw), path, text, i)
    return merged, errors


def expand_lists(pats: Iterable[str], lists: dict[str, tuple[str, ...]],
                 unknown: Callable[[str, str], None]) -> list[str]:
    """Named lists (``"@offers"``) replaced by their patterns; ``unknown`` is
    told each name no list has (the pattern and the problem) and it is left out."""
    out: list[str] = []
    for p in pats:
        if not p.startswith("@"):
            out.append(p)
        elif p[1:] in lists:
            out.extend(lists[p[1:]])
        else:
            unknown(p, f"no list {p[1:]!r} in [lists] (known: {', '.join(sorted(lists)) or 'none'})")
    return out


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
    lines = Lines(text)
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
    if not str_list(suggestions) or not suggestions:
        err("suggestions" if "suggestions" in raw else None,
            "needs 'suggestions': what the agent should say instead")
        suggestions = []
    lists = lists or {}
    # Context patterns already parsed for another rule (the shared [lists]).
    checked = set() if checked is None else checked

    def expand(key: str, pats: list[str]) -> list[str]:
        return expand_lists(pats, lists, lambda p, msg: err(key, msg, value=p))

    phrases = raw.get("phrases", [])
    variants = raw.get("variants", [])
    for key, value in (("phrases", phrases), ("variants", variants)):
        if not str_list(value):
            err(key, f"'{key}' must be a list of strings")
    if str_list(variants):
        variants = expand("variants", variants)
    if str_list(phrases) and str_list(variants):
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
    for key in ("unless", "requires", "downgrade", "keep"):
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
            if not str_list(pats):
                err(scope, f"{key}.{scope} must be a list of strings")
                continue
            if key == "requires" and scope == "next_turn":
                err(scope, "requires.next_turn is not a condition (use unless.next_turn)")
                continue
            if key in ("downgrade", "keep") and scope == "next_turn":
                # The line (or the customer's request before it) decides the
                # downgrade; the next turn decides, through the target rule's
                # own unless, whether it still counts.
                err(scope, f"{key}.{scope} is not a condition: {key} reads the agent's own "
                           "line (before, after, clause, utterance, overlap) or the "
                           "customer's turn before it (customer)")
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
    for key in ("fuzzy", "words", "disabled", "needs_customer"):
        if key in raw and not isinstance(raw[key], bool):
            err(key, f"'{key}' must be true or false")
    if raw.get("needs_customer") is True and not contexts["requires"].customer:
        err("needs_customer", "needs_customer = true says the rule reads the customer's turn: "
                              "write what it looks for there in [rule.requires] customer")
    otherwise = raw.get("otherwise")
    if otherwise is not None and (not isinstance(otherwise, str) or otherwise == rid):
        err("otherwise", "'otherwise' names another rule's id")
    if "downgrade" in raw and otherwise is None:
        err("downgrade", "[rule.downgrade] sends hits to 'otherwise': name the rule they go to")
    if "keep" in raw and "downgrade" not in raw:
        err("keep", "[rule.keep] only limits a [rule.downgrade]: write the downgrade first")
    elif contexts["keep"].customer and not contexts["downgrade"].customer:
        err("keep", "keep.customer only limits a downgrade.customer: write that first")
    escalate = _escalation(raw.get("escalate"), err, expand, normalize, matching)
    if errs:
        return None, errs
    return Rule(
        id=rid, category=raw["category"].strip(), severity=severity,
        message=raw["message"].strip(), suggestions=tuple(suggestions),
        phrases=tuple(phrases), variants=tuple(variants),
        unless=contexts["unless"], requires=contexts["requires"],
        downgrade=contexts["downgrade"], keep=contexts["keep"], deduction=float(deduction),
        fuzzy=bool(raw.get("fuzzy", True)), words=bool(raw.get("words", True)),
        line=lines.rule_line(index), otherwise=otherwise,
        escalate_to=escalate[0], escalate_customer=escalate[1], escalate_not_customer=escalate[2],
        needs_customer=raw.get("needs_customer") is True,
    ), []


def _escalation(table, err, expand, normalize, matching
                ) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """``[rule.escalate]``: the rule ``to``, the ``customer`` patterns that send a
    hit there and the ``not_customer`` patterns that keep it (lists expanded)."""
    if table is None:
        return None, (), ()
    if not isinstance(table, dict):
        err("escalate", "'escalate' must be a table ([rule.escalate])")
        return None, (), ()
    unknown = sorted(set(table) - {"to", "customer", "not_customer"})
    if unknown:
        err(unknown[0], f"unknown escalate key {unknown[0]!r} (use to, customer, not_customer)")
    to = table.get("to")
    if not isinstance(to, str) or not to.strip():
        err("to", "[rule.escalate] needs 'to', the id of the rule a hit becomes")
        to = None
    out: list[tuple[str, ...]] = []
    for key in ("customer", "not_customer"):
        pats = table.get(key, [])
        if isinstance(pats, str):
            pats = [pats]
        if not isinstance(pats, list) or not all(isinstance(p, str) for p in pats):
            err(key, f"escalate.{key} must be a list of strings")
            pats = []
        pats = expand(key, pats)
        for p in pats:
            try:
                _check_pattern(p, normalize, matching, context=True)
            except PatternError as exc:
                err(key, f"escalate.{key}: {exc}", value=p)
        out.append(tuple(pats))
    if to is not None and not out[0]:
        err("customer", "[rule.escalate] needs 'customer': what in the customer's turn sends a hit on")
    return to, out[0], out[1]


def load_lexicon(path_or_name: str | Path | None = None) -> Lexicon:
    """Load, merge and validate a lexicon; raise LexiconErrors listing every problem.

    ``None`` or ``"default"`` is the bundled default lexicon. A file whose
    ``[lexicon] extends`` names another file (or ``"default"``) is merged on
    top of it: rules with the same id are overridden key by key, and
    ``disabled = true`` removes a rule.
    """
    from phraseguard.engine.normalize import Normalizer

    path = resolve(path_or_name)
    errors: list[LexiconError] = []
    # ({@kinds} in any pattern: the words of [words] kinds, before anything reads it)
    chain = expand_words(load_chain(path), errors)
    with_defaults = settings_chain(chain)
    scoring = parse_settings(with_defaults, "scoring", ScoringPolicy, errors)
    matching = parse_settings(with_defaults, "matching", MatchingSettings, errors)
    dialogue = parse_settings(with_defaults, "dialogue", DialogueSettings, errors)
    meaning = parse_settings(with_defaults, "meaning", MeaningSettings, errors)
    if scoring is None or matching is None or dialogue is None or meaning is None:
        raise LexiconErrors(errors)
    lists = _named_lists(chain, errors)
    _check_sections(chain, errors)
    normalizer = Normalizer(fillers=matching.fillers)
    meaning = replace(meaning, unless_utterance=_setting_patterns(
        "meaning", "unless_utterance", meaning.unless_utterance, lists, normalizer.fast, matching,
        with_defaults, errors))
    dialogue = replace(dialogue, hollow_next_turn=_setting_patterns(
        "dialogue", "hollow_next_turn", dialogue.hollow_next_turn, lists, normalizer.fast,
        matching, with_defaults, errors))
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
    for _path, _, text in with_defaults:  # default.toml's numbers count too
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
                   meaning=meaning,
                   language=languages[-1] if languages else "")


def _setting_patterns(section: str, key: str, pats: tuple[str, ...],
                      lists: dict[str, tuple[str, ...]], normalize, matching: MatchingSettings,
                      chain: Chain, errors: list[LexiconError]) -> tuple[str, ...]:
    """A settings list of turn-condition patterns (``[meaning] unless_utterance``,
    ``[dialogue] hollow_next_turn``) with its named lists expanded, each
    pattern checked as a turn condition; problems name the file and line
    that set it."""
    path, _, text = next(((p, d, t) for p, d, t in reversed(chain)
                          if isinstance(d.get(section), dict) and key in d[section]), chain[0])
    line = Lines(text).key_line(key)

    def problem(_pattern: str, msg: str) -> None:
        errors.append(LexiconError(path, line, f"[{section}] {key}: {msg}"))

    out: list[str] = []
    for p in expand_lists(pats, lists, problem):
        try:
            _check_pattern(p, normalize, matching, context=True)
        except PatternError as exc:
            problem(p, str(exc))
            continue
        out.append(p)
    return tuple(out)


def _check_sections(chain: Chain, errors: list[LexiconError]) -> None:
    """Every top-level key is a known section; ``[lexicon] language`` is a string."""
    for path, data, text in chain:
        lines = Lines(text)
        for key in data:
            if key not in _SECTIONS:
                hint = " (put it under [lexicon])" if key in _LEXICON_KEYS else ""
                errors.append(LexiconError(path, lines.key_line(key) or lines.section_line(key),
                                           f"unknown section {key!r}{hint}"))
        meta = data.get("lexicon")
        if isinstance(meta, dict) and "language" in meta and not isinstance(meta["language"], str):
            errors.append(LexiconError(path, lines.key_line("language"),
                                       "[lexicon] language must be a language code in quotes, "
                                       f"like \"zh\" ({meta['language']!r})"))


def _named_lists(chain: Chain, errors: list[LexiconError]
                 ) -> dict[str, tuple[str, ...]]:
    """``[lists]``: named pattern lists a rule uses as ``"@name"`` (later files override).

    A list may name another list the same way (``offers`` and ``own_help``
    share the agent's own acts through ``"@agent_acts"``), so a pattern two
    lists need is written once. Unknown names and lists that reach
    themselves are errors at the list's line.
    """
    raw: dict[str, tuple[list[str], Path, int | None]] = {}
    for path, data, text in chain:
        table = data.get("lists", {})
        if not isinstance(table, dict):
            errors.append(LexiconError(path, Lines(text).section_line("lists"),
                                       "'lists' must be a table of pattern lists"))
            continue
        for name, pats in table.items():
            if not str_list(pats):
                errors.append(LexiconError(path, Lines(text).key_line(name),
                                           f"[lists] {name} must be a list of patterns"))
                continue
            raw[name] = (pats, path, Lines(text).key_line(name))
    out: dict[str, tuple[str, ...]] = {}

    def resolve(name: str, inside: tuple[str, ...]) -> tuple[str, ...]:
        if name not in out:
            pats, path, line = raw[name]
            found: list[str] = []
            for p in pats:
                ref = p[1:] if p.startswith("@") else None
                if ref is None:
                    found.append(p)
                elif ref not in raw:
                    errors.append(LexiconError(path, line, f"[lists] {name}: no list {ref!r} in "
                                               f"[lists] (known: {', '.join(sorted(raw))})"))
                elif ref == name or ref in inside:
                    loop = " → ".join((*inside[inside.index(ref):], name, ref)) \
                        if ref in inside else f"{name} → {name}"
                    errors.append(LexiconError(path, line, f"[lists] {name}: {p!r} makes a "
                                               f"loop ({loop}); a list cannot contain itself"))
                else:
                    found.extend(resolve(ref, (*inside, name)))
            out[name] = tuple(found)
        return out[name]

    for name in raw:
        resolve(name, ())
    return out


def _check_otherwise(rules: list[Rule], merged: dict[str, tuple[dict, Path, str, int]]
                     ) -> list[LexiconError]:
    """``otherwise`` names a rule that exists; a rule without phrases is someone's ``otherwise``."""
    errors: list[LexiconError] = []
    ids = {r.id for r in rules}
    targets = {r.otherwise for r in rules if r.otherwise}
    for r in rules:
        _raw, path, text, index = merged[r.id]
        lines = Lines(text)
        if r.otherwise and r.otherwise not in ids:
            errors.append(LexiconError(path, lines.key_line("otherwise", rule_index=index),
                                       f"rule {r.id!r}: 'otherwise' names no rule: {r.otherwise!r}"))
        # (a target that is written but has its own errors is reported there)
        if r.escalate_to and (r.escalate_to not in merged or r.escalate_to == r.id):
            errors.append(LexiconError(path, lines.key_line("to", rule_index=index),
                                       f"rule {r.id!r}: escalate 'to' names no other rule: "
                                       f"{r.escalate_to!r}"))
        if not r.phrases and not r.variants and r.id not in targets:
            errors.append(LexiconError(path, lines.rule_line(index),
                                       f"rule {r.id!r}: needs at least one entry in 'phrases' or "
                                       "'variants' (or another rule's 'otherwise' naming it)"))
    return errors
