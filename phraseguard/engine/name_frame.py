"""A self-introduction found by where a name stands, not by what it is.

See :class:`phraseguard.engine.flowrules.NameFrame` for the frame the
lexicon gives (``[required.name_frame]``). The frame is matched over the
utterance normalised for candidate search (traditional folded, punctuation,
spaces and fillers dropped), so "您好，12306客服中心，请讲。" and the
recogniser's "您好12306客服中心请讲" read alike.
"""

from __future__ import annotations

import re

from phraseguard.engine.flowrules import NameFrame
from phraseguard.engine.normalize import Normalizer


class NameFrameMatcher:
    """The name an utterance opens with, by its place in ``frame``. Build once.

    ``company``: the configured company's names, when there are any; a name
    then counts only when it holds one of them (您好，京东，很高兴为您服务 for 京东,
    not 您好，联通，很高兴为您服务).
    """

    def __init__(self, frame: NameFrame, norm: Normalizer, company: tuple[str, ...] = ()
                 ) -> None:
        self._norm = norm
        self._company = tuple(c for c in (norm.fast(n) for n in company) if c)

        def alternation(texts: tuple[str, ...]) -> str:
            folded = sorted({norm.fast(t) for t in texts} - {""}, key=len, reverse=True)
            return "|".join(re.escape(t) for t in folded)

        greetings = alternation(frame.greetings)
        # (possessive: a greeting is never read back as the start of a name)
        lead = f"^(?:{greetings})*+" if greetings else "^"
        size = f"{{{frame.min_chars},{frame.max_chars}}}"
        # Shortest name first: the offer right after it ends it.
        patterns = []
        # (a particle may follow the name before the offer: 成都燃气哈，有啥子事)
        tail = f"(?:{alternation(frame.name_particles)})?" if frame.name_particles else ""
        if frame.offers:
            patterns.append(re.compile(
                f"{lead}(?P<name>.{size}?){tail}(?:{alternation(frame.offers)})"))
        if frame.name_ends:
            patterns.append(re.compile(
                f"{lead}(?P<name>.{size}?(?:{alternation(frame.name_ends)}))$"))
        self._patterns = tuple(patterns)
        # (a filler folds to nothing, and nothing is inside every name)
        self._inside = tuple(t for t in (norm.fast(t) for t in frame.not_in_name) if t)
        # A name made of nothing but these words names no one (信用卡中心).
        self._generic = re.compile("(?:" + alternation(frame.not_a_name) + ")+") \
            if frame.not_a_name else None
        self._min = frame.min_chars

    def name(self, text: str) -> str | None:
        """The name ``text`` opens with (normalised), or None."""
        plain = self._norm.fast(text)
        for pattern in self._patterns:
            m = pattern.match(plain)
            if m is None:
                continue
            name = m.group("name")
            if (len(name) >= self._min
                    and not (self._generic is not None and self._generic.fullmatch(name))
                    and not any(part in name for part in self._inside)
                    and (not self._company or any(c in name for c in self._company))):
                return name
        return None
