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

from phraseguard.engine.cache import cached_marshal, file_key
from phraseguard.engine.normalize import PUA_BASE

# Bump when the cached table layout changes.
_FORMAT = 2

# Initials and finals that are merged in the fuzzy key, in order.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("f", "h"))
_FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"))


_TONE_MARKS = str.maketrans({
    **dict.fromkeys("āáǎà", "a"), **dict.fromkeys("ēéěèếề", "e"), **dict.fromkeys("īíǐì", "i"),
    **dict.fromkeys("ōóǒò", "o"), **dict.fromkeys("ūúǔù", "u"), **dict.fromkeys("üǖǘǚǜ", "v"),
    **dict.fromkeys("ńňǹ", "n"), "ḿ": "m", "\u0304": None, "\u0301": None, "\u030c": None,
    "\u0300": None,
})


def _strip_tone(syllable: str) -> str:
    plain = syllable.translate(_TONE_MARKS)
    if plain.isascii():
        return plain
    # Rare spellings the table lacks: decompose and drop the marks.
    decomposed = unicodedata.normalize("NFD", plain)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ü", "v")


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


def _pinyin_dict_path() -> Path:
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise RuntimeError("pypinyin is not installed")
    return Path(spec.origin).parent / "pinyin_dict.py"


def tables_key() -> str:
    """Names the pinyin data the fold tables come from (a cache key).

    pypinyin keeps the readings in ``pinyin_dict.json`` beside the module
    that loads it; the key is made from the data itself where it is there.
    """
    module = _pinyin_dict_path()
    data = module.with_suffix(".json")
    return file_key(data if data.is_file() else module, extra=f"phonetics:{_FORMAT}")


def _load_pinyin_dict() -> dict[int, str]:
    path = _pinyin_dict_path()
    data_spec = importlib.util.spec_from_file_location("_phraseguard_pinyin_dict", path)
    module = importlib.util.module_from_spec(data_spec)
    data_spec.loader.exec_module(module)
    return module.pinyin_dict


@dataclass(frozen=True)
class Phonetics:
    """Fold tables: character -> syllable symbol, exact and fuzzy."""

    readings: dict[int, str]  # code point -> toneless syllables, comma-separated, primary first
    exact: dict[int, int]  # code point -> symbol of its primary syllable
    fuzzy: dict[int, int]  # code point -> symbol of its primary fuzzy syllable
    symbols: dict[str, int]  # syllable (exact or fuzzy) -> symbol
    letters: dict[int, str]  # symbol -> syllable letters (for edit distances)

    @classmethod
    def load(cls, *, cache: Path | None = None) -> Phonetics:
        """The tables for pypinyin's data, from the cache folder when built before.

        Building them takes a quarter of a second; a cached copy (flat lists
        in marshal format, keyed by the data file) loads in a few milliseconds.
        """
        return cls._unpack(cached_marshal("phonetics", tables_key(),
                                          lambda: cls.build()._pack(), folder=cache))

    def _pack(self) -> tuple:
        # Flat lists and one joined string: marshal loads these ten times
        # faster than dicts of small objects.
        cps = list(self.exact)
        return (cps, [self.exact[c] for c in cps], [self.fuzzy[c] for c in cps],
                "\n".join(self.readings[c] for c in cps), list(self.symbols),
                list(self.symbols.values()))

    @classmethod
    def _unpack(cls, packed: tuple) -> Phonetics:
        cps, exact, fuzzy, readings, names, codes = packed
        symbols = dict(zip(names, codes, strict=True))
        return cls(dict(zip(cps, readings.split("\n"), strict=True)),
                   dict(zip(cps, exact, strict=True)), dict(zip(cps, fuzzy, strict=True)),
                   symbols, {v: k for k, v in symbols.items()})

    @classmethod
    def build(cls) -> Phonetics:
        """Build the tables from pypinyin's data (about 42,000 characters)."""
        readings: dict[int, str] = {}
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
            readings[cp] = ",".join(seen)
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
        for s in self.readings[cp].split(","):
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
