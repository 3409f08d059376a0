"""clv-xl: customer lifetime value in Excel, from Python, and from a terminal.

The package flows one way: orders -> customers -> (formulas, models) -> report / Excel / CLI.
The closed-form metrics live in :mod:`clv_xl.formulas` and are re-exported here.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

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

try:
    __version__ = version("clv-xl")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "__version__",
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
