"""English and French labels of the report.

Every piece of text the generator writes (sheet titles, column headers, KPI names, definitions) comes from
:data:`LABELS`, keyed by a stable identifier, so a new language is one more column of strings.
"""

from __future__ import annotations

from clv_xl.errors import InvalidArgumentError
from clv_xl.report.big_data_labels import BIG_DATA_LABELS
from clv_xl.report.subscription_labels import SUBSCRIPTION_LABELS

__all__ = ["LANGS", "LABELS", "PARAM_LABELS", "label", "param_label", "check_lang", "SEGMENT_KEYS"]

#: Languages the report can be written in.
LANGS: tuple[str, ...] = ("en", "fr")

#: The value segments written by :func:`clv_xl.customers.summarize`, best first.
SEGMENT_KEYS: tuple[str, ...] = ("High", "Mid", "Low")

LABELS: dict[str, tuple[str, str]] = {
    # sheet tabs (clv_xl.report.sheet_names renames the template's English tabs; references follow)
    "sheet.dashboard": ("Dashboard", "Tableau de bord"),
    "sheet.subscriptions": ("Subscriptions", "Abonnements"),
    "sheet.customers": ("Customers", "Clients"),
    "sheet.segments": ("Segments", "Segmentation"),
    "sheet.cohorts": ("Cohorts", "Cohortes"),
    "sheet.churn": ("Churn", "Attrition"),
    "sheet.forecast": ("Forecast", "Prévisions"),
    "sheet.orders": ("Orders", "Commandes"),
    "sheet.definitions": ("Definitions", "Définitions"),
    "sheet.data": ("Data", "Données"),
    # sheet titles
    "title.dashboard": ("Customer lifetime value report", "Rapport de valeur vie client (CLV)"),
    "title.customers": ("Customers", "Clients"),
    "title.segments": ("Value segments", "Segmentation par valeur"),
    "title.cohorts": ("Cohorts: share of each monthly cohort still buying",
        "Cohortes : part de chaque cohorte mensuelle qui achète encore"),
    "title.cohort_revenue": ("Revenue per cohort", "Chiffre d'affaires par cohorte"),
    "title.churn": ("Monthly churn and retention", "Attrition et rétention mensuelles"),
    "title.definitions": ("Definitions", "Définitions"),
    "title.cleaning": ("Cleaning report", "Rapport de nettoyage"),
    "title.forecast": ("Forecast (purchase model + Gamma-Gamma)", "Prévision (modèle d'achats + Gamma-Gamma)"),
    "subtitle": ("{customers} customers, {orders} orders, {start} to {end}. Generated {today} by clv-xl {version}.",
                 "{customers} clients, {orders} commandes, du {start} au {end}. Généré le {today} par clv-xl "
                     "{version}."),
    # dashboard blocks
    "block.assumptions": ("Assumptions (edit the yellow cells)", "Hypothèses (modifiez les cellules jaunes)"),
    "block.kpis": ("Key figures (live formulas)", "Indicateurs clés (formules dynamiques)"),
    "block.clv": ("Customer lifetime value: three views", "Valeur vie client : trois mesures"),
    "block.acquisition": ("Acquisition", "Acquisition"),
    "block.top": ("Top {n} customers", "Les {n} meilleurs clients"),
    "clv.why": ("Why they differ: the historical CLV is what customers have already brought (past, undiscounted); "
                "the simple CLV projects a new customer's whole lifetime from today's averages (lost after {window} "
                "months without an order); the predicted CLV is what today's customers, some already gone, should "
                "bring in the next {horizon} months.",
                "Pourquoi elles diffèrent : la CLV historique est ce que les clients ont déjà rapporté (passé, non "
                "actualisé) ; la CLV simple projette toute la vie d'un nouveau client d'après les moyennes actuelles "
                "(perdu après {window} mois sans commande) ; la CLV prédite est ce que les clients actuels, dont "
                "certains déjà partis, devraient rapporter dans les {horizon} prochains mois."),
    "block.whatif": ("What-if: CLV with margin for margin (rows) × lifespan in years (columns)",
                     "Simulation : CLV avec marge selon la marge (lignes) × la durée de vie en années (colonnes)"),
    "whatif.corner": ("Margin \u2193 / lifespan \u2192", "Marge \u2193 / durée \u2192"),
    "chart.revenue": ("Revenue per month", "Chiffre d'affaires par mois"),
    "chart.segments": ("Customers and revenue by segment", "Clients et chiffre d'affaires par segment"),
    "chart.churn": ("Monthly churn and retention rate", "Taux d'attrition et de rétention mensuels"),
    "basis.simple": ("simple", "simple"),
    "basis.predicted": ("predicted", "prédite"),
    "basis.historical": ("historical", "historique"),
    "valid.rate": ("Enter a rate between 0 and 1 (e.g. 30%).", "Saisissez un taux entre 0 et 1 (par ex. 30\u00a0%)."),
    "valid.positive": ("Enter a positive number or leave blank.", "Saisissez un nombre positif ou laissez vide."),
    "valid.basis": ("Enter {choices}.", "Saisissez {choices}."),
    "verdict.healthy": ("Healthy", "Sain"),
    "verdict.fragile": ("Fragile", "Fragile"),
    "verdict.losing": ("Losing money", "Déficitaire"),
    "na": ("n/a", "n.d."),
    "note.orders_left_out": ("{n} orders do not fit in one sheet (max 1,048,575 rows): the Orders sheet is "
        "left out; every figure still counts them.",
                             "{n} commandes ne tiennent pas dans une feuille (max 1\u00a0048\u00a0575 lignes) : la "
                                 "feuille Commandes est omise ; tous les chiffres les comptent."),
    "note.window": ("Inactivity window (a customer is lost after it without an order): {window}.",
                    "Fenêtre d'inactivité (un client est perdu après elle sans commande) : {window}."),
    "note.after_end": ("{n} orders after the observation end {end} are left out.",
                       "{n} commandes après la fin d'observation {end} sont exclues."),
    "note.no_forecast": ("The forecast model could not be fitted: {reason}. Fallback: customers are ranked by "
                         "revenue, the predicted CLV shows n/a, and LTV/CAC should use the simple CLV.",
                         "Le modèle de prévision n'a pas pu être estimé : {reason}. Solution de repli : clients "
                         "classés par chiffre d'affaires, CLV prédite n.d., LTV/CAC sur la CLV simple."),
    "note.p_alive_fallback": ("MBG/NBD could not be fitted: P(alive) is BG/NBD's for repeat buyers and n/a for "
                              "one-time buyers (BG/NBD always says 100% for them).",
                              "MBG/NBD n'a pas pu être estimé : P(actif) est celle de BG/NBD pour les clients ayant "
                              "racheté et n.d. pour un seul achat (BG/NBD leur donne toujours 100\u00a0%)."),
    "note.cac_missing": ("Enter a CAC (or marketing spend and new customers) to get LTV/CAC and payback.",
                         "Saisissez un CAC (ou dépenses marketing et nouveaux clients) pour obtenir LTV/CAC "
                             "et le retour sur CAC."),
    # customers columns
    "c.customer_id": ("Customer", "Client"),
    "c.first_order": ("First order", "Première commande"),
    "c.last_order": ("Last order", "Dernière commande"),
    "c.orders": ("Orders", "Commandes"),
    "c.revenue": ("Revenue", "Chiffre d'affaires"),
    "c.aov": ("AOV", "Panier moyen"),
    "c.frequency": ("Repeat purchases (frequency)", "Achats répétés (fréquence)"),
    "c.recency": ("Recency (days)", "Récence (jours)"),
    "c.T": ("Age T (days)", "Ancienneté T (jours)"),
    "c.monetary_value": ("Mean repeat order value", "Valeur moyenne des réachats"),
    "c.historical_clv": ("Historical CLV (revenue × margin)", "CLV historique (CA × marge)"),
    "c.segment": ("Segment", "Segment"),
    "c.predicted_clv": ("Predicted CLV, next {horizon} months", "CLV prédite, {horizon} prochains mois"),
    "c.p_alive": ("P(alive)", "P(actif)"),
    "c.churn_risk": ("Churn risk", "Risque d'attrition"),
    "c.p_alive_once": ("n/a, bought once", "n.d., un seul achat"),
    "risk.active": ("active", "actif"),
    "risk.at_risk": ("at risk", "à risque"),
    "risk.lapsed": ("lapsed", "perdu"),
    # orders columns
    "o.customer_id": ("Customer", "Client"),
    "o.order_date": ("Date", "Date"),
    "o.amount": ("Amount", "Montant"),
    "o.order_id": ("Order", "Commande"),
    "o.currency": ("Currency", "Devise"),
    "o.quantity": ("Quantity", "Quantité"),
    # segments
    "s.segment": ("Segment", "Segment"),
    "s.customers": ("Customers", "Clients"),
    "s.customer_share": ("Share of customers", "Part des clients"),
    "s.revenue": ("Revenue", "Chiffre d'affaires"),
    "s.revenue_share": ("Share of revenue", "Part du chiffre d'affaires"),
    "s.avg_clv": ("Average historical CLV", "CLV historique moyenne"),
    "s.orders": ("Orders", "Commandes"),
    "s.total": ("Total", "Total"),
    "seg.High": ("High", "Élevé"),
    "seg.Mid": ("Mid", "Moyen"),
    "seg.Low": ("Low", "Faible"),
    # cohorts
    "h.cohort": ("Cohort", "Cohorte"),
    "h.size": ("Customers", "Clients"),
    "h.month": ("Month {n}", "Mois {n}"),
    "h.revenue": ("Revenue", "Chiffre d'affaires"),
    "h.revenue_per_customer": ("Revenue per customer", "CA par client"),
    # churn
    "ch.period": ("Month", "Mois"),
    "ch.customers_at_start": ("Customers at start", "Clients en début"),
    "ch.new_customers": ("New customers (first order)", "Nouveaux clients (1re commande)"),
    "ch.returning_customers": ("Returning customers (back after being lost)",
                               "Clients revenus (après avoir été perdus)"),
    "ch.lost_customers": ("Lost customers", "Clients perdus"),
    "ch.customers_at_end": ("Customers at end", "Clients en fin"),
    "ch.churn_rate": ("Churn rate", "Taux d'attrition"),
    "ch.retention_rate": ("Retention rate", "Taux de rétention"),
    "ch.revenue": ("Revenue", "Chiffre d'affaires"),
    "ch.orders": ("Orders", "Commandes"),
    # definitions
    "d.metric": ("Metric", "Indicateur"),
    "d.formula": ("Formula", "Formule"),
    "d.source": ("Source and convention", "Source et convention"),
    "d.item": ("Item", "Élément"),
    "d.value": ("Value", "Valeur"),
    "d.window": ("Inactivity window", "Fenêtre d'inactivité"),
    "d.order": ("Order of the customers", "Ordre des clients"),
    # forecast
    "f.customer_id": ("Customer", "Client"),
    "f.expected_purchases": ("Expected purchases", "Achats attendus"),
    "f.p_alive": ("P(alive)", "P(actif)"),
    "f.expected_spend": ("Expected spend per order", "Dépense attendue par commande"),
    "f.predicted_clv": ("Predicted CLV", "CLV prédite"),
    "f.params": ("Fitted parameters: {model} + Gamma-Gamma", "Paramètres estimés : {model} + Gamma-Gamma"),
    "f.param": ("Parameter", "Paramètre"),
    "f.horizon": ("Horizon: {months} months ({days} days), discount rate {rate}, margin {margin}",
                  "Horizon : {months} mois ({days} jours), taux d'actualisation {rate}, marge {margin}"),
    "f.unavailable": ("The forecast models could not be fitted on this data: {reason}",
                      "Les modèles de prévision n'ont pas pu être estimés sur ces données : {reason}"),
    "f.actual": ("Actual", "Réel"),
    "f.model": ("Model", "Modèle"),
    "f.clv_p10": ("CLV P10", "CLV P10"),
    "f.clv_p90": ("CLV P90", "CLV P90"),
    "f.verdict": ("{model} was chosen: {why}. Over the last {length} weeks of the history, held out from the fit, "
                  "its forecast of {predicted} repeat purchases was {error} {direction} (actual {actual}).",
                  "{model} a été retenu : {why}. Sur les {length} dernières semaines de l'historique, tenues à "
                  "l'écart de l'estimation, sa prévision de {predicted} achats répétés était {error} {direction} "
                  "(réel {actual})."),
    "f.why_best": ("it gave what customers bought in the holdout the highest likelihood ({score} per customer, log "
                   "scale), significantly above every other model's (paired test, z of 2 or more)",
                   "il donne aux achats des clients pendant la période de validation la plus forte vraisemblance "
                   "({score} par client, en log), nettement au-dessus de celle des autres modèles (test apparié, z "
                   "d'au moins 2)"),
    "f.why_tie": ("its likelihood of what customers bought in the holdout ({score} per customer, log scale) is not "
                  "significantly below that of {others} (paired test, z under 2), and ties go to the simpler model",
                  "sa vraisemblance des achats de la période de validation ({score} par client, en log) n'est pas "
                  "nettement inférieure à celle de {others} (test apparié, z inférieur à 2), et le modèle le plus "
                  "simple l'emporte en cas d'égalité"),
    "f.high": ("too high", "trop haute"),
    "f.low": ("too low", "trop basse"),
    "f.no_check": ("The purchase models were not checked on a holdout ({reason}); BG/NBD is used.",
                   "Les modèles d'achats n'ont pas été vérifiés sur une période de validation ({reason}) ; BG/NBD "
                   "est utilisé."),
    "f.sample": ("Checked on a random {n} of the {total} customers who bought before the holdout.",
                 "Vérifié sur {n} clients tirés au hasard parmi les {total} ayant acheté avant la validation."),
    "f.comparison": ("Holdout check: each model fitted before the holdout, compared with what customers then bought",
                     "Validation : chaque modèle estimé avant la période de validation, comparé aux achats réels"),
    "f.holdout_actual": ("Actual repeat purchases", "Achats répétés réels"),
    "f.holdout_predicted": ("Predicted repeat purchases", "Achats répétés prévus"),
    "f.error": ("Error", "Écart"),
    "f.mae": ("Mean absolute error per customer", "Erreur absolue moyenne par client"),
    "f.rmse": ("Root mean squared error per customer", "Erreur quadratique moyenne par client"),
    "f.log_score": ("Holdout log-likelihood per customer (score)",
                    "Log-vraisemblance de la validation par client (score)"),
    "f.z": ("Paired test z against the best", "Test apparié : z contre le meilleur"),
    "f.gini": ("Normalised Gini of value", "Gini normalisé de la valeur"),
    "f.log_likelihood": ("Log-likelihood (calibration)", "Log-vraisemblance (calibration)"),
    "f.chosen": ("Chosen", "Retenu"),
    "f.total_range": ("Total predicted CLV: P10 {p10}, P50 {p50}, P90 {p90} (uncertainty of the fitted parameters, "
                      "delta method; see Definitions).",
                      "CLV prédite totale : P10 {p10}, P50 {p50}, P90 {p90} (incertitude des paramètres estimés, "
                      "méthode delta ; voir Définitions)."),
    "f.week": ("Week of the holdout", "Semaine de validation"),
    "f.repeat_purchases": ("Repeat purchases (calibration)", "Achats répétés (calibration)"),
    "f.decile": ("Decile of predicted value", "Décile de valeur prévue"),
    "f.predicted": ("predicted", "prévu"),
    "f.observed": ("actual", "réel"),
    "chart.tracking": ("Cumulative repeat purchases in the holdout: actual vs each model",
                       "Achats répétés cumulés pendant la validation : réel vs chaque modèle"),
    "chart.histogram": ("Customers by repeat purchases before the holdout: actual vs each model",
                        "Clients selon leurs achats répétés avant la validation : réel vs chaque modèle"),
    "chart.deciles": ("Holdout value by decile of predicted value (1 = highest)",
                      "Valeur en validation par décile de valeur prévue (1 = la plus haute)"),
}

LABELS.update(SUBSCRIPTION_LABELS)  # the Subscriptions sheet keeps its labels in its own table
LABELS.update(BIG_DATA_LABELS)  # what the report says past a sheet's rows or with an engine

#: The forecast's fitted parameters and fit statistics (keys of ``ForecastContent.params``) in words. The models
#: are fitted in days (``time_unit="D"``), so the scale parameters are in days.
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "r": ("r: shape of the purchase rates across customers (gamma)",
          "r : forme de la loi gamma des taux d'achat entre clients"),
    "alpha": ("α: scale of the purchase rates across customers (gamma, days)",
              "α : échelle de la loi gamma des taux d'achat entre clients (jours)"),
    "a": ("a: dropout probability after a purchase, first shape (beta)",
          "a : probabilité d'abandon après un achat, premier paramètre de forme (bêta)"),
    "b": ("b: dropout probability after a purchase, second shape (beta)",
          "b : probabilité d'abandon après un achat, second paramètre de forme (bêta)"),
    "s": ("s: shape of the dropout rates across customers (gamma)",
          "s : forme de la loi gamma des taux d'abandon entre clients"),
    "beta": ("β: scale of the dropout rates across customers (gamma, days)",
             "β : échelle de la loi gamma des taux d'abandon entre clients (jours)"),
    "p": ("p: shape of each order's spend around the customer's mean (Gamma-Gamma)",
          "p : forme de la dépense de chaque commande autour de la moyenne du client (Gamma-Gamma)"),
    "q": ("q: shape of the mean spend across customers (Gamma-Gamma)",
          "q : forme de la dépense moyenne entre clients (Gamma-Gamma)"),
    "gamma": ("γ: scale of the mean spend across customers (Gamma-Gamma)",
              "γ : échelle de la dépense moyenne entre clients (Gamma-Gamma)"),
    "bgnbd_log_likelihood": ("Log-likelihood of the BG/NBD fit", "Log-vraisemblance de l'estimation BG/NBD"),
    "mbgnbd_log_likelihood": ("Log-likelihood of the MBG/NBD fit", "Log-vraisemblance de l'estimation MBG/NBD"),
    "pareto_nbd_log_likelihood": ("Log-likelihood of the Pareto/NBD fit",
                                  "Log-vraisemblance de l'estimation Pareto/NBD"),
    "gamma_gamma_log_likelihood": ("Log-likelihood of the Gamma-Gamma fit",
                                   "Log-vraisemblance de l'estimation Gamma-Gamma"),
    "frequency_spend_correlation": ("Correlation of purchase frequency and mean spend (Gamma-Gamma assumes none)",
                                    "Corrélation entre fréquence d'achat et dépense moyenne (Gamma-Gamma la "
                                    "suppose nulle)"),
    "n_customers": ("Customers in the fit", "Clients dans l'estimation"),
    "n_repeat_buyers": ("Repeat buyers in the Gamma-Gamma fit", "Clients ayant racheté (estimation Gamma-Gamma)"),
    "horizon": ("Horizon (days)", "Horizon (jours)"),
    "discount_rate": ("Annual discount rate", "Taux d'actualisation annuel"),
    "discount_rate_per_period": ("Discount rate per day", "Taux d'actualisation par jour"),
    "margin": ("Gross margin", "Marge brute"),
}


def param_label(name: str, lang: str = "en") -> str:
    """A fitted parameter or fit statistic in words; a name without a record is written as it is.

    Examples
    --------
    >>> param_label("n_customers", "fr"), param_label("new_statistic", "fr")
    ("Clients dans l'estimation", 'new_statistic')
    """
    record = PARAM_LABELS.get(name)
    return name if record is None else record[LANGS.index(check_lang(lang))]

def check_lang(lang: str) -> str:
    """Return ``lang`` if the report can be written in it, else raise.

    Parameters
    ----------
    lang : str
        A language code, ``"en"`` or ``"fr"``.

    Returns
    -------
    str
        ``lang``, lower-cased.

    Examples
    --------
    >>> check_lang("FR")
    'fr'
    """
    code = str(lang).lower()
    if code not in LANGS:
        raise InvalidArgumentError("lang", f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return code


def label(key: str, lang: str = "en", **fields: object) -> str:
    """Return the label ``key`` in ``lang``, with ``fields`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    lang : str, default "en"
        ``"en"`` or ``"fr"``.
    **fields : object
        Values for the ``{placeholders}`` of the label.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> label("s.customers", "fr")
    'Clients'
    >>> label("h.month", "en", n=3)
    'Month 3'
    """
    text = LABELS[key][LANGS.index(check_lang(lang))]
    return text.format(**fields) if fields else text
