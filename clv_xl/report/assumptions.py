"""The report's assumptions, declared once: defined name (= option name), labels, number format, template cell.

The template builder, the template contract, the dashboard writer and :class:`~clv_xl.report.options.ReportOptions`
all loop over :data:`ASSUMPTIONS`; an assumption's defined name in the workbook is its keyword in
:func:`clv_xl.build_report` and (with dashes) its option on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Assumption", "ASSUMPTIONS", "ASSUMPTION_NAMES", "LTV_BASES"]

#: Which CLV drives LTV/CAC: the values the ``ltv_basis`` cell accepts.
LTV_BASES: tuple[str, ...] = ("simple", "predicted", "historical")


@dataclass(frozen=True)
class Assumption:
    """One assumption cell of the Dashboard.

    Attributes
    ----------
    name : str
        Defined name of the cell, and the :class:`ReportOptions` field and ``build_report`` keyword.
    labels : tuple of str
        Label in English and French (written in the cell to the left).
    kind : str
        Number format kind (``"0%"``, ``"pct"``, ``"money"``, ``"int"``, ``"dec"``, ``"text"``).
    cell : str
        Cell in the default template.
    editable : bool
        Whether the workbook's formulas follow an edit of the cell (yellow input); the others are applied when
        the report is built (rebuild to change them) and are shown as values.
    validation : str or None
        ``"rate"`` (0 to 1), ``"positive"`` (> 0 or blank), ``"basis"`` (one of :data:`LTV_BASES`) or None.
    """

    name: str
    labels: tuple[str, str]
    kind: str
    cell: str
    editable: bool = True
    validation: str | None = None

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``"en"`` or ``"fr"``)."""
        return self.labels[0 if lang == "en" else 1]


#: The Dashboard's assumptions, in order.
ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption("margin", ("Gross margin", "Marge brute"), "0%", "C5", validation="rate"),
    Assumption("discount_rate", ("Annual discount rate", "Taux d'actualisation annuel"), "pct", "C6",
               validation="rate"),
    Assumption("cac", ("CAC (cost to acquire a customer)", "CAC (coût d'acquisition client)"), "money", "C7",
               validation="positive"),
    Assumption("marketing_spend", ("or marketing spend", "ou dépenses marketing"), "money", "C8",
               validation="positive"),
    Assumption("new_customers", ("÷ new customers acquired", "÷ nouveaux clients acquis"), "int", "C9",
               validation="positive"),
    Assumption("lifespan_override", ("Lifespan override (years, blank = from churn)",
                                     "Durée de vie imposée (années, vide = attrition)"), "dec", "C10",
               validation="positive"),
    Assumption("ltv_basis", ("CLV used for LTV/CAC (simple, predicted or historical)",
                             "CLV retenue pour LTV/CAC (simple, prédite ou historique)"), "text", "C11",
               validation="basis"),
    Assumption("currency", ("Currency", "Devise"), "text", "C12"),
    Assumption("lang", ("Language", "Langue"), "text", "C13"),
    Assumption("inactive_after", ("Lost after (months without an order; set when built)",
                                  "Perdu après (mois sans commande ; fixé à la création)"), "int", "C14",
               editable=False),
    Assumption("observation_end", ("End of observation (set when built)", "Fin d'observation (fixée à la création)"),
               "date", "C15", editable=False),
    Assumption("horizon_months", ("Forecast horizon (months; set when built)",
                                  "Horizon de prévision (mois ; fixé à la création)"), "int", "C16", editable=False),
)

#: Defined names of the assumption cells.
ASSUMPTION_NAMES: tuple[str, ...] = tuple(a.name for a in ASSUMPTIONS)
