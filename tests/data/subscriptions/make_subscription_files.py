"""Write the subscription exports of this folder: python tests/data/subscriptions/make_subscription_files.py.

Each file imitates one platform's export, with the column names and status values of its public documentation;
README.md says what each customer does and the MRR and churn counted by hand from the rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent


def _write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def chargebee() -> None:
    """Chargebee Billing, Export -> Invoices (headers in its resource[attribute] form), Jan-Jun 2024."""
    header = ["invoice[id]", "invoice[customer_id]", "invoice[subscription_id]", "invoice[status]",
              "invoice[date]", "invoice[currency_code]", "invoice[total]", "invoice[amount_paid]",
              "invoice[amount_due]", "invoice[recurring]"]
    plan = [  # customer, subscription, day of month, [(month, total, status)]
        ("cb_acme", "sub_acme", 3, [(m, 49, "paid") for m in range(1, 7)]),
        ("cb_birch", "sub_birch", 10, [(m, 99 if m <= 3 else 199, "paid") for m in range(1, 7)]),
        ("cb_cedar", "sub_cedar", 15, [(m, 199 if m <= 2 else 99, "paid") for m in range(1, 7)]),
        ("cb_delta", "sub_delta", 20, [(1, 49, "paid"), (2, 49, "paid"), (3, 49, "paid"), (4, 49, "voided")]),
        ("cb_ember", "sub_ember", 7, [(1, 99, "paid"), (2, 99, "not_paid"), (5, 99, "paid"), (6, 99, "paid")]),
        ("cb_fjord", "sub_fjord", 12, [(1, 270, "paid"), (4, 270, "paid")]),
        ("cb_grove", "sub_grove", 28, [(m, 29, "paid") for m in range(3, 7)]),
        ("cb_heron", "sub_heron", 2, [(5, 49, "paid"), (6, 49, "paid")]),
    ]
    rows = []
    for customer, sub, day, bills in plan:
        for month, total, status in bills:
            paid = total if status == "paid" else 0
            rows.append([None, customer, sub, status, f"2024-{month:02d}-{day:02d} 09:30:00", "USD",
                         f"{total:.2f}", f"{paid:.2f}", f"{total - paid:.2f}", "True"])
    rows.sort(key=lambda r: (r[4], r[1]))
    for i, row in enumerate(rows, start=1):
        row[0] = f"INV-{1000 + i}"
    _write("chargebee_invoices.csv", header, rows)


def recurly() -> None:
    """Recurly, Exports -> Transactions (columns of its export schema), Jan 2023 - Mar 2024."""
    header = ["account_code", "name", "transaction_id", "type", "amount", "tax_amount", "currency", "date",
              "status", "message", "test", "invoice_number", "subscription_id"]
    months = [(2023, m) for m in range(1, 13)] + [(2024, m) for m in range(1, 4)]
    events = []  # account, name, type, amount, (y, m, d), status, invoice
    for y, m in months:
        events.append(("rc_alpha", "Ana Alves", "purchase", 25, (y, m, 5), "success"))
    events += [("rc_bravo", "Ben Brook", "purchase", 240, (2023, 2, 14), "success"),
               ("rc_bravo", "Ben Brook", "purchase", 240, (2024, 2, 14), "success")]
    events += [("rc_charlie", "Cleo Chen", "purchase", 40, (2023, m, 20), "success") for m in range(1, 7)]
    events.append(("rc_charlie", "Cleo Chen", "purchase", 40, (2023, 7, 20), "declined"))
    events += [("rc_delta", "Dev Dorsey", "purchase", 150, (2023, m, 1), "success") for m in (3, 6, 9)]
    events.append(("rc_echo", "Eve Eng", "authorization", 1, (2023, 10, 8), "success"))
    events += [("rc_echo", "Eve Eng", "purchase", 25, (y, m, 8), "success")
               for y, m in [(2023, 10), (2023, 11), (2023, 12), (2024, 1), (2024, 2), (2024, 3)]]
    events += [("rc_foxtrot", "Finn Fox", "purchase", 40, (2023, m, 12), "success") for m in range(1, 6)]
    events.append(("rc_foxtrot", "Finn Fox", "refund", 40, (2023, 5, 15), "success"))
    events.sort(key=lambda e: (e[4], e[0]))
    rows = []
    invoice_of: dict[tuple[str, int, int], int] = {}
    next_invoice = 2001
    for i, (account, name, kind, amount, (y, m, d), status) in enumerate(events, start=1):
        key = (account, y, m)
        if kind == "purchase" and key not in invoice_of:
            invoice_of[key] = next_invoice
            next_invoice += 1
        invoice = invoice_of.get(key, "") if kind != "authorization" else ""
        message = {"success": "Successful test transaction", "declined": "Insufficient funds"}[status]
        rows.append([account, name, f"{i:032x}", kind, f"{amount:.2f}", "0.00", "USD",
                     f"{y}-{m:02d}-{d:02d} 10:01:22", status, message, "FALSE", invoice,
                     "" if kind == "authorization" else f"s-{account}"])
    _write("recurly_transactions.csv", header, rows)


def stripe() -> None:
    """Stripe Dashboard, Billing -> Invoices -> Export (default columns), Jan-Apr 2024."""
    header = ["id", "Number", "Customer", "Customer Name", "Customer Email", "Status", "Currency", "Amount Due",
              "Amount Paid", "Total", "Date (UTC)", "Subscription", "Period Start (UTC)", "Period End (UTC)"]
    plan = [  # customer, name, day, [(month, total, status)]
        ("cus_PA1", "Alba Ames", 1, [(m, 20, "paid") for m in range(1, 5)]),
        ("cus_PB2", "Bao Bell", 4, [(1, 20, "paid"), (2, 20, "paid"), (3, 50, "paid"), (4, 50, "paid")]),
        ("cus_PC3", "Cyd Cole", 9, [(1, 50, "paid"), (2, 50, "paid"), (3, 50, "void")]),
        ("cus_PD4", "Dee Dunn", 11, [(m, 20, "paid") for m in range(2, 5)]),
        ("cus_PE5", "Eli Eads", 6, [(m, 50, "paid") for m in range(1, 5)]),
        ("cus_PF6", "Fay Finch", 15, [(1, 0, "paid")] + [(m, 20, "paid") for m in range(2, 5)]),
    ]
    rows = []
    for customer, name, day, bills in plan:
        for month, total, status in bills:
            paid = total if status == "paid" else 0
            end_month = month + 1
            rows.append([None, None, customer, name, f"{name.split()[0].lower()}@example.com", status, "usd",
                         f"{total:.2f}", f"{paid:.2f}", f"{total:.2f}", f"2024-{month:02d}-{day:02d} 08:15:00",
                         f"sub_{customer[4:]}", f"2024-{month:02d}-{day:02d} 08:15:00",
                         f"2024-{end_month:02d}-{day:02d} 08:15:00"])
    rows.sort(key=lambda r: (r[10], r[2]))
    for i, row in enumerate(rows, start=1):
        row[0] = f"in_1P{i:04d}Xq2eZvKYlo2C"
        row[1] = f"A1B2C3D4-{i:04d}"
    _write("stripe_invoices.csv", header, rows)


if __name__ == "__main__":
    chargebee()
    recurly()
    stripe()
