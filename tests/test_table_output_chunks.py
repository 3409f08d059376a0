"""A table written in chunks (``FrameChunks``, e.g. ``CustomerSummary.frames``) gives the same file as written whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from clv_xl.customers import summary_table
from clv_xl.orders import read_orders
from clv_xl.table_output import write_table


class InPieces:
    """A frame handed over ``rows`` rows at a time."""

    def __init__(self, frame: pd.DataFrame, rows: int) -> None:
        self.frame, self.rows = frame, rows

    def __len__(self) -> int:
        return len(self.frame)

    def frames(self) -> Iterator[pd.DataFrame]:
        for start in range(0, len(self.frame), self.rows):
            yield self.frame.iloc[start:start + self.rows]


def table() -> pd.DataFrame:
    # ids that Excel would read as formulas, a decimal to show in French, a time of day only in the last chunk
    return pd.DataFrame({
        "revenue": [40.5, 2.0, 7.25, 1.0, 3.0],
        "first_order": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05 10:30"],
                                      format="ISO8601"),
        "segment": pd.array(["High", "Mid", "Low", "Low", "Low"], dtype="str"),
    }, index=pd.Index(["=1+1", "a", "-2", "@b", "c"], name="customer_id"))


@pytest.mark.parametrize("name, style", [("c.csv", ","), ("f.csv", ";"), ("c.parquet", ",")])
def test_chunks_write_the_same_bytes_as_the_whole_table(tmp_path: Path, name: str, style: str) -> None:
    (tmp_path / "whole").mkdir()
    whole = write_table(table(), tmp_path / "whole" / name, csv_style=style)
    pieces = write_table(InPieces(table(), 2), tmp_path / name, csv_style=style)
    if name.endswith(".parquet"):  # a row group per chunk: the same schema (with pandas' metadata) and values
        assert pq.read_table(pieces).equals(pq.read_table(whole), check_metadata=True)
        return
    assert pieces.read_bytes() == whole.read_bytes()
    if name.endswith(".csv"):
        text = pieces.read_text(encoding="utf-8-sig")
        assert text.count("customer_id") == 1 and "\ufeff" not in text  # one header, one byte-order mark
        assert "'=1+1" in text and "2024-01-01 00:00:00" in text  # safe text; one date format for every chunk


def test_a_summary_in_chunks_equals_the_summary_frame(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    orders = read_orders(pd.DataFrame({
        "customer": rng.integers(0, 40, 300).astype(str),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, 300), "D"),
        "amount": np.round(rng.gamma(2.0, 20.0, 300), 2),
    }))
    summary = summary_table(orders, time_unit="W")
    pieces = pd.concat(list(summary.frames(rows=7)))
    pd.testing.assert_frame_equal(pieces, summary.to_frame())
    assert len(list(summary.frames(rows=7))) == -(-len(summary) // 7)
    written = pq.read_table(write_table(summary, tmp_path / "s.parquet")).to_pandas().set_index("customer_id")
    pd.testing.assert_frame_equal(written, summary.to_frame(), check_dtype=False)


@pytest.mark.parametrize("last_time, expected", [("00:00", "2024-01-09,2024-01-09"),
                                                 ("10:30", "2024-01-09 10:30:00,2024-01-09 10:30:00")])
def test_a_summary_written_to_csv_keeps_its_times_of_day(tmp_path: Path, last_time: str, expected: str) -> None:
    # b's only order is at 10:30 in the second case: then every stamp of the file is written with its time (the
    # others at 00:00:00), as pandas writes a column that has one; with midnights only, dates alone
    orders = read_orders(pd.DataFrame({"customer": ["a", "a", "b"],
                                       "date": ["2024-01-02", "2024-01-05", f"2024-01-09 {last_time}"],
                                       "amount": [10.0, 20.0, 5.0]}))
    text = write_table(summary_table(orders), tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert f",{expected}," in text.splitlines()[2]
    assert ("2024-01-02 00:00:00" in text) == (last_time != "00:00")
