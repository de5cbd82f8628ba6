"""What a call-flow change changes: another lexicon's required rules against the current one.

    python bench/callflow_diff.py OLD.toml            # every call-flow tuning set
    python bench/callflow_diff.py OLD.toml --corpus   # and the corpus dialogues no set labels
    python bench/callflow_diff.py OLD.toml --sets callflow_train9 --items closing

The check every call-flow family in lexicons/README.md is measured with
before it lands: on the call-flow tuning sets (``tests/data/callflow_train*.tsv``;
never a held-out one, whose labels are not opened), how many dialogues each
lexicon judges right per item, and which dialogues changed (GOOD: now right,
BAD: now wrong); with ``--corpus``, every corpus dialogue outside the
labelled sets whose checklist changes, with the window the item is looked
for in, so that each one is read before the change lands.

OLD is usually the lexicon as it was: ``git show HEAD:lexicons/default.toml
> /tmp/old.toml``. Skips cleanly (exit 0 with a message) where
../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

from accuracy import pick_sets  # noqa: E402
from callflow_accuracy import ITEMS, source_of  # noqa: E402
from callflow_corpus import CORPUS, FILES, Line, agent_messages, dialogues  # noqa: E402

from phraseguard.engine.callflow import CallFlow  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402
from phraseguard.errors import PhraseguardError  # noqa: E402

DATA = REPO / "tests" / "data"
# Where each item is looked for: the agent's first two messages or last two.
WINDOW = {"greeting": "first", "self-introduction": "first", "closing": "last"}

Key = tuple[str, str]


def tuning_sets() -> dict[str, Path]:
    """The call-flow tuning sets by name (file stem), in order."""
    paths = sorted(DATA.glob("callflow_train*.tsv"),
                   key=lambda p: int(p.stem.removeprefix("callflow_train") or 1))
    return {p.stem: p for p in paths}


def keys_of(path: Path) -> set[Key]:
    """The dialogues a labels file names (keys only; no label is read)."""
    with path.open(encoding="utf-8") as fp:
        return {(r["file"], r["dialog"]) for r in
                csv.DictReader(fp, delimiter="\t", quoting=csv.QUOTE_NONE)}


def window_text(lines: list[Line], rule: str) -> str:
    """The agent messages the rule's item is looked for in, joined by ' | '."""
    said = agent_messages(lines)
    return " | ".join(said[:2] if WINDOW[rule] == "first" else said[-2:])


def checklists(flow: CallFlow, dialogs: dict[Key, list[Line]]) -> dict[Key, dict[str, bool]]:
    """Each dialogue's checklist (rule id -> said) under ``flow``."""
    return {key: {rule: bool(flow.check(lines).checklist.get(rule)) for rule in ITEMS.values()}
            for key, lines in dialogs.items()}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path, help="the lexicon to compare against (a .toml file)")
    ap.add_argument("--sets", help="only these tuning sets, comma-separated (default: all)")
    ap.add_argument("--items", help="only these items: greeting, self_introduction, closing")
    ap.add_argument("--corpus", action="store_true",
                    help="also every corpus dialogue outside the labelled sets that changes")
    args = ap.parse_args(argv)
    if not args.old.is_file():
        print(f"{args.old}: no such lexicon file", file=sys.stderr)
        return 2
    try:
        sets = pick_sets(tuning_sets(), args.sets) if args.sets else tuning_sets()
        items = pick_sets(ITEMS, args.items, "--items", "item") if args.items else dict(ITEMS)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing compared")
        return 0
    try:
        old = CallFlow(load_lexicon(args.old), timing=False)
    except PhraseguardError as exc:
        print(f"{args.old}: not a usable lexicon: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    new = CallFlow(load_lexicon(), timing=False)
    corpus = {(f.removesuffix(".jsonl"), d): lines for f in FILES if (CORPUS / f).is_file()
              for d, lines in dialogues(CORPUS / f).items()}
    for name, path in sets.items():
        with path.open(encoding="utf-8") as fp:
            rows = list(csv.DictReader(fp, delimiter="\t", quoting=csv.QUOTE_NONE))
        keys = [(r["file"], r["dialog"]) for r in rows]
        # Written phone calls live beside their labels (no corpus has calls).
        for written in {f for f, _ in keys} - {f for f, _ in corpus}:
            if source_of(written, path).is_file():
                corpus.update({(written, d): lines for d, lines
                               in dialogues(source_of(written, path)).items()})
        missing = [k for k in keys if k not in corpus]
        if missing:
            print(f"{path}: dialogue {missing[0][0]}:{missing[0][1]} is not in the corpus "
                  "nor beside the labels",
                  file=sys.stderr)
            return 2
        dialogs = {k: corpus[k] for k in keys}
        before, after = checklists(old, dialogs), checklists(new, dialogs)
        print(f"{name} ({len(rows)} dialogues): right, old -> new")
        changed: list[str] = []
        for column, rule in items.items():
            right_old = right_new = 0
            for r, key in zip(rows, keys, strict=True):
                truth = r[column] == "yes"
                right_old += before[key][rule] == truth
                right_new += after[key][rule] == truth
                if before[key][rule] != after[key][rule]:
                    mark = "GOOD" if after[key][rule] == truth else "BAD "
                    changed.append(f"  {mark} {rule:<18} labelled {r[column]:<3} "
                                   f"{key[0]}:{key[1]}  {window_text(corpus[key], rule)[:160]}")
            print(f"  {rule:<18} {right_old:>4} -> {right_new:>4}")
        print("\n".join(changed) if changed else "  no dialogue changed")
    if args.corpus:
        labelled_files = [*(DATA / "heldout").glob("call_structure*.tsv"), *tuning_sets().values()]
        skip = set().union(*(keys_of(p) for p in labelled_files))
        rest = {k: v for k, v in corpus.items() if k not in skip
                and any(ln.role == "agent" for ln in v)}
        before, after = checklists(old, rest), checklists(new, rest)
        print(f"\ncorpus dialogues outside the labelled sets: {len(rest)}")
        for rule in items.values():
            gained = [k for k in rest if after[k][rule] and not before[k][rule]]
            lost = [k for k in rest if before[k][rule] and not after[k][rule]]
            print(f"  {rule}: {len(gained)} more found, {len(lost)} fewer")
            for mark, keys in (("+", gained), ("-", lost)):
                for k in keys:
                    print(f"    {mark} {k[0]}:{k[1]}  {window_text(rest[k], rule)[:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
