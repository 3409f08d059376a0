"""pandas and DuckDB give the same customer summary, and the published one on CDNOW (issue 15)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from clv_xl import engines
from clv_xl.cli import main
from clv_xl.customers import summarize
from clv_xl.engines.run import summary_with
from clv_xl.engines.source import open_orders
from clv_xl.errors import DataError
from clv_xl.orders import CleaningReport, cleaning_report, read_orders
from clv_xl.report import content
from tests.engine_cases import (
    DATA,
    ZONED_ORDERS,
    assert_colliding_by_hand,
    assert_published_cdnow,
    assert_same_summary,
    assert_zoned_by_hand,
    cdnow_sample_plain,
    colliding_plain,
    export_corpus,
    export_totals,
    zoned_plain,
)

duckdb_engine = pytest.importorskip("clv_xl.engines.duckdb_engine")
pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def cdnow_master() -> pd.DataFrame:
    return read_orders(DATA / "cdnow" / "CDNOW_master.txt")


@pytest.fixture(scope="module")
def plain_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CDNOW_master.txt as plain Parquet in three parts, read with pandas alone."""
    raw = pd.read_csv(DATA / "cdnow" / "CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str, "date": str})
    plain = pd.DataFrame({"Customer ID": raw["customer_id"], "Order date": pd.to_datetime(raw["date"], format="%Y%m%d"),
                          "Total": raw["dollar_value"]})
    folder = tmp_path_factory.mktemp("cdnow_parts")
    for part, rows in enumerate(np.array_split(np.arange(len(plain)), 3)):
        plain.iloc[rows].to_parquet(folder / f"part{part}.parquet", index=False)
    plain.to_csv(folder / "all.csv", index=False)
    return folder


def test_duckdb_reading_plain_files_gives_the_published_cdnow_summary(tmp_path: Path) -> None:
    summary = duckdb_engine.summarize_files(cdnow_sample_plain(tmp_path), observation_end="1997-09-30",
                                            time_unit="W")
    assert_published_cdnow(summary)
    assert int((summary["frequency"] > 0).sum()) == 946  # the published count of repeat buyers


def test_duckdb_equals_pandas_on_cdnow_master(cdnow_master: pd.DataFrame, plain_master: Path) -> None:
    expected = summarize(cdnow_master, time_unit="W")
    assert_same_summary(expected, duckdb_engine.summarize_orders(cdnow_master, time_unit="W"))
    assert_same_summary(expected, duckdb_engine.summarize_files(plain_master / "part*.parquet", time_unit="W"))
    assert_same_summary(expected, duckdb_engine.summarize_files(plain_master / "all.csv", time_unit="W"))
    cut = summarize(cdnow_master, observation_end="1997-09-30", time_unit="M")
    duck = duckdb_engine.summarize_orders(cdnow_master, observation_end="1997-09-30", time_unit="M")
    assert_same_summary(cut, duck)
    assert duck.attrs["orders_after_observation_end"] > 0


def test_duckdb_equals_pandas_and_the_hand_counts_on_the_export_corpus() -> None:
    orders = export_corpus()
    expected = summarize(orders)
    duck = duckdb_engine.summarize_orders(orders)
    assert_same_summary(expected, duck)
    customers, paid_orders, revenue = export_totals()
    assert (len(duck), int(duck["orders"].sum()), round(float(duck["revenue"].sum()), 2)) == (
        customers, paid_orders, revenue)


def test_every_export_file_through_the_cli_gives_the_same_table_with_each_engine(tmp_path: Path) -> None:
    for source in sorted((DATA / "exports").glob("*.*")):
        if source.suffix not in (".csv", ".xlsx"):
            continue
        tables = []
        for engine in ("pandas", "duckdb"):
            out = tmp_path / f"{source.stem}_{engine}.csv"
            result = CliRunner().invoke(main, ["summary", str(source), "-o", str(out), "--engine", engine])
            assert result.exit_code == 0, result.output
            assert f"engine: {engine} (orders cleaned by read_orders)" in result.output
            tables.append(out.read_bytes())
        assert tables[0] == tables[1], source.name


def test_plain_file_rules_match_read_orders(tmp_path: Path) -> None:
    # blank customer, a refund without an order id, an e-mail in capitals, two orders on one day, an order of 0
    plain = pd.DataFrame({
        "customer": ["A@Shop.com", " b ", "", "b", "a@shop.com", "b", "c"],
        "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-05", "2024-01-10",
                                "2024-01-05 18:00", "2024-01-06"], format="ISO8601"),
        "amount": [10.0, 5.0, 99.0, -5.0, 20.0, 7.0, 0.0],
    })
    path = tmp_path / "plain.parquet"
    plain.to_parquet(path, index=False)
    duck = duckdb_engine.summarize_files(path)
    assert_same_summary(summarize(read_orders(path)), duck)
    # by hand: a@shop.com buys 10 then 20 (9 days later); b buys 5, then 7 on 2024-01-05 (the -5 is dropped)
    assert duck.loc["a@shop.com", ["frequency", "recency", "T", "monetary_value"]].tolist() == [1, 9.0, 9.0, 20.0]
    assert duck.loc["b", ["frequency", "orders", "revenue", "monetary_value"]].tolist() == [1, 2, 12.0, 7.0]
    assert duck.loc["c", ["orders", "revenue"]].tolist() == [1, 0.0]


@pytest.mark.parametrize(("zone", "unit"), [("Europe/Paris", "us"), ("Europe/Paris", "ns"), ("America/New_York", "ms"),
                                           ("UTC", "us"), ("+05:30", "ns"), ("-03:00", "s")])
def test_times_with_a_time_zone_are_read_as_local_times(zone: str, unit: str, tmp_path: Path) -> None:
    # DuckDB holds zoned times as instants and showed them in its session's zone (the machine's): days moved, and
    # the summary changed with the machine. Now each order is on its local day, as read_orders reads it.
    path = zoned_plain(tmp_path, zone, unit)
    duck, used, how = engines.summarize_source(path, "duckdb")
    assert (used, how) == ("duckdb", "read by duckdb")
    assert_zoned_by_hand(duck.to_frame())
    assert_zoned_by_hand(summarize(read_orders(path)))
    query = duckdb_engine.files_query(path)
    query.connection.execute("SET TimeZone = 'Asia/Tokyo'")  # another machine's zone changes nothing
    assert_zoned_by_hand(summary_with(query, plain_dialect="duckdb"))


def test_a_csv_with_offsets_goes_through_read_orders_and_mixed_zones_are_refused(tmp_path: Path) -> None:
    # a CSV has an offset per row (+01:00 in winter, +02:00 in summer), which DuckDB's reader makes one instant
    customers, stamps, amounts = zip(*ZONED_ORDERS, strict=True)
    local = pd.to_datetime(list(stamps)).tz_localize("Europe/Paris")
    path = tmp_path / "zoned.csv"
    pd.DataFrame({"customer": customers, "date": [t.isoformat() for t in local], "amount": amounts}).to_csv(
        path, index=False)
    assert "+02:00" in path.read_text()
    summary, _, how = engines.summarize_source(path, "duckdb")
    assert how == "cleaned by read_orders"
    assert_zoned_by_hand(summary.to_frame())
    folder = tmp_path / "mixed"
    folder.mkdir()
    zoned_plain(folder, "Europe/Paris")
    pd.read_parquet(zoned_plain(folder, "UTC")).assign(date=lambda f: f["date"].dt.tz_localize(None)).to_parquet(
        folder / "zoned_1.parquet", index=False)
    with pytest.raises(DataError, match=r"mixed/\*\.parquet: the date column 'date' is in several time zones "
                                        r"across the files \(Europe/Paris, none\)"):
        engines.summarize_source(folder / "*.parquet", "duckdb")
    # DuckDB would widen dates, or naive times under another case of the name, to instants of its session's zone
    for name, values in (("date", pd.to_datetime(["2024-02-01"]).date), ("Date", pd.to_datetime(["2024-02-01"]))):
        pd.DataFrame({"customer": ["c"], name: values, "amount": [1.0]}).to_parquet(folder / "zoned_1.parquet")
        with pytest.raises(DataError, match="several time zones across the files"):
            engines.summarize_source(folder / "*.parquet", "duckdb")


def test_raw_ids_that_clean_to_one_customer_are_merged_by_day(tmp_path: Path) -> None:
    # ids are cleaned per raw id, not per order: " d", "d" and "d " are one customer whose orders of one day are one
    # transaction, merged from their own orders; white space is what Python's strip() removes (tab, no-break space)
    path = colliding_plain(tmp_path)
    duck = duckdb_engine.summarize_files(path)
    assert_colliding_by_hand(duck)
    assert_same_summary(summarize(read_orders(path)), duck)
    cut = duckdb_engine.summarize_files(path, observation_end="2024-01-10")
    assert cut.loc["d", ["frequency", "recency", "monetary_value"]].tolist() == [1, 5.0, 20.0]
    # d 01-20, f 01-12, g 01-15 (2) and 01-18, X 01-20, e 01-25, ilker 01-21 and 01-23, the Greek address 01-22 (2)
    assert cut.attrs["orders_after_observation_end"] == 11
    assert_same_summary(summarize(read_orders(path), observation_end="2024-01-10"), cut)


def test_the_orders_view_cleans_each_order_only_where_the_summary_found_an_id_to_clean(tmp_path: Path,
                                                                                  plain_master: Path) -> None:
    # CDNOW's ids are clean: after the summary, the orders view is the raw view (no id cleaned per order); the
    # colliding file keeps the cleaning view. The figures the views give are held to pandas by the report tests.
    def orders_view(path: Path, **options: object) -> str:
        opened = open_orders(path, "duckdb")
        opened.summary_table(**options)
        return str(opened.query("SELECT sql FROM duckdb_views() WHERE view_name = 'clv_orders'")["sql"].iloc[0])

    assert "regexp" not in orders_view(plain_master / "part0.parquet")
    assert "regexp" in orders_view(plain_master / "part0.parquet", observation_end="1997-09-30")  # not all seen
    assert "regexp" in orders_view(colliding_plain(tmp_path))


def test_thousands_of_merged_customers(tmp_path: Path) -> None:
    # 3,000 customers each under two raw ids ("c1" and " c1 "), one of them on the other's day: the merged ids reach
    # DuckDB as a table, however many
    n = 3_000
    ids = [f"c{i}" for i in range(n)] * 2 + [f" c{i} " for i in range(n)]
    days = ["2024-01-01"] * n + ["2024-02-01"] * n + ["2024-01-01"] * n
    plain = pd.DataFrame({"customer": ids, "date": pd.to_datetime(days), "amount": np.arange(3 * n, dtype=float)})
    path = tmp_path / "merged.parquet"
    plain.to_parquet(path, index=False)
    duck = duckdb_engine.summarize_files(path)
    assert len(duck) == n and (duck["frequency"] == 1).all() and (duck["orders"] == 3).all()  # two days each
    assert_same_summary(summarize(read_orders(path)), duck)


def test_a_date_only_csv_with_dropped_rows_is_counted_as_read_orders_counts(tmp_path: Path) -> None:
    # DuckDB once handed the date cast to its CSV reader, which then read "2024-01-03" with the timestamp format
    path = tmp_path / "plain.csv"
    path.write_text("customer,date,amount\n  ,2024-01-03,10\na,2024-01-03,2\nA@B.co,2024-01-09,2\n"
                    "a@b.co,2024-01-10,-1\nb,2024-01-11,\n", encoding="utf-8")
    reports: list[CleaningReport] = []
    table, used, how = engines.summarize_source(path, "duckdb", on_intake=reports.append)
    assert (used, how) == ("duckdb", "read by duckdb")
    assert_same_summary(summarize(read_orders(path)), table.to_frame())
    expected = cleaning_report(read_orders(path))
    found = reports[0]
    assert (found.missing_customer, found.refunded_orders_dropped, found.missing_amount) == (1, 1, 1)
    assert (found.missing_customer, found.refunded_orders_dropped, found.missing_amount, found.orders) == (
        expected.missing_customer, expected.refunded_orders_dropped, expected.missing_amount, expected.orders)


def test_a_glob_of_plain_parquet_through_the_cli(plain_master: Path, cdnow_master: pd.DataFrame,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "customers.parquet"
    result = CliRunner().invoke(main, ["summary", str(plain_master / "part*.parquet"), "-o", str(out),
                                       "--engine", "duckdb"])
    assert result.exit_code == 0, result.output
    assert "engine: duckdb (orders read by duckdb)" in result.output
    written = pd.read_parquet(out).set_index("customer_id")
    expected = summarize(cdnow_master)
    assert written.index.tolist() == expected.index.tolist()
    np.testing.assert_allclose(written["revenue"], expected["revenue"], rtol=1e-12)
    np.testing.assert_array_equal(written["frequency"], expected["frequency"])


def test_globs_that_need_cleaning_are_refused_in_one_line(tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text((DATA / "exports" / "shopify_orders_export.csv").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    result = CliRunner().invoke(main, ["summary", str(tmp_path / "*.csv"), "-o", str(tmp_path / "c.csv"),
                                       "--engine", "duckdb"])
    assert result.exit_code == 2
    assert "plain orders (customer, date and amount columns;" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "c.csv").exists()


def test_a_glob_of_list_typed_ids_is_refused_not_read_as_text(tmp_path: Path) -> None:
    # a list column's type name starts with an accepted one (VARCHAR[]): it was read as text ids like "[a]"
    for name in ("a.parquet", "b.parquet"):
        pq.write_table(pa.table({"customer_id": pa.array([["a"], ["b"]]), "order_date": pa.array(
            ["2024-01-01", "2024-02-01"]).cast(pa.date32()), "amount": [1.0, 2.0]}), tmp_path / name)
    result = CliRunner().invoke(main, ["summary", str(tmp_path / "*.parquet"), "-o", str(tmp_path / "c.csv"),
                                       "--engine", "duckdb"])
    assert result.exit_code == 2
    assert "customer column 'customer_id' is VARCHAR[] (text or whole numbers needed)" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "c.csv").exists()


def test_auto_takes_duckdb_from_the_size_constant(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = cdnow_sample_plain(tmp_path)
    assert engines.choose_engine("auto", path) == "pandas"
    monkeypatch.setattr(engines, "AUTO_DUCKDB_BYTES", path.stat().st_size)
    assert engines.choose_engine("auto", path) == "duckdb"


def test_xlsx_past_the_sheet_rows_is_refused_before_writing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(content, "MAX_DATA_ROWS", 2)
    source = DATA / "exports" / "woocommerce_orders_export.csv"
    out = tmp_path / "customers.xlsx"
    result = CliRunner().invoke(main, ["summary", str(source), "-o", str(out)])
    assert result.exit_code == 2
    assert "rows do not fit in an Excel sheet (at most 2 below the header)" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []
    result = CliRunner().invoke(main, ["summary", str(source), "-o", str(tmp_path / "customers.parquet")])
    assert result.exit_code == 0, result.output


def test_without_duckdb_the_core_works_and_the_engine_says_how_to_install(tmp_path: Path) -> None:
    source = DATA / "exports" / "shopify_orders_export.csv"
    script = (
        "import sys; sys.modules['duckdb'] = None\n"  # as in xlwings Lite: the import fails
        "from clv_xl import engines\n"
        f"print(engines.choose_engine('auto', '{tmp_path}/*.parquet'))\n"
        "from clv_xl.cli import main\n"
        f"main(['summary', r'{source}', '-o', r'{tmp_path / 'c.csv'}', '--engine', 'duckdb'])\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "pandas"
    assert run.returncode == 2
    assert "the duckdb engine needs DuckDB: pip install 'clv-xl[duckdb]'" in run.stderr
    assert "Traceback" not in run.stderr
