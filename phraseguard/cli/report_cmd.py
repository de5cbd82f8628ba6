"""``phraseguard report``: the score reports, read back from the results store.

Thin: read the store (:func:`phraseguard.report.results.load_results`), print
the summary and hand the results to the writers of
:data:`phraseguard.report.SCORE_WRITERS`.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from phraseguard.cli.options import db_option, lexicon_option, settings_options
from phraseguard.cli.outputs import (
    check_outputs,
    open_store,
    output_options,
    take_outputs,
    write_outputs,
)

REPORT_HELP = """Print the score summary from the results store, without rescoring.

\b
Shows the calls, each agent's mean score and hits per hour of talk (lowest
first: who needs coaching), the worst calls and the most frequent
violations with the phrasing to use instead. Calls scored with call flow
(the default of `score`) also get their checklist of required items
(greeting, self-introduction, closing) in --json, --csv and --html, and
each agent the rate of each item; --lexicon (or `lexicon` in
phraseguard.toml) names the items, as when the calls were scored.

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
@lexicon_option
@output_options
@settings_options
@click.pass_context
def report(ctx: click.Context, settings: Any, **kwargs: Any) -> None:
    from phraseguard.calls.store import CallFilter
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.report.results import load_results
    from phraseguard.report.score_text import TextWriter

    outputs = take_outputs(kwargs)
    check_outputs(outputs)
    store = open_store(ctx, settings.pick("db", kwargs["db"]), create=False)
    where = CallFilter(
        agent=kwargs["agent"], team=kwargs["team"], since=kwargs["since"], until=kwargs["until"]
    )
    # The lexicon names the required items, so one no call missed is listed too.
    lexicon = load_lexicon(settings.pick("lexicon", kwargs["lexicon"]))
    results = load_results(store, where, required=[r.id for r in lexicon.flow.required])
    if "-" not in outputs.values():
        TextWriter().write(results, sys.stdout)
    write_outputs(results, outputs)
