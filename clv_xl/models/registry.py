"""The purchase models the report compares, as data: key, label, class, simplest first (ties go to the simpler one).

Order of simplicity: BG/NBD (closed-form likelihood, drop-out only after repeat purchases), MBG/NBD (the same
with one more drop-out point), Pareto/NBD (continuous drop-out, hypergeometric likelihood). BG/BB is for discrete
opportunities (campaigns, yearly events) and is not compared on continuous order dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from clv_xl.errors import InvalidArgumentError
from clv_xl.models._purchase import PurchaseModel
from clv_xl.models.bgbb import BetaGeoBetaBinom
from clv_xl.models.bgnbd import BetaGeo
from clv_xl.models.mbgnbd import ModifiedBetaGeo
from clv_xl.models.pareto_nbd import ParetoNBD
from clv_xl.validation import shown

__all__ = ["PurchaseModelSpec", "PURCHASE_MODELS", "DISCRETE_MODELS", "purchase_model_spec"]


@dataclass(frozen=True)
class PurchaseModelSpec:
    """One purchase model: its key (options, columns), label (sheets, messages) and class."""

    key: str
    label: str
    model_class: type[PurchaseModel]


#: Continuous-time purchase models, simplest first.
PURCHASE_MODELS: tuple[PurchaseModelSpec, ...] = (
    PurchaseModelSpec("bgnbd", "BG/NBD", BetaGeo),
    PurchaseModelSpec("mbgnbd", "MBG/NBD", ModifiedBetaGeo),
    PurchaseModelSpec("pareto_nbd", "Pareto/NBD", ParetoNBD),
)

#: Models of purchases at discrete opportunities (not compared on order dates).
DISCRETE_MODELS: tuple[PurchaseModelSpec, ...] = (PurchaseModelSpec("bgbb", "BG/BB", BetaGeoBetaBinom),)


def purchase_model_spec(key: str) -> PurchaseModelSpec:
    """The spec of ``key``; raise naming the valid keys otherwise.

    Examples
    --------
    >>> purchase_model_spec("pareto_nbd").label
    'Pareto/NBD'
    """
    known = PURCHASE_MODELS + DISCRETE_MODELS
    for spec in known:
        if spec.key == str(key).strip().lower():
            return spec
    valid = ", ".join(spec.key for spec in known)
    raise InvalidArgumentError("model", f"model must be one of {valid}; got {shown(key)}")
