"""Generators of hostile order files (issue 9): written on demand into a folder, never committed as binaries.

Every function takes a folder and returns the path it wrote. The XLSX files are assembled part by part with
:mod:`zipfile`, so a test controls every byte a reader sees (a DOCTYPE, a sheet of 11 million rows, a part that
expands a thousandfold) without any spreadsheet library writing them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

__all__ = [
    "xlsx", "sheet_xml", "shared_strings_xml", "ORDERS",
    "single_line_csv", "long_row_csv", "long_field_csv", "csv_with", "wide_csv", "wide_parquet",
    "valid_xlsx", "truncated_xlsx", "damaged_part_xlsx", "declared_dimension_xlsx", "wide_header_xlsx",
    "xlsx_with_dates", "xlsx_with_amounts", "xxe_xlsx",
    "billion_laughs_xlsx", "xlsx_named_csv", "rows_bomb_xlsx", "too_many_rows_xlsx", "padding_bomb_xlsx",
    "shared_strings_bomb_xlsx",
    "parquet_with_dates", "parquet_with_amounts", "nested_parquet", "long_parquet", "truncated_parquet",
]

#: Three orders of two customers: revenue 10 + 20.5 + 7 = 37.5 (counted by hand).
ORDERS = [("c1", "2024-01-02", 10.0), ("c2", "2024-01-03", 20.5), ("c1", "2024-02-01", 7.0)]

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# cellXfs: style 0 is General, style 1 is the built-in date format 14 (m/d/yyyy)
_STYLES = (
    _XML_DECL
    + f'<styleSheet xmlns="{_MAIN_NS}"><fonts count="1"><font/></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    f'<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    f'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'.encode()
)


def _content_types(shared_strings: bool) -> bytes:
    override = (
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/>'
    )
    if shared_strings:
        override += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    return _XML_DECL + (
        f'<Types xmlns="{_CT_NS}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>{override}</Types>'
    ).encode()


def _workbook_rels(shared_strings: bool) -> bytes:
    rels = (
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    )
    if shared_strings:
        rels += f'<Relationship Id="rId3" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    return _XML_DECL + f'<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>'.encode()


def _cell(ref: str, value: object) -> str:
    if isinstance(value, tuple):  # (kind, text): ("s", "0") shared string, ("d", "45292") date, ("n", "1e309")
        kind, text = value
        attribute = {"s": ' t="s"', "d": ' s="1"', "n": ""}[kind]
        return f'<c r="{ref}"{attribute}><v>{text}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: Iterable[Iterable[object]], *, prolog: bytes = b"") -> bytes:
    """A worksheet part: strings become inline strings, numbers numbers, ``("d", "45292")`` a date-styled cell."""
    body = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{chr(65 + i)}{number}", value) for i, value in enumerate(row))
        body.append(f'<row r="{number}">{cells}</row>')
    xml = f'<worksheet xmlns="{_MAIN_NS}"><sheetData>{"".join(body)}</sheetData></worksheet>'
    return _XML_DECL + prolog + xml.encode()


def shared_strings_xml(strings: Iterable[str], *, prolog: bytes = b"") -> bytes:
    """A shared-strings part holding ``strings`` (text is written as is: entity references stay references)."""
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    return _XML_DECL + prolog + f'<sst xmlns="{_MAIN_NS}">{items}</sst>'.encode()


def xlsx(
    path: Path,
    sheet: bytes | Iterator[bytes],
    *,
    shared_strings: bytes | Iterator[bytes] | None = None,
    workbook_prolog: bytes = b"",
    styles: bytes = _STYLES,
    compresslevel: int = 9,
) -> Path:
    """Write a one-sheet workbook; ``sheet`` and ``shared_strings`` may be chunk iterators (streamed, deflated)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as book:
        book.writestr("[Content_Types].xml", _content_types(shared_strings is not None))
        book.writestr(
            "_rels/.rels",
            _XML_DECL + f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" Type="{_REL_NS}/'
            f'officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        )
        book.writestr(
            "xl/workbook.xml",
            _XML_DECL + workbook_prolog + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
            f'<sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        )
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(shared_strings is not None))
        book.writestr("xl/styles.xml", styles)
        for name, part in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared_strings)):
            if part is None:
                continue
            if isinstance(part, bytes):
                book.writestr(name, part)
            else:
                with book.open(name, "w") as out:
                    for chunk in part:
                        out.write(chunk)
    return path


# --------------------------------------------------------------------------------------------------- text


def single_line_csv(folder: Path, size: int = 5_000_000) -> Path:
    """A 5 MB file that is one line: a header followed by one endless field, no line break anywhere."""
    path = folder / "single_line.csv"
    path.write_bytes(b"customer,date,amount," + b"x" * size)
    return path


def long_row_csv(folder: Path, size: int = 5_000_000) -> Path:
    """A header, then one order whose customer id is 5 MB long."""
    path = folder / "long_row.csv"
    path.write_bytes(b"customer,date,amount\n" + b"x" * size + b",2024-01-02,10\n")
    return path


def long_field_csv(folder: Path, size: int = 5_000_000) -> Path:
    """Two orders, then a third whose customer id is 5 MB long (far beyond the window read to sniff the file)."""
    path = folder / "long_field.csv"
    head = b"customer,date,amount\nc1,2024-01-02,10\nc2,2024-01-03,20.5\n"
    path.write_bytes(head + b"x" * size + b",2024-02-01,7\n")
    return path


def csv_with(folder: Path, name: str, column: str, values: list[str]) -> Path:
    """The three :data:`ORDERS` with ``column`` (``date`` or ``amount``) replaced by ``values``."""
    path = folder / name
    lines = ["customer,date,amount"]
    for (customer, date, amount), value in zip(ORDERS, values, strict=True):
        row = {"customer": customer, "date": date, "amount": str(amount), column: value}
        lines.append(f"{row['customer']},{row['date']},{row['amount']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wide_csv(folder: Path, columns: int = 20_000, *, with_orders: bool = False) -> Path:
    """A file of ``columns`` columns named ``f1`` ... (or customer, date, amount and then ``f4`` ...)."""
    names = [f"f{i + 1}" for i in range(columns)]
    if with_orders:
        names[:3] = ["customer", "date", "amount"]
    path = folder / ("wide_orders.csv" if with_orders else "wide.csv")
    row = ["c1", "2024-01-02", "10"] + ["0"] * (columns - 3)
    path.write_text(",".join(names) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def wide_parquet(folder: Path, columns: int = 20_000) -> Path:
    """A Parquet file of ``columns`` float columns ``f1`` ..., none of them an order column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "wide.parquet"
    pq.write_table(pa.table({f"f{i + 1}": [1.0] for i in range(columns)}), path)
    return path


# --------------------------------------------------------------------------------------------------- xlsx


def _orders_sheet() -> bytes:
    serials = {"2024-01-02": "45293", "2024-01-03": "45294", "2024-02-01": "45323"}
    return sheet_xml([("customer", "date", "amount")] + [(c, ("d", serials[d]), a) for c, d, a in ORDERS])


def valid_xlsx(path: Path) -> Path:
    """The three :data:`ORDERS` as a workbook (dates as date-styled Excel serials, counted from 1899-12-30)."""
    return xlsx(path, _orders_sheet())


def truncated_xlsx(folder: Path) -> Path:
    """A valid workbook cut after 60 % of its bytes (a download that stopped)."""
    whole = valid_xlsx(folder / "whole.xlsx").read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) * 6 // 10])
    (folder / "whole.xlsx").unlink()
    return path


def _orders_rows(rows: int) -> list[tuple[object, ...]]:
    """A header and ``rows`` orders of 1.0, customers c0..c9, all on 2024-01-02."""
    return [("customer", "date", "amount")] + [(f"c{n % 10}", "2024-01-02", 1.0) for n in range(rows)]


def declared_dimension_xlsx(folder: Path, ref: str, rows: int) -> Path:
    """``rows`` orders in a sheet whose ``<dimension ref=...>`` is wrong (``A1:XFD1048576``, or ``A1:C2``)."""
    sheet = sheet_xml(_orders_rows(rows)).replace(b"<sheetData>", f'<dimension ref="{ref}"/><sheetData>'.encode())
    return xlsx(folder / f"dimension_{ref.replace(':', '_')}.xlsx", sheet)


def wide_header_xlsx(folder: Path, rows: int = 2_000) -> Path:
    """``rows`` orders under a header with one more label in column XFD, the last of a sheet (16,384 wide)."""
    sheet = sheet_xml(_orders_rows(rows))
    first_row_end = sheet.index(b"</row>")
    note = b'<c r="XFD1" t="inlineStr"><is><t>note</t></is></c>'
    return xlsx(folder / "wide_header.xlsx", sheet[:first_row_end] + note + sheet[first_row_end:])


def damaged_part_xlsx(folder: Path) -> Path:
    """The valid workbook with a styles part that is well-formed XML but not a style sheet openpyxl accepts."""
    styles = _STYLES.replace(b'<fill><patternFill patternType="none"/></fill>', b"<fill/>")
    return xlsx(folder / "damaged_styles.xlsx", _orders_sheet(), styles=styles)


def xlsx_with_dates(folder: Path, name: str, serials: list[str]) -> Path:
    """The :data:`ORDERS` with date-styled cells holding ``serials`` (``"2958465"`` is 9999-12-31, ``"-5"``...)."""
    rows = [("customer", "date", "amount")] + [(c, ("d", s), a) for (c, _d, a), s in zip(ORDERS, serials, strict=True)]
    return xlsx(folder / name, sheet_xml(rows))


def xlsx_with_amounts(folder: Path, name: str, amounts: list[str]) -> Path:
    """The :data:`ORDERS` with the amount cells' ``<v>`` text replaced by ``amounts`` (``1e309`` is infinite)."""
    rows = [("customer", "date", "amount")] + [(c, d, ("n", a)) for (c, d, _a), a in zip(ORDERS, amounts, strict=True)]
    return xlsx(folder / name, sheet_xml(rows))


_XXE = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def xxe_xlsx(folder: Path, part: str) -> Path:
    """A workbook whose ``part`` (``sheet``, ``sharedStrings``, ``workbook``; ``utf16``: the sheet in UTF-16)
    declares an external entity."""
    path = folder / f"xxe_{part}.xlsx"
    if part == "sheet":
        return xlsx(path, sheet_xml([("customer", "date", "amount"), ("&xxe;", "2024-01-02", 1)], prolog=_XXE))
    if part == "sharedStrings":
        return xlsx(
            path,
            sheet_xml([("customer", "date", "amount"), (("s", "0"), "2024-01-02", 1)]),
            shared_strings=shared_strings_xml(["&xxe;"], prolog=_XXE),
        )
    if part == "utf16":  # the sheet in UTF-16, where a byte scan for "<!DOCTYPE" finds nothing
        xml = sheet_xml([("customer", "date", "amount"), ("&xxe;", "2024-01-02", 1)], prolog=_XXE)
        return xlsx(path, xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    return xlsx(path, sheet_xml([("customer", "date", "amount"), ("c1", "2024-01-02", 1)]), workbook_prolog=_XXE)


def billion_laughs_xlsx(folder: Path) -> Path:
    """A workbook whose shared strings define the nine nested "lol" entities (10^9 copies when expanded)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    prolog = ("<!DOCTYPE sst [" + "".join(entities) + "]>\n").encode()
    return xlsx(
        folder / "billion_laughs.xlsx",
        sheet_xml([("customer", "date", "amount"), (("s", "0"), "2024-01-02", 1)]),
        shared_strings=shared_strings_xml(["&lol9;"], prolog=prolog),
    )


def xlsx_named_csv(folder: Path) -> Path:
    """The valid workbook of :data:`ORDERS`, saved as ``orders.csv``."""
    return valid_xlsx(folder / "orders.csv")


def _rows(rows: int, *, numbered: bool) -> Iterator[bytes]:
    """A sheet of a header and ``rows`` orders, 100,000 rows a chunk; ``numbered`` writes each row's ``r``."""
    yield _XML_DECL + f'<worksheet xmlns="{_MAIN_NS}"><sheetData>'.encode()
    yield sheet_xml([("customer", "date", "amount")]).split(b"<sheetData>")[1].split(b"</sheetData>")[0]
    block = 100_000
    plain = b"<row><c><v>1</v></c><c><v>45293</v></c><c><v>1</v></c></row>" * block
    for start in range(2, rows + 2, block):
        stop = min(start + block, rows + 2)
        if not numbered:
            yield plain[: (stop - start) * (len(plain) // block)]
            continue
        yield "".join(
            f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="B{n}"><v>45293</v></c><c r="C{n}"><v>1</v></c></row>'
            for n in range(start, stop)
        ).encode()
    yield b"</sheetData></worksheet>"


def rows_bomb_xlsx(folder: Path, rows: int = 11_000_000) -> Path:
    """A ~1 MB workbook whose sheet holds ``rows`` identical orders (rows without numbers compress 1000-fold)."""
    return xlsx(folder / "rows_bomb.xlsx", _rows(rows, numbered=False))


def too_many_rows_xlsx(folder: Path, rows: int = 1_048_576) -> Path:
    """A workbook of ``rows`` numbered orders below its header: one row more than an Excel sheet holds.

    Its sheet compresses like a real one (about 10-fold), so only counting its rows tells it apart.
    """
    return xlsx(folder / "too_many_rows.xlsx", _rows(rows, numbered=True), compresslevel=1)


def _padding(size: int, head: bytes, tail: bytes, filler: bytes = b" ") -> Iterator[bytes]:
    yield head
    chunk = filler * (1 << 20)
    for _ in range(size >> 20):
        yield chunk
    yield tail


def padding_bomb_xlsx(folder: Path, size: int = 1 << 30) -> Path:
    """A ~1 MB workbook whose sheet is 1 GiB of white space around three orders."""
    whole = sheet_xml([("customer", "date", "amount"), ("c1", "2024-01-02", 1)])
    cut = whole.index(b"<sheetData>")
    return xlsx(folder / "padding_bomb.xlsx", _padding(size, whole[:cut], whole[cut:]))


def shared_strings_bomb_xlsx(folder: Path, size: int = 1 << 30) -> Path:
    """A ~1 MB workbook whose shared strings are 1 GiB: one string of ``a`` repeated."""
    head = _XML_DECL + f'<sst xmlns="{_MAIN_NS}"><si><t>'.encode()
    return xlsx(
        folder / "shared_strings_bomb.xlsx",
        sheet_xml([("customer", "date", "amount"), (("s", "0"), "2024-01-02", 1)]),
        shared_strings=_padding(size, head, b"</t></si></sst>", b"a"),
    )


# --------------------------------------------------------------------------------------------------- parquet


def parquet_with_dates(folder: Path, name: str, dates: list[datetime]) -> Path:
    """The :data:`ORDERS` with a ``timestamp[us]`` date column holding ``dates`` (year 9999, year 1...)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / name
    table = pa.table({
        "customer": [c for c, _d, _a in ORDERS],
        "date": pa.array(dates, type=pa.timestamp("us")),
        "amount": [a for _c, _d, a in ORDERS],
    })
    pq.write_table(table, path)
    return path


def parquet_with_amounts(folder: Path, name: str, amounts: list[float]) -> Path:
    """The :data:`ORDERS` with float amounts ``amounts`` (``inf``...)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / name
    pq.write_table(pa.table({
        "customer": [c for c, _d, _a in ORDERS], "date": [d for _c, d, _a in ORDERS], "amount": amounts,
    }), path)
    return path


def long_parquet(folder: Path, rows: int = 10_000_001) -> Path:
    """A small Parquet file of ``rows`` identical orders (dictionary and run-length encoding: a few hundred kB)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "long.parquet"
    block = 1_000_000
    chunk = pa.table({"customer": pa.array(["c1"] * block).dictionary_encode(),
                      "date": pa.array(["2024-01-02"] * block).dictionary_encode(), "amount": [1.0] * block})
    with pq.ParquetWriter(path, chunk.schema) as writer:
        for start in range(0, rows, block):
            writer.write_table(chunk.slice(0, min(block, rows - start)))
    return path


def truncated_parquet(folder: Path) -> Path:
    """A valid Parquet file of the :data:`ORDERS` cut after 60 % of its bytes."""
    whole = parquet_with_amounts(folder, "whole.parquet", [a for _c, _d, a in ORDERS])
    path = folder / "truncated.parquet"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    whole.unlink()
    return path


def nested_parquet(folder: Path, kind: str) -> Path:
    """The :data:`ORDERS` with amounts stored as ``list<double>`` (``kind="list"``) or a struct (``"struct"``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    amounts = [a for _c, _d, a in ORDERS]
    if kind == "list":
        column = pa.array([[a] for a in amounts], type=pa.list_(pa.float64()))
    else:
        column = pa.array([{"value": a, "currency": "EUR"} for a in amounts])
    path = folder / f"nested_{kind}.parquet"
    pq.write_table(pa.table({
        "customer": [c for c, _d, _a in ORDERS], "date": [d for _c, d, _a in ORDERS], "amount": column,
    }), path)
    return path
