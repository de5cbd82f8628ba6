"""Toneless pinyin keys for homophone and fuzzy matching.

Speech recognisers garble 不知道 as 不只道 or 布知道: other characters, same
sound. Each Chinese character is folded to one private-use symbol per toneless
syllable (its primary reading), so a homophone match is a plain string match
on folded text. A second, coarser fold merges syllables that Mandarin speakers
and recognisers confuse (zh/z, ch/c, sh/s, n/l, -ng/-n): the *fuzzy* key.

Readings come from pypinyin's character table, loaded straight from its data
module: importing the whole pypinyin package costs a quarter of a second that
a cold ``phraseguard lint`` does not need.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from phraseguard.normalize import PUA_BASE

# Initials and finals that are merged in the fuzzy key, in order.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("f", "h"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


def _strip_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("ü", "v").replace("u\u0308", "v")


def fuzzy_syllable(syllable: str) -> str:
    """The coarse key of a toneless syllable ("zhi" -> "zi", "qing" -> "qin")."""
    for a, b in _FUZZY_INITIALS:
        if syllable.startswith(a):
            syllable = b + syllable[len(a):]
            break
    for a, b in _FUZZY_FINALS:
        if syllable.endswith(a):
            syllable = syllable[: -len(a)] + b
            break
    return syllable


def _load_pinyin_dict() -> dict[int, str]:
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        return {}
    path = Path(spec.origin).parent / "pinyin_dict.py"
    data_spec = importlib.util.spec_from_file_location("_phraseguard_pinyin_dict", path)
    module = importlib.util.module_from_spec(data_spec)
    data_spec.loader.exec_module(module)
    return module.pinyin_dict


@dataclass(frozen=True)
class Phonetics:
    """Fold tables: character -> syllable symbol, exact and fuzzy."""

    readings: dict[int, tuple[str, ...]]  # code point -> toneless syllables, primary first
    exact: dict[int, int]  # code point -> symbol of its primary syllable
    fuzzy: dict[int, int]  # code point -> symbol of its primary fuzzy syllable
    symbols: dict[str, int]  # syllable (exact or fuzzy) -> symbol
    letters: dict[int, str]  # symbol -> syllable letters (for edit distances)

    @classmethod
    def load(cls) -> Phonetics:
        """Build the tables from pypinyin's data (about 42,000 characters)."""
        readings: dict[int, tuple[str, ...]] = {}
        symbols: dict[str, int] = {}
        letters: dict[int, str] = {}

        def symbol(syllable: str) -> int:
            if syllable not in symbols:
                cp = PUA_BASE + len(symbols)
                symbols[syllable] = cp
                letters[cp] = syllable
            return symbols[syllable]

        exact: dict[int, int] = {}
        fuzzy: dict[int, int] = {}
        for cp, spelled in _load_pinyin_dict().items():
            seen: list[str] = []
            for s in spelled.split(","):
                plain = _strip_tone(s.strip())
                if plain and plain not in seen:
                    seen.append(plain)
            if not seen:
                continue
            readings[cp] = tuple(seen)
            exact[cp] = symbol(seen[0])
            # "~" keeps fuzzy symbols apart from exact ones of the same letters.
            fuzzy[cp] = symbol("~" + fuzzy_syllable(seen[0]))
        return cls(readings, exact, fuzzy, symbols, letters)

    def char_symbols(self, ch: str, *, fuzzy: bool) -> list[str]:
        """Symbols of every reading of ``ch`` (the char itself if it has none)."""
        cp = ord(ch)
        if cp not in self.readings:
            return [ch]
        out: list[str] = []
        for s in self.readings[cp]:
            key = "~" + fuzzy_syllable(s) if fuzzy else s
            sym = chr(self.symbols[key]) if key in self.symbols else None
            if sym is None:
                # A reading that is never anyone's primary reading: give it a
                # symbol anyway so the phrase side can still name it.
                sym = chr(self._late_symbol(key))
            if sym not in out:
                out.append(sym)
        return out

    def _late_symbol(self, key: str) -> int:
        cp = PUA_BASE + len(self.symbols)
        self.symbols[key] = cp
        self.letters[cp] = key
        return cp

    def spell(self, folded: str) -> str:
        """Letters of folded text, syllables separated by spaces (for rapidfuzz)."""
        return " ".join(self.letters.get(ord(c), c).lstrip("~") for c in folded)
