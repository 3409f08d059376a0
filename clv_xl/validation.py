"""The checks that several entry points share, in one place so they cannot drift apart.

Every function here raises :class:`~clv_xl.errors.InvalidArgumentError` (or returns a cleaned value) with one short
message naming the argument, what is allowed and what arrived; a value echoed in a message is cut to a readable
length by :func:`shown`.
"""

from __future__ import annotations

__all__ = ["shown"]

_SHOWN_LIMIT = 40


def shown(value: object, limit: int = _SHOWN_LIMIT) -> str:
    """The ``repr`` of a value as a message shows it: cut to ``limit`` characters, saying how long it was.

    Parameters
    ----------
    value : object
        What arrived (a cell value, an argument).
    limit : int
        The most characters of its ``repr`` to show.

    Returns
    -------
    str
        ``repr(value)``, or its start followed by ``… (N characters)`` when longer than ``limit``.

    Examples
    --------
    >>> shown("W")
    "'W'"
    >>> shown("x" * 100_000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (100,000 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[: limit - 2]!r}"[:-1] + f"… ({len(value):,} characters)"
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
