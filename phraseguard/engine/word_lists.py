"""Named word lists, written once in ``[words]`` and used inside any pattern as ``{@name}``.

``[lists]`` names whole context patterns (``"@offers"``); a word list is
smaller: plain words that stand for one choice of a group, so that the kinds
of company or the surnames are written once and used in many patterns
(``"我是{@kinds}的{@roles}"``), alone or beside other choices (``{@roles|}``:
optional). In a plain-text list (the name frame's
``not_a_name``, say) an entry ``"{@kinds}"`` stands for all of its words.

Expanded before anything else reads the lexicon: the rules, the call-flow
rules and the named lists then see ordinary groups.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from phraseguard.engine.lexicon_files import Chain, Lines
from phraseguard.errors import LexiconError

REF = re.compile(r"\{@([A-Za-z_][A-Za-z0-9_]*)\}")  # a whole entry of a plain list
_GROUP = re.compile(r"\{([^{}]*@[^{}]*)\}")  # a group with a word list among its choices
_NAME = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)")
# Never patterns: the settings sections, and keys whose text is for people
# (lexicon_warnings.py skips the same).
SETTINGS_SECTIONS = frozenset({"lexicon", "scoring", "matching", "dialogue", "meaning", "words"})
PROSE_KEYS = frozenset({"id", "category", "severity", "message", "suggestions", "missing",
                        "check", "window", "reason", "description", "name"})


def word_lists(chain: Chain, errors: list[LexiconError]) -> dict[str, tuple[str, ...]]:
    """``[words]`` of every file, later files overriding a name; bad lists are errors."""
    out: dict[str, tuple[str, ...]] = {}
    for path, data, text in chain:
        table = data.get("words", {})
        lines = Lines(text)
        if not isinstance(table, dict):
            errors.append(LexiconError(path, lines.section_line("words"),
                                       "'words' must be a table of word lists ([words])"))
            continue
        for name, words in table.items():
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                errors.append(LexiconError(path, lines.key_line(name),
                                           f"[words] {name!r}: a name is letters, digits and _"))
                continue
            if (not isinstance(words, list) or not words
                    or not all(isinstance(w, str) and w and not any(c in w for c in "{}|*^$@?")
                               for w in words)):
                errors.append(LexiconError(
                    path, lines.key_line(name),
                    f"[words] {name} must be a list of plain words (no pattern characters)"))
                continue
            out[name] = tuple(words)
    return out


def expand_words(chain: Chain, errors: list[LexiconError]) -> Chain:
    """The chain with every ``{@name}`` replaced by its words; unknown names are errors."""
    words = word_lists(chain, errors)
    out: Chain = []
    for path, data, text in chain:
        lines = Lines(text)

        def fail(name: str, where: str, path: Path = path, lines: Lines = lines) -> None:
            line = next((i + 1 for i, ln in enumerate(lines.lines) if where in ln), None)
            known = ", ".join(sorted(words)) or "none"
            errors.append(LexiconError(path, line, f"no word list {name!r} in [words] "
                                                   f"(known: {known}), in {where!r}"))

        def splice(entries: list[Any], ref: re.Pattern, where: str) -> tuple[list[Any], bool]:
            """Each entry that names a word list replaced by its words (False: a name unknown)."""
            out: list[Any] = []
            known = True
            for entry in entries:
                m = ref.fullmatch(entry) if isinstance(entry, str) else None
                if m is None:
                    out.append(entry)
                elif m.group(1) in words:
                    out.extend(words[m.group(1)])
                else:
                    fail(m.group(1), where or entry)
                    out.append(entry)
                    known = False
            return out, known

        def sub(value: Any, key: str = "", plain: bool = False) -> Any:
            if key in PROSE_KEYS:
                return value
            if isinstance(value, str):
                if "{@" not in value:
                    return value

                def group(m: re.Match) -> str:
                    choices, known = splice(m.group(1).split("|"), _NAME, value)
                    return "{" + "|".join(choices) + "}" if known else m.group(0)

                return _GROUP.sub(group, value)
            if isinstance(value, list):
                if plain:
                    # A plain list (not_a_name = ["{@kinds}"]): every word of it.
                    return splice(value, REF, "")[0]
                return [sub(v, key, plain) for v in value]
            if isinstance(value, dict):
                # (the name frame's lists are plain texts, not patterns)
                return {k: sub(v, str(k), plain or key == "name_frame") for k, v in value.items()}
            return value

        out.append((path, {k: (v if k in SETTINGS_SECTIONS else sub(v, k))
                           for k, v in data.items()}, text))
    return out

