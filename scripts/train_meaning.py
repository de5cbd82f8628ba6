"""Train the meaning model (lexicons/meaning-model.npz) from the labelled tuning sets.

    pip install -e '.[train]'                   # scikit-learn, for training only
    python scripts/train_meaning.py             # writes lexicons/meaning-model.npz
    python scripts/train_meaning.py --out /tmp/m.npz --config my-training.toml

What it learns from is ``lexicons/meaning-training.toml``: the labelled
tuning sets (never a held-out set) and, as benign examples, every other
agent line of ../shared/corpus that no rule flags. The model is a
multinomial logistic regression over the features engine/meaning.py reads
(character n-grams of the turn and of the agent's next turn, tf-idf); its
classes are ``none`` and the lexicon rule ids of the categories. Training is
deterministic: the same files give the same weights.

The file records a digest of what it was trained on; a test fails when the
tuning sets change and the model was not retrained. The fitting itself is
``phraseguard.training`` (what ``phraseguard lexicon train-meaning`` runs on
a QA team's own labelled files); this script adds the repository's sets in
their other formats (corpus keys, written lines) and the corpus lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import accuracy  # noqa: E402  (bench/accuracy.py: the labelled-set loaders)

from phraseguard.engine.meaning import NONE_CLASS, MeaningWeights  # noqa: E402
from phraseguard.training import load_config, target  # noqa: E402,F401 (load_config: for benches)

CONFIG = ROOT / "lexicons" / "meaning-training.toml"
OUT = ROOT / "lexicons" / "meaning-model.npz"


def labelled(config: dict, root: Path = ROOT) -> dict[str, list]:
    """The labelled tuning sets named in ``config``, by file stem."""
    out: dict[str, list] = {}
    for p in config.get("paraphrases", []):
        out[Path(p).stem] = accuracy.paraphrase_examples(root / p)
    for p in config.get("written", []):
        out[Path(p).stem] = accuracy.constructed_examples(root / p)
    for p in config.get("corpus_labels", []):
        out[Path(p).stem] = accuracy.corpus_examples(labels=root / p)
    return out


def training_digest(config: dict, root: Path = ROOT) -> str:
    """sha256 (16 hex) over the training config and every labelled file it names."""
    h = hashlib.sha256(json.dumps(config, sort_keys=True).encode())
    for key in ("paraphrases", "written", "corpus_labels"):
        for p in config.get(key, []):
            h.update((root / p).read_bytes())
    return h.hexdigest()[:16]


def heldout_keys(root: Path = ROOT) -> set[tuple[str, str, str]]:
    """(file, dialog, turn) of every held-out corpus line: never trained on, not even as benign."""
    keys = set()
    for path in sorted((root / "tests" / "data" / "heldout").glob("*_corpus.tsv")):
        with path.open(encoding="utf-8") as fp:
            next(fp)
            for line in fp:
                file, dialog, turn = line.split("\t")[:3]
                keys.add((file, dialog, turn))
    return keys


def corpus_benign(matcher, exclude: set[tuple[str, str, str]], corpus: Path = accuracy.CORPUS
                  ) -> list:
    """Agent lines of the corpus no rule flags at minor or above, with the
    customer's turn before and the agent's next turn (of the line's first
    occurrence)."""
    from phraseguard.engine.hit import Severity

    lines: dict[str, tuple[str | None, str | None]] = {}  # text -> (customer, next turn)
    for f in sorted(corpus.glob("*.jsonl")):
        dialogs: dict[str, list[dict]] = {}
        with f.open(encoding="utf-8") as fp:
            for raw in fp:
                d = json.loads(raw)
                dialogs.setdefault(str(d["dialog"]), []).append(d)
        for dialog, turns in dialogs.items():
            turns.sort(key=lambda d: int(d["turn"]))
            customer = None
            for i, d in enumerate(turns):
                text = d["text"].replace("\n", " ").strip()
                if d["role"] == "customer":
                    customer = text
                    continue
                if d["role"] != "agent" or not text or (f.name, dialog, str(d["turn"])) in exclude:
                    continue
                nxt = next((t["text"] for t in turns[i + 1:]
                            if t["role"] != "customer" and t["text"].strip()), None)
                lines.setdefault(text, (customer, nxt))
    texts = sorted(lines)
    minor = Severity.MINOR
    keep = [t for t, hits in zip(texts, matcher.scan_lines(texts), strict=True)
            if not any(h.severity >= minor for h in hits)]
    return [accuracy.Example(t, "benign", "corpus-benign", *lines[t]) for t in keep]


def train(examples: list, weights: list[float], classes_of: list[str], config: dict,
          normalize, about: str = "") -> MeaningWeights:
    """Fit the model (``phraseguard.training.train``, what ``lexicon train-meaning`` runs)."""
    from phraseguard.training import train as fit

    return fit(examples, weights, classes_of, config, normalize, about)


def training_set(config: dict, matcher, *, leave_out: str | None = None,
                 corpus_lines: list | None = None, root: Path = ROOT
                 ) -> tuple[list, list[float], list[str]]:
    """Examples, sample weights and classes; ``leave_out``: a set's stem to skip;
    ``corpus_lines``: the benign corpus lines, when already read."""
    sets = labelled(config, root)
    examples, weights, classes = [], [], []
    for stem, exs in sets.items():
        if stem == leave_out:
            continue
        for e in exs:
            examples.append(e)
            weights.append(1.0)
            classes.append(target(e, config["categories"]))  # phraseguard.training
    benign = corpus_lines if corpus_lines is not None else corpus_benign(
        matcher, heldout_keys() | {tuple(e.origin.split(":")) for exs in sets.values()
                                   for e in exs if e.origin.count(":") == 2})
    w = float(config["training"]["corpus_benign_weight"])
    for e in benign:
        examples.append(e)
        weights.append(w)
        classes.append(NONE_CLASS)
    return examples, weights, classes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", type=Path, default=CONFIG)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.engine.meaning_files import save_weights
    from phraseguard.engine.normalize import Normalizer

    config = load_config(args.config)
    lex = load_lexicon(None)
    matcher = Matcher(lex)
    examples, weights, classes = training_set(config, matcher)
    counts = Counter(classes)
    print(f"training on {len(examples)} turns: " + ", ".join(f"{c} {n}" for c, n in
                                                              sorted(counts.items())),
          file=sys.stderr)
    digest = training_digest(config)
    about = (f"training {digest}: {sum(n for c, n in counts.items() if c != NONE_CLASS)} "
             f"labelled violations, {len(examples)} turns")
    model = train(examples, weights, classes, config,
                  Normalizer(fillers=lex.matching.fillers).fast, about)
    save_weights(model, args.out)
    print(f"wrote {args.out} ({len(model.text_grams) + len(model.next_grams)} features; {about})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
