"""Line-level precision and recall of the default lexicon on labelled lines.

    python bench/accuracy.py                    # table for every form
    python bench/accuracy.py --errors           # also list the misjudged lines
    python bench/accuracy.py --baseline         # plain substring search, for comparison
    python bench/accuracy.py --lexicon FILE     # another lexicon (e.g. one adding 无法)

Labelled data: ``tests/data/corpus_labels.tsv`` points at agent lines of
``../shared/corpus`` (the text is read from there, never copied into the
repository); ``tests/data/constructed.tsv`` holds lines written for the
project. Each line is also judged in three derived forms, as the acceptance
set does: traditional characters, speech-style spaced words, and homophone
errors in the forbidden phrases.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "corpus_labels.tsv"
# A second set, labelled independently later (lines with 无法, 不确定,
# 不是很清楚... and another random sample), to see how the lexicon generalises.
HOLDOUT = ROOT / "tests" / "data" / "corpus_labels_holdout.tsv"
CONSTRUCTED = ROOT / "tests" / "data" / "constructed.tsv"
CORPUS = ROOT.parent / "shared" / "corpus"

# Characters of the standard's phrases whose homophones an ASR system writes.
TRIGGER_WORDS = ("不知道", "不清楚", "不了解", "没关系", "没办法", "没有办法", "没法", "不管",
                 "随便", "解决", "处理不了", "不归", "自己去问")


@dataclass(frozen=True)
class Example:
    text: str
    violation: bool
    origin: str


def corpus_examples(corpus: Path = CORPUS, labels: Path = LABELS) -> list[Example]:
    """Labelled agent lines of the shared corpus ([] when it is absent)."""
    if not corpus.is_dir():
        return []
    rows = list(csv.DictReader(labels.open(encoding="utf-8"), delimiter="\t"))
    wanted = {(r["file"], r["dialog"], r["turn"]): r for r in rows}
    texts: dict[tuple[str, str, str], str] = {}
    for name in sorted({r["file"] for r in rows}):
        with (corpus / name).open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                key = (name, str(d["dialog"]), str(d["turn"]))
                if key in wanted:
                    texts[key] = d["text"]
    out = []
    for key, r in wanted.items():
        text = texts.get(key)
        if text is None or hashlib.sha1(text.encode()).hexdigest()[:8] != r["sha1_8"]:
            raise SystemExit(f"{labels}: {key} does not match the corpus (changed corpus?)")
        out.append(Example(text, r["label"] == "violation", f"{key[0]}:{key[1]}:{key[2]}"))
    return out


def constructed_examples() -> list[Example]:
    rows = csv.DictReader(CONSTRUCTED.open(encoding="utf-8"), delimiter="\t")
    return [Example(r["text"], r["label"] == "violation", "constructed") for r in rows]


def to_traditional(texts: list[str]) -> list[str]:
    import opencc

    conv = opencc.OpenCC("s2t")
    return [conv.convert(t) for t in texts]


def to_spaced(texts: list[str]) -> list[str]:
    """Speech-recogniser style: words separated by spaces, no punctuation."""
    import jieba

    jieba.setLogLevel(60)
    out = []
    for t in texts:
        words = [w for w in jieba.lcut(t) if w.strip() and not _is_punct(w)]
        out.append(" ".join(words))
    return out


def _is_punct(word: str) -> bool:
    import unicodedata

    return all(unicodedata.category(c)[0] in "PSZ" for c in word)


def _homophones() -> dict[str, list[str]]:
    from phraseguard.engine.phonetics import _load_pinyin_dict, _strip_tone

    by_sound: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for cp, spelled in _load_pinyin_dict().items():
        if not 0x4E00 <= cp <= 0x9FFF:
            continue
        syl = _strip_tone(spelled.split(",")[0])
        first[chr(cp)] = syl
        by_sound.setdefault(syl, []).append(chr(cp))
    return {ch: [c for c in by_sound[s] if c != ch] for ch, s in first.items()}


def to_homophones(texts: list[str], seed: int = 7) -> list[str]:
    """Replace characters of the trigger words with same-sound characters."""
    rng = random.Random(seed)
    table = _homophones()
    out = []
    for t in texts:
        chars = list(t)
        for word in TRIGGER_WORDS:
            start = t.find(word)
            while start >= 0:
                for i in range(start, start + len(word)):
                    alts = table.get(chars[i], [])
                    if alts and rng.random() < 0.5:
                        chars[i] = rng.choice(alts[:20])
                start = t.find(word, start + 1)
        out.append("".join(chars))
    return out


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(matcher, examples: list[Example], texts: list[str] | None = None
             ) -> tuple[Score, list[tuple[Example, str, list]]]:
    texts = texts if texts is not None else [e.text for e in examples]
    tp = fp = fn = tn = 0
    wrong = []
    for ex, text, hits in zip(examples, texts, matcher.scan_lines(texts), strict=True):
        flagged = bool(hits)
        if flagged and ex.violation:
            tp += 1
        elif flagged:
            fp += 1
            wrong.append((ex, text, hits))
        elif ex.violation:
            fn += 1
            wrong.append((ex, text, hits))
        else:
            tn += 1
    return Score(tp, fp, fn, tn), wrong


def forms(examples: list[Example]) -> dict[str, list[str]]:
    plain = [e.text for e in examples]
    return {
        "plain": plain,
        "traditional": to_traditional(plain),
        "spaced": to_spaced(plain),
        "homophone": to_homophones(plain),
        "spaced+homophone": to_spaced(to_homophones(plain)),
    }


class SubstringBaseline:
    """The issue's baseline: a line is flagged when it contains one of the six phrases."""

    PHRASES = ("我们不管", "跟我们没关系", "没办法解决", "随便", "不清楚", "不知道")

    def scan_lines(self, texts):
        return ([p for p in self.PHRASES if p in t] for t in texts)


def main(argv: list[str]) -> int:
    """``--errors`` lists misjudged lines; ``--lexicon FILE`` measures another lexicon;
    ``--baseline`` measures plain substring search for the six standard phrases."""
    sys.path.insert(0, str(ROOT))
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    lexicon = argv[argv.index("--lexicon") + 1] if "--lexicon" in argv else None
    matcher = SubstringBaseline() if "--baseline" in argv else Matcher(load_lexicon(lexicon))
    sets = {"corpus": corpus_examples(), "holdout": corpus_examples(labels=HOLDOUT),
            "constructed": constructed_examples()}
    if not sets["corpus"]:
        print(f"(no corpus at {CORPUS}: corpus rows skipped)")
    print(f"{'set':<12} {'form':<17} {'lines':>5} {'precision':>9} {'recall':>7}")
    for name, examples in sets.items():
        if not examples:
            continue
        for form, texts in forms(examples).items():
            score, wrong = evaluate(matcher, examples, texts)
            print(f"{name:<12} {form:<17} {len(examples):>5} {score.precision:>9.3f} "
                  f"{score.recall:>7.3f}")
            if "--errors" in argv:
                for ex, text, hits in wrong:
                    tag = "FN" if ex.violation else "FP"
                    got = ", ".join(getattr(h, "rule_id", str(h)) + ":" + getattr(h, "matched", "")
                                    for h in hits)
                    print(f"    {tag} {text[:80]}  [{got}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
