"""What a lexicon change changes: another lexicon (and model) against the current one.

    python bench/lexicon_diff.py OLD.toml                    # every tuning set, every form
    python bench/lexicon_diff.py OLD.toml --show             # also each row that changed
    python bench/lexicon_diff.py OLD.toml --model OLD.npz    # OLD with its own meaning model
    python bench/lexicon_diff.py OLD.toml --sets para-train28 --forms plain,spaced
    python bench/lexicon_diff.py OLD.toml --min-severity minor
    python bench/lexicon_diff.py OLD.toml --corpus           # and the corpus agent lines

The check every family in lexicons/README.md was measured with before it
landed: on the tuning sets (never a held-out one: they are not opened), how
many rows each lexicon judges right at ``--min-severity`` in each form, and
which rows changed (GOOD: now right, BAD: now wrong); with ``--corpus``, how
many corpus agent lines get other findings (rule and severity), judged alone
(as ``lint`` reads a one-line script) and judged in their dialogues, with the
customer's turn before and the agent's next turn (as ``score`` reads a call)
— a change that moves no labelled row may still move real lines, and every
one of those is read before the change lands. Rules that need the customer's
turn (``needs_customer``) move only in the second count: the thirtieth
session's first draft of "the problem called normal" changed no line alone
and one in its dialogue (请您在正常缴费周期内, read as 再正常 by sound).

OLD is usually the lexicon as it was, saved with ``git show
HEAD:lexicons/default.toml > /tmp/old.toml``; its ``[meaning] model`` is
resolved beside that file, so pass ``--model`` (the model file as it was)
unless the change leaves the model alone, in which case the current model is
used for both. Both sides use the meaning model unless ``--no-meaning``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import accuracy  # noqa: E402
from form_agreement import CORPUS, agent_lines  # noqa: E402

from phraseguard.engine.hit import Severity  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402
from phraseguard.engine.matcher import Matcher  # noqa: E402
from phraseguard.engine.meaning_files import attach_meaning, load_weights  # noqa: E402
from phraseguard.errors import PhraseguardError  # noqa: E402
from phraseguard.evaluation import judge_all  # noqa: E402

CURRENT_MODEL = ROOT / "lexicons" / "meaning-model.npz"


def matcher_for(lexicon: Path | None, model: Path | None) -> Matcher:
    """A matcher for ``lexicon`` (None: the default) with ``model`` attached (None: none)."""
    m = Matcher(load_lexicon(lexicon))
    if model is not None:
        attach_meaning(m, load_weights(model))
    return m


def flagged(matcher: Matcher, examples, texts: list[str], floor: Severity) -> list[bool]:
    """Whether each example (in the form ``texts``) has a hit at ``floor`` or above."""
    return [any(h.severity >= floor for h in hits)
            for hits in judge_all(matcher, examples, texts)]


def corpus_changes(old: Matcher, new: Matcher) -> list[tuple[str, set, set]]:
    """Corpus agent lines whose (rule, severity) findings differ, judged alone."""
    lines = agent_lines()

    def found(m: Matcher) -> list[frozenset]:
        return [frozenset((h.rule_id, h.severity.name.lower()) for h in hits)
                for hits in m.scan_lines(lines)]

    return [(t, set(a), set(b)) for t, a, b in zip(lines, found(old), found(new), strict=True)
            if a != b]


def corpus_turns(corpus: Path = CORPUS) -> list[accuracy.Example]:
    """Every non-empty corpus agent turn with the customer's last turn before it and
    the agent's next turn in the same dialogue (None where there is none), as
    ``score`` reads them. ``origin`` is ``file:dialog``; the label is not known."""
    names = {f.name for f in corpus.glob("*.jsonl")}
    return [accuracy.Example(text.replace("\n", " ").strip(), "benign", f"{name}:{dialog}",
                             customer=customer, next_turn=nxt)
            for (name, dialog, _), text, customer, nxt in accuracy.dialogue_turns(corpus, names)
            if text.strip()]


def corpus_changes_in_context(old: Matcher, new: Matcher, turns: list[accuracy.Example]
                              ) -> list[tuple[accuracy.Example, set, set]]:
    """Corpus agent turns whose (rule, severity) findings differ, each judged with
    its customer turn before and the agent's next turn (``corpus_turns``)."""
    def found(m: Matcher) -> list[frozenset]:
        return [frozenset((h.rule_id, h.severity.name.lower()) for h in hits)
                for hits in judge_all(m, turns)]

    return [(t, set(a), set(b)) for t, a, b in zip(turns, found(old), found(new), strict=True)
            if a != b]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path, help="the lexicon to compare against (a .toml file)")
    ap.add_argument("--model", type=Path, help="OLD's meaning model (default: the current one)")
    ap.add_argument("--no-meaning", action="store_true", help="the rules alone, both sides")
    ap.add_argument("--sets", help="only these tuning sets (names as bench/accuracy.py prints)")
    ap.add_argument("--forms", default="plain,traditional,spaced,homophone,spaced+homophone",
                    help="the forms to judge (default: all five)")
    ap.add_argument("--min-severity", default="major", help="major (default) or minor")
    ap.add_argument("--corpus", action="store_true", help="also the corpus agent lines")
    ap.add_argument("--show", action="store_true", help="list each row or line that changed")
    args = ap.parse_args(argv)
    if not args.old.is_file():
        print(f"{args.old}: no such lexicon file", file=sys.stderr)
        return 2
    floor = Severity.parse(args.min_severity)
    models = (None, None) if args.no_meaning else (args.model or CURRENT_MODEL, CURRENT_MODEL)
    try:
        old = matcher_for(args.old, models[0])
    except PhraseguardError as exc:
        print(f"{args.old}: not a usable lexicon: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    new = matcher_for(None, models[1])
    sets = accuracy.tuning_sets()
    if args.sets:
        try:
            sets = accuracy.pick_sets(sets, args.sets)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
    examples = [e for v in sets.values() for e in v]
    forms = accuracy.forms(examples)
    unknown = [f for f in args.forms.split(",") if f not in forms]
    if unknown:
        print(f"--forms: unknown form(s) {', '.join(unknown)}; known: {', '.join(forms)}",
              file=sys.stderr)
        return 2
    positive = [e.positive(args.min_severity) for e in examples]
    print(f"{len(examples):,} tuning rows, at {args.min_severity}: rows judged right, "
          f"{args.old.name} -> current")
    for name in args.forms.split(","):
        texts = forms[name]
        a, b = flagged(old, examples, texts, floor), flagged(new, examples, texts, floor)
        right_a = sum(x == p for x, p in zip(a, positive, strict=True))
        right_b = sum(x == p for x, p in zip(b, positive, strict=True))
        changed = [(e, t, y == p) for e, t, x, y, p in zip(examples, texts, a, b, positive,
                                                             strict=True) if x != y]
        lost = sum(not good for *_, good in changed)
        print(f"  {name:<18} {right_a:>6,} -> {right_b:>6,}   "
              f"({len(changed) - lost} now right, {lost} now wrong)")
        if args.show:
            for e, text, good in changed:
                print(f"      {'GOOD' if good else 'BAD '} {e.label[:5]} {e.origin}  {text[:70]}")
    if args.corpus:
        changes = corpus_changes(old, new)
        print(f"corpus agent lines whose findings change: {len(changes):,}")
        if args.show:
            for text, a, b in changes:
                print(f"      {sorted(a)} -> {sorted(b)}  {text[:70]}")
        in_context = corpus_changes_in_context(old, new, corpus_turns())
        print(f"corpus agent turns whose findings change in their dialogues: {len(in_context):,}")
        if args.show:
            for turn, a, b in in_context:
                print(f"      {sorted(a)} -> {sorted(b)}  {turn.origin}  {turn.text[:70]}"
                      f"  (customer: {(turn.customer or '-')[:30]})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
