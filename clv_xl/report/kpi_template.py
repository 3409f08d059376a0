"""A key figure's Excel template filled in for one workbook: its ``{placeholders}`` replaced by cells and ranges.

The placeholders are those of :data:`~clv_xl.report.kpi_records.KPIS`' templates; :func:`render` fills them in, a
choice test (``{is:ltv_basis:basis.historical}``) first becoming a comparison of the assumption cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["render"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.:]*)\}")


def render(template: str, refs: Mapping[str, str]) -> str | None:
    """Fill a record's Excel template; None when something it reads is missing (no forecast, say).

    Parameters
    ----------
    template : str
        An Excel expression with ``{placeholders}``.
    refs : mapping
        Text of each placeholder (cell addresses, ranges, names, quoted labels).

    Returns
    -------
    str or None
        The expression.

    Examples
    --------
    >>> render("{revenue}/{orders}", {"revenue": "$C$3", "orders": "$C$2"})
    '$C$3/$C$2'
    >>> render("AVERAGE({customers.predicted_clv})", {}) is None
    True
    """
    template = _CHOICE.sub(lambda m: _choice_test(m.group(1), m.group(2), refs), template)
    missing = [name for name in _PLACEHOLDER.findall(template) if name not in refs]
    if missing:
        return None
    return _PLACEHOLDER.sub(lambda m: refs[m.group(1)], template)


_CHOICE = re.compile(r"\{is:([A-Za-z_][A-Za-z0-9_]*):([A-Za-z_][A-Za-z0-9_.]*)\}")


def _choice_test(cell: str, label: str, refs: Mapping[str, str]) -> str:
    """``{a:cell}="keyword"``, or with the label too when the language words it otherwise (Excel ignores case).

    Examples
    --------
    >>> _choice_test("ltv_basis", "basis.historical", {"t:basis.historical": '"historique"'})
    'OR({a:ltv_basis}="historical",{a:ltv_basis}={t:basis.historical})'
    >>> _choice_test("ltv_basis", "basis.historical", {"t:basis.historical": '"Historical"'})
    '{a:ltv_basis}="historical"'
    """
    keyword = f'"{label.rsplit(".", 1)[-1]}"'
    test = f"{{a:{cell}}}={keyword}"
    if refs.get(f"t:{label}", keyword).casefold() == keyword.casefold():
        return test
    return f"OR({test},{{a:{cell}}}={{t:{label}}})"
