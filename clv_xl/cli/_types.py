"""Option types of the command line."""

from __future__ import annotations

from typing import Any

import click

from clv_xl.report.number_text import parse_number_text

__all__ = ["NUMBER", "NumberText"]


class NumberText(click.ParamType):
    """A number as an analyst types it: ``0.3``, ``0,3``, ``30%`` or ``30 %`` (see :func:`parse_number_text`).

    Examples
    --------
    >>> NUMBER.convert("30 %", None, None), NUMBER.convert("0,3", None, None)
    (0.3, 0.3)
    """

    name = "NUMBER"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        """Return ``value`` as a float, or fail with one line saying how to write it."""
        if isinstance(value, int | float):
            return float(value)
        number = parse_number_text(str(value))
        if number is None:
            self.fail(f"{str(value)[:40]!r} is not a number: write 0.3, 0,3 or 30%", param, ctx)
        return number


#: The option type for rates and amounts.
NUMBER = NumberText()
