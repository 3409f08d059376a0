"""Amount and date parsing: round trips through the ways spreadsheets and shops write them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clv_xl.errors import ColumnNotFoundError, DataError
from clv_xl.orders.find_columns import detect_columns, normalize_name
from clv_xl.orders.parse_values import parse_amounts, parse_dates

cents = st.integers(min_value=0, max_value=10**9)


def us(value: float) -> str:
    return f"${value:,.2f}"


def french(value: float) -> str:
    return f"{value:,.2f} €".replace(",", "\u202f").replace(".", ",")


def german(value: float) -> str:
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@settings(max_examples=60, deadline=None)
@given(st.lists(cents, min_size=1, max_size=20), st.sampled_from([us, french, german, str]))
def test_amounts_round_trip(values: list[int], style) -> None:
    amounts = [v / 100 for v in values]
    parsed = parse_amounts(pd.Series([style(a) for a in amounts], dtype="str"))
    assert not parsed.bad.any()
    assert parsed.values.tolist() == pytest.approx(amounts, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)), min_size=1, max_size=20),
    st.booleans(),
)
def test_slashed_dates_round_trip_when_the_data_decides(dates: list[dt.date], dayfirst: bool) -> None:
    dates = [*dates, dt.date(2024, 1, 31)]  # day 31 tells the order
    pattern = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    parsed = parse_dates(pd.Series([d.strftime(pattern) for d in dates], dtype="str"))
    assert parsed.values.dt.date.tolist() == dates
    assert parsed.notes == [f"dates read as {'dd/mm/yyyy' if dayfirst else 'mm/dd/yyyy'} (decided from the data)"]


def test_mixed_day_orders_are_an_error() -> None:
    with pytest.raises(DataError, match=r"dates mix day-first \('31/01/2024'\) and month-first \('01/31/2024'\)"):
        parse_dates(pd.Series(["31/01/2024", "01/31/2024"]))


def test_iso_with_fractions_zones_and_blanks() -> None:
    parsed = parse_dates(pd.Series(["2024-01-02T03:04:05.123+02:00", "", None, "2024-01-03"], dtype="str"))
    assert parsed.values.tolist()[0] == pd.Timestamp("2024-01-02 03:04:05.123")
    assert parsed.values.isna().tolist() == [False, True, True, False]
    assert not parsed.bad.any()


def test_two_digit_years_and_dotted_european_dates() -> None:
    parsed = parse_dates(pd.Series(["05.01.24", "06.01.24"]))
    assert parsed.values.tolist() == [pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-06")]


def test_numeric_dates_out_of_range_are_bad() -> None:
    parsed = parse_dates(pd.Series([19970101, 99999999999]))
    assert parsed.bad.tolist() == [False, True]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["Order ID", "Order Date", "Customer Email", "Order Total"], ("Customer Email", "Order Date", "Order Total")),
        (["customer_id", "date", "number_of_cds", "dollar_value"], ("customer_id", "date", "dollar_value")),
        (["Code client", "Date facture", "Total TTC", "Total HT"], ("Code client", "Date facture", "Total TTC")),
        (["InvoiceNo", "InvoiceDate", "CustomerID", "Sales"], ("CustomerID", "InvoiceDate", "Sales")),
    ],
)
def test_column_detection_vocabularies(columns: list[str], expected: tuple[str, str, str]) -> None:
    found = detect_columns(columns)
    assert (found["customer_id"], found["order_date"], found["amount"]) == expected


def test_detection_skips_names_and_refunds() -> None:
    with pytest.raises(ColumnNotFoundError, match="no customer column recognised"):
        detect_columns(["Customer Name", "Order Date", "Total"])
    assert detect_columns(["client", "date", "Total Refunded", "Total"])["amount"] == "Total"


def test_normalize_name_is_idempotent() -> None:
    for name in ["N° client", "Montant TTC (€)", "Created at", "  Date_de_Commande  "]:
        once = normalize_name(name)
        assert normalize_name(once) == once


def test_dot_thousands_in_a_decimal_comma_column() -> None:
    # French style: "1.000" next to "89,90" is one thousand, not one; an English column keeps "1.000" as 1
    assert parse_amounts(pd.Series(["1.234,56", "89,90", "1.000", "2.500.000"])).values.tolist() == [
        1234.56, 89.9, 1000.0, 2500000.0
    ]
    assert parse_amounts(pd.Series(["1.000", "12.50", "3"])).values.tolist() == [1.0, 12.5, 3.0]
