"""The dashboard's key figures, computed in Python exactly as the workbook's formulas compute them.

The workbook recomputes every figure live from the data sheets and the assumption cells; this module gives the
same numbers without a spreadsheet (for the ribbon, for tests, for the Office.js host). Both follow the
definitions written on the Definitions sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from clv_xl import formulas
from clv_xl.errors import ClvXlError
from clv_xl.report.options import ReportOptions

__all__ = ["KPI_KEYS", "KPI_FORMATS", "DAYS_PER_YEAR", "compute_kpis", "KpiInputs", "whatif_grid",
           "WHATIF_MARGINS", "WHATIF_LIFESPANS", "verdict_key"]

#: Days in a year for annualising (Julian year).
DAYS_PER_YEAR = 365.25

#: The key figures, in dashboard order.
KPI_KEYS: tuple[str, ...] = (
    "customers",
    "orders",
    "revenue",
    "aov",
    "years",
    "frequency",
    "churn",
    "retention",
    "lifespan",
    "clv_simple",
    "clv",
    "cac",
    "ltv_cac",
    "verdict",
    "payback",
)

#: Number format kind of each key figure ("money" follows the currency).
KPI_FORMATS: dict[str, str] = {
    "customers": "int",
    "orders": "int",
    "revenue": "money",
    "aov": "money",
    "years": "dec",
    "frequency": "dec",
    "churn": "pct",
    "retention": "pct",
    "lifespan": "dec",
    "clv_simple": "money",
    "clv": "money",
    "cac": "money",
    "ltv_cac": "dec",
    "verdict": "text",
    "payback": "dec",
}

#: Default rows (margins) and columns (lifespans, years) of the what-if grid.
WHATIF_MARGINS: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
WHATIF_LIFESPANS: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0, 7.0, 10.0)


@dataclass(frozen=True)
class KpiInputs:
    """The sums the key figures are built from (what the formulas read off the data sheets).

    Parameters
    ----------
    customers, orders : int
        Counts.
    revenue : float
        Sum of the customers' revenue.
    first_serial, last_serial : float
        Earliest first order and latest last order, as Excel serial day numbers.
    churn_start, churn_lost, churn_end, churn_new : float
        Sums over the monthly churn series of customers at start, lost, at end and new.
    tenure_days : float
        Sum over customers of T (days from the first order to the end of the data).
    """

    customers: int
    orders: int
    revenue: float
    first_serial: float
    last_serial: float
    churn_start: float
    churn_lost: float
    churn_end: float
    churn_new: float
    tenure_days: float = 0.0


def _maybe(func: Callable[[], object]) -> float | None:
    """Return ``func()``, or None where the spreadsheet shows n/a (an error, a division by zero, NaN).

    A None among the inputs (a figure shown n/a) makes ``func`` raise TypeError: the result is n/a too.
    """
    try:
        with np.errstate(all="ignore"):
            value = func()
    except (ClvXlError, ZeroDivisionError, TypeError, ValueError):
        return None
    if not isinstance(value, int | float | np.number | np.ndarray) or not np.isfinite(value):
        return None
    return float(value)


def verdict_key(ratio: float | None) -> str:
    """Return the label key of the LTV/CAC verdict.

    Parameters
    ----------
    ratio : float or None
        LTV/CAC.

    Returns
    -------
    str
        ``"verdict.healthy"`` (>= 3), ``"verdict.fragile"`` (>= 1), ``"verdict.losing"`` or ``"na"``.

    Examples
    --------
    >>> verdict_key(3.0), verdict_key(1.5), verdict_key(0.2), verdict_key(None)
    ('verdict.healthy', 'verdict.fragile', 'verdict.losing', 'na')
    """
    if ratio is None:
        return "na"
    if ratio >= 3:
        return "verdict.healthy"
    return "verdict.fragile" if ratio >= 1 else "verdict.losing"


def compute_kpis(inputs: KpiInputs, options: ReportOptions) -> dict[str, float | str | None]:
    """Compute the dashboard's key figures.

    Parameters
    ----------
    inputs : KpiInputs
        Sums read off the data.
    options : ReportOptions
        The assumptions.

    Returns
    -------
    dict
        One entry per :data:`KPI_KEYS`; ``None`` where the workbook shows n/a; ``verdict`` is a label key.

    Examples
    --------
    >>> k = compute_kpis(KpiInputs(10, 30, 1500.0, 0.0, 364.25, 100, 10, 90, 0, 3642.5),
    ...                  ReportOptions(margin=0.5, discount_rate=0, cac=50))
    >>> k["aov"], k["frequency"], k["lifespan"], k["clv"], k["ltv_cac"], k["verdict"]
    (50.0, 3.0, 0.8333333333333334, 62.5, 1.25, 'verdict.fragile')
    """
    k: dict[str, float | str | None] = {}
    k["customers"] = float(inputs.customers)
    k["orders"] = float(inputs.orders)
    k["revenue"] = float(inputs.revenue)
    aov = k["aov"] = _maybe(lambda: inputs.revenue / inputs.orders)
    k["years"] = (inputs.last_serial - inputs.first_serial + 1) / DAYS_PER_YEAR
    # orders per customer-year observed: each customer counts from their first order to the end of the data
    freq = k["frequency"] = _maybe(lambda: inputs.orders / ((inputs.tenure_days + inputs.customers) / DAYS_PER_YEAR))
    churn = k["churn"] = _maybe(lambda: inputs.churn_lost / inputs.churn_start)
    k["retention"] = _maybe(lambda: (inputs.churn_end - inputs.churn_new) / inputs.churn_start)
    life: float | None
    if options.lifespan_override is not None:
        life = options.lifespan_override
    else:
        life = _maybe(lambda: formulas.lifespan(churn) / 12)  # type: ignore[arg-type]  # churn None: n/a
    k["lifespan"] = life
    k["clv_simple"] = _maybe(lambda: aov * freq * life)  # type: ignore[operator]  # a None input: n/a
    value = k["clv"] = _maybe(
        lambda: formulas.clv(aov, freq, life, options.margin, options.discount_rate)  # type: ignore[arg-type]  # None: n/a
    )
    cost = k["cac"] = _maybe(lambda: options.cac_value)
    ratio = k["ltv_cac"] = _maybe(lambda: formulas.ltv_cac(value, cost))  # type: ignore[arg-type]  # None: n/a
    k["verdict"] = verdict_key(ratio)
    k["payback"] = _maybe(
        lambda: formulas.cac_payback(cost, aov * freq / 12, options.margin)  # type: ignore[arg-type,operator]  # None: n/a
    )
    return k


def whatif_grid(kpis: dict[str, float | str | None], options: ReportOptions,
                margins: tuple[float, ...] = WHATIF_MARGINS,
                lifespans: tuple[float, ...] = WHATIF_LIFESPANS) -> list[list[float | None]]:
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
