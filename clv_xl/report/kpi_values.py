"""The key figures computed in Python (the ribbon's, the tests', the Office.js host's), and the what-if grid.

Each figure is the Python side of its record in :data:`~clv_xl.report.kpi_records.KPIS`; where the workbook shows
n/a (an error, a division by zero, NaN) the value is None.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial

import numpy as np

from clv_xl import formulas
from clv_xl.errors import ClvXlError
from clv_xl.report.kpi_records import KPIS, KpiData
from clv_xl.report.options import ReportOptions

__all__ = ["compute_kpis", "whatif_grid", "WHATIF_MARGINS", "WHATIF_LIFESPANS"]

#: Default rows (margins) and columns (lifespans, years) of the what-if grid.
WHATIF_MARGINS: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
WHATIF_LIFESPANS: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0, 7.0, 10.0)


def _maybe(func: Callable[[], object]) -> float | str | None:
    """Return ``func()``, or None where the spreadsheet shows n/a (an error, a division by zero, NaN)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # nanmean of an empty range: n/a, as AVERAGE says
            value = func()
    except (ClvXlError, ZeroDivisionError, TypeError, ValueError, KeyError):
        return None
    if isinstance(value, str):
        return value
    if not isinstance(value, int | float | np.number) or not np.isfinite(value):
        return None
    return float(value)


def compute_kpis(data: KpiData, options: ReportOptions) -> dict[str, float | str | None]:
    """Compute the dashboard's key figures (the Python side of :data:`KPIS`).

    Parameters
    ----------
    data : mapping of str to ndarray
        The ranges the formulas read (see :data:`KpiData`).
    options : ReportOptions
        The assumptions.

    Returns
    -------
    dict
        One entry per :data:`KPI_KEYS`; ``None`` where the workbook shows n/a; ``verdict`` is a label key.

    Examples
    --------
    >>> nan = float("nan")
    >>> data = {"customers.orders": np.full(10, 3.0), "customers.revenue": np.full(10, 150.0),
    ...         "customers.first_order": np.zeros(10), "customers.last_order": np.full(10, 364.25),
    ...         "churn.customers_at_start": np.array([0, 100.0]), "churn.lost_customers": np.array([0, 10.0]),
    ...         "churn.customers_at_end": np.array([60, 60.0]), "churn.churn_rate": np.array([nan, 0.1])}
    >>> k = compute_kpis(data, ReportOptions(margin=0.5, discount_rate=0, cac=50))
    >>> k["aov"], k["frequency"], k["lifespan"], k["clv"], k["ltv_cac"], k["verdict"]
    (50.0, 3.0, 0.8333333333333334, 62.5, 1.25, 'verdict.fragile')
    >>> k["historical_clv"], k["predicted_clv"]
    (75.0, None)
    """
    k: dict[str, float | str | None] = {}
    for kpi in KPIS:
        k[kpi.key] = _maybe(partial(kpi.python, k, data, options))
    if k["verdict"] is None:
        k["verdict"] = "na"
    return k


def whatif_grid(kpis: dict[str, float | str | None], options: ReportOptions,
                margins: tuple[float, ...] = WHATIF_MARGINS,
                lifespans: tuple[float, ...] = WHATIF_LIFESPANS) -> list[list[float | str | None]]:
    """CLV with margin for each margin (rows) and lifespan in years (columns).

    Parameters
    ----------
    kpis : dict
        Output of :func:`compute_kpis` (AOV and frequency are used).
    options : ReportOptions
        Gives the discount rate.
    margins, lifespans : tuple of float
        Row and column headers.

    Returns
    -------
    list of list of float or None
        ``grid[i][j]`` is the CLV at ``margins[i]`` and ``lifespans[j]``.

    Examples
    --------
    >>> whatif_grid({"aov": 50.0, "frequency": 2.0}, ReportOptions(discount_rate=0), (0.5,), (1.0, 3.0))
    [[50.0, 150.0]]
    """
    aov, freq = kpis["aov"], kpis["frequency"]
    return [
        [_maybe(lambda m=m, life=life: formulas.clv(aov, freq, life, m, options.discount_rate))  # type: ignore[misc,arg-type]  # noqa: E501 - lambda defaults bind the loop values; a None (n/a) input: n/a
         for life in lifespans]
        for m in margins
    ]
