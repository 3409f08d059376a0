"""read_orders on real files: CDNOW, and hand-made files in each format shops and Excel write."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clv_xl.errors import DataError, InvalidArgumentError
from clv_xl.orders import CleaningReport, cleaning_report, read_orders
from clv_xl.orders.parse_values import parse_amounts


@pytest.fixture(scope="module")
def orders_dir(data_dir: Path) -> Path:
    return data_dir / "orders"


def assert_canonical(frame: pd.DataFrame) -> None:
    assert list(frame.columns[:3]) == ["customer_id", "order_date", "amount"]
    assert pd.api.types.is_string_dtype(frame["customer_id"].dtype)
    assert frame["order_date"].dtype == "datetime64[ns]"
    assert frame["amount"].dtype == "float64"
    assert isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0
    keys = list(zip(frame["order_date"], frame["customer_id"], strict=True))
    assert keys == sorted(keys)
    assert isinstance(frame.attrs["cleaning_report"], CleaningReport)


# ------------------------------------------------------------------------------------------------- CDNOW


def test_cdnow_master_reads_with_no_arguments(cdnow_dir: Path) -> None:
    orders = read_orders(cdnow_dir / "CDNOW_master.txt")
    assert_canonical(orders)
    assert len(orders) == 69_659
    assert orders["customer_id"].nunique() == 23_570
    assert round(orders["amount"].sum(), 2) == 2_500_315.63
    assert orders["customer_id"].iloc[0] == "00001"  # leading zeros kept: ids are text
    assert orders["order_date"].min() == pd.Timestamp("1997-01-01")
    assert orders["order_date"].max() == pd.Timestamp("1998-06-30")
    assert list(orders.columns) == ["customer_id", "order_date", "amount", "quantity"]
    report = cleaning_report(orders)
    assert report.zero_amounts == 80 and not report.zero_amounts_dropped
    assert report.same_day_orders == 2_068  # the README's repeated (customer, date) pairs
    assert report.customers == 23_570 and report.rows_read == 69_659


def test_cdnow_master_zero_amounts_drop_is_a_switch(cdnow_dir: Path) -> None:
    orders = read_orders(cdnow_dir / "CDNOW_master.txt", zero_amounts="drop")
    assert len(orders) == 69_659 - 80
    assert cleaning_report(orders).zero_amounts_dropped


def test_cdnow_sample_without_header_by_content_and_by_position(cdnow_dir: Path) -> None:
    guessed = read_orders(cdnow_dir / "CDNOW_sample.txt")
    assert len(guessed) == 6_919 and guessed["customer_id"].nunique() == 2_357
    assert cleaning_report(guessed).columns == {
        "customer_id": "column 1", "order_date": "column 3", "amount": "column 5"
    }
    explicit = read_orders(cdnow_dir / "CDNOW_sample.txt", customer=1, date=2, amount=4)
    assert explicit["customer_id"].nunique() == 2_357
    assert set(explicit["customer_id"]) >= {"0001", "2357"}
    assert round(explicit["amount"].sum(), 2) == round(guessed["amount"].sum(), 2)


# ------------------------------------------------------------------------------------------------- formats


def test_french_excel_cp1252_semicolon_decimal_comma(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "fr_excel_cp1252.csv")
    assert_canonical(orders)
    report = cleaning_report(orders)
    assert report.columns == {"customer_id": "N° client", "order_date": "Date de commande", "amount": "Montant TTC"}
    assert "encoding cp1252" in report.notes and "separator ';'" in report.notes
    first = orders.iloc[0]
    assert (first["customer_id"], first["order_date"], first["amount"]) == ("C001", pd.Timestamp("2024-01-05"), 1234.56)
    assert orders["amount"].tolist() == [1234.56, 89.90, 45.0, 5.0, 12.5, 2000.0]
    assert orders["order_date"].iloc[-1] == pd.Timestamp("2024-03-15")  # dd/mm
    assert report.missing_amount == 1 and report.refunded_orders_dropped == 1
    assert report.same_day_orders == 1 and report.currencies == ["EUR"]


def test_shopify_line_items_fold_into_orders(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "shopify_orders_export.csv")
    assert_canonical(orders)
    assert orders["order_id"].tolist() == ["#1001", "#1002", "#1003"]  # #1004 is refunded
    assert orders["amount"].tolist() == [65.0, 30.0, 15.5]  # order totals, line items not counted
    assert orders["quantity"].tolist() == [3.0, 1.0, 5.0]  # line-item quantities add up
    assert orders["customer_id"].tolist() == ["ann@example.com", "bob@example.com", "ann@example.com"]
    # wall-clock time kept, zone dropped
    assert orders["order_date"].iloc[1] == pd.Timestamp("2024-03-01 23:40:00")
    report = cleaning_report(orders)
    assert report.line_items_folded == 3 and report.cancelled_dropped == 1
    assert report.missing_amount == 0  # blank totals on line-item rows are not missing orders
    assert report.columns["order_id"] == "Name" and report.columns["order_date"] == "Created at"


def test_shopify_refunded_order_kept_when_refunds_are_not_dropped(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "shopify_orders_export.csv", drop_refunds=False)
    assert orders["order_id"].tolist() == ["#1001", "#1002", "#1003", "#1004"]


def test_utf16_tab_separated_unicode_text_with_us_dates(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "excel_unicode_text.txt")
    assert_canonical(orders)
    assert orders["order_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2023-12-25", "2024-01-05", "2024-01-06", "2024-02-11"
    ]
    assert orders["amount"].tolist() == [1234.56, 20.0, 35.10, 7.99]
    assert orders["currency"].tolist() == ["USD"] * 4
    report = cleaning_report(orders)
    assert report.notes[:2] == ["encoding utf-16", "separator tab"]
    assert "dates read as mm/dd/yyyy (decided from the data)" in report.notes


def test_parquet_with_zoned_timestamps_and_integer_ids(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "orders.parquet")
    assert_canonical(orders)
    assert orders["customer_id"].tolist() == ["17", "42", "17", "99"]
    assert orders["order_date"].iloc[0] == pd.Timestamp("2024-01-02 09:00")  # Paris wall-clock time
    assert orders["amount"].sum() == pytest.approx(149.49)


def test_xlsx_orders_on_second_sheet_below_a_title(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "orders_second_sheet.xlsx")
    assert_canonical(orders)
    report = cleaning_report(orders)
    assert report.source == "orders_second_sheet.xlsx [Orders]"
    assert orders["customer_id"].tolist() == ["311", "312", "311", "313"]  # 311.0 from Excel becomes "311"
    assert orders["order_id"].tolist() == ["5001", "5002", "5003", "5004"]
    assert report.duplicate_order_ids == 1 and report.zero_amounts == 1
    # the error names the duplicate row position in the sheet when values are wrong; here, by name:
    same = read_orders(orders_dir / "orders_second_sheet.xlsx", sheet="Orders")
    pd.testing.assert_frame_equal(same, orders)


def test_xlsx_unknown_sheet_lists_the_sheets(orders_dir: Path) -> None:
    with pytest.raises(InvalidArgumentError, match=r"sheet='Nope' is not in .*'Read me', 'Orders'"):
        read_orders(orders_dir / "orders_second_sheet.xlsx", sheet="Nope")


def test_us_dates_decided_from_the_data_and_dollar_thousands(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "us_mmdd.csv")
    assert orders["order_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-03-15", "2024-04-01"]
    assert orders["amount"].tolist() == [1050.0, 12.0, 8.5]
    assert orders["customer_id"].iloc[0] == "Smith, Jo"  # quoted separator kept


def test_ambiguous_dates_need_dayfirst(orders_dir: Path) -> None:
    with pytest.raises(DataError, match="pass dayfirst=True or dayfirst=False"):
        read_orders(orders_dir / "ambiguous_dates.csv")
    day_first = read_orders(orders_dir / "ambiguous_dates.csv", dayfirst=True)
    month_first = read_orders(orders_dir / "ambiguous_dates.csv", dayfirst=False)
    assert day_first["order_date"].tolist() == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-04-03")]
    assert month_first.set_index("customer_id").loc["a", "order_date"] == pd.Timestamp("2024-03-04")
    assert day_first.set_index("customer_id").loc["a", "order_date"] == pd.Timestamp("2024-04-03")


def test_yyyymmdd_and_pipe_separator(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "yyyymmdd.csv")
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-01-05"), pd.Timestamp("2024-02-29"), pd.Timestamp("2024-03-01")
    ]
    assert orders["customer_id"].tolist() == ["7", "8", "7"]


def test_timestamps_with_zones_keep_local_wall_clock(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "zones.csv")
    assert orders["order_date"].tolist() == [
        pd.Timestamp("2024-03-01 23:30"), pd.Timestamp("2024-03-02 00:15"), pd.Timestamp("2024-03-02 10:00")
    ]


def test_woocommerce_guest_user_id_0_falls_back_to_billing_email(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "woocommerce.csv")
    assert orders["customer_id"].tolist() == ["12", "guest@shop.fr", "12"]  # user 12, then guest (id 0)
    assert orders["order_id"].tolist() == ["301", "302", "303"]


def test_stripe_payments_columns(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "stripe_payments.csv")
    assert orders["customer_id"].tolist() == ["cus_A", "cus_A", "cus_B"]
    assert orders["order_id"].tolist() == ["ch_1", "ch_2", "ch_3"]
    assert orders["currency"].tolist() == ["USD"] * 3


def test_explicit_arguments_override_detection(orders_dir: Path) -> None:
    orders = read_orders(orders_dir / "woocommerce.csv", customer="Billing Email")
    assert orders["customer_id"].tolist() == ["x@shop.fr", "guest@shop.fr", "x@shop.fr"]
    # compared without case and punctuation too
    assert read_orders(orders_dir / "woocommerce.csv", customer="billing_email").equals(orders)


# ------------------------------------------------------------------------------------------------- DataFrames


def test_dataframe_source_is_not_modified() -> None:
    raw = pd.DataFrame(
        {"Client": [" b ", "a", None], "Date": ["2024-01-02", "2024-01-01", "2024-01-03"], "Total": ["1,50", "2", "3"]}
    )
    before = raw.copy()
    orders = read_orders(raw)
    pd.testing.assert_frame_equal(raw, before)
    assert orders["customer_id"].tolist() == ["a", "b"]
    assert orders["amount"].tolist() == [2.0, 1.5]
    assert cleaning_report(orders).missing_customer == 1


def test_refund_rows_net_against_their_order() -> None:
    raw = pd.DataFrame(
        {
            "order_id": ["1", "2", "2", "3", "3", "4"],
            "customer": ["a", "a", "a", "b", "b", "c"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-03", "2024-01-04", "2024-01-06"],
            "amount": [10.0, 50.0, -20.0, 30.0, -30.0, -5.0],
        }
    )
    orders = read_orders(raw)
    assert orders["order_id"].tolist() == ["1", "2"]
    assert orders["amount"].tolist() == [10.0, 30.0]
    report = cleaning_report(orders)
    assert report.refunds_netted == 2  # the -20 and the -30
    assert report.refunded_orders_dropped == 2  # order 3 cancelled out, the unmatched -5
    kept = read_orders(raw, drop_refunds=False, drop_duplicate_order_ids=False)
    assert len(kept) == 6 and kept["amount"].sum() == 35.0


def test_excel_serial_dates_and_mixed_cells() -> None:
    raw = pd.DataFrame(
        {"customer": [1.0, 2.0], "date": [45292, pd.Timestamp("2024-01-05")], "amount": [1, 2]}, dtype=object
    )
    orders = read_orders(raw)
    assert orders["order_date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-05")]
    assert orders["customer_id"].tolist() == ["1", "2"]


def test_amount_formats() -> None:
    raw = pd.DataFrame(
        {
            "customer": list("abcdefg"),
            "date": ["2024-01-01"] * 7,
            "amount": ["$1,234.56", "1 234,56 €", "1.234,56", "(12.00)", "EUR 7", "3,5", "CHF 1'000.50"],
        }
    )
    with pytest.raises(DataError, match=r"mixes currencies: .*; choose one with --currency"):
        read_orders(raw, drop_refunds=False)
    orders = read_orders(raw, drop_refunds=False, keep_currency="EUR")  # rows without a sign are kept
    assert orders.set_index("customer_id")["amount"].to_dict() == {"b": 1234.56, "c": 1234.56, "d": -12.0,
                                                                    "e": 7.0, "f": 3.5}
    assert cleaning_report(orders).other_currency_dropped == 2
    assert parse_amounts(raw["amount"]).values.tolist() == [1234.56, 1234.56, 1234.56, -12.0, 7.0, 3.5, 1000.5]


def test_ids_from_numbers_and_emails_are_normalised() -> None:
    raw = pd.DataFrame({"email": ["Ann@X.org", "ann@x.org "], "date": ["2024-01-01", "2024-01-02"], "amount": [1, 2]})
    assert read_orders(raw)["customer_id"].nunique() == 1


def test_large_generated_file_matches_pandas(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    frame = pd.DataFrame(
        {
            "order_id": np.arange(n),
            "customer_id": [f"C{c:05d}" for c in rng.integers(0, 2_000, n)],
            "order_date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 86400 * 365, n), unit="s"),
            "amount": np.round(rng.gamma(2, 20, n), 2) + 0.01,
        }
    )
    path = tmp_path / "orders.csv"
    frame.to_csv(path, index=False)
    orders = read_orders(path)
    assert_canonical(orders)
    expected = frame.sort_values(["order_date", "customer_id"], kind="stable").reset_index(drop=True)
    assert orders["order_id"].tolist() == expected["order_id"].astype(str).tolist()
    np.testing.assert_allclose(orders["amount"], expected["amount"])


def test_repeated_header_labels_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes("\ufeffcustomer,date,Total,Total\nA,2024-01-02,5,6\nB,2024-01-01,7,8\n".encode())
    orders = read_orders(path)
    assert orders["amount"].tolist() == [7.0, 5.0]
    assert read_orders(path, amount="Total (2)")["amount"].tolist() == [8.0, 6.0]
    assert cleaning_report(orders).notes[0] == "encoding utf-8-sig"


def test_bad_date_beyond_the_sniffed_lines_is_still_reported(tmp_path: Path) -> None:
    lines = ["customer,order_date,amount"] + [f"c{i},2024-01-{1 + i % 28:02d},1.5" for i in range(100)]
    lines[81] = "c80,2024-13-45,1.5"  # file row 82 (header is row 1)
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = r"orders.csv: 1 value\(s\) in 'order_date' cannot be read: row 82 date '2024-13-45'"
    with pytest.raises(DataError, match=expected):
        read_orders(path)
    assert len(read_orders(path, on_bad_values="drop")) == 99


def test_cancelled_statuses_in_french_and_refunded_amounts() -> None:
    raw = pd.DataFrame(
        {
            "Client": ["a", "b", "c", "d"],
            "Date": ["2024-01-01"] * 4,
            "Montant": [10.0, 20.0, 30.0, 40.0],
            "Statut": ["Payée", "Annulée", "Remboursé", "payée"],
            "Montant remboursé": [0.0, 0.0, 0.0, 15.0],
        }
    )
    orders = read_orders(raw)
    assert orders.set_index("customer_id")["amount"].to_dict() == {"a": 10.0, "d": 25.0}
    report = cleaning_report(orders)
    assert report.unpaid_dropped == 1 and report.cancelled_dropped == 1 and report.refunds_netted == 1
    assert report.columns["status"] == "Statut" and report.columns["refunded"] == "Montant remboursé"


def test_windows_character_after_the_sniffed_bytes_falls_back_to_cp1252(tmp_path: Path) -> None:
    lines = ["customer,date,amount"] + [f"c{i},2024-01-01,1.5" for i in range(20_000)] + ["Zoé,2024-01-02,2"]
    path = tmp_path / "orders.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    assert path.stat().st_size > 256 * 1024
    orders = read_orders(path)
    assert orders["customer_id"].iloc[-1] == "Zoé"
    assert cleaning_report(orders).notes[0] == "encoding cp1252"


def test_parquet_index_columns_are_data(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"order_date": pd.to_datetime(["2024-01-01", "2024-01-02"]), "amount": [1.0, 2.0]},
        index=pd.Index(["x", "y"], name="customer_id"),
    )
    frame.to_parquet(tmp_path / "o.parquet")
    assert read_orders(tmp_path / "o.parquet")["customer_id"].tolist() == ["x", "y"]


def test_rows_in_date_order_with_unsorted_ties_are_still_sorted_by_customer() -> None:
    frame = pd.DataFrame({
        "customer": ["b", "a", "c", "a"],
        "date": ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-03"],
        "amount": [1.0, 2.0, 3.0, 4.0],
    })
    orders = read_orders(frame)
    assert orders["customer_id"].tolist() == ["a", "b", "c", "a"]
    assert orders["amount"].tolist() == [2.0, 1.0, 3.0, 4.0]
    in_order = read_orders(frame.iloc[[1, 0, 2, 3]])  # already sorted: returned as is
    assert in_order["customer_id"].tolist() == ["a", "b", "c", "a"]
    assert list(in_order.index) == [0, 1, 2, 3]
    assert cleaning_report(in_order).customers == 3


def test_lone_surrogates_in_columns_named_by_numbers_are_escaped():
    # a DataFrame from Python with positional column names, ids holding half a UTF-16 pair (a broken paste): read,
    # not a UnicodeEncodeError; the two different halves stay two customers
    frame = pd.DataFrame([["a\ud800", "2024-01-05", 10.0], ["a\udc00", "2024-01-06", 20.0],
                          ["a\ud800", "2024-02-05", 5.0]], dtype=object)  # pandas infers no str dtype for it
    orders = read_orders(frame, customer=0, date=1, amount=2)
    assert orders.groupby("customer_id")["amount"].sum().to_dict() == {"a\\ud800": 15.0, "a\\udc00": 20.0}
