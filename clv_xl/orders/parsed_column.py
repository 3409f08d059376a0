"""What a parser of :mod:`clv_xl.orders.parse_values` returns for a column, and which of its cells are blank."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ParseResult", "blank_cells"]


@dataclass
class ParseResult:
    """Values parsed from one column.

    Attributes
    ----------
    values : pandas.Series
        Parsed values, missing (NaN / NaT) where the input was blank or unparseable.
    bad : pandas.Series
        Boolean mask: True where a non-blank input could not be parsed.
    notes : list of str
        What was decided about the column (e.g. the date order), for the cleaning report.
    """

    values: pd.Series
    bad: pd.Series
    notes: list[str] = field(default_factory=list)


def blank_cells(raw: pd.Series) -> pd.Series:
    """Return a mask of missing or whitespace-only values.

    Examples
    --------
    >>> blank_cells(pd.Series(["a", " ", None, "N/A"])).tolist()
    [False, True, True, True]
    """
    mask = raw.isna()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        text = raw[~mask].astype(str).str.strip()
        mask.loc[text.index] = text.eq("") | text.str.lower().isin(["nan", "nat", "none", "null", "n/a", "-"])
    return mask
