"""English and French labels of the report.

Every piece of text the generator writes (sheet titles, column headers, KPI names, definitions) comes from
:data:`LABELS`, keyed by a stable identifier, so a new language is one more column of strings.
"""

from __future__ import annotations

from clv_xl.errors import InvalidArgumentError

__all__ = ["LANGS", "LABELS", "label", "check_lang", "SEGMENT_KEYS"]

#: Languages the report can be written in.
LANGS: tuple[str, ...] = ("en", "fr")

#: The value segments written by :func:`clv_xl.customers.summarize`, best first.
SEGMENT_KEYS: tuple[str, ...] = ("High", "Mid", "Low")

LABELS: dict[str, tuple[str, str]] = {
    # sheet titles (the sheets keep their English names so formulas and names stay stable)
    "title.dashboard": ("Customer lifetime value report", "Rapport de valeur vie client (CLV)"),
    "title.customers": ("Customers", "Clients"),
    "title.segments": ("Value segments", "Segments de valeur"),
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
    "block.whatif": ("What-if: CLV with margin for margin (rows) × lifespan in years (columns)",
                     "Simulation : CLV avec marge selon la marge (lignes) × la durée de vie en années (colonnes)"),
    "whatif.corner": ("Margin \u2193 / lifespan \u2192", "Marge \u2193 / durée \u2192"),
    "chart.revenue": ("Revenue per month", "Chiffre d'affaires par mois"),
    "chart.segments": ("Customers and revenue by segment", "Clients et chiffre d'affaires par segment"),
    "chart.churn": ("Monthly churn and retention rate", "Taux d'attrition et de rétention mensuels"),
    # assumptions
    "a.margin": ("Gross margin", "Marge brute"),
    "a.discount_rate": ("Annual discount rate", "Taux d'actualisation annuel"),
    "a.cac": ("CAC (cost to acquire a customer)", "CAC (coût d'acquisition client)"),
    "a.marketing_spend": ("or marketing spend", "ou dépenses marketing"),
    "a.new_customers": ("÷ new customers acquired", "÷ nouveaux clients acquis"),
    "a.lifespan_override": ("Lifespan override (years, blank = from churn)",
        "Durée de vie imposée (années, vide = attrition)"),
    "a.currency": ("Currency", "Devise"),
    "a.lang": ("Language", "Langue"),
    # KPIs
    "k.customers": ("Customers", "Clients"),
    "k.orders": ("Orders", "Commandes"),
    "k.revenue": ("Revenue", "Chiffre d'affaires"),
    "k.aov": ("Average order value (AOV)", "Panier moyen"),
    "k.years": ("Observation period (years)", "Période observée (années)"),
    "k.frequency": ("Purchases per customer per year", "Achats par client et par an"),
    "k.churn": ("Monthly churn rate", "Taux d'attrition mensuel"),
    "k.retention": ("Monthly retention rate", "Taux de rétention mensuel"),
    "k.lifespan": ("Average lifespan (years)", "Durée de vie moyenne (années)"),
    "k.clv_simple": ("CLV, simple (AOV × frequency × lifespan)", "CLV simple (panier × fréquence × durée)"),
    "k.clv": ("CLV with margin, discounted", "CLV avec marge, actualisée"),
    "k.cac": ("CAC", "CAC"),
    "k.ltv_cac": ("LTV / CAC", "LTV / CAC"),
    "k.verdict": ("Verdict (LTV/CAC ≥ 3 is healthy)", "Verdict (LTV/CAC ≥ 3 = sain)"),
    "k.payback": ("CAC payback (months)", "Retour sur CAC (mois)"),
    "verdict.healthy": ("Healthy", "Sain"),
    "verdict.fragile": ("Fragile", "Fragile"),
    "verdict.losing": ("Losing money", "Déficitaire"),
    "na": ("n/a", "n.d."),
    "note.orders_left_out": ("{n} orders do not fit in one sheet (max 1,048,575 rows): the Orders sheet is "
        "left out; every figure still counts them.",
                             "{n} commandes ne tiennent pas dans une feuille (max 1 048 575 lignes) : la "
                                 "feuille Orders est omise ; tous les chiffres les comptent."),
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
    "c.historical_clv": ("Historical CLV", "CLV historique"),
    "c.segment": ("Segment", "Segment"),
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
    "ch.new_customers": ("New customers", "Nouveaux clients"),
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
    # forecast
    "f.customer_id": ("Customer", "Client"),
    "f.expected_purchases": ("Expected purchases", "Achats attendus"),
    "f.p_alive": ("P(alive)", "P(actif)"),
    "f.expected_spend": ("Expected spend per order", "Dépense attendue par commande"),
    "f.predicted_clv": ("Predicted CLV", "CLV prédite"),
    "f.params": ("Fitted parameters", "Paramètres estimés"),
    "f.param": ("Parameter", "Paramètre"),
    "f.horizon": ("Horizon: {horizon} {unit}, discount rate {rate}, margin {margin}",
                  "Horizon : {horizon} {unit}, taux d'actualisation {rate}, marge {margin}"),
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
    "f.why_best": ("the smallest root mean squared error per customer on the holdout ({score} purchases)",
                   "la plus petite erreur quadratique moyenne par client sur la période de validation ({score} "
                   "achats)"),
    "f.why_tie": ("root mean squared error per customer within 0.1 % of {others} ({score} purchases), and ties go "
                  "to the simpler model",
                  "erreur quadratique moyenne par client à moins de 0,1 % de {others} ({score} achats), et le modèle "
                  "le plus simple l'emporte en cas d'égalité"),
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
    "f.rmse": ("Root mean squared error per customer (score)", "Erreur quadratique moyenne par client (score)"),
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
    >>> label("k.customers", "fr")
    'Clients'
    >>> label("h.month", "en", n=3)
    'Month 3'
    """
    text = LABELS[key][LANGS.index(check_lang(lang))]
    return text.format(**fields) if fields else text
