"""The dashboard's key figures, each declared once: label, number format, Python computation, Excel formula.

:data:`KPIS` is the one list of key figures. The dashboard writes one row per record (label, live formula), the
Definitions sheet one row per record (definition, source), :func:`~clv_xl.report.kpi_values.compute_kpis` evaluates
the Python side (for the ribbon, for tests, for the Office.js host), and a test checks that each record's Excel
formula, evaluated on a small workbook, gives the Python value. Adding a key figure is adding one record.

A record's Excel template names what it reads in braces: another key figure (``{aov}``), a data range
(``{customers.revenue}``, ``{churn.lost_customers}``, ``{customers.predicted_clv}``), an assumption cell
(``{a:margin}``), a quoted label (``{t:na}``), or a test of a choice cell (``{is:ltv_basis:basis.historical}``:
the cell holds the keyword ``historical`` or, where it differs, its label in the report's language).
:func:`~clv_xl.report.kpi_template.render` fills them in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from clv_xl import formulas
from clv_xl.report.options import ReportOptions

__all__ = ["Kpi", "KPIS", "KPI_KEYS", "DAYS_PER_YEAR", "KpiData", "clv_formula", "verdict_key", "KPI_BLOCKS",
           "KPI_TEXTS"]

#: Days in a year for annualising (Julian year).
DAYS_PER_YEAR = 365.25


#: The data the key figures read, by range name (``customers.revenue``, ``churn.lost_customers``, ...): one float
#: per cell of the range (dates as Excel serial numbers, blank cells NaN), exactly what the formulas read.
KpiData = Mapping[str, np.ndarray]


def _seen(d: KpiData, key: str) -> np.ndarray:
    """Values of ``churn.<key>`` in the months whose churn rate is observable (not blank)."""
    return np.asarray(d[f"churn.{key}"])[np.isfinite(d["churn.churn_rate"])]


_Python = Callable[[dict, KpiData, ReportOptions], object]


@dataclass(frozen=True)
class Kpi:
    """One key figure.

    Attributes
    ----------
    key : str
        Identifier; the workbook names its cell ``kpi_<key>``.
    block : str
        Dashboard block: ``"figures"``, ``"clv"`` or ``"acquisition"`` (see :data:`KPI_BLOCKS`).
    kind : str
        Number format kind: ``"int"``, ``"dec"``, ``"pct"``, ``"money"`` or ``"text"``.
    labels : tuple of str
        Label in English and French; may hold ``{window}`` (months) and ``{horizon}`` (months).
    python : callable
        ``python(kpis_so_far, data, options)``, reading the same ranges as the Excel template; an error or a
        non-finite result means n/a.
    excel : str
        Excel expression template (no ``=``), wrapped in ``IFERROR(..., n/a)`` when written.
    definition, source : tuple of str
        What the Definitions sheet says, in English and French.
    """

    key: str
    block: str
    kind: str
    labels: tuple[str, str]
    python: _Python
    excel: str
    definition: tuple[str, str]
    source: tuple[str, str]

    def label(self, lang: str, **fields: object) -> str:
        """The label in ``lang``, with ``{window}`` / ``{horizon}`` filled in from ``fields``."""
        text = self.labels[0 if lang == "en" else 1]
        return text.format(**fields) if fields else text


def clv_formula(aov: str, freq: str, life: str, margin: str, rate: str) -> str:
    """Excel expression of :func:`clv_xl.formulas.clv` (end-of-year discounting, partial year pro rata).

    Parameters
    ----------
    aov, freq, life, margin, rate : str
        Cell references or expressions.

    Returns
    -------
    str
        An expression without the leading ``=``.

    Examples
    --------
    >>> clv_formula("A", "F", "L", "m", "d")
    'A*F*m*IF(d=0,L,(1-(1+d)^(-INT(L)))/d+(L-INT(L))*(1+d)^(-(INT(L)+1)))'
    """
    return (f"{aov}*{freq}*{margin}*IF({rate}=0,{life},(1-(1+{rate})^(-INT({life})))/{rate}"
            f"+({life}-INT({life}))*(1+{rate})^(-(INT({life})+1)))")


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


def _ltv(k: dict, d: KpiData, o: ReportOptions) -> float | None:
    return {"simple": k["clv"], "predicted": k["predicted_clv"], "historical": k["historical_clv"]}[o.ltv_basis]


_SEEN = "--ISNUMBER({churn.churn_rate})"

#: Labels a formula quotes (``{t:<key>}``), in the report's language.
KPI_TEXTS: tuple[str, ...] = ("na", "verdict.healthy", "verdict.fragile", "verdict.losing", "basis.simple",
                              "basis.predicted", "basis.historical")

#: Dashboard blocks, in order, with the label key of their title.
KPI_BLOCKS: tuple[tuple[str, str], ...] = (
    ("figures", "block.kpis"), ("clv", "block.clv"), ("acquisition", "block.acquisition"),
)

#: The key figures, in dashboard order.
KPIS: tuple[Kpi, ...] = (
    Kpi("customers", "figures", "int", ("Customers", "Clients"),
        lambda k, d, o: np.isfinite(d["customers.orders"]).sum(), "COUNT({customers.orders})",
        ("Number of distinct customer ids with at least one kept order",
         "Nombre d'identifiants clients distincts ayant au moins une commande conservée"),
        ("Customers sheet", "Feuille Clients")),
    Kpi("orders", "figures", "int", ("Orders", "Commandes"),
        lambda k, d, o: np.nansum(d["customers.orders"]), "SUM({customers.orders})",
        ("Number of kept orders (after cleaning)", "Nombre de commandes conservées (après nettoyage)"),
        ("Customers sheet, sum of Orders", "Feuille Clients, somme de Commandes")),
    Kpi("revenue", "figures", "money", ("Revenue", "Chiffre d'affaires"),
        lambda k, d, o: np.nansum(d["customers.revenue"]), "SUM({customers.revenue})",
        ("Sum of order amounts", "Somme des montants des commandes"), ("Customers sheet", "Feuille Clients")),
    Kpi("aov", "figures", "money", ("Average order value (AOV)", "Panier moyen"),
        lambda k, d, o: k["revenue"] / k["orders"], "{revenue}/{orders}",
        ("Revenue ÷ orders", "Chiffre d'affaires ÷ commandes"), ("Standard", "Standard")),
    Kpi("years", "figures", "dec", ("Observation period (years)", "Période observée (années)"),
        lambda k, d, o: (np.nanmax(d["customers.last_order"]) - np.nanmin(d["customers.first_order"]) + 1)
        / DAYS_PER_YEAR,
        f"(MAX({{customers.last_order}})-MIN({{customers.first_order}})+1)/{DAYS_PER_YEAR}",
        ("(last order date − first order date + 1 day) ÷ 365.25",
         "(date de la dernière commande − date de la première + 1 jour) ÷ 365,25"),
        ("All customers", "Tous les clients")),
    Kpi("frequency", "figures", "dec", ("Purchases per active customer per year",
                                        "Achats par client actif et par an"),
        lambda k, d, o: k["orders"] / (np.nansum(d["churn.customers_at_end"]) / 12),
        "{orders}/(SUM({churn.customers_at_end})/12)",
        ("Orders ÷ customer-years on the books: Σ over months of the customers on the books at the month's end "
         "(from an order until they are lost) ÷ 12",
         "Commandes ÷ années-clients actives : Σ sur les mois des clients actifs en fin de mois (d'une commande "
         "jusqu'à leur perte) ÷ 12"),
        ("Purchase rate of active customers, consistent with the churn below; Churn sheet",
         "Fréquence d'achat des clients actifs, cohérente avec l'attrition ; feuille Attrition")),
    Kpi("churn", "figures", "pct", ("Monthly churn (lost after {window} months without an order)",
                                    "Attrition mensuelle (perdu après {window} mois sans commande)"),
        lambda k, d, o: _seen(d, "lost_customers").sum() / _seen(d, "customers_at_start").sum(),
        f"SUMPRODUCT({_SEEN},{{churn.lost_customers}})/SUMPRODUCT({_SEEN},{{churn.customers_at_start}})",
        ("Σ customers lost ÷ Σ customers at the start of the month, over the months whose churn can be observed "
         "(pooled). A customer is lost after the inactivity window without an order; in the first months of the "
         "history nobody can be lost yet, so those months are blank on the Churn sheet and left out",
         "Σ clients perdus ÷ Σ clients en début de mois, sur les mois où l'attrition est observable (agrégé). Un "
         "client est perdu après la fenêtre d'inactivité sans commande ; dans les premiers mois de l'historique "
         "personne ne peut encore être perdu : ces mois sont vides sur la feuille Attrition et exclus"),
        ("Simple churn (Skok, SaaS Metrics 2.0); clv_xl.churn.churn_series; Churn sheet",
         "Attrition simple (Skok, SaaS Metrics 2.0) ; clv_xl.churn.churn_series ; feuille Attrition")),
    Kpi("retention", "figures", "pct", ("Monthly retention rate", "Taux de rétention mensuel"),
        lambda k, d, o: 1 - k["churn"], "1-{churn}",
        ("1 − monthly churn: customers at the start still on the books at the end",
         "1 − attrition mensuelle : clients du début encore actifs en fin de mois"),
        ("Customer retention rate (Reichheld; Kumar & Reinartz 2018)",
         "Taux de rétention client (Reichheld ; Kumar & Reinartz 2018)")),
    Kpi("lifespan", "figures", "dec", ("Average lifespan (years)", "Durée de vie moyenne (années)"),
        lambda k, d, o: o.lifespan_override if o.lifespan_override is not None else 1 / k["churn"] / 12,
        "IF(ISNUMBER({a:lifespan_override}),{a:lifespan_override},1/{churn}/12)",
        ("1 ÷ monthly churn ÷ 12, unless the lifespan override is filled in",
         "1 ÷ attrition mensuelle ÷ 12, sauf si la durée de vie imposée est renseignée"),
        ("Mean of a geometric lifetime", "Espérance d'une durée de vie géométrique")),
    Kpi("repeat_share", "figures", "pct", ("Customers who bought again", "Clients ayant racheté"),
        lambda k, d, o: (d["customers.frequency"] > 0).sum() / k["customers"],
        'COUNTIF({customers.frequency},">0")/{customers}',
        ("Customers with at least one repeat purchase (an order on a later day than their first) ÷ customers",
         "Clients ayant au moins un réachat (une commande un autre jour que la première) ÷ clients"),
        ("Repeat-purchase rate; Customers sheet, frequency column",
         "Taux de réachat ; feuille Clients, colonne fréquence")),
    Kpi("historical_value", "clv", "money", ("Historical value to date, all customers (revenue × margin)",
                                             "Valeur historique à ce jour, tous clients (CA × marge)"),
        lambda k, d, o: k["revenue"] * o.margin, "{revenue}*{a:margin}",
        ("Revenue so far × gross margin, undiscounted", "Chiffre d'affaires à ce jour × marge brute, non actualisé"),
        ("Past value; clv_xl.customers.summarize (historical_clv)",
         "Valeur passée ; clv_xl.customers.summarize (historical_clv)")),
    Kpi("historical_clv", "clv", "money", ("Historical CLV per customer: to date, revenue × margin",
                                           "CLV historique par client : à ce jour, CA × marge"),
        lambda k, d, o: k["historical_value"] / k["customers"], "{historical_value}/{customers}",
        ("Historical value ÷ customers: what the average customer has brought so far",
         "Valeur historique ÷ clients : ce que le client moyen a rapporté jusqu'ici"),
        ("Customers sheet, Historical CLV column", "Feuille Clients, colonne CLV historique")),
    Kpi("clv", "clv", "money", ("Simple CLV: AOV × purchases a year × lifespan × margin, discounted, whole lifetime",
                                "CLV simple : panier × achats par an × durée de vie × marge, actualisée, vie entière"),
        lambda k, d, o: formulas.clv(k["aov"], k["frequency"], k["lifespan"], o.margin, o.discount_rate),
        clv_formula("{aov}", "{frequency}", "{lifespan}", "{a:margin}", "{a:discount_rate}"),
        ("v = AOV × purchases per year × margin, received at the END of each year and discounted there: "
         "Σ v ÷ (1+d)^k for k = 1..⌊L⌋, plus the final partial year pro rata, (L−⌊L⌋) × v ÷ (1+d)^(⌊L⌋+1). The "
         "value of a new customer over a whole lifetime, from the averages",
         "v = panier × achats par an × marge, reçue en FIN d'année et actualisée à cette date : "
         "Σ v ÷ (1+d)^k pour k = 1..⌊L⌋, plus l'année partielle au prorata, (L−⌊L⌋) × v ÷ (1+d)^(⌊L⌋+1). La "
         "valeur d'un nouveau client sur toute sa vie, d'après les moyennes"),
        ("End-of-period discounting (Gupta & Lehmann 2003; Kumar & Reinartz ch. 5); clv_xl.formulas.clv",
         "Actualisation en fin de période (Gupta & Lehmann 2003 ; Kumar & Reinartz ch. 5) ; clv_xl.formulas.clv")),
    Kpi("predicted_clv", "clv", "money", ("Predicted CLV per customer, next {horizon} months (model, margin, "
                                          "discounted)",
                                          "CLV prédite par client, {horizon} prochains mois (modèle, marge, "
                                          "actualisée)"),
        lambda k, d, o: np.nanmean(d["customers.predicted_clv"]), "AVERAGE({customers.predicted_clv})",
        ("Mean over today's customers of the model's predicted CLV over the horizon (Customers sheet)",
         "Moyenne sur les clients actuels de la CLV prédite par le modèle sur l'horizon (feuille Clients)"),
        ("Fader, Hardie & Lee 2005; clv_xl.models.forecast_table", "Fader, Hardie & Lee 2005 ; "
                                                                   "clv_xl.models.forecast_table")),
    Kpi("ltv", "acquisition", "money", ("CLV used for LTV/CAC (see the assumption)",
                                        "CLV retenue pour LTV/CAC (voir l'hypothèse)"),
        _ltv, "IF({is:ltv_basis:basis.historical},{historical_clv},"
              "IF({is:ltv_basis:basis.predicted},{predicted_clv},{clv}))",
        ("The simple CLV, the predicted CLV or the historical CLV, as the assumption 'CLV used for LTV/CAC' says",
         "La CLV simple, prédite ou historique, selon l'hypothèse « CLV retenue pour LTV/CAC »"),
        ("Assumption ltv_basis (--ltv-basis)", "Hypothèse ltv_basis (--ltv-basis)")),
    Kpi("cac", "acquisition", "money", ("CAC", "CAC"),
        lambda k, d, o: o.cac_value,
        "IF(ISNUMBER({a:cac}),{a:cac},{a:marketing_spend}/{a:new_customers})",
        ("CAC as entered, else marketing spend ÷ new customers",
         "CAC saisi, sinon dépenses marketing ÷ nouveaux clients"),
        ("Skok, SaaS Metrics 2.0", "Skok, SaaS Metrics 2.0")),
    Kpi("ltv_cac", "acquisition", "dec", ("LTV / CAC", "LTV / CAC"),
        lambda k, d, o: formulas.ltv_cac(k["ltv"], k["cac"]), "{ltv}/{cac}",
        ("CLV used for LTV/CAC ÷ CAC; ≥ 3 healthy, 1 to 3 fragile, < 1 losing money",
         "CLV retenue ÷ CAC ; ≥ 3 sain, de 1 à 3 fragile, < 1 déficitaire"),
        ("Skok, SaaS Metrics 2.0", "Skok, SaaS Metrics 2.0")),
    Kpi("verdict", "acquisition", "text", ("Verdict (LTV/CAC ≥ 3 is healthy)", "Verdict (LTV/CAC ≥ 3 = sain)"),
        lambda k, d, o: verdict_key(k["ltv_cac"]),
        "IF(ISNUMBER({ltv_cac}),IF({ltv_cac}>=3,{t:verdict.healthy},IF({ltv_cac}>=1,{t:verdict.fragile},"
        "{t:verdict.losing})),{t:na})",
        ("Healthy when LTV/CAC ≥ 3, fragile from 1 to 3, losing money below 1",
         "Sain si LTV/CAC ≥ 3, fragile de 1 à 3, déficitaire sous 1"),
        ("Skok, SaaS Metrics 2.0", "Skok, SaaS Metrics 2.0")),
    Kpi("payback", "acquisition", "dec", ("CAC payback (months)", "Retour sur CAC (mois)"),
        lambda k, d, o: formulas.cac_payback(k["cac"], k["aov"] * k["frequency"] / 12, o.margin),
        "{cac}/({aov}*{frequency}/12*{a:margin})",
        ("CAC ÷ (AOV × purchases per year ÷ 12 × margin): months of gross margin to earn back the CAC, "
         "undiscounted and churn-free",
         "CAC ÷ (panier × achats par an ÷ 12 × marge) : mois de marge brute pour récupérer le CAC, "
         "sans actualisation ni attrition"),
        ("Months to recover CAC (Skok)", "Mois pour récupérer le CAC (Skok)")),
)

#: The key figures' identifiers, in dashboard order.
KPI_KEYS: tuple[str, ...] = tuple(k.key for k in KPIS)
