"""`clv-xl summary`: writes the customer table; every error is one line, exit code 2, and no output file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from clv_xl.cli import main


@pytest.fixture(scope="module")
def orders_dir(data_dir: Path) -> Path:
    return data_dir / "orders"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["summary", *args])
    return result.exit_code, result.stdout, result.stderr


def test_summary_to_csv_prints_the_cleaning_report(cdnow_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "customers.csv"
    code, _out, err = run(str(cdnow_dir / "CDNOW_master.txt"), "-o", str(target), "--time-unit", "W")
    assert code == 0, err
    assert "CDNOW_master.txt: 69,659 rows read, 69,659 orders of 23,570 customers" in err
    assert "Zero-amount orders (kept): 80" in err
    assert "wrote 23,570 customers" in err
    table = pd.read_csv(target, dtype={"customer_id": str}, encoding="utf-8-sig")
    assert len(table) == 23_570 and table.columns[0] == "customer_id" and table["customer_id"].iloc[0] == "00001"
    assert round(table["revenue"].sum(), 2) == 2_500_315.63
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_summary_to_xlsx_with_column_options(cdnow_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "customers.xlsx"
    code, _out, err = run(
        str(cdnow_dir / "CDNOW_sample.txt"), "-o", str(target), "--customer", "1", "--date", "2", "--amount", "4",
        "--observation-end", "1997-09-30", "--time-unit", "W",
    )
    assert code == 0, err
    sheet = load_workbook(target, read_only=True)["Customers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("customer_id", "frequency", "recency", "T", "monetary_value")
    first = rows[1]
    assert first[0] == "0001" and first[1] == 2 and round(first[2], 2) == 30.43 and round(first[3], 2) == 38.86
    assert len(rows) == 2_357 + 1


def test_dayfirst_option_and_sheet_option(orders_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "c.csv"
    code, _out, err = run(str(orders_dir / "ambiguous_dates.csv"), "-o", str(target), "--monthfirst")
    assert code == 0, err
    table = pd.read_csv(target, encoding="utf-8-sig").set_index("customer_id")
    assert table.loc["a", "first_order"] == "2024-03-04"  # dates without a time are written as dates
    workbook = str(orders_dir / "orders_second_sheet.xlsx")
    code, _out, err = run(workbook, "-o", str(tmp_path / "s.csv"), "--sheet", "Orders")
    assert code == 0, err
    assert "sheet 'Orders'" in err


def test_refuses_to_overwrite_without_force(orders_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "customers.csv"
    target.write_text("keep me", encoding="utf-8")
    code, _out, err = run(str(orders_dir / "fr_excel_cp1252.csv"), "-o", str(target))
    assert code == 2 and err.strip().splitlines() == [
        f"Error: '{target}' already exists; use --force (force=True) to replace it"
    ]
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _out, err = run(str(orders_dir / "fr_excel_cp1252.csv"), "-o", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8-sig").startswith("customer_id,frequency")


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("no_order_columns.csv", [], "no customer and date and amount column recognised"),
        ("bad_values.csv", [], "row 3 amount 'ten'"),
        ("empty.csv", [], "empty.csv is empty"),
        ("binary.csv", [], "not a text, Excel or Parquet file"),
        ("header_only.csv", [], "has a header but no order rows"),
        ("ambiguous_dates.csv", [], "pass dayfirst=True or dayfirst=False"),
        ("missing.csv", [], "order file not found"),
        ("fr_excel_cp1252.csv", ["--amount", "Prix"], "amount='Prix' is not a column"),
        ("fr_excel_cp1252.csv", ["--observation-end", "someday"], "observation_end must be a date"),
        ("orders_second_sheet.xlsx", ["--sheet", "Nope"], "sheet='Nope' is not in"),
    ],
)
def test_every_error_is_one_line_exit_2_and_no_file(
    orders_dir: Path, tmp_path: Path, name: str, extra: list[str], message: str
) -> None:
    target = tmp_path / "out.xlsx"
    code, _out, err = run(str(orders_dir / name), "-o", str(target), *extra)
    assert code == 2
    lines = err.strip().splitlines()
    assert lines[-1].startswith("Error: ") and message in lines[-1]
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_wrong_output_suffix(orders_dir: Path, tmp_path: Path) -> None:
    code, _out, err = run(str(orders_dir / "fr_excel_cp1252.csv"), "-o", str(tmp_path / "c.json"))
    assert code == 2 and "the table must be a .csv or .xlsx or .parquet file; got '" in err and "c.json'" in err
    assert list(tmp_path.iterdir()) == []


def test_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(main, ["summary", "--help"])
    assert result.exit_code == 0
    assert result.output.index("Example:") < result.output.index("Options:")
    assert "clv-xl summary orders.csv -o customers.xlsx" in result.output


def test_real_subprocess_error_and_success(orders_dir: Path, tmp_path: Path) -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "clv_xl", "summary", str(orders_dir / "bad_values.csv"), "-o", str(tmp_path / "x.csv")],
        capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()] and bad.stderr.startswith("Error: bad_values.csv")
    assert "Traceback" not in bad.stderr and not (tmp_path / "x.csv").exists()
    good = subprocess.run(
        [sys.executable, "-m", "clv_xl", "summary", str(orders_dir / "shopify_orders_export.csv"), "-o",
         str(tmp_path / "s.csv")],
        capture_output=True, text=True, timeout=120,
    )
    assert good.returncode == 0, good.stderr
    assert "Line items folded into their order: 3" in good.stderr
    assert pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")["customer_id"].tolist() == [
        "ann@example.com", "bob@example.com"
    ]


HOSTILE_IDS = ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)"]


def hostile_orders(tmp_path: Path) -> Path:
    lines = ["customer,date,amount"] + [f'"{c.replace(chr(34), chr(34) * 2)}",2024-01-0{i + 1},10' for i, c in
                                         enumerate(HOSTILE_IDS)]
    path = tmp_path / "hostile.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_summary_xlsx_writes_ids_as_text_never_formulas(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "out" / "customers.xlsx"
    out.parent.mkdir()
    code, _out, err = run(str(hostile_orders(tmp_path)), "-o", str(out))
    assert code == 0, err
    sheet = openpyxl.load_workbook(out).active
    ids = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in ids) == sorted(HOSTILE_IDS)
    assert {c.data_type for c in ids} == {"s"}
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # readable by others, like any file the user saves


def test_summary_csv_neutralises_formula_like_text(tmp_path: Path) -> None:
    out = tmp_path / "customers.csv"
    code, _out, err = run(str(hostile_orders(tmp_path)), "-o", str(out))
    assert code == 0, err
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"customer_id": str})
    assert sorted(table["customer_id"]) == sorted("'" + c for c in HOSTILE_IDS)


def test_skip_bad_rows_drops_and_counts_them(orders_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    code, _out, err = run(str(orders_dir / "bad_values.csv"), "-o", str(out))
    assert code == 2 and "--skip-bad-rows" in err and not out.exists()
    code, _out, err = run(str(orders_dir / "bad_values.csv"), "-o", str(out), "--skip-bad-rows")
    assert code == 0, err
    assert out.exists() and "Rows with unreadable values (dropped): 3" in err


@pytest.mark.parametrize("chunk_rows", [None, 1])
def test_churn_risk_counts_months_to_the_observation_end(tmp_path: Path, monkeypatch, chunk_rows) -> None:
    # Last orders 2024-01-10, 2024-06-20 and 2024-12-01; observation end 2024-12-31, window 6 months (at risk after
    # 3). Months to the end, by hand (days / 30.4375): 356 d = 11.7 -> lapsed, 194 d = 6.4 -> lapsed,
    # 30 d = 1.0 -> active. Measured to the last order of the data (2024-12-01) instead, the second would be at risk
    # and the first lapsed; measured within chunks of one customer, every customer would be active.
    if chunk_rows is not None:
        import clv_xl.customers.derived as derived

        monkeypatch.setattr(derived, "CHUNK_ROWS", chunk_rows)
        monkeypatch.setattr(derived.CustomerSummary.frames, "__defaults__", (chunk_rows,))
    orders = tmp_path / "orders.csv"
    orders.write_text("customer,date,amount\na,2024-01-10,10\nb,2024-06-20,20\nc,2024-12-01,30\n", encoding="utf-8")
    out = tmp_path / "customers.csv"
    run(str(orders), "-o", str(out), "--observation-end", "2024-12-31", "--inactive-after", "6M", "--engine",
        "pandas", "--lang", "en")
    table = pd.read_csv(out, encoding="utf-8-sig", index_col="customer_id")
    assert table["churn_risk"].to_dict() == {"a": "lapsed", "b": "lapsed", "c": "active"}
