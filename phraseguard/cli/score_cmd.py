"""``phraseguard score``: score recorded calls (or their transcripts) into the store.

Thin: parse options, merge them with the settings file, call
:func:`phraseguard.calls.run.run_batch`, print the summary and hand the results
to the writers. Exit codes are decided here, once: 0 all scored, 1 a
deduction at or above ``--fail-on``, 2 a file failed (or a usage/input
error), 130 interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM
(:mod:`phraseguard.signals`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from phraseguard.cli.options import (
    allow_language_mismatch_option,
    call_flow_option,
    channel_options,
    db_option,
    lexicon_option,
    model_option,
    settings_options,
)
from phraseguard.cli.outputs import (
    check_outputs,
    open_store,
    output_options,
    take_outputs,
    write_outputs,
)
from phraseguard.cli.progress import Progress
from phraseguard.settings import SEVERITIES

EXIT_FAILED_FILES = 2
EXIT_FAIL_ON = 1


class _Exit(click.ClickException):
    """Ends a command with a one-line note on stderr and a chosen exit code.

    Not ``ctx.exit``: the group's ``main`` shows a ClickException and returns
    its code, which works the same under ``python -m phraseguard`` and CliRunner.
    """

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


SCORE_HELP = """Score recorded calls (or their transcripts) and save the results.

\b
INPUT is any mix of recordings (.wav .flac .ogg .mp3 ...), transcripts
(Vosk JSON, .jsonl, plain .txt with one line per utterance) and folders of
them (searched recursively). Each call is transcribed, checked for the
forbidden phrases, and scored from 100 down: only the agent's speech counts,
and every lost point names the rule and the phrasing to use instead.

\b
Who took each call comes from --manifest (a CSV with a path or file column
and any of call_id, agent, team, date) or from the file name with --pattern
(default "{date}_{agent}_{call_id}": 2024-05-01_alice_0001.wav). A file
that matches neither is scored with its name as the call id and no agent.

\b
Call flow is checked too when the lexicon has call-flow rules (the bundled
one does): a missing greeting, self-introduction or closing, and dead air,
talk-over, fast speech or a slow start where there are times, deduct like
any other rule. --no-call-flow (or call_flow = false in phraseguard.toml)
scores forbidden phrases only.

\b
Results go to the store (--db). Running the same command again skips the
calls already scored with the same lexicon, so an interrupted batch just
continues; --rescore scores everything again. A file that cannot be read
is listed as failed with its reason, and the others are still scored.

\b
Examples:
  phraseguard score recordings/
  phraseguard score recordings/ --manifest calls.csv --db qa.db
  phraseguard score calls/ --agent-channel left --jobs 4 --csv week18.csv
  phraseguard score transcripts/*.json --pattern "{team}/{agent}/{call_id}"
  phraseguard score s3://qa-calls/2024-05-01/ --cluster tcp://scheduler:8786
  phraseguard score recordings/ --cluster local:4
  phraseguard score recordings/ --no-call-flow

\b
--cluster runs the calls on a Dask cluster instead of this machine's
processes: tcp://HOST:8786 is a running scheduler, local:N starts N worker
processes here. Recordings may also be fsspec URLs (s3://, gcs://, file://)
that every process scoring them can read.

\b
Settings: jobs, cluster, mono_role, agent_channel, manifest (relative to
the config file), pattern, model, lexicon, db, call_flow, company and
allow_language_mismatch can also be set in phraseguard.toml (under
[score]), found upward from the current folder (--config FILE names one,
--no-config ignores it); an option given on the command line wins.

\b
When recordings are scored, the speech model used is named on standard
error first. A model in another language than the lexicon (a Korean model
with the Chinese default lexicon) is refused, exit 2, unless
--allow-language-mismatch: its calls would all look clean.

\b
Exit codes: 0 all calls scored, 1 a deduction at or above --fail-on,
2 a file failed or the command could not run, 130 interrupted by Ctrl-C
(SIGINT), 143 stopped by SIGTERM. Either way the calls already scored are
kept and running the same command again continues.
"""



@click.command("score", help=SCORE_HELP)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@db_option
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1),
    help="Worker processes (each loads the speech model once). Default: `jobs` in "
    "phraseguard.toml, else one per CPU core.",
)
@click.option(
    "--cluster", metavar="ADDRESS",
    help="Score on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N "
    "(N worker processes on this machine). Default: `cluster` in phraseguard.toml, else "
    "this machine's processes (--jobs).",
)
@model_option
@lexicon_option
@click.option(
    "--manifest", type=click.Path(dir_okay=False),
    help="CSV saying who took each call: path/file, call_id, agent, team, date. "
    "Default: `manifest` in phraseguard.toml.",
)
@click.option(
    "--pattern", metavar="PAT",
    help='File name pattern. Default: `pattern` in phraseguard.toml, else '
    '"{date}_{agent}_{call_id}".',
)
@call_flow_option("dead air, talk-over, fast speech, slow start",
                  "phraseguard score calls/ --no-call-flow (forbidden phrases only)",
                  default="ON whenever the lexicon has such rules (the bundled one does)")
@channel_options
@click.option("--rescore", is_flag=True, help="Score again calls already in the store.")
@click.option(
    "--retranscribe", is_flag=True,
    help="Listen to recordings again even when the store already holds their transcript "
    "from the same model and channel settings (by default a lexicon change only re-matches).",
)
@click.option(
    "--fail-on", type=click.Choice(SEVERITIES),
    help="Exit 1 when a call lost points for a rule of this severity or worse.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@allow_language_mismatch_option
@output_options
@settings_options
@click.pass_context
def score(ctx: click.Context, inputs: tuple[str, ...], settings: Any, **kwargs: Any) -> None:
    from phraseguard.calls.inputs import discover
    from phraseguard.calls.run import BatchOptions, run_batch
    from phraseguard.calls.store import CallFilter
    from phraseguard.calls.worker import VoskEngineFactory
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.report.results import load_results
    from phraseguard.report.score_text import TextWriter
    from phraseguard.speech.transcript import Role

    outputs = take_outputs(kwargs)
    _check_inputs(inputs)  # a mistyped name is a usage error, not a stored failed call
    check_outputs(outputs)  # before any work: not after the whole batch ran
    pick = settings.pick  # command line > phraseguard.toml > built-in default
    manifest = pick("manifest", kwargs["manifest"])
    options = BatchOptions(
        jobs=pick("jobs", kwargs["jobs"]),
        rescore=kwargs["rescore"],
        retranscribe=kwargs["retranscribe"],
        agent_channel=pick("agent_channel", kwargs["agent_channel"]),
        mono_role=Role.parse(pick("mono_role", kwargs["mono_role"]) or "agent"),
        manifest=Path(manifest) if manifest else None,
        pattern=pick("pattern", kwargs["pattern"]),
        company=tuple(pick("company") or ()),
        call_flow=settings.pick("call_flow", kwargs["call_flow"]),  # None: on when the lexicon has rules
    )
    lexicon = load_lexicon(pick("lexicon", kwargs["lexicon"]))
    allow = bool(pick("allow_language_mismatch", kwargs["allow_language_mismatch"]))
    found = discover(inputs)  # walked once: for the model check and for the batch
    model = _announce_model(found, kwargs["model"], pick("model"), lexicon, allow_mismatch=allow)
    store = open_store(ctx, pick("db", kwargs["db"]), create=True)
    factory = VoskEngineFactory(model=model or kwargs["model"], config_value=pick("model"))
    with Progress(enabled=not kwargs["quiet"]) as progress:
        executors = _cluster_executors(kwargs["cluster"], settings, progress)
        result = run_batch(inputs, store, lexicon, options=options, engine_factory=factory,
                           progress=_progress_lines(progress), executor_factory=executors,
                           found=found)
        for notice in result.notices:
            progress.note(f"Skipped {notice}", always=True)

    to_stderr = "-" in outputs.values()  # standard output is taken by --json -
    for line in _summary(result):
        click.echo(line, err=to_stderr)
    results = load_results(store, CallFilter(ids=tuple(result.calls)),
                           required=[r.id for r in lexicon.flow.required]
                           if options.with_call_flow(lexicon) else ())
    if not to_stderr:
        click.echo()
        TextWriter().write(results, sys.stdout)
    write_outputs(results, outputs)
    _exit(result, results, kwargs["fail_on"])


def _check_inputs(inputs: tuple[str, ...]) -> None:
    """Fail now, on one line, when an INPUT named on the command line does not exist."""
    from phraseguard.errors import InputError
    from phraseguard.speech.remote import is_url

    for given in inputs:
        if not is_url(given) and not os.path.lexists(given):
            raise InputError(given, "no such file or folder")


def _announce_model(found: Any, explicit: str | None, config_value: str | None,
                    lexicon: Any, *, allow_mismatch: bool) -> str | None:
    """Name the speech model on stderr and refuse one in another language than the lexicon.

    Only when a recording is among the inputs (transcripts need no model).
    Returns the model's folder, so the batch uses exactly the model named;
    None when there is no recording, or no model (the batch then reports
    that for the recordings that need one).
    """
    from phraseguard.errors import ModelError
    from phraseguard.speech.language import start_of_run
    from phraseguard.speech.models import resolve_model

    if not any(source.kind == "audio" for source in found.sources):
        return None
    try:
        info = resolve_model(explicit, config_value=config_value)
    except ModelError:
        return None
    for line in start_of_run(info, lexicon.source, lexicon.language,
                             allow_mismatch=allow_mismatch):
        click.echo(line, err=True)
    return str(info.path)


def _cluster_executors(option: str | None, settings: Any, progress: Progress):
    """The Dask executor factory for ``--cluster`` (or the ``cluster`` setting); None: local."""
    from phraseguard.calls.cluster_address import parse_cluster
    from phraseguard.errors import PhraseguardError

    value = settings.pick("cluster", option)
    if not value:
        return None
    where = "--cluster" if option else f"{settings.source}: setting 'cluster'"
    spec = parse_cluster(value, where)  # a bad value fails before any work
    try:
        from phraseguard.calls.dask_pool import DaskExecutor
    except ImportError as exc:
        raise PhraseguardError(f"--cluster needs Dask ({exc.name} is not installed): "
                               "pip install 'phraseguard[cluster]'") from None
    return lambda config, jobs: DaskExecutor(spec, config, notify=progress.note)


def _progress_lines(progress: Progress):
    """The batch's progress events as a bar (terminal) or one line per call."""
    bar = None

    def show(event: Any) -> None:
        nonlocal bar
        failed = f"FAILED {event.path}: {event.message}"
        if progress.on_terminal:
            bar = bar or progress.task("Scoring", event.total)
            bar(event.done, event.total, Path(event.path).name)  # type: ignore[misc]
            if event.status != "ok":
                progress.note(failed)
            return
        where = f"[{event.done}/{event.total}]"
        progress.note(f"{where} ok {event.score:g} {event.path}" if event.status == "ok"
                      else f"{where} {failed}")

    return show


def _summary(result: Any) -> list[str]:
    lines = [f"Scored {result.scored} calls, skipped {result.skipped} already scored, "
             f"{result.failed} failed."]
    if result.reused:
        lines.append(f"{result.reused} recordings were scored from their stored transcript "
                     "(same model and channels; --retranscribe to listen again).")
    if result.duplicates:
        lines.append(f"{len(result.duplicates)} files were copies of another input and were "
                     "skipped.")
    if result.unidentified:
        lines.append(f"{len(result.unidentified)} files had no agent (no --manifest row, name "
                     "not matching the pattern).")
    return lines


def _exit(result: Any, results: Any, fail_on: str | None) -> None:
    """The exit code, decided once: interrupted, failed files, then --fail-on."""
    from phraseguard.engine.hit import Severity
    from phraseguard.signals import exit_code

    if result.interrupted:
        raise _Exit(
            f"Interrupted: {result.scored + result.failed} calls saved, {result.not_done} not "
            "scored. Run the same command again to continue (finished calls are skipped).",
            exit_code(result.signal),
        )
    if result.failed:
        raise _Exit(
            f"{result.failed} of {result.files} files could not be scored (see Failed files).",
            EXIT_FAILED_FILES,
        )
    worst = max((int(h.severity) for h in results.hits if h.counted), default=-1)
    if fail_on and worst >= int(Severity.parse(fail_on)):
        raise _Exit(f"Calls lost points for {fail_on} rules or worse.", EXIT_FAIL_ON)
