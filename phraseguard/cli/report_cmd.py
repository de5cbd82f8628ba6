"""``phraseguard score`` and ``phraseguard report``: batch scoring and its reports.

Thin: parse options, call :func:`phraseguard.calls.batch.run_batch` or read the
store, hand the results to a writer from :data:`phraseguard.report.SCORE_WRITERS`.
Exit codes are decided here, once: 0 all scored, 1 a deduction at or above
``--fail-on``, 2 a file failed (or a usage/input error), 130 interrupted by
Ctrl-C (SIGINT), 143 stopped by SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from phraseguard.errors import ConfigError, PhraseguardError

#: Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells do).
EXIT_INTERRUPTED = 130
#: Exit code of a run stopped by SIGTERM (128 + SIGTERM, as shells do).
EXIT_TERMINATED = 143
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


def _config() -> Any | None:
    """The project config (phraseguard.toml / [tool.phraseguard]) found from here."""
    from phraseguard.settings import load_config

    return load_config(Path.cwd())


_PATH_SETTINGS = ("lexicon", "model", "db", "manifest")


def _setting(config: Any | None, name: str) -> Any | None:
    value = getattr(config, name, None) if config is not None else None
    if name in _PATH_SETTINGS and isinstance(value, str):
        return config.path(value)  # relative to the config file, not the cwd
    return str(value) if isinstance(value, Path) else value


def _open_store(ctx: click.Context, db: str | None, config: Any | None, *, create: bool):
    from phraseguard.calls.store import Store

    path = db or _setting(config, "db") or "phraseguard.db"
    store = Store.open(path, create=create)
    # Closed however the command ends (STYLE rule 8).
    ctx.call_on_close(store.close)
    return store


def db_option(fn: Callable) -> Callable:
    return click.option(
        "--db",
        metavar="FILE",
        help="Results store (SQLite). Default: phraseguard.db, or `db` in phraseguard.toml.",
    )(fn)


def output_options(fn: Callable) -> Callable:
    """``--json FILE``, ``--csv FILE`` and one option per other registered writer."""
    from phraseguard.report import SCORE_WRITERS

    helps = {
        "json": "Also write everything (calls, hits with times, agents) as JSON to FILE "
        "('-' for standard output).",
        "csv": "Also write CSV: FILE has one row per deduction (call, agent, time, rule, "
        "matched text, suggestion); FILE's name + .calls.csv and .agents.csv hold the "
        "per-call and per-agent tables.",
    }
    for name in reversed(list(SCORE_WRITERS)):
        if name == "text":
            continue
        fn = click.option(
            f"--{name}",
            f"out_{name}",
            metavar="FILE",
            help=helps.get(name, f"Also write the {name} report to FILE."),
        )(fn)
    return fn


def _output_files(name: str, target: str) -> list[Path]:
    """Every file ``--<name> target`` writes (``--csv`` writes two more beside it)."""
    from phraseguard.report.score_csv import CsvWriter

    files = [Path(target)]
    if name == CsvWriter.name:
        files += CsvWriter.companions(target)
    return files


def _check_outputs(outputs: dict[str, str | None]) -> None:
    """Fail now, before any work, if an output file cannot be written.

    Its folder must exist and be writable (or the file itself, when it
    exists, writable and not a folder); ``-`` is standard output.
    """
    for name, target in outputs.items():
        if not target or target == "-":
            continue
        for path in _output_files(name, target):
            folder = path.parent
            where = f"--{name} {target}"
            if path.is_dir():
                raise PhraseguardError(f"{where}: {path} is a folder, not a file")
            if path.exists():
                if not os.access(path, os.W_OK):
                    raise PhraseguardError(f"{where}: cannot write {path} (permission denied)")
            elif not folder.is_dir():
                raise PhraseguardError(f"{where}: folder {folder} does not exist")
            elif not os.access(folder, os.W_OK | os.X_OK):
                raise PhraseguardError(
                    f"{where}: cannot create files in {folder} (permission denied)")


def _write_outputs(results: Any, outputs: dict[str, str | None]) -> None:
    from phraseguard.report import get_score_writer

    for name, target in outputs.items():
        if not target:
            continue
        writer = get_score_writer(name)
        if target == "-":
            writer.write(results, sys.stdout)
            continue
        try:
            written = writer.write_path(results, target)
        except OSError as exc:
            what = exc.filename or target
            raise PhraseguardError(
                f"--{name}: cannot write {what}: {exc.strerror or exc}") from exc
        for path in written:
            click.echo(f"Wrote {path}", err=True)


def _outputs(kwargs: dict[str, Any]) -> dict[str, str | None]:
    return {k[4:]: kwargs.pop(k) for k in list(kwargs) if k.startswith("out_")}


class _ProgressDisplay:
    """A progress bar with ETA on a terminal; plain lines when stderr is piped."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> _ProgressDisplay:
        if self.enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("Scoring"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[last]}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)

    def __call__(self, event: Any) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            if self._task is None:
                self._task = self._bar.add_task("score", total=event.total, last="")
            self._bar.update(self._task, completed=event.done, last=Path(event.path).name)
            if event.status != "ok":
                self._bar.console.print(f"FAILED {event.path}: {event.message}")
            return
        if event.status == "ok":
            click.echo(f"[{event.done}/{event.total}] ok {event.score:g} {event.path}", err=True)
        else:
            click.echo(
                f"[{event.done}/{event.total}] FAILED {event.path}: {event.message}", err=True
            )


#: Values of --agent-channel / --mono-role, and of the same settings in phraseguard.toml.
AGENT_CHANNELS = ("left", "right")
MONO_ROLES = ("agent", "customer")


def _choice_setting(config: Any | None, name: str, choices: tuple[str, ...]) -> str | None:
    """A config setting that must be one of ``choices`` (as its option); ConfigError if not."""
    value = _setting(config, name)
    if value is not None and value not in choices:
        raise ConfigError(
            f"{config.source}: setting {name!r} must be {' or '.join(choices)} (got {value!r})"
        )
    return value


def _jobs_setting(config: Any | None) -> int | None:
    value = _setting(config, "jobs")
    if value is not None and value < 1:
        raise ConfigError(f"{config.source}: setting 'jobs' must be 1 or more (got {value!r})")
    return value


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

\b
--cluster runs the calls on a Dask cluster instead of this machine's
processes: tcp://HOST:8786 is a running scheduler, local:N starts N worker
processes here. Recordings may also be fsspec URLs (s3://, gcs://,
file://) that every process scoring them can read.

\b
Settings: jobs, cluster, mono_role, agent_channel, manifest (relative to the
config file), pattern, model, lexicon and db can also be set in phraseguard.toml
(under [score]); an option given on the command line wins.

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
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes (each loads the speech model once). Default: `jobs` in "
    "phraseguard.toml, else one per CPU core.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Score on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N "
    "(N worker processes on this machine). Default: `cluster` in phraseguard.toml, else "
    "this machine's processes (--jobs).",
)
@click.option("--model", metavar="PATH", help="Vosk model folder (default: the one found).")
@click.option("--lexicon", metavar="FILE", help="Lexicon file (default: the bundled one).")
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    help="CSV saying who took each call: path/file, call_id, agent, team, date. "
    "Default: `manifest` in phraseguard.toml.",
)
@click.option(
    "--pattern",
    metavar="PAT",
    help='File name pattern. Default: `pattern` in phraseguard.toml, else '
    '"{date}_{agent}_{call_id}".',
)
@click.option(
    "--agent-channel",
    type=click.Choice(AGENT_CHANNELS),
    help="Stereo recordings: the agent's channel; the other is the customer. "
    "Default: `agent_channel` in phraseguard.toml.",
)
@click.option(
    "--mono-role",
    type=click.Choice(MONO_ROLES),
    help="Who speaks in mono recordings and in transcripts that do not say. "
    "Default: `mono_role` in phraseguard.toml, else agent.",
)
@click.option("--rescore", is_flag=True, help="Score again calls already in the store.")
@click.option(
    "--retranscribe",
    is_flag=True,
    help="Listen to recordings again even when the store already holds their transcript "
    "from the same model and channel settings (by default a lexicon change only re-matches).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["info", "minor", "major", "critical"]),
    help="Exit 1 when a call lost points for a rule of this severity or worse.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
@output_options
@click.pass_context
def score(ctx: click.Context, inputs: tuple[str, ...], **kwargs: Any) -> None:
    from phraseguard.calls.run import BatchOptions, run_batch
    from phraseguard.calls.store import CallFilter
    from phraseguard.calls.worker import VoskEngineFactory
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.report.results import load_results
    from phraseguard.report.score_text import TextWriter
    from phraseguard.speech.transcript import Role

    outputs = _outputs(kwargs)
    _check_outputs(outputs)  # before any work: not after the whole batch ran
    config = _config()
    # Command line > phraseguard.toml > built-in default, setting by setting. The
    # file's values are checked even when the command line overrides them.
    config_jobs = _jobs_setting(config)
    config_channel = _choice_setting(config, "agent_channel", AGENT_CHANNELS)
    config_role = _choice_setting(config, "mono_role", MONO_ROLES)
    manifest = kwargs["manifest"] or _setting(config, "manifest")
    options = BatchOptions(
        jobs=kwargs["jobs"] or config_jobs,
        rescore=kwargs["rescore"],
        retranscribe=kwargs["retranscribe"],
        agent_channel=kwargs["agent_channel"] or config_channel,
        mono_role=Role.parse(kwargs["mono_role"] or config_role or "agent"),
        manifest=Path(manifest) if manifest else None,
        pattern=kwargs["pattern"] or _setting(config, "pattern"),
    )
    lexicon = load_lexicon(kwargs["lexicon"] or _setting(config, "lexicon"))
    store = _open_store(ctx, kwargs["db"], config, create=True)
    factory = VoskEngineFactory(model=kwargs["model"], config_value=_setting(config, "model"))
    executors = _cluster_executors(kwargs["cluster"], config, quiet=kwargs["quiet"])
    with _ProgressDisplay(not kwargs["quiet"]) as display:
        result = run_batch(
            inputs, store, lexicon, options=options, engine_factory=factory, progress=display,
            executor_factory=executors,
        )

    to_stderr = "-" in outputs.values()  # standard output is taken by --json -
    line = f"Scored {result.scored} calls, skipped {result.skipped} already scored"
    click.echo(f"{line}, {result.failed} failed.", err=to_stderr)
    if result.reused:
        click.echo(
            f"{result.reused} recordings were scored from their stored transcript "
            "(same model and channels; --retranscribe to listen again).",
            err=to_stderr,
        )
    if result.duplicates:
        click.echo(
            f"{len(result.duplicates)} files were copies of another input and were skipped.",
            err=to_stderr,
        )
    if result.unidentified:
        click.echo(
            f"{len(result.unidentified)} files had no agent (no --manifest row, name not "
            f"matching the pattern).",
            err=to_stderr,
        )
    results = load_results(store, CallFilter(ids=tuple(result.calls)))
    if not to_stderr:
        click.echo()
        TextWriter().write(results, sys.stdout)
    _write_outputs(results, outputs)

    if result.interrupted:
        raise _Exit(
            f"Interrupted: {result.scored + result.failed} calls saved, {result.not_done} not "
            "scored. Run the same command again to continue (finished calls are skipped).",
            EXIT_TERMINATED if result.signal == signal.SIGTERM else EXIT_INTERRUPTED,
        )
    if result.failed:
        raise _Exit(
            f"{result.failed} of {result.files} files could not be scored (see Failed files).",
            EXIT_FAILED_FILES,
        )
    if kwargs["fail_on"] and _worst_severity(results) >= _severity(kwargs["fail_on"]):
        raise _Exit(f"Calls lost points for {kwargs['fail_on']} rules or worse.", EXIT_FAIL_ON)


def _cluster_executors(option: str | None, config: Any | None, *, quiet: bool):
    """The Dask executor factory for ``--cluster`` (or the ``cluster`` setting); None: local."""
    value = option or _setting(config, "cluster")
    if not value:
        return None
    try:
        from phraseguard.calls.dask_pool import DaskExecutor, parse_cluster
    except ImportError as exc:
        raise PhraseguardError(f"--cluster needs Dask ({exc.name} is not installed): "
                               "pip install 'phraseguard[cluster]'") from None

    where = "--cluster" if option else f"{config.source}: setting 'cluster'"
    spec = parse_cluster(value, where)

    def notify(line: str) -> None:
        if not quiet:
            click.echo(line, err=True)

    return lambda worker_config, jobs: DaskExecutor(spec, worker_config, notify=notify)


def _severity(name: str) -> int:
    from phraseguard.engine.hit import Severity

    return int(Severity.parse(name))


def _worst_severity(results: Any) -> int:
    return max((int(h.severity) for h in results.hits if h.counted), default=-1)


REPORT_HELP = """Print the score summary from the results store, without rescoring.

\b
Shows the calls, each agent's mean score and hits per hour of talk (lowest
first: who needs coaching), the worst calls and the most frequent
violations with the phrasing to use instead.

\b
Examples:
  phraseguard report --db qa.db
  phraseguard report --db qa.db --agent alice
  phraseguard report --db qa.db --since 2024-05-01 --csv may.csv --json may.json
"""


@click.command("report", help=REPORT_HELP)
@db_option
@click.option("--agent", metavar="NAME", help="Only this agent's calls.")
@click.option("--team", metavar="NAME", help="Only this team's calls.")
@click.option("--since", metavar="DATE", help="Only calls on or after DATE (2024-05-01).")
@click.option("--until", metavar="DATE", help="Only calls on or before DATE.")
@output_options
@click.pass_context
def report(ctx: click.Context, **kwargs: Any) -> None:
    from phraseguard.calls.store import CallFilter
    from phraseguard.report.results import load_results
    from phraseguard.report.score_text import TextWriter

    outputs = _outputs(kwargs)
    _check_outputs(outputs)
    store = _open_store(ctx, kwargs["db"], _config(), create=False)
    where = CallFilter(
        agent=kwargs["agent"], team=kwargs["team"], since=kwargs["since"], until=kwargs["until"]
    )
    results = load_results(store, where)
    if "-" not in outputs.values():
        TextWriter().write(results, sys.stdout)
    _write_outputs(results, outputs)


def register(cli: click.Group) -> None:
    """Add ``score`` and ``report`` to the ``phraseguard`` command group."""
    cli.add_command(score)
    cli.add_command(report)
