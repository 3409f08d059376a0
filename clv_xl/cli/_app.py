"""The root ``clv-xl`` command group and its error handling."""

from __future__ import annotations

import sys
from typing import Any

import click

from clv_xl import __version__
from clv_xl.errors import ClvXlError

__all__ = ["main", "ClvXlGroup", "fail"]

# click >= 8.2 raises this (a UsageError) when a group is called without a command
_NO_ARGS_IS_HELP: type[click.ClickException] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.ClickException,), {})
)


def fail(message: str) -> None:
    """Print ``message`` as one ``Error: ...`` line on stderr and exit with code 2."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


class ClvXlGroup(click.Group):
    """A click group that turns every :class:`ClvXlError` and usage error into one line and exit code 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; a usage error (bad option value, unknown command) is one line, exit 2."""
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except _NO_ARGS_IS_HELP as exc:  # `clv-xl` alone, or a group without its command: show the help
            click.echo(exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            fail(exc.format_message().replace("\n", " ") + hint)
        except click.ClickException as exc:
            fail(exc.format_message())
        except click.Abort:
            click.echo("Interrupted; nothing was written.", err=True)
            sys.exit(130)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the chosen command; map known errors to a short message."""
        try:
            return super().invoke(ctx)
        except ClvXlError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing was written.", err=True)
            sys.exit(130)


@click.group(cls=ClvXlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="clv-xl")
def main() -> None:
    """Customer lifetime value for Excel users: formulas, reports and forecasts.

    \b
    Examples:
      clv-xl functions
      clv-xl demo
      clv-xl report orders.csv -o report.xlsx
    """
