"""Closed-form customer-value metrics: CLV, LTV/CAC, churn, retention and friends.

Pure functions over scalars or numpy arrays; arguments broadcast against each other like numpy
operands. A call with only scalar arguments returns a ``float``; any array argument gives an
``ndarray``. Every function validates its arguments and raises
:class:`~clv_xl.errors.InvalidArgumentError` (a ``ValueError``) whose message names the argument,
what is allowed and what arrived.

Where vendors disagree on a definition, the one used here is written in the function's docstring
together with its source; the report's Definitions sheet repeats it.

The metrics live in modules by job and are re-exported here, where they are imported from:
:mod:`clv_xl.formulas_lifetime_value` (``clv``, ``clv_retention``, ``ltv_subscription``),
:mod:`clv_xl.formulas_acquisition` (``cac``, ``ltv_cac``, ``cac_payback``) and
:mod:`clv_xl.formulas_retention` (``churn_rate``, ``retention_rate``, ``lifespan``).
"""

from __future__ import annotations

from clv_xl.formulas_acquisition import cac, cac_payback, ltv_cac
from clv_xl.formulas_lifetime_value import clv, clv_retention, ltv_subscription
from clv_xl.formulas_retention import churn_rate, lifespan, retention_rate

__all__ = ["clv", "clv_retention", "ltv_subscription", "cac", "ltv_cac", "cac_payback", "churn_rate",
           "retention_rate", "lifespan"]
