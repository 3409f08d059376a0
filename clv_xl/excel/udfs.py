"""The clv-xl worksheet functions: ``=CLV(50, 2, 3)`` and friends.

Import this module as the UDF module in classic Excel (xlwings add-in, ``UDF Modules: clv_xl.excel.udfs``),
or re-export it from an xlwings Server / xlwings Lite project. Each function takes single cells or ranges;
ranges broadcast like numpy arrays and the result spills into a range of the same shape.
An empty cell for a required argument, text, or an out-of-range value shows a short message naming the
argument (``#VALUE!`` with the message in Office.js), never a traceback and never a silent 0.

The functions live in modules by subject, imported here in the order Excel lists them (the order of
:data:`EXCEL_FUNCTIONS`): :mod:`~clv_xl.excel.udfs_formulas` (closed-form metrics),
:mod:`~clv_xl.excel.udfs_orders` (order rows), :mod:`~clv_xl.excel.udfs_bgnbd` (BG/NBD and Gamma-Gamma),
:mod:`~clv_xl.excel.udfs_subscriptions` (MRR, sBG) and :mod:`~clv_xl.excel.udfs_purchase_models` (the other
purchase models). Every argument is declared once, in the signature: ``Annotated[type, Arg("help")]`` (the
type says how cells are read, see :mod:`clv_xl.excel._udf_support`), with its default when optional. The body
calls one core function.
The functions are named in capitals because Excel shows the Python name as the function name.
"""

from __future__ import annotations

from clv_xl.excel._udf_support import EXCEL_FUNCTIONS

# The import order is the order of registration, hence of every listing: keep it.
# isort: off
from clv_xl.excel.udfs_formulas import (
    CAC,
    CAC_PAYBACK,
    CHURN_RATE,
    CLV,
    CLV_RETENTION,
    LIFESPAN,
    LTV_CAC,
    LTV_SUBSCRIPTION,
    RETENTION_RATE,
)
from clv_xl.excel.udfs_orders import CLV_SUMMARY, COHORT_RETENTION
from clv_xl.excel.udfs_bgnbd import BGNBD_FIT, BGNBD_PURCHASES, CLV_PREDICTED, GG_FIT, GG_SPEND, P_ALIVE
from clv_xl.excel.udfs_subscriptions import MRR_TABLE, SBG_DERL, SBG_FIT, SBG_RETENTION, SBG_SURVIVAL
from clv_xl.excel.udfs_purchase_models import (
    BGBB_FIT,
    MBGNBD_FIT,
    MODEL_P_ALIVE,
    MODEL_PURCHASES,
    MODEL_RESIDUAL,
    PARETO_FIT,
)
# isort: on

__all__ = [
    "EXCEL_FUNCTIONS",
    "BGNBD_FIT",
    "BGNBD_PURCHASES",
    "CLV_PREDICTED",
    "GG_FIT",
    "GG_SPEND",
    "P_ALIVE",
    "MBGNBD_FIT",
    "PARETO_FIT",
    "BGBB_FIT",
    "MODEL_PURCHASES",
    "MODEL_P_ALIVE",
    "MODEL_RESIDUAL",
    "CAC",
    "CAC_PAYBACK",
    "CHURN_RATE",
    "CLV",
    "CLV_RETENTION",
    "CLV_SUMMARY",
    "COHORT_RETENTION",
    "LIFESPAN",
    "LTV_CAC",
    "LTV_SUBSCRIPTION",
    "RETENTION_RATE",
    "MRR_TABLE",
    "SBG_FIT",
    "SBG_SURVIVAL",
    "SBG_RETENTION",
    "SBG_DERL",
]
