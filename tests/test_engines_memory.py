"""DuckDB's memory limit: a default bound, `--memory-limit` on summary and report, spilling, one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from clv_xl.cli import main
from clv_xl.customers import summarize
from clv_xl.orders import read_orders
from tests.engine_cases import FIGURES

duckdb_engine = pytest.importorskip("clv_xl.engines.duckdb_engine")


@pytest.fixture(scope="module")
def orders_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300k random plain orders of ~60k customers (1MB is too little for them, 40MB is enough)."""
    rng = np.random.default_rng(15)
    n = 300_000
    frame = pd.DataFrame({
        "customer_id": np.char.add("C", rng.integers(0, n // 5, n).astype(str)),
        "order_date": np.datetime64("2023-01-01T00:00") + rng.integers(0, 2 * 365 * 1440, n).astype("timedelta64[m]"),
        "amount": np.round(rng.gamma(2.0, 25.0, n), 2),
    })
    path = tmp_path_factory.mktemp("memory") / "orders.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_the_default_limit_is_set_and_a_given_one_replaces_it() -> None:
    connection = duckdb_engine.connect()
    assert connection.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "2.7 GiB"  # 3GB
    assert connection.execute("SELECT current_setting('temp_directory')").fetchone()[0] == \
        duckdb_engine.spill_directory()
    small = duckdb_engine.connect("500MB")
    assert small.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "476.8 MiB"


def test_a_small_limit_gives_the_same_summary_and_leaves_no_spill_files(orders_file: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # DuckDB's own default would spill into ./.tmp
    limited = duckdb_engine.summarize_files(orders_file, None, "40MB")
    expected = summarize(read_orders(orders_file))
    assert limited is not None and limited.index.tolist() == expected.index.tolist()
    pd.testing.assert_frame_equal(limited[FIGURES], expected[FIGURES], check_exact=False, rtol=1e-12)
    assert list(tmp_path.iterdir()) == []
    assert not Path(duckdb_engine.spill_directory()).exists()  # DuckDB removed its spill files


@pytest.mark.parametrize("command", ["summary", "report"])
def test_too_small_or_unreadable_limits_are_one_line(orders_file: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / ("c.csv" if command == "summary" else "r.xlsx")
    for limit, said in (("1MB", "DuckDB needs more memory than its limit"),
                        ("lots", "memory limit must be a size such as 3GB or 500MB; got 'lots'")):
        result = CliRunner().invoke(main, [command, str(orders_file), "-o", str(out), "--engine", "duckdb",
                                           "--memory-limit", limit])
        assert result.exit_code == 2, result.output
        assert said in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert not out.exists()


def test_the_report_takes_the_limit(orders_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["report", str(orders_file), "-o", str(out), "--engine", "duckdb",
                                       "--memory-limit", "300MB", "--no-forecast", "-q"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
