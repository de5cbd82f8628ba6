"""Option sets shared by several commands (STYLE rule 8: shared flags are decorators)."""

from __future__ import annotations

from pathlib import Path

import click


def lexicon_option(f):
    """``-l/--lexicon FILE``: the lexicon to use instead of the default."""
    return click.option(
        "-l", "--lexicon", default=None, metavar="FILE",
        help="Lexicon file to use (default: the bundled service-standard lexicon, "
             "or 'lexicon' from phraseguard.toml).")(f)


def config_option(f):
    """``--config FILE`` and ``--no-config``."""
    f = click.option("--no-config", is_flag=True,
                     help="Ignore phraseguard.toml / [tool.phraseguard] files.")(f)
    return click.option("--config", "config_path", default=None, metavar="FILE",
                        type=click.Path(exists=True, dir_okay=False),
                        help="Settings file to use instead of the one found upward from "
                             "the input (phraseguard.toml or pyproject.toml).")(f)


def resolve_config(start: str | None, config_path: str | None, no_config: bool):
    """The Config for a command: explicit file, found file, or defaults."""
    from phraseguard.settings import Config, load_config

    if no_config:
        return Config()
    return load_config(Path(start) if start else None,
                       explicit=Path(config_path) if config_path else None)


def allow_language_mismatch_option(f):
    """``--allow-language-mismatch``: run a model whose language is not the lexicon's."""
    return click.option(
        "--allow-language-mismatch", is_flag=True, default=None,
        help="Run even when the speech model's language (e.g. Korean) is not the lexicon's "
             "(e.g. Chinese). Without it such a run is refused, because the lexicon's "
             "phrases could never be heard. Also: allow_language_mismatch = true in "
             "phraseguard.toml.")(f)
