"""The report past Excel's rows and computed by an engine (issue 15).

The sheet limit is a module constant: the tests lower it to 1,000 customers (``monkeypatch``) on a simulated shop of
1,500, and check every figure against plain pandas over all customers of the simulated orders.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from clv_xl import engines
from clv_xl.cli import main
from clv_xl.engines import source as engine_source
from clv_xl.engines.activity import activity_with, customer_key
from clv_xl.engines.run import Query
from clv_xl.orders import open_file, read_orders
from clv_xl.orders.limits import Limits
from clv_xl.report.content import activity_tables
from clv_xl.report.sheets import customers as customers_sheet
from clv_xl.report.template import anchors, load_template
from tests.engine_cases import DATA, export_corpus

pytest.importorskip("duckdb")
duckdb_engine = pytest.importorskip("clv_xl.engines.duckdb_engine")

N_CUSTOMERS = 1_500
LIMIT = 1_000


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 simulated customers (Poisson purchases at gamma-distributed rates, exponential lifetimes), as plain
    Parquet: customer, date, amount."""
    rng = np.random.default_rng(15)
    rate = rng.gamma(0.5, 1 / 15, N_CUSTOMERS)  # purchases a day
    end = np.minimum(730, rng.integers(0, 365, N_CUSTOMERS) + rng.exponential(300, N_CUSTOMERS))
    customers, days = [], []
    for i in range(N_CUSTOMERS):
        day = float(rng.integers(0, 365))
        while day < end[i] or not customers or customers[-1] != f"c{i:05d}":
            customers.append(f"c{i:05d}")
            days.append(int(day))
            day += rng.exponential(1 / rate[i])
    orders = pd.DataFrame({"customer": customers, "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(days, "D"),
                           "amount": rng.gamma(2, 30, len(customers)).round(2)})
    path = tmp_path_factory.mktemp("shop") / "orders.parquet"
    orders.to_parquet(path, index=False)
    return path


def _plain_customers(path: Path) -> pd.DataFrame:
    """Per customer, with plain pandas: orders, revenue, purchase days, first and last order."""
    orders = pd.read_parquet(path)
    grouped = orders.groupby("customer")
    return pd.DataFrame({"orders": grouped.size(), "revenue": grouped["amount"].sum(),
                         "days": grouped["date"].nunique(), "first": grouped["date"].min(),
                         "last": grouped["date"].max()})


def _report(args: list[str]) -> object:
    return CliRunner().invoke(main, ["report", *args])


def test_the_default_limit_is_excels() -> None:
    # Excel's specifications: 1,048,576 rows a worksheet (2**20); one is the header
    assert customers_sheet.MAX_CUSTOMER_ROWS == 2**20 - 1 == 1_048_575
    assert customers_sheet.customer_capacity(anchors(load_template(None))["anchor_customers"]) == 1_048_575


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_past_the_limit_the_sheet_lists_the_most_valuable_and_every_figure_covers_everyone(
        engine: str, shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(customers_sheet, "MAX_CUSTOMER_ROWS", LIMIT)
    out = tmp_path / "report.xlsx"
    result = _report([str(shop), "-o", str(out), "--engine", engine, "--no-forecast", "--margin", "0.3"])
    assert result.exit_code == 0, result.output
    parquet, csv = tmp_path / "report_customers.parquet", tmp_path / "report_customers.csv"
    assert f"Wrote {parquet}" in result.stdout and f"Wrote {csv}" in result.stdout
    assert "1,500 customers do not fit in one sheet" in result.stderr and "leaves out 500" in result.stderr
    plain = _plain_customers(shop)
    assert len(plain) == N_CUSTOMERS

    wb = load_workbook(out)
    sheet = wb["Customers"]
    assert sheet.max_row == LIMIT + 1
    shown = [sheet.cell(r, 1).value for r in range(2, LIMIT + 2)]
    # no forecast: the most valuable by revenue, best first (equal revenues may differ in their sums' last bits)
    revenue = plain["revenue"]
    assert len(set(shown)) == LIMIT and (np.diff(revenue.loc[shown].to_numpy()) <= 1e-9).all()
    assert revenue.loc[shown].min() >= revenue.drop(shown).max() - 1e-9
    header = [c.value for c in sheet[1]]
    note = header[header.index(None) + 1]  # beside the table's header, one column apart
    assert "leaves out 500" in note and "report_customers.parquet" in note and "report_customers.csv" in note

    # the full table beside the workbook: every customer, the same figures as plain pandas
    for table in (pd.read_parquet(parquet), pd.read_csv(csv, encoding="utf-8-sig")):
        table = table.set_index("customer_id").loc[plain.index]
        np.testing.assert_array_equal(table["orders"].to_numpy(), plain["orders"].to_numpy())
        np.testing.assert_allclose(table["revenue"].to_numpy(), plain["revenue"].to_numpy(), rtol=1e-12)
        np.testing.assert_array_equal(table["frequency"].to_numpy(), plain["days"].to_numpy() - 1)

    # the dashboard's figures over all customers; nothing on it or on Segments reads the cut Customers sheet
    def kpi(name: str) -> object:
        sheet_name, cell = next(iter(wb.defined_names[f"kpi_{name}"].destinations))
        return wb[sheet_name][cell.replace("$", "")].value

    assert kpi("customers") == N_CUSTOMERS
    assert kpi("orders") == plain["orders"].sum()
    assert kpi("revenue") == pytest.approx(plain["revenue"].sum(), rel=1e-12)
    days = (plain["last"].max() - plain["first"].min()).days + 1
    assert kpi("years") == pytest.approx(days / 365.25, rel=1e-12)
    assert kpi("repeat_share") == pytest.approx((plain["days"] > 1).mean(), rel=1e-12)
    segments = wb["Segments"]
    rows = [[c.value for c in row] for row in segments.iter_rows(min_row=4, max_row=6, min_col=2, max_col=8)]
    assert sum(r[1] for r in rows) == N_CUSTOMERS and sum(r[6] for r in rows) == plain["orders"].sum()
    assert sum(r[3] for r in rows) == pytest.approx(plain["revenue"].sum(), rel=1e-12)
    for name in ("Dashboard", "Segments"):
        formulas = [c.value for row in wb[name].iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=")]
        assert formulas and not [f for f in formulas if "Customers!" in f], name


def test_the_customer_files_are_never_overwritten_without_force(
        shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(customers_sheet, "MAX_CUSTOMER_ROWS", LIMIT)
    out, csv = tmp_path / "report.xlsx", tmp_path / "report_customers.csv"
    csv.write_bytes(b"keep")
    result = _report([str(shop), "-o", str(out), "--engine", "duckdb", "--no-forecast"])
    assert result.exit_code == 2 and "report_customers.csv" in result.output and "Traceback" not in result.output
    assert csv.read_bytes() == b"keep" and not out.exists()
    assert not (tmp_path / "report_customers.parquet").exists()
    result = _report([str(shop), "-o", str(out), "--engine", "duckdb", "--no-forecast", "--force"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(csv, encoding="utf-8-sig")) == N_CUSTOMERS and out.exists()


def _cdnow() -> pd.DataFrame:
    return read_orders(DATA / "cdnow" / "CDNOW_master.txt")


@pytest.mark.parametrize("orders", [_cdnow, export_corpus], ids=["cdnow", "export_corpus"])
def test_duckdb_gives_the_pandas_cohort_and_churn_tables(orders: object) -> None:
    frame = orders()  # type: ignore[operator]
    end_day = int(np.datetime64(frame["order_date"].max(), "D").astype("int64"))
    query = duckdb_engine.orders_query(frame)
    customers = pa.array(frame["customer_id"].unique().astype(str))
    assert customer_key(query, "duckdb", customers) == "hash(customer_id)"  # no two customers share a hash here
    for window, ids in ((None, None), (1, customers), (6, None), (6, customers)):  # by id, and by its hash
        expected, found = activity_tables(frame, window), activity_with(query, end_day, window, "duckdb", ids)
        assert found.window == expected.window
        pd.testing.assert_frame_equal(found.cohorts, expected.cohorts)
        pd.testing.assert_frame_equal(found.churn, expected.churn)
        pd.testing.assert_frame_equal(found.monthly.sort_index(), expected.monthly.sort_index(), check_names=False)


def test_the_orders_are_grouped_by_id_where_two_customers_would_share_a_hash() -> None:
    # a real 64-bit collision cannot be written here; the same id twice shares its hash just as well
    query = duckdb_engine.orders_query(export_corpus())
    assert customer_key(query, "duckdb", pa.array(["a", "b", "a"])) == "customer_id"
    assert customer_key(query, "duckdb", None) == customer_key(query, "spark", pa.array(["a"])) == "customer_id"


def test_the_chosen_window_of_cdnow_by_hand() -> None:
    # CDNOW: the gaps between a customer's consecutive ordering months, counted with plain pandas
    orders = _cdnow()
    months = (orders["order_date"].dt.year * 12 + orders["order_date"].dt.month).rename("m")
    active = pd.DataFrame({"c": orders["customer_id"], "m": months}).drop_duplicates().sort_values(["c", "m"])
    gaps = active.groupby("c")["m"].diff().dropna()
    window = activity_with(duckdb_engine.orders_query(orders), 100_000, None).window  # every order
    assert window.gaps == len(gaps)
    assert window.periods == int(np.ceil(np.percentile(gaps, 90)))
    assert window.gap_share == pytest.approx(float((gaps <= window.periods).mean()))


def test_plain_files_read_by_duckdb_report_what_was_dropped(tmp_path: Path) -> None:
    # by hand: 9 rows; dropped: 1 without customer, 1 without date, 1 without amount, 1 negative; kept 5 orders
    # (one of 0) of 2 customers, two of a's on 2024-01-01
    plain = pd.DataFrame({
        "customer": ["a", " ", "b", "a", "b", "a", "b", "a", "a"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-02", None, "2024-01-03", "2024-01-04", "2024-01-05",
                                "2024-01-04 15:00", "2024-02-01", "2024-01-01 18:00"], format="ISO8601"),
        "amount": [10.0, 5.0, 7.0, None, -3.0, 0.0, 4.0, 6.0, 2.0],
    })
    path = tmp_path / "plain.parquet"
    plain.to_parquet(path, index=False)
    out = tmp_path / "report.xlsx"
    result = _report([str(path), "-o", str(out), "--engine", "duckdb", "--no-forecast"])
    assert result.exit_code == 0, result.output
    for line in ("plain.parquet: 9 rows read, 5 orders of 2 customers", "Rows without customer (dropped): 1",
                 "Rows without date (dropped): 1", "Rows without amount (dropped): 1",
                 "Refunds and negative amounts dropped: 1", "Zero-amount orders (kept): 1",
                 "Same-day orders (one transaction per customer-day in the summary): 1", "read by duckdb directly"):
        assert line in result.stderr, line
    data = {row[1]: row[2] for row in load_workbook(out)["Data"].iter_rows(min_row=4, values_only=True)}
    assert (data["Rows read"], data["Rows without customer (dropped)"], data["Rows without date (dropped)"],
            data["Rows without amount (dropped)"], data["Refunds and negative amounts dropped"],
            data["Orders kept"], data["Customers"]) == (9, 1, 1, 1, 1, 5, 2)
    summary = CliRunner().invoke(main, ["summary", str(path), "-o", str(tmp_path / "c.csv"), "--engine", "duckdb"])
    assert summary.exit_code == 0 and "Rows without date (dropped): 1" in summary.stderr  # summary says it too
    # read_orders counts the same file the same way
    intake = read_orders(path).attrs["cleaning_report"]
    assert (intake.rows_read, intake.missing_customer, intake.missing_date, intake.missing_amount,
            intake.refunded_orders_dropped, intake.orders, intake.customers, intake.same_day_orders) == (
        9, 1, 1, 1, 1, 5, 2, 1)


def test_a_parquet_too_long_for_memory_points_to_duckdb_which_reads_it(
        shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = Limits(max_table_rows=1_000)  # the shop has more orders than that
    for module in (open_file, engines, engine_source):
        monkeypatch.setattr(module, "LIMITS", small)
    result = _report([str(shop), "-o", str(tmp_path / "a.xlsx"), "--engine", "pandas", "--no-forecast"])
    assert result.exit_code == 2 and "--engine duckdb" in result.output and "Traceback" not in result.output
    assert engines.choose_engine("auto", shop) == "duckdb"
    result = _report([str(shop), "-o", str(tmp_path / "b.xlsx"), "--no-forecast"])  # auto
    assert result.exit_code == 0, result.output
    assert "read by duckdb directly" in result.stderr


def test_a_report_by_duckdb_from_plain_files_has_the_pandas_figures(tmp_path: Path) -> None:
    from clv_xl.report.content import build_content
    from clv_xl.report.from_engine import engine_content
    from clv_xl.report.options import ReportOptions
    from tests.engine_cases import cdnow_sample_plain

    source = cdnow_sample_plain(tmp_path)
    options = ReportOptions(margin=0.4, cac=20.0, observation_end="1998-03-31")
    expected = build_content(read_orders(source), options, forecast=False)
    found = engine_content(source, "duckdb", options, forecast=False)
    assert found.orders is None and found.order_count == expected.order_count
    assert found.notes[0] == expected.notes[0] and "after the observation end" in found.notes[0]
    pd.testing.assert_frame_equal(found.cohorts, expected.cohorts)
    pd.testing.assert_frame_equal(found.churn, expected.churn)
    assert found.customers["customer_id"].tolist() == expected.customers["customer_id"].tolist()
    for key, value in expected.kpis.items():
        assert found.kpis[key] == (pytest.approx(value, rel=1e-12) if isinstance(value, float) else value), key


def test_the_holdout_check_of_a_report_by_duckdb_is_the_pandas_check(shop: Path) -> None:
    # 1,500 customers: no sampling, so DuckDB hands back every order of the same customers the pandas path checks
    # (the split from the history's first and last order); the scores are the same fits on the same histories
    from clv_xl.report.content import build_content
    from clv_xl.report.from_engine import engine_content
    from clv_xl.report.options import ReportOptions

    holdout_days = None  # the default: a third of the history
    options = ReportOptions(holdout_days=holdout_days)
    expected = build_content(read_orders(shop), options).forecast
    found = engine_content(shop, "duckdb", options).forecast
    assert expected is not None and found is not None and expected.comparison is not None
    assert found.validation_note is None and found.sample == expected.sample
    plain = _plain_customers(shop)  # by hand: the split day, and the customers who bought on or before it
    first, last = plain["first"].min().normalize(), plain["last"].max().normalize()
    span = (last - first).days
    cut = last - pd.Timedelta(days=span // 3 if holdout_days is None else holdout_days)
    assert found.sample == (int((plain["first"] < cut + pd.Timedelta(days=1)).sum()),) * 2
    found_scores = {s.key: s for s in found.comparison.scores}  # type: ignore[attr-defined]
    for score in expected.comparison.scores:  # type: ignore[attr-defined]
        assert found_scores[score.key].log_likelihood == pytest.approx(score.log_likelihood, rel=1e-6), score.key
    assert found.comparison.chosen == expected.comparison.chosen  # type: ignore[attr-defined]
    assert found.model == expected.model


def test_no_holdout_asked_means_no_query_for_it(shop: Path) -> None:
    from clv_xl.report.from_engine import holdout_orders

    engine = duckdb_engine.files_query(shop)
    summary = duckdb_engine.summarize_files(shop)
    asked: list[str] = []

    class Recorded(Query):  # DuckDB itself, each statement noted
        def arrow(self, sql: str) -> pa.Table:
            asked.append(sql)
            return engine.arrow(sql)

        def _register(self, name: str, table: pa.Table) -> None:
            engine._register(name, table)

        def _unregister(self, name: str) -> None:
            engine._unregister(name)

    sample = holdout_orders(Recorded(), summary, 100_000, 0)
    assert sample is not None and sample.orders.empty and asked == []
    sample = holdout_orders(Recorded(), summary, 100_000, None)
    assert sample is not None and len(asked) == 1 and sample.available == sample.orders["customer_id"].nunique()


def test_activity_tables_read_a_plain_frame_as_its_functions_clean_it() -> None:
    # a frame not from read_orders (the library's report functions accept one): a row without customer and one
    # without date are left out, as cohorts() and churn_series() leave them out; counted by hand: a in January,
    # b in February
    orders = pd.DataFrame({"customer_id": ["a", "b", None, "x"], "amount": [10.0, 20.0, 30.0, 40.0],
                           "order_date": pd.to_datetime(["2024-01-05", "2024-02-10", "2024-02-11", None])})
    tables = activity_tables(orders, 12)
    assert tables.churn["customers_at_end"].tolist() == [1, 2]
    assert tables.churn["new_customers"].tolist() == [1, 1]
