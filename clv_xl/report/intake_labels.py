"""French for the values of the Data sheet: the reader's decisions, written in English by :mod:`clv_xl.orders`.

The intake summary (:meth:`clv_xl.orders.CleaningReport.to_rows`) is text the reader composes from a few
phrases (``the customer column 'id'``, ``dates read as dd/mm/yyyy (decided from the data)``, ``customer <- 'id'
(known name)``...). :data:`VALUE_PHRASES` lists those phrases as regular expressions with their French; a
value is translated phrase by phrase, so a sentence the table does not know keeps its English words (column
names, file names and status values are the data's own and are never translated).
"""

from __future__ import annotations

import re

from clv_xl.i18n.text_format import format_integer

__all__ = ["VALUE_PHRASES", "ROLE_WORDS", "french_value"]

#: The reader's role keywords (``customer <- 'id'``) in French.
ROLE_WORDS: dict[str, str] = {
    "customer": "client", "date": "date", "amount": "montant", "order_id": "commande", "currency": "devise",
    "quantity": "quantité", "status": "statut", "email": "e-mail", "transaction_type": "type d'opération",
    "refund": "remboursement", "product": "produit",
}

_Q = r"('(?:[^']|\\')*'|\"[^\"]*\")"  # a quoted column or value name, as Python's repr writes it

#: (English phrase as a regular expression, French replacement), applied in order.
VALUE_PHRASES: tuple[tuple[str, str], ...] = (
    (r"^the DataFrame$", "le tableau de données (DataFrame)"),
    (r"^not recognised \(generic columns\)$", "non reconnue (colonnes génériques)"),
    (r"^as given$", "telles quelles"),
    (r"^kept$", "gardées"),
    (r"^dropped$", "écartées"),
    (r"^not stated$", "non indiquées"),
    (r"^the customer column$", "la colonne client"),
    (rf"the customer column {_Q}", r"la colonne client \1"),
    (rf"the e-mail in {_Q} \(lower case, spaces stripped\)", r"l'e-mail de \1 (en minuscules, sans espaces)"),
    (rf"the e-mail in {_Q}", r"l'e-mail de \1"),
    (r"\(known name\)", "(nom connu)"),
    (r"\(found by name\)", "(trouvée par son nom)"),
    (r"\(e-mail addresses lower-cased\)", "(adresses e-mail en minuscules)"),
    (r"read by (\w+) directly, out of core: plain orders \(customer, date and amount; no status, order id or refund "
     r"column, so no status is excluded and no refund netted\)",
     r"lues par \1 directement, hors mémoire : commandes simples (client, date et montant ; ni statut, ni numéro de "
     r"commande, ni remboursement : aucun statut écarté, aucun remboursement déduit)"),
    (r"^kept: a free order is a purchase in a file of orders without statuses \(as in the published CDNOW "
     r"summaries\); zero_amounts='drop' drops them$",
     "gardées : une commande gratuite est un achat dans un fichier de commandes sans statut (comme dans les résumés "
     "publiés de CDNOW) ; zero_amounts='drop' (--zero-amounts drop) les écarte"),
    (r"^dropped \(as asked\)$", "écartées (comme demandé)"),
    (r"^kept \(as asked\)$", "gardées (comme demandé)"),
    (rf"\(name has the word {_Q}\)", r"(le nom contient le mot \1)"),
    (r"encoding ", "encodage "),
    (r"separator tab", "séparateur tabulation"),
    (r"separator whitespace", "séparateur espaces"),
    (r"separator ", "séparateur "),
    (r"no header line", "pas de ligne d'en-tête"),
    (r"dates read as Excel serial day numbers \(days since 1899-12-30\)",
     "dates lues comme numéros de série Excel (jours depuis le 30/12/1899)"),
    (r"dates read as dd/mm/yyyy", "dates lues en jj/mm/aaaa"),
    (r"dates read as mm/dd/yyyy", "dates lues en mm/jj/aaaa"),
    (r"\(decided from the data\)", "(d'après les données)"),
    (r"\(every date was ambiguous; the file's style is European\)",
     "(toutes les dates étaient ambiguës ; le style du fichier est européen)"),
    (r"\(as asked\)", "(comme demandé)"),
    (r"the data states no currency: the report labels amounts (\w+); pass --currency CODE",
     r"les données n'indiquent aucune devise : le rapport note les montants en \1 ; passez --currency CODE"),
    (r"status values in no vocabulary, kept as sales: (.*); say what they mean with ",
     r"valeurs de statut inconnues, gardées comme ventes : \1 ; dites ce qu'elles signifient avec "),
    (r"\(lower case, spaces stripped\)", "(en minuscules, sans espaces)"),
    (r"^paid ", "payée "),
    (r"^not paid ", "non payée "),
    (r"^refunded ", "remboursée "),
    (r"^unknown ", "inconnue "),
    (r"^sale\b", "vente"),
    (r"^refund\b", "remboursement"),
    (r"^verification\b", "vérification"),
    (r"^not a sale\b", "pas une vente"),
    (r"\(default\)", "(par défaut)"),
    (r"\(given\)", "(donné)"),
)

_COMPILED = tuple((re.compile(pattern), french) for pattern, french in VALUE_PHRASES)
_ROLE = re.compile(r"(?:(?<=^)|(?<=; ))(\w+) <- ")
_ROWS = re.compile(r"(\d[\d,]*) rows?\b")


def french_value(text: str) -> str:
    """A Data-sheet value in French, phrase by phrase (unknown phrases are kept).

    Examples
    --------
    >>> french_value("customer <- 'customer_id' (known name); amount <- 'Total' (known name)")
    "client <- 'customer_id' (nom connu) ; montant <- 'Total' (nom connu)"
    >>> french_value("the customer column 'customer_id'"), french_value("paid (shopify), 1,204 rows")
    ("la colonne client 'customer_id'", 'payée (shopify), 1\\xa0204 lignes')
    """
    for pattern, french in _COMPILED:
        text = pattern.sub(french, text)
    text = _ROLE.sub(lambda m: f"{ROLE_WORDS.get(m.group(1), m.group(1))} <- ", text)
    text = _ROWS.sub(lambda m: f"{format_integer(int(m.group(1).replace(',', '')), 'fr')} "
                               f"{'ligne' if m.group(0).endswith('row') else 'lignes'}", text)
    return re.sub(r"(?<=\S); ", " ; ", text)
