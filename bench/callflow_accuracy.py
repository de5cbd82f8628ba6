"""Precision and recall of the required call-flow items on labelled dialogues.

    python bench/callflow_accuracy.py --tuning            # the tuning set (tune on this)
    python bench/callflow_accuracy.py --tuning --errors   # also the misjudged dialogues
    python bench/callflow_accuracy.py --labels FILE.tsv   # any file of the same columns
    python bench/callflow_accuracy.py                     # the held-out set (the lead only)

``tests/data/callflow_train.tsv`` (``--tuning``) holds 150 corpus dialogues
labelled by an independent labeller under the QA guideline (greeting and
self-introduction in the first two agent turns, closing in the last two);
the rules are tuned on it. ``tests/data/heldout/call_structure.tsv`` (the
default, read only when neither ``--tuning`` nor ``--labels`` is given)
holds 100 more, labelled by someone who never wrote or read the rules
(``call_structure_README.md`` has the labeller's rules); nobody tunes on it.
Both say, per dialogue, whether the agent greets, introduces itself and says
farewell (columns file, dialog, greeting, self_introduction, closing, ...).
Each dialogue is read from ``../shared/corpus`` (or, for written phone
calls, from ``<file>.jsonl`` beside the labels file) and checked with the default lexicon's required rules (``CallFlow``, no
timing: corpus text has no times); an item counts as *said* when the check
finds it. The positive class is "the item is there", as the target in
issue #11 is stated; the table also gives the figures for "missing", which
is what a deduction is made for.

Skips cleanly (exit 0 with a message) where ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

from callflow_corpus import Line, dialogues  # noqa: E402

from phraseguard.engine.callflow import CallFlow  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402

HELDOUT = REPO / "tests" / "data" / "heldout" / "call_structure.tsv"
TUNING = REPO / "tests" / "data" / "callflow_train.tsv"
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus",
                           REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
              REPO.parent / "shared" / "corpus")
ITEMS = {"greeting": "greeting", "self_introduction": "self-introduction",
         "closing": "closing"}


def source_of(name: str, labels: Path) -> Path:
    """Where the dialogues of one ``file`` column value are read from.

    A JSONL of that name beside the labels file wins (calls written by a
    helper, committed with their labels: no corpus has phone calls); else the
    corpus file of that name.
    """
    beside = labels.parent / f"{name}.jsonl"
    return beside if beside.is_file() else CORPUS / f"{name}.jsonl"


def _dialogues(names: set[str], labels: Path) -> dict[tuple[str, str], list[Line]]:
    """Each wanted file's dialogues by (file, dialog id), in turn order."""
    out: dict[tuple[str, str], list[Line]] = {}
    for name in sorted(names):
        source = source_of(name, labels)
        if not source.is_file():
            raise SystemExit(f"{labels}: no dialogues named {name!r} "
                             f"(looked for {source} and beside the labels)")
        out.update({(name, dialog): lines for dialog, lines in dialogues(source).items()})
    return out


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def _labels_path(args: argparse.Namespace) -> tuple[Path, str]:
    """The labels to measure on, and how to name them in the table.

    The held-out file is the default only when no other file is asked for,
    so measuring on the tuning set never reads (or prints) the held-out set.
    """
    if args.labels is not None:
        return args.labels, f"dialogues from {args.labels}"
    if args.tuning:
        return TUNING, "tuning dialogues (tests/data/callflow_train.tsv; tune on these)"
    return HELDOUT, "held-out dialogues (labelled independently; never tuned on)"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--labels", type=Path, metavar="PATH",
                       help="a labels TSV (file, dialog, greeting, self_introduction, closing)")
    which.add_argument("--tuning", action="store_true",
                       help=f"the tuning set, {TUNING.relative_to(REPO)}")
    ap.add_argument("--errors", action="store_true",
                    help="also list the misjudged dialogues (keys only)")
    args = ap.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing measured")
        return 0
    path, title = _labels_path(args)
    if not path.is_file():
        print(f"{path}: no such labels file", file=sys.stderr)
        return 2
    labels = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t",
                                 quoting=csv.QUOTE_NONE))
    dialogues = _dialogues({r["file"] for r in labels}, path)
    flow = CallFlow(load_lexicon(), timing=False)
    counts = {item: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for item in ITEMS}
    wrong: list[str] = []
    for r in labels:
        lines = dialogues.get((r["file"], r["dialog"]))
        if lines is None:
            raise SystemExit(f"{path}: dialogue {r['file']}:{r['dialog']} is not in "
                             f"{source_of(r['file'], path)}")
        checklist = flow.check(lines).checklist
        for column, rule in ITEMS.items():
            truth = r[column] == "yes"
            said = bool(checklist.get(rule))
            key = ("tp" if said else "fn") if truth else ("fp" if said else "tn")
            counts[column][key] += 1
            if said != truth:
                wrong.append(f"    {rule:<18} labelled {'yes' if truth else 'no ':<3} "
                             f"found {'yes' if said else 'no '}  {r['file']}:{r['dialog']}")
    print(f"{len(labels)} {title}\n")
    print(f"{'item':<18} {'said':>4}   {'P(said)':>7} {'R(said)':>7}   "
          f"{'P(missing)':>10} {'R(missing)':>10}")
    for column, rule in ITEMS.items():
        c = counts[column]
        print(f"{rule:<18} {c['tp'] + c['fn']:>4}   {_ratio(c['tp'], c['tp'] + c['fp']):>7.3f} "
              f"{_ratio(c['tp'], c['tp'] + c['fn']):>7.3f}   "
              f"{_ratio(c['tn'], c['tn'] + c['fn']):>10.3f} "
              f"{_ratio(c['tn'], c['tn'] + c['fp']):>10.3f}")
    if args.errors:
        print("\nmisjudged:")
        print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
