"""The analyst's language from the system locale: French when the locale is French, else English.

POSIX programs read ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG`` (the first one set wins; ``C`` and ``POSIX``
mean English). Windows has no such variables by default: its user locale (``French_France``) comes from the
:mod:`locale` module.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping

from clv_xl.i18n.text_format import LANGUAGES

__all__ = ["LOCALE_VARIABLES", "language_of_locale", "system_language"]

#: Environment variables naming the message locale, strongest first (POSIX order).
LOCALE_VARIABLES: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")

#: Windows locale names (``locale.getlocale()`` there) that start with a language's English name.
_WINDOWS_NAMES: Mapping[str, str] = {"french": "fr", "english": "en"}


def language_of_locale(name: str | None) -> str | None:
    """The clv-xl language of a locale name, or ``None`` when it names none.

    Parameters
    ----------
    name : str or None
        ``fr_FR.UTF-8``, ``fr-CA``, ``French_France.1252``, ``en_US``, ``C``...

    Returns
    -------
    str or None
        ``"fr"`` for any French locale, ``"en"`` for any other real locale, ``None`` for an empty name.

    Examples
    --------
    >>> language_of_locale("fr_FR.UTF-8"), language_of_locale("French_France.1252"), language_of_locale("fr-CA")
    ('fr', 'fr', 'fr')
    >>> language_of_locale("de_DE.UTF-8"), language_of_locale("C.UTF-8"), language_of_locale("")
    ('en', 'en', None)
    """
    text = (name or "").strip().lower()
    if not text:
        return None
    head = text.split(".")[0].split("@")[0]
    for windows_name, code in _WINDOWS_NAMES.items():
        if head.startswith(windows_name):
            return code
    code = head.replace("-", "_").split("_")[0]
    return code if code in LANGUAGES else "en"


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """``"fr"`` when the system locale is French, else ``"en"``.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (default ``os.environ``); the :mod:`locale` module is asked only when none of
        :data:`LOCALE_VARIABLES` is set in it.

    Returns
    -------
    str
        ``"fr"`` or ``"en"``.

    Examples
    --------
    >>> system_language({"LANG": "fr_FR.UTF-8"}), system_language({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"})
    ('fr', 'en')
    >>> system_language({"LC_MESSAGES": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"})
    'fr'
    """
    env = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        found = language_of_locale(env.get(variable))
        if found is not None:
            return found
    try:
        found = language_of_locale(locale.getlocale()[0])
    except (ValueError, TypeError):  # an unparsable locale setting
        found = None
    return found or "en"
