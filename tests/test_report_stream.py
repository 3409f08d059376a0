"""The streamed data rows (Arrow-built XML, deflated on the other thread) read back as the values given.

The truth is Python's own: text as :func:`clean_text` makes it (the openpyxl cell path), numbers as the same
doubles (``float`` equality; Excel has no negative zero), blanks where a number is missing or infinite.
openpyxl parses the file.
"""

from __future__ import annotations

import io
import math
import sys
import zipfile

import numpy as np
import pytest
from openpyxl import Workbook, load_workbook

from clv_xl.report import cell_xml, stream
from clv_xl.report.cells import MAX_CELL_TEXT, clean_text
from clv_xl.report.stream import StreamColumn, StreamedTable, splice

TEXTS = ["plain", "a&b<c>d", "_x0041_", "bell\x07", "non-char\uffff", "lone \ud800 surrogate", None, "x" * 40_000,
         "  spaces  ", "é€😀", "=1+1", ""]
NUMBERS = [0.0, -0.0, 1.5, 0.1 + 0.2, 2.0**53, 1e-300, 1e300, 45_292.5, float("nan"), float("inf"), -7.0, 1e16]


def _package() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    ws["A1"], ws["B1"], ws["C1"] = "text", "number", "with fallback"
    ws["A2"], ws["B2"], ws["C2"] = "x", 0, 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _streamed(columns: list[StreamColumn]) -> list[list[object]]:
    out = io.BytesIO()
    splice(_package(), [StreamedTable("T", 2, 1, columns)], out)
    ws = load_workbook(out)["T"]
    return [[cell.value for cell in row] for row in ws.iter_rows(min_row=2, max_col=len(columns))]


@pytest.mark.parametrize("chunk_rows", [5, 50_000])
def test_rows_read_back_as_python_writes_them(chunk_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_ROWS", chunk_rows)  # several chunks, and one
    rows = _streamed([StreamColumn("text", TEXTS), StreamColumn("number", NUMBERS),
                      StreamColumn("number", NUMBERS, fallback="n/a & <none>")])
    assert len(rows) == len(TEXTS)
    for (text, number, with_fallback), want_text, want_number in zip(rows, TEXTS, NUMBERS, strict=True):
        assert text == (None if want_text is None else clean_text(want_text))
        if math.isfinite(want_number):
            assert number == want_number and with_fallback == want_number
        else:
            assert number is None and with_fallback == "n/a & <none>"
    assert len(rows[7][0]) == MAX_CELL_TEXT


def test_whole_numbers_and_dates_read_back_exactly() -> None:
    whole = [44_562.0, float("nan"), -3.0, 0.0, 999_999_999_999_999.0, 1e15, float("-inf"), 12.0]
    rows = _streamed([StreamColumn("number", whole)])
    assert [row[0] for row in rows] == [None if not math.isfinite(v) else v for v in whole]


def test_first_cell_of_each_row_carries_its_reference() -> None:
    out = io.BytesIO()
    splice(_package(), [StreamedTable("T", 2, 1, [StreamColumn("number", np.arange(3.0))])], out)
    import zipfile

    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert '<row r="2"><c r="A2"' in xml and '<row r="4"><c r="A4"' in xml
    assert '<dimension ref="A1:A4"/>' in xml


def test_an_error_while_building_rows_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_ROWS", 2)
    ragged = [StreamColumn("number", [1.0, 2.0, 3.0]), StreamColumn("number", [1.0, 2.0])]  # second too short
    with pytest.raises(Exception, match="."):
        splice(_package(), [StreamedTable("T", 2, 1, ragged)], io.BytesIO())


def test_white_space_a_reader_could_trim_is_marked_preserved() -> None:
    import zipfile

    texts = ["plain", "one space", " lead", "trail ", "in  side", "line\nbreak", "tab\there"]
    out = io.BytesIO()
    splice(_package(), [StreamedTable("T", 2, 1, [StreamColumn("text", texts)])], out)
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    preserved = [t for t in texts if f'<t xml:space="preserve">{t}</t>' in xml]
    assert preserved == texts[2:] and "<t>plain</t>" in xml and "<t>one space</t>" in xml


def test_arrow_backed_text_in_several_chunks_reads_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # an engine's customer ids arrive as an Arrow-backed Series of several chunks (the 10M-order DuckDB report
    # stopped on it); the chunk boundaries fall inside the sheet's row chunks and across them
    import pandas as pd
    import pyarrow as pa

    monkeypatch.setattr(stream, "CHUNK_ROWS", 4)
    ids = [f"C{i:03d}" for i in range(10)]
    chunked = pa.chunked_array([ids[:3], ids[3:9], ids[9:]], type=pa.large_string())
    column = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    rows = _streamed([StreamColumn("text", column), StreamColumn("number", [float(i) for i in range(10)])])
    assert rows == [[text, float(i)] for i, text in enumerate(ids)]


def test_isal_and_zlib_deflate_the_same_sheet_that_zipfile_reads_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # the sheet's XML after inflating (zipfile checks each member's CRC-32 too) is the same bytes with either
    # compressor; without isal importable the zlib path is taken
    pytest.importorskip("isal")
    columns = [StreamColumn("text", [f"c{i}" for i in range(3_000)]), StreamColumn("number", np.arange(3_000) / 7)]
    packages = {}
    for isal_present in (True, False):
        if not isal_present:
            monkeypatch.setitem(sys.modules, "isal", None)  # import isal now raises ImportError
        out = io.BytesIO()
        splice(_package(), [StreamedTable("T", 2, 1, columns)], out)
        packages[isal_present] = out.getvalue()
    sheets = {k: zipfile.ZipFile(io.BytesIO(v)).read("xl/worksheets/sheet1.xml")
              for k, v in packages.items()}
    assert sheets[True] == sheets[False] and b"<v>0.14285714285714285</v>" in sheets[True]  # 1 / 7
    assert packages[True] != packages[False]  # a different deflate stream: ISA-L did the work


@pytest.mark.parametrize("odd", [text for text in TEXTS if text and not text.isalnum()]
                         + ["\x1f", "\x0b", "v\x0e", "tab\there", "line\nbreak", "form\x0cfeed", "é", "cr\ronly",
                            "windows\r\nline", "\r"])
def test_one_odd_text_among_plain_ids_reads_back(odd: str) -> None:
    # each text that needs an escape, a U+FFFD or kept white space, alone in a column of plain ids: the byte scans
    # that let plain columns skip the regexes must still send it to them
    texts = [f"C{i:05d}" for i in range(200)]
    texts[137] = odd
    out = io.BytesIO()
    splice(_package(), [StreamedTable("T", 2, 1, [StreamColumn("text", texts)])], out)
    rows = [[cell.value for cell in row] for row in load_workbook(out)["T"].iter_rows(min_row=2, max_col=1)]
    assert [row[0] for row in rows] == [clean_text(t) for t in texts]
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert xml.count('xml:space="preserve"') == (odd != odd.strip(" \t\n\r\x0c") or "  " in odd
                                                  or any(c in odd for c in "\t\n\r"))


def test_repeated_whole_numbers_read_back_exactly() -> None:
    # dates of many orders, counts: few distinct whole numbers, written through a table of the range's texts
    rng = np.random.default_rng(3)
    days = rng.integers(-40, 60, 500).astype(float) + 45_000
    counts = rng.integers(-50, 50, 500).astype(float)
    days[[3, 77]] = counts[[4, 78]] = [float("nan"), float("inf")]
    rows = _streamed([StreamColumn("number", days), StreamColumn("number", counts)])
    assert rows == [[v if math.isfinite(v) else None for v in pair] for pair in zip(days, counts, strict=True)]


@pytest.mark.parametrize("negative_zero", [False, True])
def test_repeated_amounts_read_back_exactly(negative_zero: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # the amounts of many orders: few distinct values, each cast once; the sheet is the same as with one cast each
    monkeypatch.setattr(cell_xml, "_SAMPLE", 100)
    values = [19.99, 5.5, float("nan"), 0.1 + 0.2, float("inf"), 1e300, 2.5e-7, -3.75, 0.0] + [-0.0] * negative_zero
    amounts = np.tile(values, 60)
    rows = _streamed([StreamColumn("number", amounts)])
    assert [row[0] for row in rows] == [v if math.isfinite(v) else None for v in amounts]
    sheets = []
    for sample in (100, 10**9):  # the distinct-value path, and the plain cast of every value
        monkeypatch.setattr(cell_xml, "_SAMPLE", sample)
        out = io.BytesIO()
        splice(_package(), [StreamedTable("T", 2, 1, [StreamColumn("number", amounts)])], out)
        sheets.append(zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml"))
    assert sheets[0] == sheets[1] and (b"<v>-0</v>" in sheets[0]) is negative_zero
