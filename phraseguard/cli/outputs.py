"""The report files ``score`` and ``report`` write: ``--json``, ``--csv``, ``--html`` FILE.

One option per registered score writer (:data:`phraseguard.report.SCORE_WRITERS`),
checked before any work starts, written whole (or not at all) at the end.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from phraseguard.errors import PhraseguardError

_HELPS = {
    "json": "Also write everything (calls, hits with times, agents) as JSON to FILE "
            "('-' for standard output).",
    "csv": "Also write CSV: FILE has one row per deduction (call, agent, time, rule, "
           "matched text, suggestion); FILE's name + .calls.csv and .agents.csv hold the "
           "per-call and per-agent tables.",
}


def output_options(fn: Callable) -> Callable:
    """``--json FILE``, ``--csv FILE`` and one option per other registered writer."""
    from phraseguard.report import SCORE_WRITERS

    for name in reversed(list(SCORE_WRITERS)):
        if name == "text":
            continue
        fn = click.option(f"--{name}", f"out_{name}", metavar="FILE",
                          help=_HELPS.get(name, f"Also write the {name} report to FILE."))(fn)
    return fn


def take_outputs(kwargs: dict[str, Any]) -> dict[str, str | None]:
    """Remove the output options from a command's ``kwargs``: ``{format: target}``."""
    return {k[4:]: kwargs.pop(k) for k in list(kwargs) if k.startswith("out_")}


def check_outputs(outputs: dict[str, str | None]) -> None:
    """Fail now, before any work, if an output file cannot be written (``-`` is stdout)."""
    from phraseguard.output import check_writable
    from phraseguard.report.score_csv import CsvWriter

    for name, target in outputs.items():
        if not target or target == "-":
            continue
        files = [Path(target)]
        if name == CsvWriter.name:
            files += CsvWriter.companions(target)
        for path in files:
            check_writable(path, option=f"--{name} {target}")


def write_outputs(results: Any, outputs: dict[str, str | None]) -> None:
    """Write each requested report; a write error names the option and the file."""
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
            what = exc.filename if exc.filename and not str(exc.filename).endswith(".tmp") \
                else target  # a temporary file's name would mean nothing to the user
            raise PhraseguardError(
                f"--{name}: cannot write {what}: {exc.strerror or exc}") from exc
        for path in written:
            click.echo(f"Wrote {path}", err=True)


def open_store(ctx: click.Context, db: str | None, *, create: bool):
    """The results store at ``db``, closed however the command ends (STYLE rule 8)."""
    from phraseguard.calls.store import Store

    store = Store.open(db or "phraseguard.db", create=create)
    ctx.call_on_close(store.close)
    return store
