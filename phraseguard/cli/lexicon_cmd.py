"""``phraseguard lexicon``: check and list lexicon files, train the meaning model."""

from __future__ import annotations

import json
from pathlib import Path

import click

from phraseguard.cli.options import lexicon_option, settings_options


@click.group()
def lexicon() -> None:
    """Check and list lexicons (the rules phraseguard enforces).

    A lexicon is a TOML file QA staff edit: each rule has the phrases to
    find, the context that makes a use harmless, a severity and what to say
    instead. See lexicons/README.md for the format.

    \b
    Examples:
      phraseguard lexicon check our-words.toml
      phraseguard lexicon show
      phraseguard lexicon show --lexicon our-words.toml --format json
      phraseguard lexicon train-meaning qa/labels.tsv -o qa/meaning.npz
      phraseguard lexicon evaluate qa/held-out.tsv --errors
      phraseguard lexicon why "这个真是没辙" --next "还有别的问题吗"
    """


@lexicon.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--strict", is_flag=True,
              help="Exit 1 on warnings too (for CI that wants a clean lexicon).")
def check(files: tuple[str, ...], strict: bool) -> None:
    """Validate lexicon files; print every problem as path:line: message.

    The meaning model file a lexicon names ([meaning] model) is read too.

    A file that extends another is checked together with its base. Only
    the FILEs named are checked: the settings file (phraseguard.toml) does
    not apply, its `lexicon` included. Exit status: 0 when every file is
    valid, 1 when a problem was found.

    Warnings (path:line: warning: ...) point at what loads but is usually
    a slip, such as a filler written as one choice of a group ({吧|嗯}:
    the filler is dropped before matching, so the group becomes optional).
    They do not change the exit status unless --strict is given.

    \b
    Example:
      phraseguard lexicon check lexicons/default.toml our-words.toml
    """
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.lexicon_warnings import lexicon_warnings
    from phraseguard.engine.normalize import Normalizer
    from phraseguard.errors import LexiconError, LexiconErrors

    bad = 0
    warned = 0
    for f in files:
        try:
            lex = load_lexicon(f)
            if lex.meaning.enabled and lex.meaning.model:
                # The model file it names must be readable too (score would stop on it).
                from pathlib import Path

                from phraseguard.engine.meaning_files import load_weights

                load_weights(Path(lex.meaning.model))
        except LexiconErrors as exc:
            bad += 1
            for e in exc.errors:
                click.echo(str(e))
        except LexiconError as exc:
            bad += 1
            click.echo(str(exc))
        else:
            warnings = lexicon_warnings(f, lex.matching.fillers,
                                        Normalizer(fillers=lex.matching.fillers).fast)
            for w in warnings:
                click.echo(str(w))
            warned += bool(warnings)
            n = len(lex.rules)
            click.echo(f"{f}: ok ({n} rule{'s' if n != 1 else ''}, "
                       f"{sum(len(r.phrases) + len(r.variants) for r in lex.rules)} phrases)",
                       err=True)
    click.get_current_context().exit(1 if bad or (strict and warned) else 0)


@lexicon.command()
@lexicon_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@settings_options
def show(lexicon: str | None, fmt: str, settings) -> None:
    """List the rules of a lexicon: what is forbidden and what to say instead.

    The lexicon is --lexicon, else `lexicon` in phraseguard.toml (found
    upward from the current folder, as every command finds it), else the
    bundled one: the rules `lint` and `score` would apply here.

    \b
    Examples:
      phraseguard lexicon show
      phraseguard lexicon show --lexicon our-words.toml
    """
    from phraseguard.engine.lexicon import load_lexicon

    lex = load_lexicon(settings.pick("lexicon", lexicon))
    if fmt == "json":
        click.echo(json.dumps({
            "name": lex.name, "source": lex.source, "digest": lex.digest,
            "scoring": {"start": lex.scoring.start, "floor": lex.scoring.floor,
                        "min_confidence": lex.scoring.min_confidence},
            "meaning": {"enabled": lex.meaning.enabled, "model": lex.meaning.model,
                        "min_confidence": lex.meaning.min_confidence},
            "rules": [{
                "id": r.id, "category": r.category, "severity": r.severity.label,
                "deduction": r.deduction, "message": r.message,
                "suggestions": list(r.suggestions), "phrases": list(r.phrases),
                "variants": list(r.variants),
            } for r in lex.rules],
        }, ensure_ascii=False, indent=2))
        return
    click.echo(f"lexicon {lex.name} ({lex.source}), {len(lex.rules)} rules, "
               f"calls start at {lex.scoring.start:g}")
    m = lex.meaning
    click.echo(f"meaning model: {m.model} (reports at {m.min_confidence:g} or above, where no "
               f"rule's form is written; score and live, lint --meaning)"
               if m.enabled and m.model else "meaning model: off (the rules alone)")
    for r in lex.rules:
        click.echo("")
        click.echo(f"{r.id}  [{r.severity.label}, {r.category}, -{r.deduction:g} points]")
        click.echo(f"  {r.message}")
        click.echo(f"  phrases:  {'、'.join(r.phrases) or '-'}")
        if r.variants:
            click.echo(f"  variants: {'  '.join(r.variants)}")
        click.echo(f"  say instead: {' / '.join(r.suggestions)}")


@lexicon.command("train-meaning")
@click.argument("labels", nargs=-1, required=True, metavar="LABELS.tsv...",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model (an .npz file); name it in your lexicon's "
                   "[meaning] model.")
@click.option("--benign", "benign", type=click.Path(dir_okay=False, path_type=Path),
              help="A text file of ordinary agent lines, one per line, taken as harmless "
                   "(real agent speech teaches the model that chat banter is not a violation).")
@click.option("--training-config", "config_path",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The training configuration: categories -> rules and the numbers "
                   "(default: the bundled lexicons/meaning-training.toml).")
@lexicon_option
@settings_options
def train_meaning(labels: tuple[Path, ...], output: Path, benign: Path | None,
                  config_path: Path | None, lexicon: str | None, settings) -> None:
    """Train the meaning model on your own labelled turns.

    The meaning model reports give-up, disclaim-knowledge, disclaim-
    responsibility and brush-off where no rule's phrase is written. It learns
    from turns your QA team labelled: tab-separated files with the columns
    prev_customer, text, next_agent, label (major, minor, benign) and
    category (for a major turn: giving_up, ignorance, responsibility,
    brush_off, or the names in the configuration's [categories]). Needs
    scikit-learn: pip install 'phraseguard[train]'.

    \b
    Examples:
      phraseguard lexicon train-meaning qa/labels-2026.tsv -o qa/meaning.npz
      phraseguard lexicon train-meaning qa/*.tsv --benign qa/ordinary.txt -o qa/meaning.npz
    then in your lexicon:  [meaning]  model = "meaning.npz"

    Check it before you switch it on: phraseguard lint --meaning on scripts you
    know, and phraseguard lexicon evaluate on labelled turns nobody trained on.
    """
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.meaning_files import save_weights
    from phraseguard.engine.normalize import Normalizer
    from phraseguard.errors import PhraseguardError
    from phraseguard.training import load_config, train_from_files

    lex = load_lexicon(settings.pick("lexicon", lexicon))
    config = load_config(config_path)
    lines: list[str] = []
    if benign is not None:
        try:
            lines = [ln.strip() for ln in benign.read_text(encoding="utf-8").splitlines()
                     if ln.strip()]
        except (OSError, UnicodeDecodeError) as exc:
            raise PhraseguardError(f"{benign}: cannot read: {exc}") from None
    click.echo(f"training on {len(labels)} file(s) and {len(lines)} harmless lines...", err=True)
    weights = train_from_files(labels, config, Normalizer(fillers=lex.matching.fillers).fast,
                               benign=lines, about=f"trained on {', '.join(map(str, labels))}")
    try:
        save_weights(weights, output)
    except OSError as exc:
        raise PhraseguardError(f"{output}: cannot write the model: "
                               f"{exc.strerror or exc}") from None
    missing = [c for c in weights.classes[1:] if c not in {r.id for r in lex.rules}]
    click.echo(f"wrote {output}: classes {', '.join(weights.classes[1:])}", err=True)
    if missing:
        click.echo(f"warning: the lexicon has no rule {', '.join(missing)}: those readings "
                   f"will never be reported", err=True)


@lexicon.command()
@click.argument("labels", nargs=-1, required=True, metavar="LABELS.tsv...",
                type=click.Path(dir_okay=False, path_type=Path))
@lexicon_option
@click.option("--meaning/--no-meaning", "meaning", default=None,
              help="Judge with the lexicon's meaning model as score and live do (the "
                   "default when the lexicon has one), or with the rules alone.")
@click.option("--min-severity", type=click.Choice(["minor", "major", "critical"]),
              default="major", show_default=True,
              help="The severity --errors, --min-precision and --min-recall apply to "
                   "(QA's default is major: stated limits are minor).")
@click.option("--errors", is_flag=True,
              help="Also list every turn judged wrongly: missed violations and false alarms, "
                   "with the hit that fired.")
@click.option("--min-precision", type=click.FloatRange(0, 1), default=None, metavar="P",
              help="Exit 1 when precision at --min-severity is below P (for CI).")
@click.option("--min-recall", type=click.FloatRange(0, 1), default=None, metavar="R",
              help="Exit 1 when recall at --min-severity is below R (for CI).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@settings_options
def evaluate(labels: tuple[Path, ...], lexicon: str | None, meaning: bool | None,
             min_severity: str, errors: bool, min_precision: float | None,
             min_recall: float | None, fmt: str, settings) -> None:
    """Measure a lexicon on turns your QA team labelled: precision and recall.

    Use it before switching on a lexicon change or a meaning model you
    trained: on a labelled set nobody tuned or trained on, it says how often
    the flags agree with QA (precision) and how many violations they find
    (recall), at major (QA's default) and at minor. The files have the
    columns train-meaning reads: prev_customer, text, next_agent, label
    (major, minor, benign) and category. Each turn is judged as `score`
    judges an agent turn: with the customer's turn before and the agent's
    next turn.

    \b
    Examples:
      phraseguard lexicon evaluate qa/held-out.tsv
      phraseguard lexicon evaluate qa/held-out.tsv --lexicon our-words.toml --errors
      phraseguard lexicon evaluate qa/*.tsv --no-meaning          # the rules alone
      phraseguard lexicon evaluate qa/held-out.tsv --min-recall 0.8   # fail CI below 0.8
    """
    from phraseguard.engine.hit import Severity
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher
    from phraseguard.evaluation import judge_all, tally, verdicts
    from phraseguard.labelled import read_labelled

    examples = [e for path in labels for e in read_labelled(path)]
    lex = load_lexicon(settings.pick("lexicon", lexicon))
    matcher = Matcher(lex)
    with_model = False
    if meaning is not False:  # use_meaning says whether the lexicon has a model at all
        from phraseguard.engine.meaning_files import use_meaning

        with_model = use_meaning(matcher)
    judged = judge_all(matcher, examples)  # once; each severity filters the same hits
    by_floor = {name: verdicts(examples, judged, Severity.parse(name))
                for name in dict.fromkeys(("major", "minor", min_severity))}
    tallies = {name: tally(v) for name, v in by_floor.items()}
    counts = {label: sum(e.label == label for e in examples) for label in ("major", "minor",
                                                                          "benign")}
    wrong = [v for v in by_floor[min_severity] if v.wrong]
    judged_by = (f"{lex.name} lexicon ({len(lex.rules)} rules)"
                 + (f" + meaning model (min_confidence {lex.meaning.min_confidence:g})"
                    if with_model else ", rules alone"))
    if fmt == "json":
        click.echo(json.dumps({
            "files": [str(p) for p in labels], "turns": len(examples), "labels": counts,
            "judged_by": judged_by, "meaning": with_model,
            "results": {name: {"precision": round(t.precision, 4), "recall": round(t.recall, 4),
                               "caught": t.caught, "false_alarms": t.false_alarms,
                               "missed": t.missed, "silent": t.silent}
                        for name, t in tallies.items()},
            "errors": [_wrong_json(v) for v in wrong] if errors else None,
        }, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{len(examples)} labelled turns ({counts['major']} major, {counts['minor']} "
                   f"minor, {counts['benign']} benign) from {', '.join(map(str, labels))}")
        click.echo(f"judged by: {judged_by}")
        click.echo(f"{'':10} {'precision':>9} {'recall':>7} {'caught':>7} {'false alarms':>13} "
                   f"{'missed':>7}")
        for name, t in tallies.items():
            click.echo(f"at {name:<7} {t.precision:>9.3f} {t.recall:>7.3f} {t.caught:>7} "
                       f"{t.false_alarms:>13} {t.missed:>7}")
        if errors:
            click.echo(f"\njudged wrongly at {min_severity} ({len(wrong)}):")
            for v in wrong:
                click.echo(_wrong_line(v))
    chosen = tallies[min_severity]
    below = ((min_precision is not None and chosen.precision < min_precision)
             or (min_recall is not None and chosen.recall < min_recall))
    if below:
        click.echo(f"phraseguard: at {min_severity}, precision {chosen.precision:.3f} / recall "
                   f"{chosen.recall:.3f} is below --min-precision / --min-recall", err=True)
    click.get_current_context().exit(1 if below else 0)


def _wrong_line(v) -> str:
    """``file:line: missed major (giving_up): text`` or ``file:line: false alarm (benign): ...``."""
    e = v.example
    what = (f"missed {e.label}" + (f" ({e.category})" if e.category else "") if v.positive
            else f"false alarm ({e.label})")
    fired = "; ".join(f"{h.rule_id} 「{h.matched[:20]}」" for h in v.hits)
    return f"  {e.origin}: {what}: {e.text[:60]}" + (f"  <- {fired}" if fired else "")


def _wrong_json(v) -> dict:
    e = v.example
    return {"origin": e.origin, "label": e.label, "category": e.category, "text": e.text,
            "missed": v.positive, "hits": [{"rule": h.rule_id, "matched": h.matched,
                                             "reason": h.reason} for h in v.hits]}


@lexicon.command()
@click.argument("text")
@click.option("--next", "next_turn", default=None, metavar="TEXT",
              help="The agent's next turn (an offer there resolves a give-up).")
@click.option("--customer", default=None, metavar="TEXT",
              help="The customer's turn before (a chase or a complaint there makes a "
                   "polite wait or pointer give nothing).")
@lexicon_option
@click.option("--meaning/--no-meaning", "meaning", default=None,
              help="With the lexicon's meaning model, as score and live judge (the default "
                   "when the lexicon has one), or the rules alone.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@settings_options
def why(text: str, next_turn: str | None, customer: str | None, lexicon: str | None,
        meaning: bool | None, fmt: str, settings) -> None:
    """Show why one agent turn is flagged, or why it is not.

    Every place a rule's phrase or pattern matched, and the step that
    decided it: it counts, a condition excused it (which one, and the text
    it matched), it was a stated limit (minor), or the word check cut it.
    Then the other turns (the customer's turn before, the agent's next
    turn) and the meaning model. Use it when a supervisor says a turn was
    judged wrongly: the line that decided it is the one to change in the
    lexicon.

    \b
    Examples:
      phraseguard lexicon why "同步不过来那我这儿也是干瞪眼"
      phraseguard lexicon why "小妹也不清楚呐" --next "已帮您向站点核实，明日回电您"
      phraseguard lexicon why "请您耐心等待" --customer "都催了三次了怎么还没到"
      phraseguard lexicon why "您找商家去" --lexicon our-words.toml --format json
    """
    from dataclasses import asdict

    from phraseguard.engine.explain import explain_turn
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    matcher = Matcher(load_lexicon(settings.pick("lexicon", lexicon)))
    if meaning is not False:
        from phraseguard.engine.meaning_files import use_meaning

        use_meaning(matcher)
    e = explain_turn(matcher, text, customer=customer, next_turn=next_turn)
    if fmt == "json":
        click.echo(json.dumps({"text": e.text, "forms": [asdict(f) for f in e.forms],
                               "turn": e.turn_notes, "model": e.model or None,
                               "flagged": [h.to_dict() for h in e.judged]},
                              ensure_ascii=False, indent=2))
        return
    click.echo(text)
    if not e.forms:
        click.echo("  no rule's phrase or pattern matched")
    for f in e.forms:
        decided = f.outcome + (f": {f.detail}" if f.detail else "")
        pattern = f.pattern if len(f.pattern) <= 60 else f.pattern[:59] + "…"
        click.echo(f"  {f.rule_id}: 「{f.matched}」 ({f.kind} {pattern}) {decided}")
    for note in e.turn_notes:
        click.echo(f"  turns: {note}")
    if e.model:
        click.echo(f"  meaning model: {e.model}")
    if not e.judged:
        click.echo("  => not flagged")
    for h in e.judged:
        click.echo(f"  => {h.severity.label} {h.rule_id}: {h.reason}")
