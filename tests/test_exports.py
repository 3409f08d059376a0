"""The export corpus (tests/data/exports): each platform's export read with no options gives the hand counts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from clv_xl.cli import main
from clv_xl.errors import DataError
from clv_xl.orders import cleaning_report, read_orders
from clv_xl.orders.roles import ROLES
from clv_xl.orders.vocabulary import TREATMENTS, platforms, status_treatments
from clv_xl.report import build_report

EXPORTS = Path(__file__).parent / "data" / "exports"
EXPECTED = {k: v for k, v in json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export_read_with_no_options_gives_the_hand_counts(name: str) -> None:
    expected = EXPECTED[name]
    orders = read_orders(EXPORTS / name)
    report = cleaning_report(orders)
    assert len(orders) == expected["paid_orders"]
    assert orders["customer_id"].nunique() == expected["customers"] == report.customers
    assert round(orders["amount"].sum(), 2) == expected["revenue"]
    assert report.currency == expected["currency"]
    assert sorted(orders["order_id"]) == sorted(expected["order_ids"])
    if "warning" in expected:
        assert any(expected["warning"] in w for w in report.warnings), report.warnings
    else:
        assert report.warnings == []


def test_guests_fall_back_to_their_email_and_are_never_merged() -> None:
    orders = read_orders(EXPORTS / "woocommerce_orders_export.csv")
    by_order = orders.set_index("order_id")["customer_id"]
    assert by_order["102"] == by_order["107"] == "guest1@ex.fr"
    assert by_order["109"] == "guest4@ex.fr"  # upper-case e-mail normalised
    assert by_order["111"] == "5"  # guest checkout with the e-mail of registered customer 5
    assert "0" not in set(orders["customer_id"])


def test_an_email_column_wins_over_a_column_of_names() -> None:
    orders = read_orders(EXPORTS / "classeur_commandes_fr.xlsx")
    by_order = orders.set_index("order_id")["customer_id"]
    assert by_order["CMD-001"] == by_order["CMD-003"] == "jean.dupont@exemple.fr"
    assert by_order["CMD-004"] == "jean.d@autre.fr"  # the other Jean Dupont stays another customer
    assert "person names" in cleaning_report(orders).identity


def test_status_overrides_change_what_is_paid() -> None:
    path = EXPORTS / "stripe_unified_payments.csv"
    excluded = read_orders(path, excluded_statuses=["Disputed"])
    assert "ch_11" not in set(excluded["order_id"]) and cleaning_report(excluded).warnings == []
    paid = read_orders(path, paid_statuses=["failed"])
    assert "ch_05" in set(paid["order_id"])
    kept = read_orders(path, zero_amounts="keep")
    assert "ch_06" in set(kept["order_id"])  # the 0.00 card check, kept when asked


def test_recurly_refunds_sharing_the_invoice_number_are_netted_not_dropped_as_duplicates() -> None:
    orders = read_orders(EXPORTS / "recurly_transactions.csv")
    amounts = orders.set_index("order_id")["amount"]
    assert amounts["1005"] == 40.0 and "1002" not in amounts.index
    report = cleaning_report(orders)
    assert report.duplicate_order_ids == 0 and report.refunds_netted == 2


def test_mixed_currencies_stop_unless_one_is_chosen(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("customer,date,amount,currency\na,2024-01-01,10,EUR\nb,2024-01-02,20,USD\n"
                    "a,2024-01-03,5,EUR\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"mixes currencies: EUR \(2 orders\), USD \(1 orders\)"):
        read_orders(path)
    eur = read_orders(path, keep_currency="eur")
    assert eur["amount"].tolist() == [10.0, 5.0] and cleaning_report(eur).other_currency_dropped == 1
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 2 and "mixes currencies" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_a_column_named_underscore_id_is_not_an_order_id() -> None:
    raw = pd.DataFrame({"_id": [1, 1, 2, 2], "cust": ["a", "b", "a", "c"],
                        "date": ["1997-01-01", "1997-01-02", "1997-01-03", "1997-01-04"], "sales": [1.0, 2, 3, 4]})
    orders = read_orders(raw, customer="cust")
    assert len(orders) == 4 and "order_id" not in orders


def test_a_dataframe_with_repeated_index_labels_is_read() -> None:
    raw = pd.DataFrame({"customer": ["a", "b", "a"], "date": ["2024-01-01", "2024-01-02", "x"],
                        "amount": [1.0, 2.0, 3.0]}, index=[7, 7, 8])
    orders = read_orders(raw, on_bad_values="drop")
    assert orders["amount"].tolist() == [1.0, 2.0]
    with pytest.raises(DataError, match="row 2 date 'x'"):
        read_orders(raw)


def test_every_role_has_a_cli_option_and_a_read_orders_keyword(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(main, ["inspect", "--help"]).output
    for role in ROLES:
        assert role.option in help_text
    path = EXPORTS / "woocommerce_orders_export.csv"
    explicit = read_orders(path, customer="billing_email", order_id="order_number", status="status")
    assert explicit["customer_id"].str.contains("@").all()
    with pytest.raises(Exception, match="unexpected argument 'colour'; the column arguments are customer, date"):
        read_orders(path, colour="red")


def test_vocabularies_are_well_formed() -> None:
    names = [p.name for p in platforms()]
    assert {"shopify", "woocommerce", "stripe", "prestashop", "chargebee", "recurly", "generic"} <= set(names)
    for name in names:
        table = status_treatments([], name)  # loads the table
        assert table == {}
    assert status_treatments(["wc-on-hold"], "woocommerce")["wc-on-hold"][0] == "not paid"
    assert set(t for t, _ in status_treatments(["paid", "x"]).values()) <= set(TREATMENTS)


def test_inspect_prints_the_intake_summary_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["inspect", str(EXPORTS / "woocommerce_orders_export.csv")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "14 rows read, 8 orders of 6 customers, 2024-01-03 to 2024-01-25, total 337.90 EUR" in out
    assert "platform: woocommerce" in out and "'wc-failed' not paid (woocommerce): 1 row" in out
    assert "refunds taken off the revenue: 75.00" in out and "currency: EUR" in out
    assert list(tmp_path.iterdir()) == []


def test_summary_prints_the_intake_summary(tmp_path: Path) -> None:
    target = tmp_path / "customers.csv"
    result = CliRunner().invoke(main, ["summary", str(EXPORTS / "recurly_transactions.csv"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "5 orders of 3 customers" in result.stderr and "'refund' refund" in result.stderr
    assert len(pd.read_csv(target)) == 3


@pytest.mark.parametrize(("name", "sign"), [("shopify_orders_export.csv", "£"),
                                            ("prestashop_back_office.csv", "€")])
def test_report_labels_money_in_the_files_currency(name: str, sign: str, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(main, ["report", str(EXPORTS / name), "-o", str(out), "--no-forecast"])
    assert result.exit_code == 0, result.output
    assert f"currency: {EXPECTED[name]['currency']}" in result.stderr
    wb = load_workbook(out)
    formats = {c.number_format for row in wb["Dashboard"].iter_rows() for c in row if c.data_type in ("n", "f")}
    assert any(sign in f for f in formats) and not any('"$"' in f for f in formats)
    data = {row[1]: row[2] for row in wb["Data"].iter_rows(min_row=4, values_only=True)}
    assert data["Currencies"] == EXPECTED[name]["currency"] and data["Orders kept"] == EXPECTED[name]["paid_orders"]


def test_build_report_currency_defaults_to_the_datas(tmp_path: Path) -> None:
    lines: list[str] = []
    build_report(EXPORTS / "stripe_unified_payments.csv", tmp_path / "r.xlsx", forecast=False, on_read=lines.extend)
    assert "currency: EUR" in lines and any(line.startswith("warning: status values") for line in lines)


def test_every_data_sheet_item_has_a_french_label() -> None:
    from clv_xl.orders import CleaningReport
    from clv_xl.report.sheets.data import _item

    report = CleaningReport(source="x", warnings=["w"], zero_amounts_dropped=True)
    for label, _value in report.to_rows():
        assert _item(label, "fr") != label or label == "Source", label
