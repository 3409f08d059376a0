"""read_orders' errors: one line naming what was wrong (the file, the row, the value) and how to fix it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clv_xl.errors import ClvXlError, ColumnNotFoundError, DataError, InvalidArgumentError
from clv_xl.orders import cleaning_report, read_orders


@pytest.fixture(scope="module")
def orders_dir(data_dir: Path) -> Path:
    return data_dir / "orders"

# ------------------------------------------------------------------------------------------------- errors


def test_no_recognisable_columns_lists_columns_and_argument(orders_dir: Path) -> None:
    with pytest.raises(ColumnNotFoundError) as info:
        read_orders(orders_dir / "no_order_columns.csv")
    message = str(info.value)
    assert "'product', 'colour', 'size'" in message and "customer=<column>" in message
    assert "\n" not in message


def test_wrong_explicit_column_lists_columns(orders_dir: Path) -> None:
    with pytest.raises(ColumnNotFoundError, match=r"amount='Prix' is not a column; the columns are 'N° client'"):
        read_orders(orders_dir / "fr_excel_cp1252.csv", amount="Prix")


def test_unparseable_values_name_file_row_and_value(orders_dir: Path) -> None:
    with pytest.raises(DataError) as info:
        read_orders(orders_dir / "bad_values.csv")
    message = str(info.value)
    assert message.startswith("bad_values.csv: 3 value(s)")
    assert "row 3 amount 'ten'" in message and "row 5 date 'not a date'" in message and "row 6 amount '??'" in message
    dropped = read_orders(orders_dir / "bad_values.csv", on_bad_values="drop")
    assert dropped["customer_id"].tolist() == ["a", "c"]
    assert cleaning_report(dropped).bad_values_dropped == 3


def test_unparseable_values_in_a_dataframe_name_the_index_label() -> None:
    raw = pd.DataFrame({"customer": ["a"], "date": ["soon"], "amount": [1]}, index=[41])
    with pytest.raises(DataError, match="the DataFrame: 1 value.* row 41 date 'soon'"):
        read_orders(raw)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.csv", "empty.csv is empty"),
        ("header_only.csv", "header_only.csv has a header but no order rows"),
        ("binary.csv", "binary.csv is not a text, Excel or Parquet file"),
        ("missing.csv", "order file not found"),
    ],
)
def test_empty_binary_and_missing_files_are_one_clear_line(orders_dir: Path, name: str, expected: str) -> None:
    with pytest.raises(DataError) as info:
        read_orders(orders_dir / name)
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_a_folder_is_refused_with_the_glob_that_reads_its_files(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        read_orders(tmp_path)
    assert "is a folder; pass an order file" in str(info.value) and str(tmp_path / "*.parquet") in str(info.value)


def test_empty_dataframe_and_wrong_source_type() -> None:
    with pytest.raises(DataError, match="no order rows"):
        read_orders(pd.DataFrame({"customer": [], "date": [], "amount": []}))
    with pytest.raises(InvalidArgumentError, match="source must be a file path or a pandas DataFrame; got list"):
        read_orders([1, 2, 3])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="on_bad_values must be 'raise' or 'drop'"):
        read_orders(pd.DataFrame({"customer": ["a"], "date": ["2024-01-01"], "amount": [1]}), on_bad_values="x")


def test_cleaning_report_requires_read_orders_output() -> None:
    with pytest.raises(InvalidArgumentError, match="carries no cleaning report"):
        cleaning_report(pd.DataFrame({"a": [1]}))


def test_cleaning_report_rows_and_lines(orders_dir: Path) -> None:
    report = cleaning_report(read_orders(orders_dir / "fr_excel_cp1252.csv"))
    rows = dict(report.to_rows())
    assert rows["Rows read"] == 8 and rows["Orders kept"] == 6 and rows["Customers"] == 3
    assert rows["Total amount"] == 3386.96 and rows["Currencies"] == "EUR"
    lines = report.lines()
    assert lines[0].startswith("fr_excel_cp1252.csv: 8 rows read, 6 orders of 3 customers, 2024-01-05 to 2024-03-15")
    assert "Rows without amount (dropped): 1" in lines
    assert not any("Duplicate order ids" in line for line in lines)  # zero counts are left out


def test_errors_are_clvxl_errors_and_value_errors(orders_dir: Path) -> None:
    with pytest.raises(ClvXlError):
        read_orders(orders_dir / "empty.csv")
    with pytest.raises(ValueError):
        read_orders(orders_dir / "empty.csv")
