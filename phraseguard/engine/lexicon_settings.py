"""A lexicon's numbers: the ``[scoring]``, ``[matching]``, ``[dialogue]`` and ``[meaning]`` settings.

The defaults of every setting are the values in ``lexicons/default.toml``,
for every lexicon (one that does not extend the default too): the
dataclasses below have no defaults of their own, so code and file cannot
disagree. Each value is checked for its type and range where it is read,
and a bad one is reported with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from phraseguard.engine.hit import Severity
from phraseguard.engine.lexicon_files import Chain, Lines, default_path, read_toml, str_list
from phraseguard.errors import LexiconError

SETTINGS_SECTIONS = ("scoring", "matching", "dialogue", "meaning")


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
    # Chat stickers written as their names in square brackets ([摊手]): each
    # ends a clause, and its name is dropped.
    chat_emoji: tuple[str, ...]
    segment_chars: int
    segment_overlap: int
    spaced_density: float
    split_words: tuple[str, ...]
    # Speech without punctuation: a clause ends after these words
    # (engine/spoken.py), unless one of ``spoken_clause_goes_on`` follows;
    # ``spoken_vocatives`` join such a run without starting one.
    spoken_clause_ends: tuple[str, ...]
    spoken_vocatives: tuple[str, ...]
    spoken_clause_goes_on: tuple[str, ...]
    # A pause between two recognised words at least this long (seconds) ends
    # a clause too (score and live, where words have times).
    spoken_pause_seconds: float
    # A homophone hit's excuses (unless, downgrade) are read by sound too,
    # but only the before / after / clause conditions that need at least this
    # many characters: a one-character word's sound-alikes are other words
    # too often (可 / 课 / 客).
    sound_context_min_chars: int
    # Ways a pattern may try to match at one position, at most (gap lengths
    # times alternatives; see pattern.match_work): keeps matching linear in
    # the text's length. A pattern above it is refused at load.
    max_pattern_work: int
    # Whether an unless.utterance excuse may stand in an earlier sentence of
    # the turn than the hit (false: only from the hit's sentence on — 积分我给您
    # 补上了。放映机您找影院: the help was for the other problem).
    earlier_sentences_excuse: bool
    # What ends a sentence for that test in written text.
    sentence_ends: str
    # In speech without punctuation, a spoken clause end (spoken_clause_ends)
    # after one of these words ends a sentence for that test too, when one of
    # spoken_new_matter stands between it and the hit.
    spoken_sentence_ends: tuple[str, ...]
    spoken_new_matter: tuple[str, ...]
    # ... or when the clause it ends holds one of these in its last
    # spoken_finished_act_chars characters (an act done for the customer: 给您退了).
    spoken_finished_acts: tuple[str, ...]
    spoken_finished_act_chars: int


@dataclass(frozen=True)
class DialogueSettings:
    """Judging across turns (``[dialogue]`` in the lexicon)."""

    # live: a hit waiting for the agent's next turn is confirmed after this
    # many seconds without one.
    pending_seconds: float
    # Patterns (lists expanded) of reassurance: a next turn made only of them
    # and of ``hollow_particles`` (您放心，我们会尽快处理的; 已经反馈了) does not
    # resolve a hit that waits for the agent's next turn.
    hollow_next_turn: tuple[str, ...]
    hollow_particles: str


@dataclass(frozen=True)
class MeaningSettings:
    """The meaning model (``[meaning]`` in the lexicon; engine/meaning.py)."""

    enabled: bool
    # The weights file, resolved against the lexicon file that names it ("": none).
    model: str
    # How sure the model must be (probability of a forbidden meaning) to report.
    min_confidence: float
    # A turn read alone at this or above (below min_confidence) is read again
    # with the agent's next turn, and reported if it then reaches min_confidence.
    wait_confidence: float
    # Read a turn with the customer's turn before, where the model can and it
    # is known (false: the agent's turns alone, as a model trained without it).
    read_customer: bool
    # Patterns (lists expanded) that clear the model's finding when the same
    # turn says them, as a rule's unless.utterance clears its hit: the model
    # reads the whole turn, and an act of the agent's own there (我今天下午就派人
    # 去换) is what QA reads as taking it on.
    unless_utterance: tuple[str, ...] = ()


def _is_fraction(key: str) -> bool:
    """Confidences and similarities are fractions: 0 to 1."""
    return key.endswith(("_confidence", "_similarity"))


def _check(kind: str, key: str, value: Any) -> tuple[Any, str | None]:
    """``value`` as the setting's type, or the problem with it."""
    if kind == "bool":
        return value, None if isinstance(value, bool) else "must be true or false"
    if kind.startswith("tuple"):
        return (tuple(value), None) if str_list(value) else (value, "has the wrong type")
    if kind == "str":
        if isinstance(value, list):
            value = "".join(value)
        return value, None if isinstance(value, str) else "has the wrong type"
    number = int if kind == "int" else int | float
    if not isinstance(value, number) or isinstance(value, bool):
        return value, "has the wrong type"
    if value < 0:
        return value, "must be >= 0"
    if _is_fraction(key) and value > 1:
        return value, "must be between 0 and 1"
    return (value if kind == "int" else float(value)), None


def _deductions(path: Path, text: str, value: Any, values: dict[str, Any],
                errors: list[LexiconError]) -> None:
    """``[scoring.deductions]``: points per severity, merged over the base's."""
    if not isinstance(value, dict) or not all(
            isinstance(v, int | float) and v >= 0 for v in value.values()):
        errors.append(LexiconError(path, Lines(text).key_line("deductions"),
                                   "[scoring.deductions] maps severities to points >= 0"))
        return
    for sev in value:
        try:
            Severity.parse(sev)
        except ValueError as exc:
            errors.append(LexiconError(path, Lines(text).key_line(sev), str(exc)))
    merged = dict(values.get("deductions", {}))
    merged.update({k.lower(): float(v) for k, v in value.items()})
    values["deductions"] = merged


def parse_settings(chain: Chain, section: str, cls, errors: list[LexiconError]):
    """One settings section merged over ``chain`` (later files win), as ``cls``.

    Problems go to ``errors``; None when a setting is missing altogether.
    """
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for path, data, text in chain:
        table = data.get(section, {})
        if not isinstance(table, dict):
            errors.append(LexiconError(path, Lines(text).key_line(section), f"'{section}' must be a table"))
            continue
        for key, value in table.items():
            if key == "deductions" and cls is ScoringPolicy:
                _deductions(path, text, value, values, errors)
                continue
            if key not in known:
                errors.append(LexiconError(path, Lines(text).key_line(key),
                                           f"unknown [{section}] setting {key!r}"))
                continue
            value, problem = _check(str(known[key].type), key, value)
            if problem:
                errors.append(LexiconError(path, Lines(text).key_line(key),
                                           f"[{section}] {key} {problem} ({value!r})"))
                continue
            if cls is MeaningSettings and key == "model" and value:
                value = str((path.parent / value).resolve())  # beside the file that says so
            values[key] = value
    missing = [name for name in known if name not in values]
    if missing:  # only a broken default.toml can lack a setting: it is every file's base
        path, _, text = chain[0]
        errors.append(LexiconError(path, Lines(text).section_line(section),
                                   f"[{section}] lacks {', '.join(missing)}"))
        return None
    return cls(**values)


def settings_chain(chain: Chain) -> Chain:
    """``chain`` on top of default.toml's settings sections (the defaults).

    A lexicon that extends the default has them already; one that does not
    gets the same numbers (points per severity included), not zeros.
    """
    base = default_path().resolve()
    if chain[0][0] == base:
        return chain
    data, text = read_toml(base)
    settings = {k: v for k, v in data.items() if k in SETTINGS_SECTIONS}
    return [(base, settings, text), *chain]
