"""Spark SQL (local mode) gives the same customer summary as pandas, and the published one on CDNOW (issue 15).

One local session for the module and few, small runs: Spark starts in 10-20 s and runs each stage as JVM tasks.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from clv_xl.customers import summarize
from clv_xl.orders import read_orders
from tests.engine_cases import (
    DATA,
    assert_published_cdnow,
    assert_same_summary,
    cdnow_sample_plain,
    export_corpus,
    export_totals,
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
