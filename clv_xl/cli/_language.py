"""The language of the command line: ``--lang`` when given, else ``CLV_XL_LANG``, else the system locale's.

The language is decided once per run, from the arguments, before click parses them, so that even a usage error
(a bad option value) is said in the analyst's language. Commands print through :func:`say` and :func:`echo`,
which translate with the message catalogue (:mod:`clv_xl.i18n.catalogue`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import click

from clv_xl.i18n import LANGUAGES, system_language
from clv_xl.i18n.catalogue import message, translate

__all__ = ["LANGUAGE_VARIABLE", "language_from_args", "set_language", "current_language", "lang_option", "say", "echo"]

_F = TypeVar("_F", bound=Callable[..., Any])
_STATE = {"lang": "en"}

#: Environment variable that sets the language of every run (``en`` or ``fr``) whatever the locale says.
LANGUAGE_VARIABLE = "CLV_XL_LANG"


def language_from_args(args: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language a command line asks for.

    Its last valid ``--lang``, else :data:`LANGUAGE_VARIABLE`, else the system locale's
    (:func:`clv_xl.i18n.system_language`).

    Examples
    --------
    >>> language_from_args(["report", "x.csv", "--lang", "fr"]), language_from_args(["demo", "--lang=en"])
    ('fr', 'en')
    >>> language_from_args(["demo"], {"LANG": "fr_FR.UTF-8"}), language_from_args(["x", "--lang", "de"], {"LANG": "C"})
    ('fr', 'en')
    >>> language_from_args(["demo"], {"LANG": "fr_FR.UTF-8", "CLV_XL_LANG": "en"})
    'en'
    """
    env = os.environ if environ is None else environ
    chosen = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        value = args[index + 1] if arg == "--lang" and index + 1 < len(args) else (
            arg.partition("=")[2] if arg.startswith("--lang=") else None
        )
        if value is not None and value.strip().lower() in LANGUAGES:
            chosen = value.strip().lower()
    forced = env.get(LANGUAGE_VARIABLE, "").strip().lower()
    return chosen or (forced if forced in LANGUAGES else system_language(env))


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
        help=f"{help_text}: en or fr (default: {LANGUAGE_VARIABLE}, else fr when the system locale is French).",
    )


def say(key: str, *, err: bool = False, **values: object) -> None:
    """Print the catalogue message ``key`` in the run's language."""
    click.echo(message(key, current_language(), **values), err=err)


def echo(text: str, *, err: bool = False) -> None:
    """Print an English sentence of the library in the run's language (as is when the catalogue lacks it)."""
    click.echo(translate(text, current_language()), err=err)
