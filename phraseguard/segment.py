"""Word boundaries, so a hit never cuts a word in two.

不清楚 inside 看不清楚 ("can't see clearly") is not the agent disclaiming
knowledge, and 不知道 read across 布置道具 is a homophone accident. A hit is
kept only when both its ends fall on word boundaries. Speech-recogniser output
already has them (the spaces between Vosk's words); written text is segmented
with jieba, loaded on first use because most lines never need it.
"""

from __future__ import annotations

import logging
import re

_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_CJK_SPACE_CJK = re.compile(rf"(?<={_CJK})[ \t\u3000]+(?={_CJK})")
_CJK_CHAR = re.compile(_CJK)


def space_density(text: str) -> float:
    """Spaces between Chinese characters per Chinese character.

    Speech-recogniser output puts a space between nearly every word (about
    0.5-0.7); written chat uses one now and then to end a sentence.
    """
    gaps = len(_CJK_SPACE_CJK.findall(text))
    if not gaps:
        return 0.0
    return gaps / max(1, len(_CJK_CHAR.findall(text)))


class Segmenter:
    """jieba word boundaries of normalised text (loaded lazily, cached per text).

    Only dictionary words count (no HMM guessing of unknown words: it glues
    particles onto phrases, 管哈). ``split_words`` are dictionary entries that
    are just an intensifier plus a phrase (真不知道), removed so they don't
    hide the phrase inside them.
    """

    def __init__(self, *, split_words: tuple[str, ...] = ()) -> None:
        self._tokenizer = None
        self._split_words = split_words
        self._cache: dict[str, frozenset[int]] = {}

    def _jieba(self):
        if self._tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for word in self._split_words:
                tokenizer.del_word(word)
            self._tokenizer = tokenizer
        return self._tokenizer

    def boundaries(self, text: str) -> frozenset[int]:
        """Positions in ``text`` where a word starts or ends (0 and len included)."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        bounds = {0, len(text)}
        pos = 0
        for token in self._jieba().cut(text, HMM=False):
            pos += len(token)
            bounds.add(pos)
        result = frozenset(bounds)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[text] = result
        return result
