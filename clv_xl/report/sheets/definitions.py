"""The Definitions sheet: every metric with its formula and source (what was read is on the Data sheet)."""

from __future__ import annotations

import math

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from clv_xl.customers import PERIODS
from clv_xl.report.cells import put_text
from clv_xl.report.sheets._context import WriteContext

__all__ = ["write_definitions", "DEFINITIONS"]

_LOST_AFTER = PERIODS["M"]  # churn_series' default inactive_after for monthly periods

#: (metric label key, (formula en, formula fr), (source en, source fr)).
DEFINITIONS: tuple[tuple[str, tuple[str, str], tuple[str, str]], ...] = (
    ("k.customers", ("Number of distinct customer ids with at least one kept order",
                     "Nombre d'identifiants clients distincts ayant au moins une commande conservée"),
     ("Customers sheet", "Feuille Customers")),
    ("k.orders", ("Number of kept orders (after cleaning)", "Nombre de commandes conservées (après nettoyage)"),
     ("Customers sheet, sum of Orders", "Feuille Customers, somme de Commandes")),
    ("k.revenue", ("Sum of order amounts", "Somme des montants des commandes"),
     ("Customers sheet", "Feuille Customers")),
    ("k.aov", ("Revenue ÷ orders", "Chiffre d'affaires ÷ commandes"), ("Standard", "Standard")),
    ("k.years", ("(last order date − first order date + 1 day) ÷ 365.25",
                 "(date de la dernière commande − date de la première + 1 jour) ÷ 365,25"),
     ("All customers", "Tous les clients")),
    ("k.frequency", ("Orders ÷ customer-years observed, Σ (T + 1 day) ÷ 365.25: each customer counts from their "
                     "first order to the end of the data",
                     "Commandes ÷ années-clients observées, Σ (T + 1 jour) ÷ 365,25 : chaque client compte de sa "
                     "première commande à la fin des données"),
     ("Annualised purchase frequency; Customers sheet, column T",
      "Fréquence d'achat annualisée ; feuille Customers, colonne T")),
    ("k.churn", ("Σ customers lost ÷ Σ customers at start of month, over all months (pooled). A customer is "
                 f"lost after {_LOST_AFTER} months without an order; customers new in a month are left out "
                 "of both counts",
                 "Σ clients perdus ÷ Σ clients en début de mois, sur tous les mois (agrégé). Un client est perdu "
                 f"après {_LOST_AFTER} mois sans commande ; les nouveaux clients du mois sont exclus des "
                 "deux comptes"),
     ("Simple churn (Skok, SaaS Metrics 2.0); clv_xl.customers.churn_series; Churn sheet",
      "Attrition simple (Skok, SaaS Metrics 2.0) ; clv_xl.customers.churn_series ; feuille Churn")),
    ("k.retention", ("(Σ customers at end − Σ new customers) ÷ Σ customers at start",
                     "(Σ clients en fin − Σ nouveaux clients) ÷ Σ clients en début"),
     ("Customer retention rate (Reichheld; Kumar & Reinartz 2018)",
         "Taux de rétention client (Reichheld ; Kumar & Reinartz 2018)")),
    ("k.lifespan", ("1 ÷ monthly churn ÷ 12, unless the lifespan override is filled in",
                    "1 ÷ attrition mensuelle ÷ 12, sauf si la durée de vie imposée est renseignée"),
     ("Mean of a geometric lifetime", "Espérance d'une durée de vie géométrique")),
    ("k.clv_simple", ("AOV × purchases per year × lifespan", "Panier moyen × achats par an × durée de vie"),
     ("Simple CLV (Kumar & Reinartz, ch. 5)", "CLV simple (Kumar & Reinartz, ch. 5)")),
    ("k.clv", ("v = AOV × purchases per year × margin, received at the END of each year and discounted there: "
               "Σ v ÷ (1+d)^k for k = 1..⌊L⌋, plus the final partial year pro rata, (L−⌊L⌋) × v ÷ (1+d)^(⌊L⌋+1)",
               "v = panier × achats par an × marge, reçue en FIN d'année et actualisée à cette date : "
               "Σ v ÷ (1+d)^k pour k = 1..⌊L⌋, plus l'année partielle au prorata, (L−⌊L⌋) × v ÷ (1+d)^(⌊L⌋+1)"),
     ("End-of-period discounting (Gupta & Lehmann 2003); clv_xl.formulas.clv",
      "Actualisation en fin de période (Gupta & Lehmann 2003) ; clv_xl.formulas.clv")),
    ("k.cac", ("CAC as entered, else marketing spend ÷ new customers",
               "CAC saisi, sinon dépenses marketing ÷ nouveaux clients"),
     ("Skok, SaaS Metrics 2.0", "Skok, SaaS Metrics 2.0")),
    ("k.ltv_cac", ("CLV with margin ÷ CAC; ≥ 3 healthy, 1 to 3 fragile, < 1 losing money",
                   "CLV avec marge ÷ CAC ; ≥ 3 sain, de 1 à 3 fragile, < 1 déficitaire"),
     ("Skok, SaaS Metrics 2.0", "Skok, SaaS Metrics 2.0")),
    ("k.payback", ("CAC ÷ (AOV × purchases per year ÷ 12 × margin): months of gross margin to earn back the CAC, "
                   "undiscounted and churn-free",
                   "CAC ÷ (panier × achats par an ÷ 12 × marge) : mois de marge brute pour récupérer le CAC, "
                   "sans actualisation ni attrition"),
     ("Months to recover CAC (Skok)", "Mois pour récupérer le CAC (Skok)")),
    ("c.frequency", ("Repeat purchases: distinct purchase days − 1", "Achats répétés : jours d'achat distincts − 1"),
     ("lifetimes / Fader & Hardie conventions, in days", "Conventions lifetimes / Fader & Hardie, en jours")),
    ("c.recency", ("Days between first and last purchase", "Jours entre le premier et le dernier achat"),
     ("lifetimes conventions", "Conventions lifetimes")),
    ("c.T", ("Days between first purchase and the end of the observation",
        "Jours entre le premier achat et la fin de l'observation"),
     ("lifetimes conventions", "Conventions lifetimes")),
    ("c.historical_clv", ("Revenue of the customer so far", "Chiffre d'affaires du client à ce jour"),
     ("clv_xl.customers.summarize", "clv_xl.customers.summarize")),
    ("c.segment", ("Customers ranked by revenue: High = the best customers making the first 80% of revenue, "
                   "Mid = up to 95%, Low = the rest",
                   "Clients classés par chiffre d'affaires : Élevé = les meilleurs clients faisant les premiers 80 % "
                   "du CA, Moyen = jusqu'à 95 %, Faible = le reste"),
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
                  "--holdout days) and predict each customer's repeat purchases in it; the smallest root mean "
                  "squared error per customer wins, scores within 0.1 % are a tie won by the simpler model (BG/NBD, "
                  "then "
                  "MBG/NBD, then Pareto/NBD); the winner is refitted on the whole history",
                  "BG/NBD, MBG/NBD et Pareto/NBD sont estimés sur l'historique avant la période de validation (le "
                  "dernier tiers, ou --holdout jours) et prévoient les achats répétés de chaque client pendant "
                  "celle-ci ; la plus petite erreur quadratique moyenne par client l'emporte, à 0,1 % près le "
                  "modèle le "
                  "plus simple (BG/NBD, puis MBG/NBD, puis Pareto/NBD) ; le gagnant est réestimé sur tout "
                  "l'historique"),
     ("Fader, Hardie & Lee 2005 (holdout check); clv_xl.models.selection",
      "Fader, Hardie & Lee 2005 (validation) ; clv_xl.models.selection")),
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
    for i, (key, formula, source) in enumerate(DEFINITIONS, start=1):
        texts = (ctx.t(key), formula[lang], source[lang])
        for j, text in enumerate(texts):
            cell = put_text(ws.cell(row + i, col + j), text, style="clv_label")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # spreadsheets do not grow rows for wrapped text written by a program: size them from the text
        lines = max(math.ceil(len(text) * 1.1 / max(widths[col + j], 1)) for j, text in enumerate(texts))
        ws.row_dimensions[row + i].height = 15 * max(lines, 1)
