"""The ``phraseguard`` command: a click group whose commands live one area per module.

Commands only parse options, call one front door and print. Every
:class:`~phraseguard.errors.PhraseguardError` becomes ``Error: ...`` with exit
code 2 here, in one place. Front doors are imported inside the commands so a
cold ``phraseguard lint`` loads only what linting needs.
"""

from __future__ import annotations

import sys

import click

from phraseguard import __version__
from phraseguard.errors import PhraseguardError


class UsageOrInputError(click.ClickException):
    """A PhraseguardError as click shows it: one line, exit code 2."""

    exit_code = 2


# Command name -> (module, attribute). A command's module is imported only
# when that command runs (or when help lists every command): a cold
# ``phraseguard lint`` then never imports the report writers, the calls
# store or the audio stack, whose options are built at import time.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("phraseguard.cli.lint_cmd", "lint"),
    "lexicon": ("phraseguard.cli.lexicon_cmd", "lexicon"),
    "transcribe": ("phraseguard.cli.speech_cmd", "transcribe"),
    "models": ("phraseguard.cli.speech_cmd", "models"),
    "score": ("phraseguard.cli.score_cmd", "score"),
    "report": ("phraseguard.cli.report_cmd", "report"),
    "devices": ("phraseguard.cli.live_cmd", "devices"),
    "live": ("phraseguard.cli.live_cmd", "live"),
}


class PhraseguardGroup(click.Group):
    """Turns library errors into one-line messages with exit code 2; loads commands lazily.

    ``get_command`` imports only the named command's module (click's lazy
    subcommand pattern); ``commands`` still shows every command, loading
    them all, for help and for code that walks the group.
    """

    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs) -> None:
        self._lazy = dict(lazy or {})
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict[str, click.Command]:
        for name in list(self._lazy):
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def _load(self, name: str) -> click.Command | None:
        spec = self._lazy.pop(name, None)
        if spec is not None:
            import importlib

            module, attr = spec
            self._commands[name] = getattr(importlib.import_module(module), attr)
        return self._commands.get(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._commands, *self._lazy})

    def invoke(self, ctx: click.Context):  # noqa: D401 - click API
        try:
            return super().invoke(ctx)
        except PhraseguardError as exc:
            raise UsageOrInputError(str(exc)) from exc


@click.group(cls=PhraseguardGroup, lazy=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="phraseguard")
def cli() -> None:
    """Keep forbidden phrases out of customer-service calls.

    \b
    The service standard forbids telling a customer 我们不管, 跟我们没关系,
    没办法解决, 随便, 不清楚 or 不知道; phraseguard finds those phrases and
    their real-world variants and says what to say instead.

    \b
    Examples:
      phraseguard lint scripts/              # check written call scripts
      phraseguard lexicon show               # list the rules in force
      phraseguard score recordings/ --db qa.db
      phraseguard live --agent alice         # coach on the headset

    Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage or
    input error.
    """


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script entry point)."""
    try:
        # Without standalone mode click returns ctx.exit()'s code instead of
        # exiting, so tests and the console script see the same value.
        rv = cli.main(args=argv, prog_name="phraseguard", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except PhraseguardError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 2
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
