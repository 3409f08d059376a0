"""Spark SQL (local mode) gives the same customer summary as pandas, and the published one on CDNOW (issue 15).

One local session for the module and few, small runs: Spark starts in 10-20 s and runs each stage as JVM tasks.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from clv_xl.customers import summarize
from clv_xl.engines.parquet_footers import nanosecond_column
from clv_xl.errors import DataError
from clv_xl.orders import read_orders
from tests.engine_cases import (
    DATA,
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

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # Spark runs in a JVM; CI installs a JRE (and fails on any skip)
    pytest.skip("Spark needs Java: install a JRE (apt-get install default-jre-headless)", allow_module_level=True)
spark_engine = pytest.importorskip("clv_xl.engines.spark_engine")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_engine.session("local[2]")
    yield session
    session.stop()


def test_spark_reading_plain_parquet_gives_the_published_cdnow_summary(spark: Any, tmp_path: Path) -> None:
    summary = spark_engine.summarize_files(cdnow_sample_plain(tmp_path), spark, observation_end="1997-09-30",
                                           time_unit="W")
    assert summary is not None
    assert_published_cdnow(summary)


def test_spark_equals_pandas_on_cdnow_master(spark: Any) -> None:
    orders = read_orders(DATA / "cdnow" / "CDNOW_master.txt")
    assert_same_summary(summarize(orders, time_unit="W"), spark_engine.summarize_orders(orders, spark, time_unit="W"))


def test_spark_equals_pandas_and_the_hand_counts_on_the_export_corpus(spark: Any) -> None:
    orders = export_corpus()
    summary = spark_engine.summarize_orders(orders, spark)
    assert_same_summary(summarize(orders), summary)
    customers, paid_orders, revenue = export_totals()
    assert (len(summary), int(summary["orders"].sum()), round(float(summary["revenue"].sum()), 2)) == (
        customers, paid_orders, revenue)


def test_a_spark_dataframe_with_status_columns_is_refused(spark: Any) -> None:
    frame = spark.createDataFrame(pd.DataFrame({"customer": ["a"], "date": pd.to_datetime(["2024-01-01"]),
                                                "amount": [1.0], "status": ["paid"]}))
    with pytest.raises(Exception, match="need clv-xl's cleaning rules"):
        spark_engine.summarize_dataframe(frame, spark)


def test_spark_gives_the_pandas_cohort_and_churn_tables(spark: Any) -> None:
    from clv_xl.engines.activity import activity_with
    from clv_xl.report.content import activity_tables

    for orders in (read_orders(DATA / "cdnow" / "CDNOW_master.txt"), export_corpus()):
        end_day = int(np.datetime64(orders["order_date"].max(), "D").astype("int64"))
        query = spark_engine.orders_query(orders, spark)
        for window in (None, 3):
            expected, found = activity_tables(orders, window), activity_with(query, end_day, window, "spark")
            assert found.window == expected.window
            pd.testing.assert_frame_equal(found.cohorts, expected.cohorts)
            pd.testing.assert_frame_equal(found.churn, expected.churn)
            pd.testing.assert_frame_equal(found.monthly.sort_index(), expected.monthly.sort_index(),
                                          check_names=False)


def test_spark_hands_back_every_order_of_the_holdout_sample(spark: Any) -> None:
    # ids with a quote and a backslash: Spark's text literals escape both (a doubled quote would join the texts)
    from clv_xl.report.from_engine import holdout_orders

    orders = pd.DataFrame({"customer_id": ["o'k", "back\\slash", "o'k", "plain", "later"],
                           "order_date": pd.to_datetime(["2024-01-02", "2024-01-05", "2024-09-01", "2024-02-01",
                                                         "2024-11-30"]),
                           "amount": [1.0, 2.0, 3.0, 4.0, 5.0]})
    summary = summarize(orders)
    end_day = int(np.datetime64("2024-11-30", "D").astype("int64"))
    sample = holdout_orders(spark_engine.orders_query(orders, spark), summary, end_day, 60)
    assert sample is not None and sample.available == 3  # "later" first bought after the split (2024-10-01)
    found = sample.orders.sort_values(["customer_id", "order_date"]).reset_index(drop=True)
    expected = orders[orders["customer_id"] != "later"].sort_values(["customer_id", "order_date"])
    pd.testing.assert_frame_equal(found, expected.reset_index(drop=True), check_dtype=False)


def test_a_report_by_spark_from_plain_parquet_has_the_pandas_figures(spark: Any, tmp_path: Path) -> None:
    from clv_xl.report.content import build_content
    from clv_xl.report.from_engine import engine_content
    from clv_xl.report.options import ReportOptions

    source = cdnow_sample_plain(tmp_path)
    options = ReportOptions(margin=0.4, cac=20.0)
    expected = build_content(read_orders(source), options, forecast=False)
    found = engine_content(source, "spark", options, spark=spark, forecast=False)
    assert found.orders is None and found.order_count == expected.order_count == 6_919
    pd.testing.assert_frame_equal(found.cohorts, expected.cohorts)
    pd.testing.assert_frame_equal(found.churn, expected.churn)
    assert found.customers["customer_id"].tolist() == expected.customers["customer_id"].tolist()
    for key, value in expected.kpis.items():
        assert found.kpis[key] == (pytest.approx(value, rel=1e-12) if isinstance(value, float) else value), key
    rows = dict(found.cleaning)
    assert (rows["Rows read"], rows["Orders kept"], rows["Customers"]) == (6_919, 6_919, 2_357)


def test_a_report_from_a_spark_dataframe_in_an_existing_session(spark: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from clv_xl.report import build_report

    orders = spark.read.parquet(str(cdnow_sample_plain(tmp_path)))  # a warehouse table stands in
    out = build_report(orders, tmp_path / "report.xlsx", forecast=False)
    wb = load_workbook(out)
    data = {row[1]: row[2] for row in wb["Data"].iter_rows(min_row=4, values_only=True)}
    assert (data["Source"], data["Rows read"], data["Orders kept"], data["Customers"]) == (
        "the Spark DataFrame", 6_919, 6_919, 2_357)  # CDNOW_sample: 6,919 lines, 2,357 customers (published)
    assert wb["Customers"].max_row == 2_357 + 1


def test_spark_merges_raw_ids_that_clean_to_one_customer(spark: Any, tmp_path: Path) -> None:
    # the same SQL as DuckDB: ids cleaned per raw id, the customers they share recomputed from their orders, whose
    # raw ids (a quote, a backslash) go into Spark's text literals
    path = colliding_plain(tmp_path)
    found = spark_engine.summarize_files(path, spark)
    assert_colliding_by_hand(found)
    assert_same_summary(summarize(read_orders(path)), found)
    # a session that reads backslashes in literals as they are: clv-xl's SQL has no literal that depends on it
    spark.conf.set("spark.sql.parser.escapedStringLiterals", "true")
    try:
        assert_colliding_by_hand(spark_engine.summarize_files(path, spark, observation_end="2024-01-25"))
    finally:
        spark.conf.unset("spark.sql.parser.escapedStringLiterals")


def test_spark_leaves_float_ids_to_the_order_reader(spark: Any, tmp_path: Path) -> None:
    # Spark would write 1001.0 as "1001.0" (and 12345678.0 as "1.2345678E7"); read_orders writes "1001"
    from clv_xl.engines import summarize_source

    path = tmp_path / "float_ids.parquet"
    pd.DataFrame({"customer": [1001.0, 1001.0, 12345678.0], "date": pd.to_datetime(["2024-01-01", "2024-01-05",
                  "2024-01-03"]), "amount": [1.0, 2.0, 3.0]}).to_parquet(path, index=False)
    table, used, how = summarize_source(path, "spark", spark=spark)
    assert (used, how) == ("spark", "cleaned by read_orders")
    assert sorted(table.to_frame().index) == ["1001", "12345678"]
    with pytest.raises(DataError, match="customer column 'customer' is double"):
        spark_engine.summarize_dataframe(spark.read.parquet(str(path)), spark)
    with pytest.raises(DataError, match="customer column 'customer' is double"):  # a glob: no reader to fall back on
        summarize_source(str(tmp_path / "float_*.parquet"), "spark", spark=spark)


@pytest.mark.parametrize("zone", ["Europe/Paris", "+05:30"])
def test_spark_reads_times_with_a_time_zone_as_local_times(zone: str, spark: Any, tmp_path: Path) -> None:
    # Spark holds instants and showed them in UTC (the session's zone): orders near midnight moved a day
    summary = spark_engine.summarize_files(zoned_plain(tmp_path, zone), spark)
    assert summary is not None
    assert_zoned_by_hand(summary)
    folder = tmp_path / "folder"  # a folder of files, as Spark reads one
    folder.mkdir()
    zoned_plain(folder, zone)
    in_folder = spark_engine.summarize_files(folder, spark)
    assert in_folder is not None
    assert_zoned_by_hand(in_folder)


def test_nanosecond_times_are_refused_in_one_line_not_a_java_trace(spark: Any, tmp_path: Path) -> None:
    # pandas writes timestamp[ns] by default; Spark cannot read it (PARQUET_TYPE_ILLEGAL, a long Java trace)
    path = tmp_path / "orders.parquet"
    pd.DataFrame({"customer": ["a", "b"], "date": pd.to_datetime(["2024-01-01", "2024-02-01"]).as_unit("ns"),
                  "amount": [1.0, 2.0]}).to_parquet(path, index=False)
    with pytest.raises(DataError, match=r"orders.parquet: Spark cannot read Parquet times in nanoseconds \(column "
                                        r"'date' is timestamp\[ns\].*--engine duckdb"):
        spark_engine.summarize_files(path, spark)
    # files elsewhere (hdfs:, s3a:) are not listed beforehand: Spark's own error is turned into the same line
    with pytest.raises(DataError, match="Spark cannot read Parquet times in nanoseconds \\(timestamp"):
        spark_engine._read_parquet(spark, str(path))
    micro = tmp_path / "micro.parquet"
    pd.read_parquet(path).to_parquet(micro, index=False, coerce_timestamps="us")
    assert spark_engine.summarize_files(micro, spark)["revenue"].tolist() == [1.0, 2.0]


# --- a caller's session in another time zone, INT96 times, globs of differing files, Spark errors in one line ---

#: Orders as instants (UTC) and, counted by hand, their figures on the Paris days (UTC+1 in January): "a" at
#: 22:30Z = 23:30 Paris on 01-01 and 10:00Z = 11:00 on 01-02; "b" at 12:00Z = 13:00 on 01-03 (the end).
#: customer -> (frequency, recency, T, monetary value, revenue, orders), recency and T in days.
_PARIS_INSTANTS = [("a", "2024-01-01 22:30", 1.0), ("a", "2024-01-02 10:00", 2.0), ("b", "2024-01-03 12:00", 3.0)]
_PARIS_BY_HAND = {"a": (1, 1.0, 2.0, 2.0, 3.0, 2), "b": (0, 0.0, 0.0, 0.0, 3.0, 1)}
_FIGURES = ["frequency", "recency", "T", "monetary_value", "revenue", "orders"]


def _by_hand(summary: pd.DataFrame | None, by_hand: Mapping[str, tuple[float, ...]]) -> None:
    assert summary is not None
    assert {customer: tuple(summary.loc[customer, _FIGURES].tolist()) for customer in summary.index} == by_hand


@pytest.fixture()
def paris_session(spark: Any) -> Iterator[Any]:
    """The module's session as a caller's own in Europe/Paris (a runtime setting), back in UTC afterwards."""
    spark.conf.set("spark.sql.session.timeZone", "Europe/Paris")
    try:
        yield spark
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")


def test_a_callers_session_in_paris_reads_zoned_naive_and_date_files_as_pandas(paris_session: Any,
                                                                               tmp_path: Path) -> None:
    # from_utc_timestamp alone assumed a UTC session: in Paris "a" got frequency 0, first order 2024-01-02 00:30
    customers, stamps, amounts = zip(*_PARIS_INSTANTS, strict=True)
    instants = pd.to_datetime(list(stamps)).tz_localize("UTC")
    zoned = tmp_path / "paris.parquet"
    pq.write_table(pa.table({"customer_id": list(customers), "amount": list(amounts),
                             "order_date": pa.array(instants, pa.timestamp("us", tz="Europe/Paris"))}), zoned)
    summary = spark_engine.summarize_files(zoned, paris_session)
    _by_hand(summary, _PARIS_BY_HAND)
    assert summary is not None and summary.loc["a", "first_order"] == pd.Timestamp("2024-01-01 23:30")
    assert_same_summary(summarize(read_orders(zoned)), summary)
    # the same instants as a Spark DataFrame: on the days the session's zone (Paris) shows them
    _by_hand(spark_engine.summarize_dataframe(paris_session.read.parquet(str(zoned)), paris_session), _PARIS_BY_HAND)
    # wall-clock times near midnight and across summer time (zoned_plain: figures counted by hand), dates, naive times
    for zone in ("Europe/Paris", "+05:30"):
        assert_zoned_by_hand(spark_engine.summarize_files(zoned_plain(tmp_path, zone), paris_session))
    naive = tmp_path / "naive.parquet"
    pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [1.0, 2.0, 3.0],
                  "order_date": pd.to_datetime(["2024-01-01 23:30", "2024-01-02 11:00", "2024-01-03 13:00"])}
                 ).to_parquet(naive, index=False, coerce_timestamps="us")
    dates = tmp_path / "dates.parquet"
    pq.write_table(pa.table({"customer_id": ["a", "a", "b"], "amount": [1.0, 2.0, 3.0],
                             "order_date": pa.array([19723, 19724, 19725], pa.date32())}), dates)  # 01-01..01-03
    for path in (naive, dates):
        found = spark_engine.summarize_files(path, paris_session)
        _by_hand(found, _PARIS_BY_HAND)
        assert_same_summary(summarize(read_orders(path)), found)
    assert paris_session.conf.get("spark.sql.session.timeZone") == "Europe/Paris"  # the caller's, untouched


def test_a_callers_session_in_paris_keeps_the_wall_clock_times_of_canonical_orders(paris_session: Any) -> None:
    # handed over as Spark timestamps (instants), 23:30 came back as 00:30 the next day in a Paris session (and
    # 02:30 on 2024-03-31, in Paris' summer-time gap, as 04:30); the month of an order moved with it
    from clv_xl.engines.activity import activity_with
    from clv_xl.report.content import activity_tables

    orders = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [10.0, 5.0, 7.0],
                           "order_date": pd.to_datetime(["2024-01-31 23:30", "2024-03-31 02:30", "2024-02-01 00:15"])})
    summary = spark_engine.summarize_orders(orders, paris_session)
    # by hand: "a" buys on 01-31 and 03-31 (29 + 31 = 60 days later, the end); "b" on 02-01, 59 days before the end
    _by_hand(summary, {"a": (1, 60.0, 60.0, 5.0, 15.0, 2), "b": (0, 0.0, 59.0, 0.0, 7.0, 1)})
    assert summary.loc["a", ["first_order", "last_order"]].tolist() == [pd.Timestamp("2024-01-31 23:30"),
                                                                        pd.Timestamp("2024-03-31 02:30")]
    assert_same_summary(summarize(orders), summary)
    end_day = int(np.datetime64("2024-03-31", "D").astype("int64"))
    found = activity_with(spark_engine.orders_query(orders, paris_session), end_day, 3, "spark")
    expected = activity_tables(orders, 3)
    pd.testing.assert_frame_equal(found.cohorts, expected.cohorts)
    pd.testing.assert_frame_equal(found.monthly.sort_index(), expected.monthly.sort_index(), check_names=False)


#: Orders near midnight as wall-clock times, and their figures counted by hand: "a" on 01-01 (23:30, 1.0) and
#: 01-02 (00:30, 2.0), "b" on 01-03 (3.0, the end). customer -> (frequency, recency, T, monetary, revenue, orders)
_MIDNIGHT = pd.DataFrame({"customer_id": ["a", "a", "b"], "amount": [1.0, 2.0, 3.0],
                          "order_date": pd.to_datetime(["2024-01-01 23:30", "2024-01-02 00:30", "2024-01-03 00:00"])})
_MIDNIGHT_BY_HAND = {"a": (1, 1.0, 2.0, 2.0, 3.0, 2), "b": (0, 0.0, 0.0, 0.0, 3.0, 1)}


def test_int96_times_written_by_pyarrow_or_by_spark_are_read(spark: Any, tmp_path: Path) -> None:
    # pyarrow reports INT96 columns as timestamp[ns]: they were refused as nanosecond times, though Spark reads them
    path = tmp_path / "int96.parquet"
    pq.write_table(pa.Table.from_pandas(_MIDNIGHT, preserve_index=False), path, use_deprecated_int96_timestamps=True)
    assert pq.read_metadata(path).schema.column(2).physical_type == "INT96"
    found = spark_engine.summarize_files(path, spark)
    _by_hand(found, _MIDNIGHT_BY_HAND)
    assert_same_summary(summarize(read_orders(path)), found)
    folder = tmp_path / "by_spark"  # Spark's own default (spark.sql.parquet.outputTimestampType=INT96)
    spark.conf.set("spark.sql.parquet.outputTimestampType", "INT96")
    try:
        spark.sql("SELECT 'a' AS customer_id, TIMESTAMP'2024-01-01 23:30:00' AS order_date, 1.0D AS amount UNION ALL "
                  "SELECT 'a', TIMESTAMP'2024-01-02 00:30:00', 2.0D UNION ALL "
                  "SELECT 'b', TIMESTAMP'2024-01-03 00:00:00', 3.0D").repartition(2).write.parquet(str(folder))
    finally:
        spark.conf.unset("spark.sql.parquet.outputTimestampType")
    written = sorted(folder.glob("*.parquet"))
    assert {pq.read_metadata(p).schema.column(1).physical_type for p in written if pq.read_metadata(p).num_rows} == {
        "INT96"}
    for source in (folder, str(folder / "*.parquet")):
        found = spark_engine.summarize_files(source, spark)
        _by_hand(found, _MIDNIGHT_BY_HAND)
        assert_same_summary(summarize(_MIDNIGHT), found)


def test_nanosecond_files_with_a_status_column_go_through_the_order_reader(spark: Any, tmp_path: Path) -> None:
    # refused as nanosecond times, though read_orders reads them and hands Spark the cleaned orders
    from clv_xl.engines import summarize_source

    path = tmp_path / "status_ns.parquet"
    frame = _MIDNIGHT.assign(status=["paid", "paid", "paid"])
    frame = pd.concat([frame, pd.DataFrame({"customer_id": ["b"], "amount": [50.0], "status": ["refunded"],
                                            "order_date": pd.to_datetime(["2024-01-03 10:00"])})])
    frame.assign(order_date=frame["order_date"].astype("datetime64[ns]")).to_parquet(path, index=False)
    table, used, how = summarize_source(path, "spark", spark=spark)
    assert (used, how) == ("spark", "cleaned by read_orders")
    assert nanosecond_column([path]) == "order_date"
    _by_hand(table.to_frame(), _MIDNIGHT_BY_HAND)  # the refunded order left out
    assert_same_summary(summarize(read_orders(path)), table.to_frame())


def _write(path: Path, columns: dict[str, Any]) -> None:
    pq.write_table(pa.table(columns), path)


@pytest.mark.parametrize("column", ["status", "email"])
def test_a_glob_one_of_whose_files_needs_cleaning_is_refused(column: str, spark: Any, tmp_path: Path) -> None:
    # Spark took one file's columns: the refunded order was counted (revenue 60 for "a") as plain orders
    from clv_xl.engines import summarize_source

    _write(tmp_path / "a.parquet", {"customer_id": ["a", "b"], "order_date": [dt.date(2024, 1, 1), dt.date(2024, 1, 2)],
                                    "amount": [10.0, 20.0]})
    _write(tmp_path / "b.parquet", {"customer_id": ["a"], "order_date": [dt.date(2024, 1, 3)], "amount": [50.0],
                                    column: ["refunded" if column == "status" else "a@x.fr"]})
    with pytest.raises(DataError, match=r"\*\.parquet: an engine reads a glob of files only when they are plain"):
        summarize_source(str(tmp_path / "*.parquet"), "spark", spark=spark)


_DAYS = [dt.date(2024, 1, 1), dt.date(2024, 1, 2)]


@pytest.mark.parametrize(("first", "second", "difference"), [
    ({"customer_id": [7, 8]}, {"customer_id": ["7", "007"]}, "'customer_id' is int64 in a.parquet, string in b"),
    ({"customer_id": pa.array([1, 2], pa.int32())}, {"customer_id": [1, 2]},
     "'customer_id' is int32 in a.parquet, int64 in b"),
    ({"order_date": _DAYS}, {"order_date": [dt.datetime(2024, 1, 3, 10), dt.datetime(2024, 1, 4)]},
     "'order_date' is date32[day] in a.parquet, timestamp[us] in b"),
    ({"amount": [10, 20]}, {"amount": [30.5, 1.0]}, "'amount' is int64 in a.parquet, double in b"),
    ({"amount": pa.array([1.0, 2.0], pa.float32())}, {"amount": [30.5, 1.0]},
     "'amount' is float in a.parquet, double in b"),
])
def test_a_glob_whose_column_types_differ_is_refused_in_one_line(
    first: dict[str, Any], second: dict[str, Any], difference: str, spark: Any, tmp_path: Path,
) -> None:
    # Spark failed reading the second file: a Py4JJavaError and ~500 lines of Java trace
    base = {"customer_id": ["a", "b"], "order_date": _DAYS, "amount": [10.0, 20.0]}
    _write(tmp_path / "a.parquet", {**base, **first})
    _write(tmp_path / "b.parquet", {**base, **second})
    source = str(tmp_path / "*.parquet")
    with pytest.raises(DataError, match=re.escape(f"{source}: the files' columns differ in type (column {difference}")
                       ) as caught:
        spark_engine.summarize_files(source, spark)
    assert "--engine duckdb" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("sql", "line"), [
    ("SELECT nosuch FROM (SELECT 1 AS one)", "[UNRESOLVED_COLUMN"),  # an analysis error
    ("SELECT raise_error('boom') AS failed FROM range(2)", "[USER_RAISED_EXCEPTION] boom"),  # a task's, in the JVM
    ("SELECT TIMESTAMP'9999-12-31 00:00:00' AS far", "out of bounds timestamp"),  # Arrow's, to pandas' nanoseconds
])
def test_an_error_in_a_spark_query_is_one_line(sql: str, line: str, spark: Any) -> None:
    with pytest.raises(DataError, match="Spark could not run the query") as caught:
        spark_engine.spark_query(spark)(sql)
    message = str(caught.value)
    assert line in message and "\n" not in message and "at org.apache" not in message and len(message) < 450


def test_spark_drops_orders_of_0_when_asked_as_read_orders_does(spark: Any, tmp_path: Path) -> None:
    # zero_amounts="drop" reached DuckDB's view of plain files, not Spark's: the intake said dropped, the summary
    # kept "a"'s order of 0 (a second transaction: frequency 1)
    from clv_xl.engines import summarize_source

    path = tmp_path / "zeros.parquet"
    _write(path, {"customer_id": ["a", "a", "b"], "order_date": [dt.date(2024, 1, 1), dt.date(2024, 1, 5),
                                                                 dt.date(2024, 1, 9)], "amount": [10.0, 0.0, 4.0]})
    table, used, how = summarize_source(path, "spark", spark=spark, read_kwargs={"zero_amounts": "drop"})
    assert (used, how) == ("spark", "read by spark")
    # by hand: "a" keeps one order (01-01, 10.0), 8 days before the end (01-09); "b" one on the end day
    _by_hand(table.to_frame(), {"a": (0, 0.0, 8.0, 0.0, 10.0, 1), "b": (0, 0.0, 0.0, 0.0, 4.0, 1)})
    assert_same_summary(summarize(read_orders(path, zero_amounts="drop")), table.to_frame())


def test_a_corrupt_parquet_file_is_one_line_before_spark_starts(tmp_path: Path) -> None:
    # its footer is read by pyarrow first (nanosecond times, column types): a traceback before
    path = tmp_path / "corrupt.parquet"
    path.write_bytes(b"PAR1garbagegarbagePAR1")
    with pytest.raises(DataError, match=r"^corrupt.parquet is not a Parquet file pyarrow can read \(.*\); check"):
        spark_engine.plain_files(str(path), None)
