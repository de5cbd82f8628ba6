"""How the meaning model does on a writer it never saw: leave one writer out.

    python bench/meaning_cv.py                  # every paraphrase writer in turn
    python bench/meaning_cv.py --thresholds 0.6,0.7,0.8
    python bench/meaning_cv.py --show           # also the real lines the model flags
    python bench/meaning_cv.py --set corpus_benign_weight=1.0   # another [training] number
    python bench/meaning_cv.py --writers paraphrases_train36    # only these left out in turn
    python bench/meaning_cv.py --writers none   # none: only the real lines and corpus speech
    python bench/meaning_cv.py --config my-training.toml   # another training config

Each paraphrase tuning set is written by a different person. For each, the
model is trained on everything else in lexicons/meaning-training.toml and
judged on that writer's lines: precision and recall at ``--min-severity
major`` for the rules alone, the model alone, and both (the model reads only
turns no rule matched, as in ``score``), at several ``[meaning]
min_confidence`` values. This is the estimate ``min_confidence`` is chosen
on; the held-out sets are never used for it. The rules were tuned on these
writers, so "rules" and "both" overstate what a new writer sees; "model"
does not (the writer's lines were not trained on).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import accuracy  # noqa: E402
import train_meaning  # noqa: E402

from phraseguard.evaluation import scan_in_context  # noqa: E402


def _score(flags: list[bool], examples) -> str:
    pairs = list(zip(flags, (e.violation for e in examples), strict=True))
    s = accuracy.Score(caught=pairs.count((True, True)), false_alarms=pairs.count((True, False)),
                       missed=pairs.count((False, True)), silent=pairs.count((False, False)))
    return f"{s.precision:.2f}/{s.recall:.2f}"


def main(argv: list[str]) -> int:
    from phraseguard.engine.hit import Severity
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.engine.meaning import MeaningModel

    thresholds = [0.5, 0.6, 0.7, 0.8]
    if "--thresholds" in argv:
        thresholds = [float(t) for t in argv[argv.index("--thresholds") + 1].split(",")]
    from phraseguard.errors import PhraseguardError

    path = None
    if "--config" in argv:
        if argv.index("--config") + 1 >= len(argv):
            print("--config: give a training config file, e.g. --config my-training.toml",
                  file=sys.stderr)
            return 2
        path = Path(argv[argv.index("--config") + 1])
    try:
        config = train_meaning.load_config(path)
    except PhraseguardError as exc:
        print(f"--config: {exc}", file=sys.stderr)
        return 2
    # --set corpus_benign_weight=1.0: try another [training] number without editing the file.
    for i, arg in enumerate(argv):
        if arg == "--set":
            key, value = argv[i + 1].split("=", 1)
            if key not in config["training"]:
                print(f"--set: unknown [training] key {key!r}", file=sys.stderr)
                return 2
            config["training"][key] = type(config["training"][key])(value)
    writers = [Path(p).stem for p in config["paraphrases"]]
    if "--writers" in argv:
        # the left-out runs are most of the time; a change to one writer's
        # use needs only that writer's row and the real-line figures below
        at = argv.index("--writers") + 1
        if at >= len(argv):
            print("--writers: give writer stems, e.g. --writers paraphrases_train36, or none",
                  file=sys.stderr)
            return 2
        wanted = argv[at].split(",")
        unknown = [w for w in wanted if w not in writers and w != "none"]
        if unknown:
            print(f"--writers: not in the training config: {', '.join(unknown)}",
                  file=sys.stderr)
            return 2
        writers = [w for w in writers if w in wanted]
    lex = load_lexicon(None)
    matcher = Matcher(lex)
    judge = matcher.dialogue
    sets = train_meaning.labelled(config)
    exclude = train_meaning.heldout_keys() | {tuple(e.origin.split(":")) for exs in sets.values()
                                              for e in exs if e.origin.count(":") == 2}
    benign = train_meaning.corpus_benign(matcher, exclude)
    rules = {r.id: (r.severity, r.message, r.suggestions, r.category) for r in lex.rules}
    # A turn read alone from [meaning] wait_confidence waits for its next turn,
    # as in score and lint (at or above a threshold, the turn alone decides).
    wait = lex.meaning.wait_confidence
    major = Severity.MAJOR
    print(f"{'left out':<22} {'lines':>5} {'viol':>4}  {'rules':>9}  "
          + "  ".join(f"{'model@' + str(t):>10} {'both@' + str(t):>9}" for t in thresholds))
    for writer in writers:
        examples, weights, classes = train_meaning.training_set(config, matcher, leave_out=writer,
                                                                corpus_lines=benign)
        weights_ = train_meaning.train(examples, weights, classes, config, matcher.normalize_fast)
        test = sets[writer]
        texts = [e.text for e in test]
        found = scan_in_context(matcher, texts, [e.customer for e in test])
        judge.use_meaning(None)
        ruled = [any(h.severity >= major for h in judge.judge_turn(
            e.text, hits, customer=e.customer, next_turn=e.next_turn))
            for e, hits in zip(test, found, strict=True)]
        row = f"{writer:<22} {len(test):>5} {sum(e.violation for e in test):>4}  " \
              f"{_score(ruled, test):>9}"
        for t in thresholds:
            model = MeaningModel(weights_, rules, min_confidence=t,
                                 normalize=matcher.normalize_fast, wait_confidence=wait)
            read = [model.hit(e.text, next_turn=e.next_turn, customer=e.customer) for e in test]
            alone = [h is not None and h.severity >= major for h in read]
            judge.use_meaning(model, matcher.mentions)
            both = [any(h.severity >= major for h in judge.judge_turn(
                e.text, hits, customer=e.customer, next_turn=e.next_turn))
                for e, hits in zip(test, found, strict=True)]
            row += f"  {_score(alone, test):>10} {_score(both, test):>9}"
        print(row, flush=True)
    # Real agent lines labelled in the tuning sets (mostly lines with the
    # standard's words, where false alarms are likeliest), in two folds.
    real = [e for p in config["corpus_labels"] for e in sets[Path(p).stem]]
    folds = [real[0::2], real[1::2]]
    flags = {t: [] for t in thresholds}
    fold_examples = []
    for k in (0, 1):
        keep = set(map(id, folds[1 - k]))
        examples, weights, classes = train_meaning.training_set(config, matcher,
                                                                corpus_lines=benign)
        sel = [i for i, e in enumerate(examples)
               if e.origin == "corpus-benign" or e.origin.count(":") != 2 or id(e) in keep]
        weights_ = train_meaning.train([examples[i] for i in sel], [weights[i] for i in sel],
                                       [classes[i] for i in sel], config, matcher.normalize_fast)
        for t in thresholds:
            judge.use_meaning(MeaningModel(weights_, rules, min_confidence=t,
                                           normalize=matcher.normalize_fast,
                                           wait_confidence=wait), matcher.mentions)
            for e, hits in zip(folds[k], scan_in_context(matcher, [e.text for e in folds[k]],
                                                          [e.customer for e in folds[k]]),
                               strict=True):
                judged = judge.judge_turn(e.text, hits, customer=e.customer,
                                          next_turn=e.next_turn)
                flags[t].append(any(h.severity >= major for h in judged))
                if t == thresholds[0]:
                    fold_examples.append((e, judged))
    ordered = [e for e, _ in fold_examples]
    judge.use_meaning(None)
    print(f"\nreal labelled agent lines ({len(real)}, {sum(e.violation for e in real)} "
          f"violations; two folds), rules + model P/R: "
          + ", ".join(f"@{t}: {_score(flags[t], ordered)}" for t in thresholds))
    if "--show" in argv:
        for e, judged in fold_examples:
            model_hits = [h for h in judged if h.kind.value == "meaning"]
            if model_hits and not e.violation:
                print(f"  FP {model_hits[0].confidence:.2f} {model_hits[0].rule_id} {e.text[:80]}")

    # Real agent speech: the corpus lines no rule flags, in two halves; the
    # model trained without one half reads it. Nearly all are harmless, so
    # each flag is (nearly always) a false alarm a QA supervisor would see.
    halves = [benign[0::2], benign[1::2]]
    flagged = {t: 0 for t in thresholds}
    samples: list[tuple[float, str]] = []
    for k in (0, 1):
        examples, weights, classes = train_meaning.training_set(config, matcher,
                                                                corpus_lines=halves[1 - k])
        weights_ = train_meaning.train(examples, weights, classes, config, matcher.normalize_fast)
        model = MeaningModel(weights_, rules, min_confidence=min(thresholds),
                             normalize=matcher.normalize_fast)
        for e in halves[k]:
            if matcher.mentions(e.text):  # a rule's form is there: the rules decided
                continue
            reading = model.read(e.text, e.next_turn, e.customer)
            for t in thresholds:
                flagged[t] += reading.violation >= t
            if reading.violation >= min(thresholds):
                samples.append((reading.violation, e.text))
    n = len(benign)
    print(f"\nreal agent lines no rule flags ({n}, two folds): flagged by the model "
          + ", ".join(f"@{t}: {flagged[t]} ({flagged[t] / n:.2%})" for t in thresholds))
    if "--show" in argv:
        for p, text in sorted(samples, reverse=True)[:80]:
            print(f"  {p:.2f} {text[:90]}")
    judge.use_meaning(None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
