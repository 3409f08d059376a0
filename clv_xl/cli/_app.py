"""The root ``clv-xl`` command group and its error handling, in the run's language."""

from __future__ import annotations

import sys
from collections.abc import Mapping, MutableMapping
from importlib import import_module
from typing import Any

import click

from clv_xl.cli._console import make_streams_safe
from clv_xl.cli._language import current_language, lang_option, language_from_args, say, set_language
from clv_xl.errors import ClvXlError
from clv_xl.i18n.catalogue import message, translate

__all__ = ["main", "ClvXlGroup", "fail"]

# click >= 8.2 raises this (a UsageError) when a group is called without a command
_NO_ARGS_IS_HELP: type[click.ClickException] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.ClickException,), {})
)


def fail(message_text: str, hint: str = "") -> None:
    """Print ``message_text`` (English) as one ``Error: ...`` line in the run's language; exit with code 2."""
    try:
        line = message("cli.error", current_language(), text=translate(message_text, current_language()) + hint)
    except (OSError, ValueError, KeyError):  # a damaged catalogue must not turn an error into a traceback
        line = f"Error: {message_text}{hint}"
    click.echo(line, err=True)
    sys.exit(2)


def _interrupted() -> None:
    say("cli.interrupted", err=True)
    sys.exit(130)


class ClvXlGroup(click.Group):
    """A click group that turns every :class:`ClvXlError` and usage error into one line and exit code 2.

    Its commands may be registered lazily (:meth:`add_lazy_commands`): a command's module is imported when that
    command runs, so ``clv-xl summary`` never loads the report and model stack. :attr:`commands` (help, tests)
    imports them all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._lazy: dict[str, str] = {}
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        """Every command by name, the lazy ones imported."""
        for name in list(self._lazy):
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, click.Command]) -> None:
        self._commands = value

    def add_lazy_commands(self, modules: Mapping[str, str]) -> None:
        """Register commands by name -> module; each module defines a command of that name."""
        self._lazy.update(modules)

    def _load(self, name: str) -> None:
        command = getattr(import_module(self._lazy.pop(name)), name)
        self._commands[name] = command

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported now if it was registered lazily."""
        if cmd_name in self._lazy:
            self._load(cmd_name)
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Names of every command, without importing them."""
        return sorted({*self._commands, *self._lazy})

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; a usage error (bad option value, unknown command) is one line, exit 2."""
        kwargs["standalone_mode"] = False
        make_streams_safe()
        arguments = kwargs.get("args", args[0] if args else None)
        set_language(language_from_args(list(sys.argv[1:] if arguments is None else arguments)))
        try:
            result = super().main(*args, **kwargs)
        except _NO_ARGS_IS_HELP as exc:  # `clv-xl` alone, or a group without its command: show the help
            click.echo(exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            hint = "" if exc.ctx is None else message(
                "cli.see_help", current_language(), command=f"'{exc.ctx.command_path} --help'"
            )
            fail(exc.format_message().replace("\n", " "), hint)
        except click.ClickException as exc:
            fail(exc.format_message())
        except click.Abort:
            _interrupted()
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the chosen command; map known errors to a short message."""
        try:
            return super().invoke(ctx)
        except ClvXlError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            _interrupted()


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: print it and exit (read from the installed package only then, not at every start)."""
    if value and not ctx.resilient_parsing:
        from clv_xl import __version__

        click.echo(f"clv-xl, version {__version__}")
        ctx.exit()


@click.group(cls=ClvXlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and exit.")
@lang_option()
def main(lang: str) -> None:
    """Customer lifetime value for Excel users: formulas, reports and forecasts.

    Messages are in French when the system locale is French (or with --lang fr).

    \b
    Examples:
      clv-xl functions
      clv-xl demo
      clv-xl report orders.csv -o report.xlsx
      clv-xl --lang fr inspect commandes.csv
    """
