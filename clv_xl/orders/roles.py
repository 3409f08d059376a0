"""The order-column roles, declared once: what each column of an order table can mean.

One :class:`Role` record per role holds its ``read_orders`` keyword, whether it is required, the parser its
values go through, the column names it is known by (per language and per platform), and its command-line
option. Column detection (:mod:`~clv_xl.orders.find_columns`), :func:`~clv_xl.orders.read_orders`, the cleaning
and the command line loop over :data:`ROLES`; adding a role is adding a record here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

__all__ = [
    "normalize_name", "Role", "ROLES", "ROLE", "OUTPUT_COLUMNS", "CLEANING_COLUMNS", "REQUIRED_ROLES", "KEYWORDS",
]


@dataclass(frozen=True)
class Role:
    """One meaning a column of an order table can have.

    Attributes
    ----------
    column : str
        The role's name, and its column in the canonical frame when :attr:`output` is true.
    keyword : str
        The :func:`~clv_xl.orders.read_orders` keyword naming its source column.
    option : str
        The command-line option naming its source column.
    required : bool
        Whether there is no order table without it.
    output : bool
        Whether it is a column of the canonical frame (else it is read to clean the orders, then dropped).
    parser : str
        How its values are read: ``id``, ``date``, ``amount``, ``number``, ``code``, ``email`` or ``word``.
    names : dict of str to tuple of str
        Exact column names (after :func:`normalize_name`), best first, grouped by
        language or platform; the groups are tried in order.
    keywords : tuple of str
        Whole words that make an unknown column name a candidate (after the exact names fail).
    help : str
        What the column holds, for option help and messages.
    """

    column: str
    keyword: str
    option: str
    required: bool
    output: bool
    parser: str
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    help: str = ""

    @property
    def exact_names(self) -> tuple[str, ...]:
        """Every exact name, best first.

        Examples
        --------
        >>> ROLE["currency"].exact_names[:2]
        ('currency', 'currency code')
        """
        return tuple(name for group in self.names.values() for name in group)


ROLES: tuple[Role, ...] = (
    Role(
        "customer_id", "customer", "--customer", True, True, "id",
        names={
            "en": ("customer id", "customerid", "customer", "customer number", "customer no", "customer reference",
                   "user id", "buyer id", "account id", "member id", "customer user id", "customer user"),
            "fr": ("client", "client id", "id client", "n client", "no client", "num client", "numero client",
                   "numero de client", "code client", "ref client", "reference client"),
            "platforms": ("account code", "invoice customer id", "id customer"),
        },
        keywords=("customer", "client", "buyer"),
        help="Customer column (name or 0-based position); found by name if omitted.",
    ),
    Role(
        "order_date", "date", "--date", True, True, "date",
        names={
            "en": ("order date", "orderdate", "created at", "created", "created utc", "created date utc",
                   "created date", "creation date", "order created", "purchase date", "transaction date",
                   "invoice date", "invoicedate", "paid at", "payment date", "order datetime", "timestamp", "date"),
            "fr": ("date de commande", "date commande", "date de la commande", "date de creation", "date d achat",
                   "date facture", "date de facture"),
            "platforms": ("date add",),
        },
        keywords=("date", "created", "datetime"),
        help="Order date column (name or position).",
    ),
    Role(
        "amount", "amount", "--amount", True, True, "amount",
        names={
            "en": ("amount", "order amount", "order total", "order total amount", "total", "total amount",
                   "grand total", "dollar value", "revenue", "sales", "sale amount", "order value", "value",
                   "net amount", "net sales", "gross sales", "price"),
            "fr": ("montant", "montant ttc", "montant total", "montant total ttc", "total ttc", "montant commande",
                   "ventes nettes", "montant brut", "prix", "chiffre d affaires", "ca"),
            "platforms": ("invoice total", "total paid tax incl", "total paid", "total paid real", "gross"),
        },
        keywords=("amount", "total", "montant", "revenue", "ttc"),
        help="Amount column (name or position).",
    ),
    Role(
        "order_id", "order_id", "--order-id", False, True, "id",
        names={
            "en": ("order id", "orderid", "order", "order number", "order no", "order nr", "order ref",
                   "order reference", "invoice", "invoice id", "invoice no", "invoiceno", "invoice number",
                   "transaction id", "payment id", "charge id"),
            "fr": ("numero de commande", "n commande", "no commande", "num commande", "commande", "commande n",
                   "reference commande", "numero de facture"),
            "platforms": ("id order",),
        },
        help="Order id column: rows sharing it are one order (line items, refunds).",
    ),
    Role(
        "currency", "currency", "--currency-column", False, True, "code",
        names={
            "en": ("currency", "currency code", "order currency"),
            "fr": ("devise", "monnaie", "code devise"),
            "platforms": ("invoice currency code", "currency iso code"),
        },
        keywords=("currency", "devise"),
        help="Currency column (ISO codes such as EUR).",
    ),
    Role(
        "quantity", "quantity", "--quantity", False, True, "number",
        names={
            "en": ("quantity", "qty", "lineitem quantity", "items", "item count", "items sold", "units",
                   "number of cds"),
            "fr": ("quantite", "nb articles", "nombre d articles", "articles vendus"),
        },
        keywords=("quantity", "qty", "quantite"),
        help="Quantity column (items in the order).",
    ),
    Role(
        "email", "email", "--email", False, False, "email",
        names={
            "en": ("email", "e mail", "customer email", "billing email", "email address", "customer e mail",
                   "buyer email", "purchaser email", "billing address email", "from email address"),
            "fr": ("adresse email", "adresse e mail", "courriel", "mail", "email client", "e mail client"),
        },
        keywords=("email",),
        help="Customer e-mail column: the key where the customer id is blank, 0 or a guest.",
    ),
    Role(
        "status", "status", "--status", False, False, "word",
        names={
            "en": ("financial status", "status", "order status", "payment status", "order state"),
            "fr": ("statut", "etat", "statut commande", "etat commande"),
            "platforms": ("invoice status", "current state"),
        },
        help="Order or payment status column (paid, refunded, wc-failed, Paiement accepté...).",
    ),
    Role(
        "transaction_type", "transaction_type", "--transaction-type", False, False, "word",
        names={
            "en": ("transaction type", "type", "action", "kind"),
            "fr": ("type de transaction", "type d operation"),
        },
        help="Transaction type column (purchase, refund, authorization, verify).",
    ),
    Role(
        "refund_of", "refund_of", "--refund-of", False, False, "id",
        names={
            "en": ("reference txn id", "reference transaction id", "original transaction id",
                   "refunded transaction id", "parent transaction id", "original order id"),
            "fr": ("transaction d origine", "commande d origine"),
        },
        help="Column naming, on a refund row, the transaction or order it refunds.",
    ),
    Role(
        "refunded", "refunded", "--refunded", False, False, "amount",
        names={
            "en": ("amount refunded", "refunded amount", "refunded", "total refunded", "refunded total",
                   "refund amount"),
            "fr": ("montant rembourse", "total rembourse"),
        },
        help="Refunded-amount column, subtracted from its order.",
    ),
)

#: Role records by role name.
ROLE: dict[str, Role] = {role.column: role for role in ROLES}
#: Columns of the canonical frame, in order (those after ``amount`` only when the source has them).
OUTPUT_COLUMNS: tuple[str, ...] = tuple(role.column for role in ROLES if role.output)
#: Columns read to clean the orders, then dropped (status, transaction type, refunded amount, e-mail).
CLEANING_COLUMNS: tuple[str, ...] = tuple(role.column for role in ROLES if not role.output)
#: Roles without which there is no order table.
REQUIRED_ROLES: tuple[str, ...] = tuple(role.column for role in ROLES if role.required)
#: read_orders keyword -> role name.
KEYWORDS: dict[str, str] = {role.keyword: role.column for role in ROLES}


def normalize_name(name: object) -> str:
    """Return a column name in the form the detection lists use.

    Parameters
    ----------
    name : object
        A column label.

    Returns
    -------
    str
        Lower case, accents stripped, every run of non-alphanumeric characters a single space.

    Examples
    --------
    >>> normalize_name("N° client")
    'n client'
    >>> normalize_name(" Created (UTC) ")
    'created utc'
    >>> normalize_name("Date_de_Commande")
    'date de commande'
    """
    text = unicodedata.normalize("NFKD", str(name).replace("°", " ").replace("º", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"([a-z])([0-9])", r"\1 \2", text)
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()
