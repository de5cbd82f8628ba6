"""Options shared by several commands, declared once (STYLE rule 8: shared flags are decorators).

Each has one spelling, one set of choices and one help text everywhere it
appears. :func:`settings_options` gives a command ``--config FILE`` and
``--no-config`` and hands it the loaded :class:`~phraseguard.settings.Config`
as its ``settings`` argument.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from phraseguard.settings import AGENT_CHANNELS, MONO_ROLES, load_settings


def settings_options(f: Callable) -> Callable:
    """``--config FILE`` and ``--no-config``; the command receives ``settings``."""

    @click.option("--config", "config_file", default=None, metavar="FILE",
                  type=click.Path(exists=True, dir_okay=False),
                  help="Settings file to use instead of the one found upward from the current "
                       "folder (phraseguard.toml or pyproject.toml with [tool.phraseguard]).")
    @click.option("--no-config", is_flag=True,
                  help="Ignore phraseguard.toml / [tool.phraseguard] files.")
    @functools.wraps(f)
    def command(*args, config_file: str | None, no_config: bool, **kwargs):
        return f(*args, settings=load_settings(config_file, disabled=no_config), **kwargs)

    return command


def lexicon_option(f: Callable) -> Callable:
    """``-l/--lexicon FILE``: the lexicon to use instead of the default."""
    return click.option(
        "-l", "--lexicon", default=None, metavar="FILE",
        help="Lexicon file to use. Default: `lexicon` in phraseguard.toml, else the bundled "
             "service-standard lexicon.")(f)


def db_option(f: Callable) -> Callable:
    """``--db FILE``: the results store."""
    return click.option(
        "--db", metavar="FILE",
        help="Results store (SQLite), shared by score, report and live. Default: `db` in "
             "phraseguard.toml, else phraseguard.db.")(f)


def model_option(f: Callable) -> Callable:
    """``-m/--model PATH``: the Vosk model."""
    return click.option(
        "-m", "--model", metavar="PATH",
        help="Vosk model folder or installed model name. Default: $PHRASEGUARD_MODEL, "
             "`model` in phraseguard.toml, ./models, then installed model packages.")(f)


def channel_options(f: Callable) -> Callable:
    """``--agent-channel left|right`` and ``--mono-role agent|customer``."""
    f = click.option(
        "--mono-role", type=click.Choice(MONO_ROLES),
        help="Who speaks in mono recordings and in transcripts that do not say. "
             "Default: `mono_role` in phraseguard.toml, else agent.")(f)
    return agent_channel_option(f)


def agent_channel_option(f: Callable) -> Callable:
    """``--agent-channel left|right``: the agent's side of a stereo input."""
    return click.option(
        "--agent-channel", type=click.Choice(AGENT_CHANNELS),
        help="Stereo recordings (and, for live, a two-channel device): the agent's channel; "
             "the other is the customer. Default: `agent_channel` in phraseguard.toml.")(f)


def allow_language_mismatch_option(f):
    """``--allow-language-mismatch``: run a model whose language is not the lexicon's."""
    return click.option(
        "--allow-language-mismatch", is_flag=True, default=None,
        help="Run even when the speech model's language (e.g. Korean) is not the lexicon's "
             "(e.g. Chinese). Without it such a run is refused, because the lexicon's "
             "phrases could never be heard. Also: allow_language_mismatch = true in "
             "phraseguard.toml.")(f)


def call_flow_option(what: str, example: str, *, default: str = "off",
                     timing: bool = True) -> Callable:
    """``--call-flow/--no-call-flow``: also check the lexicon's call-flow rules.

    One spelling for ``score``, ``live`` and ``lint``; the command decides (the
    flag, else ``call_flow`` in the settings file, else its own default, which
    ``default`` describes). ``what`` says what the command does with the rules
    (with ``timing``, which timing events it reports; ``lint`` has none).
    """
    rules = ("Also check what the agent must say and when (greeting, self-introduction, "
             "closing: [[required]] in the lexicon)")
    return click.option(
        "--call-flow/--no-call-flow", default=None,
        help=(f"{rules} and timing ({what})" if timing else f"{rules} {what}")
             + f". Default: `call_flow` in phraseguard.toml, else {default}. Example: {example}")


def call_flow_on(settings, flag: bool | None) -> bool:
    """Whether call flow is on: ``--call-flow``/``--no-call-flow``, else the settings file."""
    return bool(settings.pick("call_flow", flag))
