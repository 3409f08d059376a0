"""Errors raised by clv-xl.

Every error a user can cause is a :class:`ClvXlError`; the CLI turns it into one line and exit code 2,
an Excel cell shows its message. Errors about the user's input also subclass :class:`ValueError`, so
plain Python code can catch them the usual way.

Messages are written in English. The command line shows them in the analyst's language through the message
catalogue (:mod:`clv_xl.i18n.catalogue`), whose rows match the English text the way gettext's message ids do,
numbers and dates rewritten French style; a message no row matches is shown in English. Rewording a message
therefore means rewording its row in ``clv_xl/i18n/messages.csv`` (``tests/test_cli_french.py`` names a row
whose words the code no longer writes).
"""

from __future__ import annotations

__all__ = [
    "ClvXlError",
    "InvalidArgumentError",
    "DataError",
    "ColumnNotFoundError",
    "ConvergenceError",
    "TemplateError",
    "OutputError",
]


class ClvXlError(Exception):
    """Base class of every error clv-xl raises on purpose."""


class InvalidArgumentError(ClvXlError, ValueError):
    """An argument is outside what a function accepts.

    Parameters
    ----------
    argument : str
        Name of the offending argument, as the caller spells it.
    message : str
        What is allowed and what arrived.

    Examples
    --------
    >>> err = InvalidArgumentError("churn_rate", "churn_rate must be > 0 and <= 1; got 0")
    >>> err.argument, str(err)
    ('churn_rate', 'churn_rate must be > 0 and <= 1; got 0')
    """

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(message)
        self.argument = argument


class DataError(ClvXlError, ValueError):
    """Order data that cannot be read or understood (empty file, unparseable values, ...)."""


class ColumnNotFoundError(DataError):
    """A required column (customer, date, amount) could not be found in the order data."""


class ConvergenceError(ClvXlError):
    """A probabilistic model could not be fitted to the data."""


class TemplateError(ClvXlError, ValueError):
    """A report template breaks the template contract (missing sheets or defined names)."""


class OutputError(ClvXlError):
    """The output file cannot be written (it exists and ``force`` is off, or the target is not writable)."""
