"""The Definitions sheet: each key figure (:data:`~clv_xl.report.kpis.KPIS`) and column (what was read: Data sheet)."""

from __future__ import annotations

import math

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from clv_xl.churn import ACTIVE_FROM, GAP_PERCENTILE, LAPSED_BELOW
from clv_xl.i18n.text_format import format_number, format_percent
from clv_xl.report.cells import put_text
from clv_xl.report.forecast_data import FALLBACK_PENALIZER
from clv_xl.report.kpis import KPIS
from clv_xl.report.sheets._context import WriteContext

__all__ = ["write_definitions", "DEFINITIONS"]

#: (label key, (formula en, formula fr), (source en, source fr)) of what is not a key figure (those are
#: :data:`clv_xl.report.kpis.KPIS`, written first).
DEFINITIONS: tuple[tuple[str, tuple[str, str], tuple[str, str]], ...] = (
    ("c.frequency", ("Repeat purchases: distinct purchase days − 1", "Achats répétés : jours d'achat distincts − 1"),
     ("lifetimes / Fader & Hardie conventions, in days", "Conventions lifetimes / Fader & Hardie, en jours")),
    ("c.recency", ("Days between first and last purchase", "Jours entre le premier et le dernier achat"),
     ("lifetimes conventions", "Conventions lifetimes")),
    ("c.T", ("Days between first purchase and the end of the observation",
        "Jours entre le premier achat et la fin de l'observation"),
     ("lifetimes conventions", "Conventions lifetimes")),
    ("c.historical_clv", ("Revenue of the customer so far × the gross margin given when the report was built",
                          "Chiffre d'affaires du client à ce jour × la marge brute donnée à la création du rapport"),
     ("clv_xl.customers.summarize", "clv_xl.customers.summarize")),
    ("d.window", ("A customer is lost after this many months without an order. Unless given (--inactive-after), "
                  f"chosen from the data: the {GAP_PERCENTILE}th percentile of the gaps between a customer's "
                  "consecutive ordering months, rounded up; orders at a regular rhythm (90% of gaps equal, a "
                  "subscription) take that rhythm; no repeat orders: 12 months. The Dashboard's notes say which",
                  "Un client est perdu après ce nombre de mois sans commande. Sauf s'il est donné "
                  f"(--inactive-after), choisi d'après les données : {GAP_PERCENTILE}e centile des écarts entre "
                  "mois de commande consécutifs d'un client, arrondi au-dessus ; commandes à rythme régulier "
                  "(90\u00a0% d'écarts égaux, un abonnement) : ce rythme ; sans réachat : 12 mois. Les notes du "
                  "tableau de bord disent lequel"),
     ("clv_xl.churn.choose_inactivity_window", "clv_xl.churn.choose_inactivity_window")),
    ("ch.returning_customers", ("Customers who order again after having been lost (reactivated); new customers "
                                "are only those ordering for the first time",
                                "Clients qui commandent de nouveau après avoir été perdus (réactivés) ; les "
                                "nouveaux clients sont seulement ceux qui commandent pour la première fois"),
     ("clv_xl.churn.churn_series", "clv_xl.churn.churn_series")),
    ("c.p_alive", ("Probability that the customer is still active, from MBG/NBD fitted on the same customers: "
                   "it lets customers drop out right after their first purchase, so a one-time buyer's P(alive) "
                   "falls with the time since that purchase (BG/NBD gives every one-time buyer 100%). If MBG/NBD "
                   "cannot be fitted: BG/NBD's value for repeat buyers, 'n/a, bought once' for the others",
                   "Probabilité que le client soit encore actif, selon MBG/NBD estimé sur les mêmes clients : il "
                   "permet l'abandon juste après le premier achat, donc la P(actif) d'un client à un seul achat "
                   "baisse avec le temps (BG/NBD leur donne toujours 100\u00a0%). Si MBG/NBD ne peut être estimé : "
                   "valeur BG/NBD pour les clients ayant racheté, « n.d., un seul achat » pour les autres"),
     ("Batislam, Denizel & Filiztekin 2007; Fader, Hardie & Lee 2005, section 2; clv_xl.report.risk",
      "Batislam, Denizel & Filiztekin 2007 ; Fader, Hardie & Lee 2005, section 2 ; clv_xl.report.risk")),
    ("c.churn_risk", (f"Repeat buyers by P(alive): active from {ACTIVE_FROM:.0%}, at risk from {LAPSED_BELOW:.0%}, "
                      "else lapsed. One-time buyers (and everyone without a forecast) by the time since the last "
                      "order: active within half the inactivity window, at risk within it, lapsed beyond it",
                      f"Clients ayant racheté selon P(actif) : actif dès {format_percent(ACTIVE_FROM, 'fr', 0)}, à "
                      f"risque dès {format_percent(LAPSED_BELOW, 'fr', 0)}, sinon perdu. Un seul achat (et tous "
                      "sans prévision) selon le temps depuis la dernière commande : actif sous la moitié de la "
                      "fenêtre d'inactivité, à risque "
                      "sous la fenêtre, perdu au-delà"),
     ("clv_xl.report.risk", "clv_xl.report.risk")),
    ("d.order", ("Customers sheet: most valuable first, by the predicted CLV when there is a forecast, else by "
                 "revenue. When the model cannot be fitted it is fitted again with a small penalty (penalizer "
                 f"{FALLBACK_PENALIZER}) and the Dashboard and the terminal say so; when that fails too they say "
                 "why, customers are ranked by revenue and the predicted CLV shows n/a (the simple CLV remains)",
                 "Feuille Clients : les plus précieux d'abord, selon la CLV prédite s'il y a une prévision, "
                 "sinon le chiffre d'affaires. Si le modèle ne peut être estimé, il l'est de nouveau avec une petite "
                 f"pénalité ({format_number(FALLBACK_PENALIZER, 'fr', 3)}) et le rapport le dit (tableau de bord, "
                 "terminal) ; si cela échoue aussi, il dit pourquoi, classe par chiffre d'affaires et affiche la "
                 "CLV prédite n.d."),
     ("clv_xl.report.risk", "clv_xl.report.risk")),
    ("c.segment", ("Customers ranked by revenue: High = the best customers making the first 80% of revenue, "
                   "Mid = up to 95%, Low = the rest",
                   "Clients classés par chiffre d'affaires : Élevé = les meilleurs clients faisant les premiers "
                   "80\u00a0% du CA, Moyen = jusqu'à 95\u00a0%, Faible = le reste"),
     ("Pareto (ABC) segmentation; clv_xl.customers.summarize",
      "Segmentation de Pareto (ABC) ; clv_xl.customers.summarize")),
    ("title.cohorts", ("Customers of a cohort (month of first order) with an order in month n after it ÷ cohort size",
                       "Clients d'une cohorte (mois de la 1re commande) ayant commandé au mois n ÷ taille de "
                           "la cohorte"),
     ("clv_xl.customers.cohorts", "clv_xl.customers.cohorts")),
    ("f.predicted_clv", ("Expected purchases of the chosen purchase model over the horizon × Gamma-Gamma expected "
                         "spend × margin, discounted",
                         "Achats attendus du modèle d'achats retenu sur l'horizon × dépense attendue Gamma-Gamma × "
                         "marge, actualisés"),
     ("Fader, Hardie & Lee 2005; clv_xl.models", "Fader, Hardie & Lee 2005 ; clv_xl.models")),
    ("f.chosen", ("BG/NBD, MBG/NBD and Pareto/NBD are fitted on the history before the holdout (the last third, or "
                  "--holdout days); each scores the log of the likelihood it gives to what each customer then bought "
                  "(how many purchases and when), given the customer's past. The highest total wins, unless a "
                  "simpler model (BG/NBD, then MBG/NBD, then Pareto/NBD) is not significantly below it: per-customer "
                  "differences paired by customer, z = total / (standard deviation x square root of the number of "
                  "customers) under 2. The winner is refitted on the whole history",
                  "BG/NBD, MBG/NBD et Pareto/NBD sont estimés sur l'historique avant la période de validation (le "
                  "dernier tiers, ou --holdout jours) ; chacun est noté par le log de la vraisemblance qu'il donne "
                  "aux achats de chaque client pendant celle-ci (combien et quand), sachant son passé. Le plus haut "
                  "total l'emporte, sauf si un modèle plus simple (BG/NBD, puis MBG/NBD, puis Pareto/NBD) n'est pas "
                  "nettement en dessous : écarts par client appariés, z = total / (écart-type x racine du nombre de "
                  "clients) inférieur à 2. Le gagnant est réestimé sur tout l'historique"),
     ("Fader, Hardie & Lee 2005 (holdout check); Gneiting & Raftery 2007 (log score); Vuong 1989 (paired test); "
      "clv_xl.models.selection",
      "Fader, Hardie & Lee 2005 (validation) ; Gneiting & Raftery 2007 (score logarithmique) ; Vuong 1989 (test "
      "apparié) ; clv_xl.models.selection")),
    ("f.clv_p10", ("P10 / P90: delta method on the log of each customer's forecast with the asymptotic covariance of "
                   "the fitted parameters (inverse Hessian); P50 is the forecast itself. Parameter uncertainty only, "
                   "not the chance in each customer's purchases",
                   "P10 / P90 : méthode delta sur le logarithme de la prévision de chaque client avec la covariance "
                   "asymptotique des paramètres estimés (inverse de la hessienne) ; P50 est la prévision elle-même. "
                   "Incertitude des paramètres seulement, pas le hasard des achats de chaque client"),
     ("clv_xl.models.ranges", "clv_xl.models.ranges")),
    ("f.gini", ("Customers ranked by predicted holdout value; Gini of their actual value in that order ÷ the Gini in "
                "the best order (1 = perfect ranking, 0 = chance)",
                "Clients classés par valeur prévue en validation ; Gini de leur valeur réelle dans cet ordre ÷ le Gini "
                "dans le meilleur ordre (1 = classement parfait, 0 = hasard)"),
     ("Normalised Gini; clv_xl.models.selection", "Gini normalisé ; clv_xl.models.selection")),
)


def write_definitions(ctx: WriteContext) -> None:
    """Fill the Definitions sheet.

    Parameters
    ----------
    ctx : WriteContext
        Shared state.
    """
    anchor = ctx.anchors["anchor_definitions"]
    ws = ctx.wb[anchor.sheet]
    lang = 0 if ctx.lang == "en" else 1
    put_text(ws.cell(1, anchor.col), ctx.t("title.definitions"), style="clv_title")
    row, col = anchor.row, anchor.col
    for j, key in enumerate(("d.metric", "d.formula", "d.source")):
        put_text(ws.cell(row, col + j), ctx.t(key), style="clv_header")
    widths = {col: ws.column_dimensions[get_column_letter(col)].width or 13 for col in (col, col + 1, col + 2)}
    fields = {"window": ctx.content.window.periods, "horizon": ctx.content.options.horizon_months}
    rows = [(kpi.label(ctx.lang, **fields), kpi.definition[lang], kpi.source[lang]) for kpi in KPIS]
    rows += [(ctx.t(key, **fields), formula[lang], source[lang]) for key, formula, source in DEFINITIONS]
    for i, texts in enumerate(rows, start=1):
        for j, text in enumerate(texts):
            cell = put_text(ws.cell(row + i, col + j), text, style="clv_label")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # spreadsheets do not grow rows for wrapped text written by a program: size them from the text
        lines = max(math.ceil(len(text) * 1.1 / max(widths[col + j], 1)) for j, text in enumerate(texts))
        ws.row_dimensions[row + i].height = 15 * max(lines, 1)
