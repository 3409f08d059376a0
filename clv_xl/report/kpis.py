"""The dashboard's key figures, each declared once: label, number format, Python computation, Excel formula.

Importable from here as before; the pieces live in modules by job: :mod:`clv_xl.report.kpi_records` (the one list
of key figures, :data:`KPIS`, a record each), :mod:`clv_xl.report.kpi_template` (a record's Excel template filled
in, :func:`render`) and :mod:`clv_xl.report.kpi_values` (the Python side, :func:`compute_kpis`, and the what-if
grid).
"""

from __future__ import annotations

from clv_xl.report.kpi_records import (
    DAYS_PER_YEAR,
    KPI_BLOCKS,
    KPI_KEYS,
    KPI_TEXTS,
    KPIS,
    Kpi,
    KpiData,
    clv_formula,
    verdict_key,
)
from clv_xl.report.kpi_template import render
from clv_xl.report.kpi_values import WHATIF_LIFESPANS, WHATIF_MARGINS, compute_kpis, whatif_grid

__all__ = ["Kpi", "KPIS", "KPI_KEYS", "DAYS_PER_YEAR", "KpiData", "compute_kpis", "render", "clv_formula",
           "whatif_grid", "WHATIF_MARGINS", "WHATIF_LIFESPANS", "verdict_key", "KPI_BLOCKS", "KPI_TEXTS"]
