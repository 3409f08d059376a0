"""The report's assumptions, checked once."""

from __future__ import annotations

import math
from dataclasses import dataclass

from clv_xl.churn import parse_inactive_after
from clv_xl.errors import InvalidArgumentError
from clv_xl.report.assumptions import LTV_BASES
from clv_xl.report.labels import check_lang
from clv_xl.report.styles import check_currency
from clv_xl.subscriptions.billing import BUSINESSES
from clv_xl.validation import parse_date

__all__ = ["ReportOptions"]


def _number(name: str, value: object, *, low: float, high: float = math.inf, low_open: bool = False) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]  # any object: a failure is the answer
    except (TypeError, ValueError):
        raise InvalidArgumentError(name, f"{name} must be a number; got {value!r}") from None
    below = number <= low if low_open else number < low
    if math.isnan(number) or below or number > high:
        side = ">" if low_open else ">="
        upper = "" if math.isinf(high) else f" and <= {high:g}"
        raise InvalidArgumentError(name, f"{name} must be {side} {low:g}{upper}; got {value!r}")
    return number


@dataclass(frozen=True)
class ReportOptions:
    """Assumptions of a report, validated on creation.

    Parameters
    ----------
    margin : float, default 0.3
        Gross margin, in [0, 1].
    discount_rate : float, default 0.1
        Yearly discount rate, in [0, 1].
    cac : float, optional
        Customer acquisition cost, > 0. Exclusive with ``marketing_spend``.
    marketing_spend : float, optional
        Marketing spend (>= 0), divided by ``new_customers`` to give the CAC.
    new_customers : float, optional
        Customers acquired with ``marketing_spend``, > 0.
    lifespan_override : float, optional
        Customer lifespan in years (> 0), instead of the one derived from churn.
    currency : str, default "USD"
        Three-letter currency code of the amounts.
    lang : str, default "en"
        ``"en"`` or ``"fr"``.
    ltv_basis : {"simple", "predicted", "historical"}, default "simple"
        Which CLV drives LTV/CAC and the payback: the simple formula's lifetime value, the model's predicted
        value over the forecast horizon, or the historical value to date.
    inactive_after : int or str, optional
        Months without an order after which a customer is lost (``6``, ``"6M"``, ``"2Q"``, ``"1Y"``); None
        chooses it from the data (:func:`clv_xl.churn.choose_inactivity_window`).
    observation_end : date-like, optional
        Last day of the data to use (later orders are left out); None: the last order's day.
    horizon_months : int, default 12
        Horizon of the model's predicted CLV, in months.
    business : {"auto", "subscription", "shop"}, default "auto"
        Recurring billing (adds the Subscriptions sheet) or a shop; ``"auto"`` decides from the regularity of
        each customer's charges (:func:`clv_xl.subscriptions.detect_billing`).
    holdout_days : int, optional
        Days at the end of the history held out to check the purchase models (default: a third of the history;
        0: no check, BG/NBD is used).

    Examples
    --------
    >>> ReportOptions(margin=0.4, marketing_spend=1000, new_customers=50).cac_value
    20.0
    >>> ReportOptions(margin=1.5)
    Traceback (most recent call last):
    ...
    clv_xl.errors.InvalidArgumentError: margin must be >= 0 and <= 1; got 1.5
    """

    margin: float = 0.3
    discount_rate: float = 0.1
    cac: float | None = None
    marketing_spend: float | None = None
    new_customers: float | None = None
    lifespan_override: float | None = None
    currency: str = "USD"
    lang: str = "en"
    ltv_basis: str = "simple"
    inactive_after: int | str | None = None
    observation_end: object = None
    horizon_months: int = 12
    business: str = "auto"
    holdout_days: int | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "margin", _number("margin", self.margin, low=0, high=1))
        set_(self, "discount_rate", _number("discount_rate", self.discount_rate, low=0, high=1))
        if self.cac is not None:
            if self.marketing_spend is not None or self.new_customers is not None:
                raise InvalidArgumentError(
                    "cac", "give either cac, or marketing_spend with new_customers, not both"
                )
            set_(self, "cac", _number("cac", self.cac, low=0, low_open=True))
        if (self.marketing_spend is None) != (self.new_customers is None):
            raise InvalidArgumentError(
                "marketing_spend", "marketing_spend and new_customers go together: give both or neither"
            )
        if self.marketing_spend is not None:
            set_(self, "marketing_spend", _number("marketing_spend", self.marketing_spend, low=0))
            set_(self, "new_customers", _number("new_customers", self.new_customers, low=0, low_open=True))
        if self.lifespan_override is not None:
            set_(self, "lifespan_override",
                 _number("lifespan_override", self.lifespan_override, low=0, low_open=True))
        set_(self, "currency", check_currency(self.currency))
        set_(self, "lang", check_lang(self.lang))
        if self.ltv_basis not in LTV_BASES:
            raise InvalidArgumentError(
                "ltv_basis", f"ltv_basis must be one of {', '.join(LTV_BASES)}; got {self.ltv_basis!r}"
            )
        set_(self, "inactive_after", parse_inactive_after(self.inactive_after))
        if self.observation_end is not None:
            set_(self, "observation_end", parse_date(self.observation_end, "observation_end"))
        horizon = _number("horizon_months", self.horizon_months, low=0, low_open=True)
        if not horizon.is_integer():
            raise InvalidArgumentError("horizon_months", f"horizon_months must be whole months; got {horizon!r}")
        set_(self, "horizon_months", int(horizon))
        if self.business not in BUSINESSES:
            raise InvalidArgumentError(
                "business", f"business must be one of {', '.join(BUSINESSES)}; got {self.business!r}"
            )
        if self.holdout_days is not None:
            days = _number("holdout_days", self.holdout_days, low=0)
            if not days.is_integer():
                raise InvalidArgumentError("holdout_days", f"holdout_days must be a whole number of days; got {days:g}")
            set_(self, "holdout_days", int(days))

    @property
    def cac_value(self) -> float | None:
        """The CAC: given directly, or spend ÷ new customers; ``None`` when unknown."""
        if self.cac is not None:
            return self.cac
        if self.marketing_spend is not None and self.new_customers is not None:
            return self.marketing_spend / self.new_customers
        return None
