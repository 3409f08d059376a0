"""English and French labels of the Subscriptions sheet (merged into :data:`clv_xl.report.labels.LABELS`)."""

from __future__ import annotations

__all__ = ["SUBSCRIPTION_LABELS"]

SUBSCRIPTION_LABELS: dict[str, tuple[str, str]] = {
    "title.subscriptions": ("Subscriptions: MRR, churn and retention", "Abonnements : MRR, attrition et rétention"),
    "sub.decided": ("Recurring billing recognised: {regular} of the {voters} customers billed {min} times or more "
                    "were billed at regular intervals ({plans}). Customers per plan: {mix}. Charges are spread over "
                    "the months they pay for.",
                    "Facturation récurrente reconnue : {regular} des {voters} clients facturés {min} fois ou plus "
                    "l'ont été à intervalles réguliers ({plans}). Clients par formule : {mix}. Chaque facture est "
                    "répartie sur les mois qu'elle couvre."),
    "sub.chosen": ("Treated as recurring billing, as chosen (--business subscription). Charges are spread over the "
                   "months they pay for.",
                   "Traité comme de la facturation récurrente, comme demandé (--business subscription). Chaque "
                   "facture est répartie sur les mois qu'elle couvre."),
    "sub.pointer": ("MRR and its movements, ARPA, logo and revenue churn, NRR, LTV, payback, cohorts and the sBG "
                    "projection are on the Subscriptions sheet.",
                    "MRR et ses mouvements, ARPA, attrition clients et revenu, NRR, LTV, retour sur CAC, cohortes et "
                    "projection sBG : feuille Abonnements."),
    "sub.left_out": ("Recurring billing recognised, but the Subscriptions sheet is left out: {reason}",
                     "Facturation récurrente reconnue, mais la feuille Abonnements est omise : {reason}"),
    "sub.plan.monthly": ("monthly {n}", "mensuel {n}"),
    "sub.plan.quarterly": ("quarterly {n}", "trimestriel {n}"),
    "sub.plan.yearly": ("yearly {n}", "annuel {n}"),
    "sub.sbg": ("sBG retention model (Fader & Hardie 2007) fitted on {n} customers' first subscription spells, in "
                "months: alpha {alpha}, beta {beta}.",
                "Modèle de rétention sBG (Fader & Hardie 2007) estimé sur la première période d'abonnement de {n} "
                "clients, en mois : alpha {alpha}, bêta {beta}."),
    "sub.sbg_homogeneous": ("sBG retention model (Fader & Hardie 2007) fitted on {n} customers' first subscription "
                            "spells: churn looks the same for every customer, {theta} a month (no heterogeneity "
                            "seen, so retention is projected flat).",
                            "Modèle de rétention sBG (Fader & Hardie 2007) estimé sur la première période "
                            "d'abonnement de {n} clients : l'attrition semble la même pour tous, {theta} par mois "
                            "(aucune hétérogénéité visible, rétention projetée constante)."),
    "sub.sbg_failed": ("The sBG retention model could not be fitted: {reason}",
                       "Le modèle de rétention sBG n'a pas pu être estimé : {reason}"),
    "sub.block.kpis": ("Subscription figures (live formulas over the MRR table)",
                       "Indicateurs d'abonnement (formules dynamiques sur la table MRR)"),
    "sub.block.mrr": ("MRR per month and its movements", "MRR par mois et ses mouvements"),
    "sub.block.survival": ("Share still subscribed after t months", "Part encore abonnée après t mois"),
    "sub.block.cohorts": ("Cohorts by start month: share of customers still paying", "Cohortes par mois de départ : "
                          "part des clients qui paient encore"),
    "sub.block.revenue_cohorts": ("Cohorts by start month: MRR kept (net revenue retention)",
                                  "Cohortes par mois de départ : MRR conservé (rétention nette du revenu)"),
    "sub.definition": ("Definition (source)", "Définition (source)"),
    "sub.k.mrr": ("MRR (last month)", "MRR (dernier mois)"),
    "sub.k.customers": ("Paying customers (last month)", "Clients payants (dernier mois)"),
    "sub.k.arpa": ("ARPA (MRR per customer)", "ARPA (MRR par client)"),
    "sub.k.logo_churn": ("Customer (logo) churn, monthly", "Attrition clients (logos), mensuelle"),
    "sub.k.gross_mrr_churn": ("Gross MRR churn, monthly", "Attrition brute du MRR, mensuelle"),
    "sub.k.net_mrr_churn": ("Net MRR churn, monthly", "Attrition nette du MRR, mensuelle"),
    "sub.k.nrr": ("Net revenue retention (NRR), monthly", "Rétention nette du revenu (NRR), mensuelle"),
    "sub.k.margin": ("Gross margin", "Marge brute"),
    "sub.d.margin": ("The Dashboard's assumption: change it there and every figure here follows",
                     "L'hypothèse du tableau de bord : modifiez-la là-bas, tout suit ici"),
    "sub.k.ltv": ("LTV (ARPA × margin ÷ logo churn)", "LTV (ARPA × marge ÷ attrition clients)"),
    "sub.k.cac": ("CAC", "CAC"),
    "sub.k.ltv_cac": ("LTV / CAC", "LTV / CAC"),
    "sub.k.payback": ("CAC payback (months)", "Retour sur CAC (mois)"),
    "sub.k.derl": ("sBG value of a new customer (ARPA × margin × DERL)",
                   "Valeur sBG d'un nouveau client (ARPA × marge × DERL)"),
    "sub.d.mrr": ("Sum of the monthly amounts of the last month; a quarterly or yearly charge counts ÷ 3 or ÷ 12 in "
                  "each month it covers (ChartMogul)",
                  "Somme des montants mensuels du dernier mois ; une facture trimestrielle ou annuelle compte pour "
                  "÷ 3 ou ÷ 12 chaque mois couvert (ChartMogul)"),
    "sub.d.customers": ("Customers with MRR in the last month", "Clients avec du MRR le dernier mois"),
    "sub.d.arpa": ("MRR ÷ paying customers (ChartMogul)", "MRR ÷ clients payants (ChartMogul)"),
    "sub.d.logo_churn": ("Customers lost ÷ customers at the start of each month, summed over the months after the "
                         "first (ChartMogul customer churn rate)",
                         "Clients perdus ÷ clients en début de mois, cumulés sur les mois après le premier "
                         "(ChartMogul)"),
    "sub.d.gross_mrr_churn": ("(churned MRR + contraction MRR) ÷ MRR at the start of each month (Baremetrics)",
                              "(MRR perdu + MRR de contraction) ÷ MRR en début de mois (Baremetrics)"),
    "sub.d.net_mrr_churn": ("(churned + contraction − expansion MRR) ÷ MRR at the start (Baremetrics; ChartMogul "
                            "also subtracts reactivations)",
                            "(MRR perdu + contraction − expansion) ÷ MRR en début de mois (Baremetrics ; "
                            "ChartMogul retire aussi les réactivations)"),
    "sub.d.nrr": ("1 − net MRR churn: MRR kept from the customers already there",
                  "1 − attrition nette du MRR : MRR conservé des clients déjà présents"),
    "sub.d.ltv": ("ARPA × gross margin ÷ logo churn (Skok, SaaS Metrics 2.0)",
                  "ARPA × marge brute ÷ attrition clients (Skok, SaaS Metrics 2.0)"),
    "sub.d.cac": ("From the Dashboard's assumptions", "Depuis les hypothèses du tableau de bord"),
    "sub.d.ltv_cac": ("3 or more is the usual health line", "3 ou plus : seuil de santé usuel"),
    "sub.d.payback": ("CAC ÷ (ARPA × gross margin), undiscounted", "CAC ÷ (ARPA × marge brute), non actualisé"),
    "sub.d.derl": ("DERL: expected discounted future months paid by a customer who just joined, sBG (Fader & "
                   "Hardie 2010, eq. 6), at the annual discount rate converted to months",
                   "DERL : mois futurs payés attendus, actualisés, pour un client qui vient d'arriver, sBG (Fader & "
                   "Hardie 2010, éq. 6), au taux annuel converti en mois"),
    "sub.h.month": ("Month", "Mois"),
    "sub.h.mrr_start": ("MRR at start", "MRR en début"),
    "sub.h.new": ("New", "Nouveau"),
    "sub.h.reactivation": ("Reactivation", "Réactivation"),
    "sub.h.expansion": ("Expansion", "Expansion"),
    "sub.h.contraction": ("Contraction", "Contraction"),
    "sub.h.churn": ("Churned MRR", "MRR perdu"),
    "sub.h.mrr_end": ("MRR", "MRR"),
    "sub.h.customers_start": ("Customers at start", "Clients en début"),
    "sub.h.new_customers": ("New customers", "Nouveaux clients"),
    "sub.h.reactivated_customers": ("Reactivated", "Réactivés"),
    "sub.h.churned_customers": ("Lost customers", "Clients perdus"),
    "sub.h.customers_end": ("Customers", "Clients"),
    "sub.h.arpa": ("ARPA", "ARPA"),
    "sub.h.minus_contraction": ("− Contraction", "− Contraction"),
    "sub.h.minus_churn": ("− Churned MRR", "− MRR perdu"),
    "sub.h.t": ("Months t", "Mois t"),
    "sub.h.actual": ("Actual (Kaplan-Meier)", "Réel (Kaplan-Meier)"),
    "sub.h.projected": ("sBG projection", "Projection sBG"),
    "sub.h.cohort": ("Start month", "Mois de départ"),
    "sub.h.size": ("Customers", "Clients"),
    "sub.h.mrr0": ("MRR month 0", "MRR mois 0"),
    "sub.chart.movements": ("MRR movements per month", "Mouvements du MRR par mois"),
    "sub.chart.survival": ("Share still subscribed: actual vs sBG projection",
                           "Part encore abonnée : réel vs projection sBG"),
}
