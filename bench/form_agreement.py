"""Do a line and its other written forms get the same findings? (No labels needed.)

    python bench/form_agreement.py              # every agent line of ../shared/corpus
    python bench/form_agreement.py --show 40    # list up to 40 disagreeing lines
    python bench/form_agreement.py --limit 5000 # the first 5,000 lines only

For each agent line of the shared corpus, the set of (rule, severity) the
matcher finds in the line alone must equal the set found in

- its **traditional** form (OpenCC s2t), and
- its **speech-spaced** form: jieba's words separated by spaces, the
  punctuation kept where it was (a recogniser that writes punctuation, or a
  script typed with spaces). The same words with every punctuation mark
  removed lose their clause ends, which changes what a context condition
  sees; ``--no-punct`` measures that form too (reported, not required).

Prints the counts of lines per form and of disagreeing lines, and exits 1
when a required form disagrees on any line. ``tests/engine/test_form_agreement.py``
runs the same check (marked ``corpus``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _find_corpus() -> Path:
    for folder in ROOT.parents:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return ROOT.parent / "shared" / "corpus"


CORPUS = _find_corpus()


def agent_lines(corpus: Path = CORPUS) -> list[str]:
    """Every non-empty agent utterance of the corpus, one line each."""
    lines = []
    for f in sorted(corpus.glob("*.jsonl")):
        with f.open(encoding="utf-8") as fp:
            for line in fp:
                d = json.loads(line)
                text = d["text"].replace("\n", " ").strip()
                if d["role"] == "agent" and text:
                    lines.append(text)
    return lines


def spaced(texts: list[str], *, keep_punct: bool = True) -> list[str]:
    """jieba's words joined by spaces (punctuation kept as its own token, or dropped)."""
    import jieba

    jieba.setLogLevel(60)
    out = []
    for t in texts:
        words = [w for w in jieba.lcut(t) if w.strip()]
        if not keep_punct:
            words = [w for w in words if not _is_punct(w)]
        out.append(" ".join(words))
    return out


def _is_punct(word: str) -> bool:
    import unicodedata

    return all(unicodedata.category(c)[0] in "PSZ" for c in word)


def traditional(texts: list[str]) -> list[str]:
    import opencc

    conv = opencc.OpenCC("s2t")
    return [conv.convert(t) for t in texts]


def findings(matcher, texts: list[str]) -> list[frozenset[tuple[str, str]]]:
    """(rule id, severity name) found on each line, judged alone."""
    return [frozenset((h.rule_id, h.severity.name.lower()) for h in hits)
            for hits in matcher.scan_lines(texts)]


def disagreements(matcher, texts: list[str], forms: dict[str, list[str]]
                  ) -> dict[str, list[tuple[str, str, set, set]]]:
    """Per form: (line, form of it, findings on the line, findings on the form) that differ."""
    base = findings(matcher, texts)
    out: dict[str, list[tuple[str, str, set, set]]] = {}
    for name, other in forms.items():
        got = findings(matcher, other)
        out[name] = [(t, o, set(a), set(b))
                     for t, o, a, b in zip(texts, other, base, got, strict=True) if a != b]
    return out


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}")
        return 2
    lines = agent_lines()
    if "--limit" in argv:
        lines = lines[: int(argv[argv.index("--limit") + 1])]
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 10
    matcher = Matcher(load_lexicon())
    forms = {"traditional": traditional(lines), "spaced": spaced(lines)}
    required = set(forms)
    if "--no-punct" in argv:
        forms["spaced, no punctuation"] = spaced(lines, keep_punct=False)
    flagged = sum(bool(f) for f in findings(matcher, lines))
    print(f"{len(lines):,} agent lines, {flagged:,} with a finding")
    bad = 0
    for name, wrong in disagreements(matcher, lines, forms).items():
        print(f"{name:<24} {len(wrong):>5} lines disagree"
              + ("" if name in required else " (reported only)"))
        if name in required:
            bad += len(wrong)
        for text, other, a, b in wrong[:show]:
            print(f"    {text[:60]!r}\n      {other[:70]!r}\n      line {sorted(a)}  form {sorted(b)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
