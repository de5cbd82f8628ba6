"""Precision and recall of the required call-flow items on held-out dialogues.

    python bench/callflow_accuracy.py            # the table
    python bench/callflow_accuracy.py --errors   # also the misjudged dialogues (keys only)

``tests/data/heldout/call_structure.tsv`` says, for 100 corpus dialogues
labelled by someone who never wrote or read the rules, whether the agent
greets, introduces itself and says farewell (``call_structure_README.md``
has the labeller's rules). Each dialogue is read from ``../shared/corpus``
and checked with the default lexicon's required rules (``CallFlow``, no
timing: corpus text has no times); an item counts as *said* when the check
finds it. The positive class is "the item is there", as the target in
issue #11 is stated; the table also gives the figures for "missing", which
is what a deduction is made for. Nobody tunes on this set.

Skips cleanly (exit 0 with a message) where ../shared/corpus is absent.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

from callflow_corpus import Line, dialogues  # noqa: E402

from phraseguard.engine.callflow import CallFlow  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402

LABELS = REPO / "tests" / "data" / "heldout" / "call_structure.tsv"
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus",
                           REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
              REPO.parent / "shared" / "corpus")
ITEMS = {"greeting": "greeting", "self_introduction": "self-introduction",
         "closing": "closing"}


def _dialogues(names: set[str]) -> dict[tuple[str, str], list[Line]]:
    """Each wanted file's dialogues by (file, dialog id), in turn order."""
    return {(name, dialog): lines for name in sorted(names)
            for dialog, lines in dialogues(CORPUS / f"{name}.jsonl").items()}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main(argv: list[str]) -> int:
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing measured")
        return 0
    labels = list(csv.DictReader(LABELS.open(encoding="utf-8"), delimiter="\t",
                                 quoting=csv.QUOTE_NONE))
    dialogues = _dialogues({r["file"] for r in labels})
    flow = CallFlow(load_lexicon(), timing=False)
    counts = {item: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for item in ITEMS}
    wrong: list[str] = []
    for r in labels:
        lines = dialogues.get((r["file"], r["dialog"]))
        if lines is None:
            raise SystemExit(f"{LABELS}: dialogue {r['file']}:{r['dialog']} is not in the corpus")
        checklist = flow.check(lines).checklist
        for column, rule in ITEMS.items():
            truth = r[column] == "yes"
            said = bool(checklist.get(rule))
            key = ("tp" if said else "fn") if truth else ("fp" if said else "tn")
            counts[column][key] += 1
            if said != truth:
                wrong.append(f"    {rule:<18} labelled {'yes' if truth else 'no ':<3} "
                             f"found {'yes' if said else 'no '}  {r['file']}:{r['dialog']}")
    print(f"{len(labels)} held-out dialogues (labelled independently; never tuned on)\n")
    print(f"{'item':<18} {'said':>4}   {'P(said)':>7} {'R(said)':>7}   "
          f"{'P(missing)':>10} {'R(missing)':>10}")
    for column, rule in ITEMS.items():
        c = counts[column]
        print(f"{rule:<18} {c['tp'] + c['fn']:>4}   {_ratio(c['tp'], c['tp'] + c['fp']):>7.3f} "
              f"{_ratio(c['tp'], c['tp'] + c['fn']):>7.3f}   "
              f"{_ratio(c['tn'], c['tn'] + c['fn']):>10.3f} "
              f"{_ratio(c['tn'], c['tn'] + c['fp']):>10.3f}")
    if "--errors" in argv:
        print("\nmisjudged:")
        print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
