"""clv-xl: customer lifetime value in Excel, from Python, and from a terminal.

The package flows one way: orders -> customers -> (formulas, models) -> report / Excel / CLI.
The closed-form metrics live in :mod:`clv_xl.formulas` and are re-exported here, as are the main entry points
of the other modules (imported on first use, so ``import clv_xl`` stays light):
:func:`read_orders`, :func:`summarize`, :func:`cohorts`, :func:`churn_series`, :func:`build_report`,
:class:`BetaGeo`, :class:`GammaGamma` and :func:`predicted_clv`.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from clv_xl.errors import ClvXlError, InvalidArgumentError
from clv_xl.formulas import (
    cac,
    cac_payback,
    churn_rate,
    clv,
    clv_retention,
    lifespan,
    ltv_cac,
    ltv_subscription,
    retention_rate,
)

_LAZY = {
    "read_orders": "clv_xl.orders",
    "summarize": "clv_xl.customers",
    "cohorts": "clv_xl.customers",
    "churn_series": "clv_xl.churn",
    "build_report": "clv_xl.report",
    "BetaGeo": "clv_xl.models",
    "GammaGamma": "clv_xl.models",
    "predicted_clv": "clv_xl.models",
}


def _installed_version() -> str:
    """The installed distribution's version ("0.0.0" in a source tree that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version  # ~30 ms: only --version and the report need it

    try:
        return version("clv-xl")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
        return "0.0.0"


def __getattr__(name: str) -> Any:
    """Import the main entry points of the heavier modules on first use; read ``__version__`` when first asked."""
    if name == "__version__":
        globals()["__version__"] = _installed_version()
        return globals()["__version__"]
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'clv_xl' has no attribute {name!r}")


__all__ = [
    "__version__",
    "BetaGeo",
    "GammaGamma",
    "build_report",
    "churn_series",
    "cohorts",
    "predicted_clv",
    "read_orders",
    "summarize",
    "ClvXlError",
    "InvalidArgumentError",
    "cac",
    "cac_payback",
    "churn_rate",
    "clv",
    "clv_retention",
    "lifespan",
    "ltv_cac",
    "ltv_subscription",
    "retention_rate",
]
