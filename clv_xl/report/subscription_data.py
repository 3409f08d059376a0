"""What the Subscriptions sheet shows, computed once when the orders are recurring billing."""

from __future__ import annotations

import pandas as pd

from clv_xl.errors import DataError
from clv_xl.i18n.text_format import format_integer, format_number, format_percent
from clv_xl.report.labels import label
from clv_xl.report.options import ReportOptions
from clv_xl.subscriptions import SubscriptionAnalysis, analyze_subscriptions, detect_billing

__all__ = ["build_subscriptions", "subscription_notes", "monthly_rate"]


def monthly_rate(annual_rate: float) -> float:
    """The monthly discount rate equivalent to an annual one: ``(1 + d)^(1/12) - 1``.

    Examples
    --------
    >>> round(monthly_rate(0.1), 6)
    0.007974
    """
    return (1 + annual_rate) ** (1 / 12) - 1


def build_subscriptions(orders: pd.DataFrame, options: ReportOptions) -> tuple[SubscriptionAnalysis | None, list[str]]:
    """The subscription analysis when the orders are recurring billing (or the options say so), and its notes.

    Parameters
    ----------
    orders : DataFrame
        Cleaned orders.
    options : ReportOptions
        ``business`` decides (``"auto"``: from the data); ``margin`` and the CAC feed LTV and payback.

    Returns
    -------
    tuple
        The analysis (None for a shop, or when it cannot be made: the notes then say why) and the notes for the
        Dashboard and the terminal (:func:`subscription_notes`).

    Examples
    --------
    >>> dates = pd.date_range("2024-01-05", periods=6, freq="MS")
    >>> orders = pd.DataFrame({"customer_id": [c for c in "abcdef" for _ in dates],
    ...     "order_date": list(dates) * 6, "amount": 20.0})
    >>> analysis, notes = build_subscriptions(orders, ReportOptions())
    >>> analysis.metrics.mrr, len(notes)
    (120.0, 3)
    >>> build_subscriptions(orders, ReportOptions(business="shop"))
    (None, [])
    """
    decision = detect_billing(orders, options.business)
    if not decision.is_subscription:
        return None, []
    try:
        analysis = analyze_subscriptions(orders, decision=decision, margin=options.margin, cac=options.cac_value)
    except DataError as exc:  # e.g. an MRR table too big for memory: the rest of the report still stands
        return None, [label("sub.left_out", options.lang, reason=str(exc))]
    return analysis, subscription_notes(analysis, options.lang, pointer=True)


def subscription_notes(analysis: SubscriptionAnalysis, lang: str, *, pointer: bool = False) -> list[str]:
    """The notes that say what was decided: recurring billing and why, and the sBG fit (or why none).

    With ``pointer`` (the Dashboard's and the terminal's notes) a last note says where the figures are.

    Examples
    --------
    >>> dates = pd.date_range("2024-01-05", periods=6, freq="MS")
    >>> orders = pd.DataFrame({"customer_id": [c for c in "abcdef" for _ in dates],
    ...     "order_date": list(dates) * 6, "amount": 20.0})
    >>> subscription_notes(build_subscriptions(orders, ReportOptions())[0], "en")[0][:60]
    'Recurring billing recognised: 6 of the 6 customers billed 3 '
    """
    decision = analysis.decision
    if decision.chosen:
        notes = [label("sub.chosen", lang)]
    else:
        plans = ", ".join(label(f"sub.plan.{name}", lang, n=n) for name, n in decision.plans.items())
        mix = ", ".join(label(f"sub.plan.{name}", lang, n=format_integer(n, lang))
                        for name, n in decision.plan_mix.items())
        notes = [label("sub.decided", lang, regular=format_integer(decision.regular, lang),
                       voters=format_integer(decision.voters, lang),
                       min=decision.min_charges, plans=plans, mix=mix)]
    if analysis.sbg is not None and analysis.sbg.degenerate:
        params = analysis.sbg.params
        theta = params["alpha"] / (params["alpha"] + params["beta"])
        notes.append(label("sub.sbg_homogeneous", lang, n=format_integer(len(analysis.spells), lang),
                           theta=format_percent(theta, lang)))
    elif analysis.sbg is not None:
        params = analysis.sbg.params
        notes.append(label("sub.sbg", lang, n=format_integer(len(analysis.spells), lang),
                           alpha=format_number(params["alpha"], lang, 3), beta=format_number(params["beta"], lang, 3)))
    else:
        reason = next((n.split(": ", 1)[1] for n in analysis.notes if n.startswith("sBG not fitted")), "")
        notes.append(label("sub.sbg_failed", lang, reason=reason))
    if pointer:
        notes.append(label("sub.pointer", lang))
    return notes
