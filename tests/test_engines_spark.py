"""Spark SQL (local mode) gives the same customer summary as pandas, and the published one on CDNOW (issue 15).

One local session for the module and few, small runs: Spark starts in 10-20 s and runs each stage as JVM tasks.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from clv_xl.customers import summarize
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
