"""Write the hand-made order files of this folder (run from anywhere: python tests/data/orders/make_files.py).

Every value is typed here by hand; nothing comes from a real shop. The files are committed, so the tests do not
run this script; it documents exactly what each file holds and lets us write them again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

HERE = Path(__file__).parent
NBSP = "\u00a0"


def french_cp1252() -> None:
    # Excel (French locale) "CSV (séparateur: point-virgule)": cp1252, ';', decimal comma, dd/mm/yyyy, € sign.
    rows = [
        "N° client;Date de commande;Montant TTC;Référence",
        f"C001;05/01/2024;1{NBSP}234,56 €;F-0001",
        "C002;13/01/2024;89,90 €;F-0002",
        "C001;02/02/2024;45,00 €;F-0003",
        "C003;02/02/2024;12,5 €;F-0004",
        "C001;02/02/2024;5,00 €;F-0005",
        "C002;28/02/2024;-89,90 €;F-0006",
        "C004;01/03/2024;;F-0007",
        "C003;15/03/2024;2 000,00 €;F-0008",
    ]
    (HERE / "fr_excel_cp1252.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def shopify() -> None:
    # Shopify orders export: one row per line item; order-level fields only on each order's first row.
    header = (
        "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
        "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,"
        "Lineitem name,Lineitem price,Billing Name,Id"
    )
    rows = [
        "#1001,Ann@Example.com,paid,2024-03-01 10:02:11 +0100,fulfilled,2024-03-02 09:00:00 +0100,yes,EUR,60.00,"
        "5.00,10.83,65.00,,0.00,Standard,2024-03-01 10:02:11 +0100,2,Mug,20.00,Ann Lee,5550001",
        "#1001,Ann@Example.com,,,,,,,,,,,,,,,1,Tea,20.00,,",
        "#1002,bob@example.com,paid,2024-03-01 23:40:00 +0100,fulfilled,,no,EUR,30.00,0.00,5.00,30.00,,0.00,"
        "Pickup,2024-03-01 23:40:00 +0100,1,Teapot,30.00,Bob Ray,5550002",
        "#1003,ann@example.com,paid,2024-03-09 08:15:00 +0100,fulfilled,,yes,EUR,15.50,0.00,2.58,15.50,,0.00,"
        "Standard,2024-03-09 08:15:00 +0100,1,Tea,15.50,Ann Lee,5550003",
        "#1003,,,,,,,,,,,,,,,,3,Sugar,0.00,,",
        "#1003,,,,,,,,,,,,,,,,1,Spoon,0.00,,",
        "#1004,cy@example.com,refunded,2024-03-10 12:00:00 +0100,,,no,EUR,40.00,0.00,6.67,40.00,,0.00,"
        "Standard,2024-03-10 12:00:00 +0100,1,Kettle,40.00,Cy Ng,5550004",
    ]
    (HERE / "shopify_orders_export.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def unicode_text() -> None:
    # Excel "Unicode text (*.txt)": UTF-16 LE with BOM, tab-separated, US dates (mm/dd/yyyy, decided by 12/25).
    rows = [
        "Customer ID\tOrder Date\tOrder Total\tCurrency",
        "1001\t12/25/2023\t$1,234.56\tUSD",
        "1002\t01/05/2024\t$20.00\tUSD",
        "1001\t01/06/2024\t$35.10\tUSD",
        "1003\t02/11/2024\t$7.99\tUSD",
    ]
    (HERE / "excel_unicode_text.txt").write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))


def parquet() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": [17, 42, 17, 99],
            "created": pd.to_datetime(
                ["2024-01-02 09:00", "2024-01-03 18:30", "2024-02-10 07:45", "2024-02-11 12:00"]
            ).tz_localize("Europe/Paris"),
            "total": [19.99, 5.0, 24.5, 100.0],
            "currency": ["EUR", "EUR", "EUR", "EUR"],
        }
    )
    frame.to_parquet(HERE / "orders.parquet", index=False)


def workbook() -> None:
    # A workbook whose first sheet is notes and whose second sheet has a title row, then the order table.
    book = Workbook()
    notes = book.active
    notes.title = "Read me"
    notes.append(["Export of 2024-04-01"])
    notes.append(["Orders are on the next sheet."])
    sheet = book.create_sheet("Orders")
    sheet.append(["Q1 2024 orders"])
    sheet.append(["Order ID", "Client", "Order Date", "Amount", "Qty"])
    for row in [
        (5001, 311, pd.Timestamp("2024-01-04").to_pydatetime(), 120.0, 2),
        (5002, 312, pd.Timestamp("2024-01-20").to_pydatetime(), 35.5, 1),
        (5003, 311, pd.Timestamp("2024-02-14").to_pydatetime(), 60.25, 1),
        (5003, 311, pd.Timestamp("2024-02-14").to_pydatetime(), 60.25, 1),  # the same order twice
        (5004, 313, pd.Timestamp("2024-03-30").to_pydatetime(), 0.0, 1),
    ]:
        sheet.append(list(row))
    book.save(HERE / "orders_second_sheet.xlsx")


def small_text_files() -> None:
    files = {
        "us_mmdd.csv": (
            'customer,order date,total\n"Smith, Jo",03/04/2024,"$1,050.00"\nlee,03/15/2024,$12.00\n'
            '"Smith, Jo",04/01/2024,$8.50\n'
        ),
        "ambiguous_dates.csv": "customer,order date,total\na,03/04/2024,10\nb,04/03/2024,12\n",
        "yyyymmdd.csv": "client_id|purchase_date|revenue\n7|20240105|10.5\n8|20240229|99\n7|20240301|1.25\n",
        "zones.csv": (
            "customer_email,created_at,amount\n"
            "a@x.org,2024-03-01T23:30:00-05:00,10\n"
            "a@x.org,2024-03-02 00:15:00 +0100,20\n"
            "b@x.org,2024-03-02T10:00:00Z,5\n"
        ),
        "woocommerce.csv": (
            "Order ID,Order Number,Order Status,Order Date,Customer User ID,Billing Email,Order Total Amount,"
            "Order Currency\n"
            "301,301,completed,2024-02-01 10:00:00,12,x@shop.fr,49.00,EUR\n"
            "302,302,completed,2024-02-03 11:30:00,0,guest@shop.fr,15.00,EUR\n"
            "303,303,completed,2024-02-20 08:00:00,12,x@shop.fr,22.00,EUR\n"
        ),
        "stripe_payments.csv": (
            "id,Description,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Customer ID,Customer Email,"
            "Status\n"
            "ch_1,Plan,2024-05-01 08:00:00,29.00,0.00,usd,true,cus_A,a@b.co,Paid\n"
            "ch_2,Plan,2024-06-01 08:00:00,29.00,0.00,usd,true,cus_A,a@b.co,Paid\n"
            "ch_3,Plan,2024-06-03 09:10:00,99.00,0.00,usd,true,cus_B,b@b.co,Paid\n"
        ),
        "no_order_columns.csv": "product,colour,size\nmug,red,L\n",
        "bad_values.csv": (
            "customer,date,amount\na,2024-01-01,10\nb,2024-01-02,ten\nc,2024-01-03,12\nd,not a date,5\n"
            "e,2024-01-05,??\n"
        ),
        "header_only.csv": "customer,date,amount\n",
        "empty.csv": "",
    }
    for name, text in files.items():
        (HERE / name).write_text(text, encoding="utf-8")
    # not text at all: a PNG signature and a few binary bytes behind a .csv name
    (HERE / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06")


if __name__ == "__main__":
    french_cp1252()
    shopify()
    unicode_text()
    parquet()
    workbook()
    small_text_files()
