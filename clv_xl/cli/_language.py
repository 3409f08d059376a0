"""The language of the command line: ``--lang`` when given, else the system locale's (French when it is French).

The language is decided once per run, from the arguments, before click parses them, so that even a usage error
(a bad option value) is said in the analyst's language. Commands print through :func:`say` and :func:`echo`,
which translate with the message catalogue (:mod:`clv_xl.i18n.catalogue`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from clv_xl.i18n import LANGUAGES, system_language
from clv_xl.i18n.catalogue import message, translate

__all__ = ["language_from_args", "set_language", "current_language", "lang_option", "say", "echo"]

_F = TypeVar("_F", bound=Callable[..., Any])
_STATE = {"lang": "en"}


def language_from_args(args: Sequence[str], environ: Any = None) -> str:
    """The language a command line asks for: its last ``--lang`` value if valid, else the system's.

    Examples
    --------
    >>> language_from_args(["report", "x.csv", "--lang", "fr"]), language_from_args(["demo", "--lang=en"])
    ('fr', 'en')
    >>> language_from_args(["demo"], {"LANG": "fr_FR.UTF-8"}), language_from_args(["demo", "--lang", "de"], {})
    ('fr', 'en')
    """
    chosen = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = args[index + 1] if arg == "--lang" and index + 1 < len(args) else (
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        )
        if value is not None and value.strip().lower() in LANGUAGES:
            chosen = value.strip().lower()
    return chosen or system_language(environ)


def set_language(lang: str) -> None:
    """Make ``lang`` the language of this run's messages."""
    _STATE["lang"] = lang


def current_language() -> str:
    """The language of this run's messages (see :func:`language_from_args`)."""
    return _STATE["lang"]


def _resolve(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is not None:
        set_language(value)
    return current_language()


def lang_option(help_text: str = "Language of the messages") -> Callable[[_F], _F]:
    """The ``--lang en|fr`` option; without it the system locale decides (French when it is French)."""
    return click.option(
        "--lang", type=click.Choice(LANGUAGES), default=None, callback=_resolve, is_eager=True, expose_value=True,
        help=f"{help_text}: en or fr (default: fr when the system locale is French, else en).",
    )


def say(key: str, *, err: bool = False, **values: object) -> None:
    """Print the catalogue message ``key`` in the run's language."""
    click.echo(message(key, current_language(), **values), err=err)


def echo(text: str, *, err: bool = False) -> None:
    """Print an English sentence of the library in the run's language (as is when the catalogue lacks it)."""
    click.echo(translate(text, current_language()), err=err)
