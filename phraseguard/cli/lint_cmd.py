"""``phraseguard lint``: check written call scripts and canned replies."""

from __future__ import annotations

import contextlib

import click

from phraseguard.cli.options import (
    call_flow_on,
    call_flow_option,
    lexicon_option,
    settings_options,
)
from phraseguard.settings import CONFIDENCE_RANGE, FAIL_ON, LINT_FORMATS, SEVERITIES


@click.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option("-f", "--format", "fmt", type=click.Choice(LINT_FORMATS), default=None,
              help="Output format: text, json, sarif or html. Default: `format` in "
                   "phraseguard.toml, else text.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Write the report to this file instead of standard output.")
@lexicon_option
@click.option("--min-severity", type=click.Choice(SEVERITIES), default=None,
              help="Report only findings at least this severe (default: info, i.e. all).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding is at least this severe "
                   "(default: the --min-severity level; 'never' always exits 0).")
@click.option("--min-confidence", type=click.FloatRange(*CONFIDENCE_RANGE), default=None,
              help="Drop homophone/fuzzy matches below this confidence "
                   "(default: the lexicon's, 0.6).")
@click.option("--include", multiple=True, metavar="GLOB",
              help="File patterns to read inside folders (repeatable; default: common text "
                   "files such as *.txt *.md *.csv *.json *.srt *.html).")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Paths to skip inside folders, e.g. 'drafts/**' (repeatable).")
@call_flow_option("in each script: a missing greeting or self-introduction is a "
                  "finding on its first line, a missing farewell on its last", "phraseguard lint --call-flow scripts/", timing=False)
@click.option("--meaning/--no-meaning", default=None,
              help="Also read every line no rule matched with the lexicon's meaning model, "
                   "which catches new wording of a forbidden meaning (\"这事我也爱莫能助\") "
                   "and reports it under the rule it means. Slower on big files, so off by "
                   "default for lint (score and live always use it). Default: `meaning` in "
                   "phraseguard.toml, else off. Example: phraseguard lint --meaning scripts/")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on standard error.")
@settings_options
def lint(paths: tuple[str, ...], fmt: str | None, output: str, lexicon: str | None,
         min_severity: str | None, fail_on: str | None, min_confidence: float | None,
         include: tuple[str, ...], exclude: tuple[str, ...], call_flow: bool | None,
         meaning: bool | None, quiet: bool, settings) -> None:
    """Check call scripts and canned replies for forbidden phrases.

    PATH can be files, folders (read recursively) or - for standard input.
    Text in UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5 is read
    correctly. Each finding says where it is, which rule it breaks and what
    to say instead:

    \b
      scripts/refund.txt:12:5: major disclaim-knowledge: Disclaims knowledge
      of what the customer asked instead of finding out 「不清楚」 → 我帮您确认一下，请稍等

    \b
    Examples:
      phraseguard lint scripts/
      phraseguard lint --min-severity major --format sarif -o qa.sarif scripts/
      echo "这个我们不管" | phraseguard lint -
      phraseguard lint --lexicon our-words.toml --exclude 'archive/**' .

    A line that quotes a forbidden phrase on purpose (training material) is
    silenced with a comment on it: "phraseguard: ignore" (all rules) or
    "phraseguard: ignore[give-up]"; "phraseguard: ignore-next-line" silences
    the line after. Settings can live in phraseguard.toml or in
    [tool.phraseguard] of pyproject.toml, found upward from the current
    folder (--config FILE names one, --no-config ignores it).

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 a usage error
    or a file that could not be read (the other files are still checked).
    """
    from phraseguard.engine.hit import Severity
    from phraseguard.engine.lexicon_cache import load_lexicon_cached
    from phraseguard.engine.matcher import Matcher
    from phraseguard.errors import PhraseguardError
    from phraseguard.lint.linter import LintOptions
    from phraseguard.report.lint_formats import LINT_WRITERS
    from phraseguard.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

    if not paths and not quiet:
        # Say so: a bare `phraseguard lint` in the wrong folder would otherwise
        # look like a clean result for files it never meant to read.
        click.echo("phraseguard: no PATH given, linting the current folder (.)", err=True)
    paths = paths or (".",)
    config = settings
    fmt = fmt or config.format or "text"
    # One per LINT_FORMATS name (a test pins it); the HTML one, which imports
    # the HTML report, only when asked for.
    writers = LINT_WRITERS if fmt in LINT_WRITERS else _lint_writers(LINT_WRITERS)
    min_sev = Severity.parse(min_severity or config.min_severity or "info")
    fail_name = fail_on or config.fail_on or min_sev.label
    fail_level = None if fail_name == "never" else Severity.parse(fail_name)
    lex = load_lexicon_cached(lexicon or config.path(config.lexicon))
    matcher = Matcher(lex)
    if config.pick("meaning", meaning):
        from phraseguard.engine.meaning_files import use_meaning

        use_meaning(matcher)
    flow = None
    if call_flow_on(config, call_flow):  # opt-in: off unless the flag or the file says so
        from phraseguard.engine.callflow import CallFlow

        flow = CallFlow(lex, company=config.company or None, timing=False,
                        tables=matcher.tables)
    options = LintOptions(
        include=tuple(include) or config.include or DEFAULT_INCLUDE,
        exclude=tuple(exclude) + config.exclude + DEFAULT_EXCLUDE,
        min_severity=min_sev,
        min_confidence=min_confidence if min_confidence is not None else config.min_confidence,
    )
    try:
        with _report_file(output) as out:
            files, failed, counts, failing = _lint_all(paths, matcher, options,
                                                       writers[fmt](lex, out), fail_level,
                                                       flow)
    except OSError as exc:
        raise PhraseguardError(f"{output}: cannot write the report: "
                               f"{exc.strerror or exc}") from None
    if not quiet:
        click.echo(_summary(counts, files, failed), err=True)
    ctx = click.get_current_context()
    ctx.exit(2 if failed else 1 if failing else 0)


def _lint_all(paths, matcher, options, writer, fail_level, flow=None):
    """Lint every file through ``writer``; (files, unreadable, counts by severity, failing).

    With ``flow`` (``--call-flow``), each readable file is also checked for
    its greeting and farewell (merged by :func:`phraseguard.lint.linter.lint_paths`).
    """
    from phraseguard.lint.linter import Tally, lint_paths

    tally = Tally(fail_level)
    writer.start()
    for result in lint_paths(paths, matcher, options, flow=flow):
        tally.add(result)
        if result.notice:
            click.echo(f"{result.path}: notice: {result.notice}", err=True)
            continue
        if result.error:
            click.echo(f"{result.path}: error: {result.error}", err=True)
        writer.handle(result)
    writer.finish()
    return tally.files, tally.failed, tally.counts, tally.failing


@contextlib.contextmanager
def _report_file(output: str):
    """Standard output for ``-``; else the file, written whole when linting ends."""
    if output == "-":
        yield click.get_text_stream("stdout")
        return
    from phraseguard.output import atomic_write

    with atomic_write(output) as fp:
        yield fp


def _lint_writers(base: dict) -> dict:
    # The HTML review page lives with the HTML report (and its assets).
    from phraseguard.report.lint_html import HtmlLintWriter

    return {**base, HtmlLintWriter.name: HtmlLintWriter}


def _summary(counts: dict, files: int, failed: int) -> str:
    total = sum(counts.values())
    noun = "file" if files == 1 else "files"
    if total:
        parts = ", ".join(f"{n} {sev.label}" for sev, n in sorted(counts.items(), reverse=True))
        text = f"phraseguard: {total} finding{'s' if total != 1 else ''} ({parts}) in {files} {noun}"
    else:
        text = f"phraseguard: no findings in {files} {noun}"
    if failed:
        text += f"; {failed} could not be read"
    return text
