"""Plain files read by an engine follow read_orders' rules where the data is awkward, as the order reader does.

NaN amounts, dates and amounts out of bounds, the zero-amount and currency options, options only the order reader
knows, files without a header row, CSV globs whose files differ, nanosecond times, e-mail key columns, and the
French words of the intake (found by a parity tester, session 8). Each expected figure is counted by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from clv_xl import engines
from clv_xl.cli import main
from clv_xl.customers import summarize
from clv_xl.errors import DataError
from clv_xl.orders import CleaningReport, read_orders
from tests.engine_cases import FIGURES, assert_same_summary, cdnow_sample_plain

pytest.importorskip("duckdb")

def _intake_of(path: Path, engine: str, **read_kwargs: object) -> tuple[pd.DataFrame, CleaningReport]:
    """The summary and the intake report of ``path`` read by ``engine`` (read_orders' for pandas)."""
    found: list[CleaningReport] = []
    summary, _, _ = engines.summarize_source(path, engine, read_kwargs=read_kwargs, on_intake=found.append)
    return summary.to_frame(), found[-1]


def test_nan_amounts_are_never_summed(tmp_path: Path) -> None:
    # by hand: a's NaN order is no order (read_orders: "Rows without amount"), so a bought once (01-02, 5.0) and
    # both customers are High (revenue 5 + 6 = 11, each before the 80 % share); a NaN kept made revenue NaN and
    # every customer Low
    path = tmp_path / "nan.csv"
    path.write_text("customer,date,amount\na,2024-01-01,nan\na,2024-01-02,5\nb,2024-01-03,NaN\nb,2024-01-03,6\n")
    summary, intake = _intake_of(path, "duckdb")
    assert summary.loc["a", ["frequency", "T", "revenue", "orders"]].tolist() == [0, 1.0, 5.0, 1]
    assert summary["segment"].tolist() == ["High", "High"] and intake.missing_amount == 2
    assert_same_summary(summarize(read_orders(path)), summary)
    # a Parquet file holding real NaN (pandas would write null): DuckDB trusts the file's statistics, which leave NaN
    # out, and so cannot tell a NaN from an amount out of bounds; it stops in one line (can_have_nan, which would let
    # it see them, cost 35 % more CPU and 0.45 GB more at 100M orders), and --skip-bad-rows gives pandas' figures
    parquet = tmp_path / "nan.parquet"
    pq.write_table(pa.table({"customer": ["a", "a", "b", "b"], "date": [dt.date(2024, 1, d) for d in (1, 2, 3, 3)],
                             "amount": [float("nan"), 5.0, float("nan"), 6.0]}), parquet)
    with pytest.raises(DataError, match=r"nan.parquet: 2 row\(s\) with a date or amount that cannot be read .*finite"):
        _intake_of(parquet, "duckdb")
    skipped, intake = _intake_of(parquet, "duckdb", on_bad_values="drop")
    assert_same_summary(summarize(read_orders(parquet)), skipped)
    assert intake.bad_values_dropped == 2


def test_dates_and_amounts_out_of_bounds_stop_or_are_dropped_as_read_orders_does(tmp_path: Path) -> None:
    # a placeholder date 9999-12-31 and an infinite amount: read_orders refuses them (or drops them when asked);
    # DuckDB read them, and the date came back as 1816-03-29 (nanoseconds wrapped), the revenue as inf
    path = tmp_path / "bounds.parquet"
    pq.write_table(pa.table({"customer": ["a", "a", "b", "b"],
                             "date": [dt.date(2024, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 1, 3),
                                      dt.date(2024, 1, 5)],
                             "amount": [1.0, 5.0, 6.0, float("inf")]}), path)
    with pytest.raises(DataError, match=r"bounds.parquet: 2 row\(s\) with a date or amount that cannot be read "
                                        r"\(dates must fall between 1900-01-01 and 2262-04-11; .*--skip-bad-rows"):
        _intake_of(path, "duckdb")
    with pytest.raises(DataError, match="cannot be read"):
        read_orders(path)
    # dropped when asked: a bought on 01-01 (1.0), b on 01-03 (6.0); the end is 01-03
    summary, intake = _intake_of(path, "duckdb", on_bad_values="drop")
    assert summary[["frequency", "T", "revenue"]].to_numpy().tolist() == [[0, 2.0, 1.0], [0, 0.0, 6.0]]
    assert intake.bad_values_dropped == 2 == read_orders(path, on_bad_values="drop").attrs[
        "cleaning_report"].bad_values_dropped
    assert_same_summary(summarize(read_orders(path, on_bad_values="drop")), summary)


def test_zero_amounts_drop_and_currency_are_applied_by_the_engine(tmp_path: Path) -> None:
    # by hand, zero amounts dropped: a has one order (01-02, 5.0), b none left
    path = tmp_path / "zero.csv"
    path.write_text("customer,date,amount\na,2024-01-01,0\na,2024-01-02,5\nb,2024-01-03,0\n")
    summary, intake = _intake_of(path, "duckdb", zero_amounts="drop", keep_currency="eur")
    assert summary.index.tolist() == ["a"] and summary.loc["a", ["frequency", "orders", "revenue"]].tolist() == [
        0, 1, 5.0]
    assert (intake.zero_amounts, intake.zero_amounts_dropped, intake.currencies) == (2, True, ["EUR"])
    expected = read_orders(path, zero_amounts="drop", keep_currency="eur")
    assert_same_summary(summarize(expected), summary)
    assert expected.attrs["cleaning_report"].zero_rule == intake.zero_rule
    kept, kept_intake = _intake_of(path, "duckdb")
    assert kept.loc["a", "orders"] == 2 and not kept_intake.zero_amounts_dropped
    assert kept_intake.zero_rule == read_orders(path).attrs["cleaning_report"].zero_rule
    _, asked = _intake_of(path, "duckdb", zero_amounts="keep")
    assert asked.zero_rule == read_orders(path, zero_amounts="keep").attrs["cleaning_report"].zero_rule == (
        "kept (as asked)")


def test_options_only_the_order_reader_knows_send_the_file_to_it(tmp_path: Path) -> None:
    path = tmp_path / "dayfirst.csv"
    path.write_text("customer,date,amount\na,2024-01-02,5\na,2024-02-01,7\n")
    _, _, how = engines.summarize_source(path, "duckdb", read_kwargs={"dayfirst": True})
    assert how == "cleaned by read_orders"
    _, _, how = engines.summarize_source(path, "duckdb", read_kwargs={"paid_statuses": ["gift"]})
    assert how == "read by duckdb"  # no status column: the option changes nothing, the engine reads the file


def test_a_csv_without_header_goes_to_the_order_reader(tmp_path: Path) -> None:
    path = tmp_path / "nohdr.csv"
    path.write_text("1,1997-01-01,11.77\n1,1997-01-12,20.00\n2,1997-01-02,5.50\n")
    summary, _, how = engines.summarize_source(path, "duckdb")
    assert how == "cleaned by read_orders"
    assert summary.to_frame().loc["1", ["frequency", "recency", "revenue"]].tolist() == [1, 11.0, 31.77]


def test_a_csv_glob_sees_every_file_columns(tmp_path: Path) -> None:
    # the second file has a status column: the glob is not plain orders (its refunded order was counted before)
    (tmp_path / "a.csv").write_text("customer,date,amount\na,2024-01-01,10\nb,2024-01-02,20\n")
    (tmp_path / "b.csv").write_text("customer,date,amount,status\na,2024-01-03,10,refunded\n")
    with pytest.raises(DataError, match="plain orders"):
        engines.summarize_source(tmp_path / "*.csv", "duckdb")
    # headers that differ in case only are one schema
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "a.csv").write_text("customer,date,amount\na,2024-01-01,10\n")
    (folder / "b.csv").write_text("Customer,Date,Amount\na,2024-01-03,5\n")
    summary, _, _ = engines.summarize_source(folder / "*.csv", "duckdb")
    assert summary.to_frame().loc["a", ["frequency", "revenue"]].tolist() == [1, 15.0]


@pytest.mark.parametrize("zone", [None, "Europe/Paris"])
def test_nanosecond_times_stay_on_their_day(zone: str | None, tmp_path: Path) -> None:
    # pandas' default unit; DuckDB's casts round 23:59:59.9999999 up to the next day. By hand: a's orders are on
    # 01-01 and 01-02 (local days), so frequency 1, recency 1, T 1 (the last day is 01-02), monetary value 2.0
    stamps = pd.to_datetime(["2024-01-01 23:59:59.999999900", "2024-01-02 10:00:00"], format="ISO8601").as_unit("ns")
    path = tmp_path / "ns.parquet"
    pd.DataFrame({"customer": ["a", "a"], "date": stamps if zone is None else stamps.tz_localize(zone),
                  "amount": [1.0, 2.0]}).to_parquet(path, index=False)
    summary, _, how = engines.summarize_source(path, "duckdb")
    assert how == "read by duckdb"
    found = summary.to_frame()
    assert found.loc["a", ["frequency", "recency", "T", "monetary_value"]].tolist() == [1, 1.0, 1.0, 2.0]
    expected = summarize(read_orders(path))
    assert expected.loc["a", FIGURES].tolist() == found.loc["a", FIGURES].tolist()
    # DuckDB holds microseconds: the first order is the one pandas keeps to the nanosecond, cut below
    assert found.loc["a", "first_order"] == pd.Timestamp("2024-01-01 23:59:59.999999")


def test_an_email_key_column_is_cleaned_as_read_orders_cleans_it(tmp_path: Path) -> None:
    # no customer id column: the e-mail is the key, and read_orders lower-cases every value with an @ (not only
    # well-formed addresses): by hand, two customers, ann@host (10 + 20) and bob smith@x.fr (5 + 5)
    path = tmp_path / "emails.csv"
    path.write_text("email,date,amount\nAnn@Host,2024-01-01,10\nann@host,2024-01-05,20\n"
                    "Bob Smith@x.fr,2024-01-02,5\nbob smith@x.fr,2024-01-03,5\n")
    summary, _, _ = engines.summarize_source(path, "duckdb")
    assert summary.to_frame()["revenue"].to_dict() == {"ann@host": 30.0, "bob smith@x.fr": 10.0}


def test_a_french_report_by_an_engine_says_what_it_read_in_french(tmp_path: Path) -> None:
    # the engine's intake phrases (how the file was read, why each column, the id rule) were English on the French
    # Data sheet
    from openpyxl import load_workbook

    path = cdnow_sample_plain(tmp_path)
    out = tmp_path / "rapport.xlsx"
    result = CliRunner().invoke(main, ["report", str(path), "-o", str(out), "--engine", "duckdb", "--lang", "fr",
                                       "--holdout", "0"])
    assert result.exit_code == 0, result.output
    data = next(ws for ws in load_workbook(out).worksheets if ws.title.startswith("Donn"))
    values = {str(row[1]): str(row[2]) for row in data.iter_rows(values_only=True) if row[1] and row[2]}
    assert values["Lu comme"].startswith("lues par duckdb directement, hors mémoire : commandes simples")
    assert "(trouvée par son nom)" in values["Colonnes"] and "found" not in values["Colonnes"]
    assert values["Clients identifiés par"].endswith("(adresses e-mail en minuscules)")


def test_globs_the_engine_cannot_read_say_why(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("email,date,amount\nann@x.fr,2024-01-02,5\n")
    with pytest.raises(DataError, match=r"an option only the order reader applies was given \('dayfirst'\)"):
        engines.summarize_source(tmp_path / "*.csv", "duckdb", read_kwargs={"dayfirst": True})
    with pytest.raises(DataError, match="with an e-mail column as the key, name it with --customer"):
        engines.summarize_source(tmp_path / "*.csv", "duckdb")
    # named, the e-mail column is the customer column: the engine's id rules (the same as read_orders' for it)
    summary, _, how = engines.summarize_source(tmp_path / "*.csv", "duckdb", read_kwargs={"customer": "email"})
    assert how == "read by duckdb" and summary.to_frame().loc["ann@x.fr", "orders"] == 2
