"""Open a workbook and read its order table (the "open" stage, for XLSX), inspecting the package first.

:func:`read_excel` finds the order table: the first sheet whose header is recognised, title rows skipped.
Before openpyxl parses anything, :func:`check_xlsx_package` inspects the package. An XLSX file is a zip of XML
parts. A hostile one can be a few MB that expand to gigabytes (a "zip bomb"), hold a sheet of more rows than
Excel allows, or declare XML entities (a DOCTYPE) that make a parser read local files (XXE) or expand a few bytes
into gigabytes (billion laughs). Excel never writes a DOCTYPE, so any part that declares one is refused; the
others are refused when they would exceed the bounds of :data:`clv_xl.orders.limits.LIMITS`. Every part is
streamed once through the decompressor, a megabyte at a time, so the check itself runs in bounded memory;
zipfile never returns more than a part's declared size (the CRC check fails on any part that claims less than
it holds).
"""

from __future__ import annotations

import codecs
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from clv_xl.errors import ClvXlError, DataError, InvalidArgumentError
from clv_xl.orders.limits import LIMITS, Limits, size_text
from clv_xl.orders.open_file import RawTable, unique_labels

__all__ = ["read_excel", "check_xlsx_package", "open_workbook", "bounded_rows"]

_CHUNK = 1 << 20
#: Byte strings counted in every part: rows (``<row`` or a prefixed ``<x:row``) and shared strings.
_ROW_TOKENS = (b"<row", b":row")
_STRING_TOKENS = (b"<si>", b"<si ", b":si>", b":si ")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ASCII_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252"}
#: How XML in UTF-16 or UTF-32 begins (a byte-order mark, or "<" in wide characters), longest first.
_WIDE_STARTS = (
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)


def check_xlsx_package(path: Path, limits: Limits = LIMITS) -> None:
    """Refuse a damaged or hostile XLSX package; return quietly when every part stays within ``limits``.

    Parameters
    ----------
    path : pathlib.Path
        The workbook (whatever its extension).
    limits : Limits
        The bounds.

    Raises
    ------
    DataError
        One line naming the file and the part: damaged or truncated, too many parts, a part that expands too
        much or too far, a sheet of more rows than Excel holds, too many shared strings, a DOCTYPE or entity
        declaration, an XML encoding Excel does not write.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with zipfile.ZipFile(folder / "x.xlsx", "w") as z:
    ...     z.writestr("xl/workbook.xml", '<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook/>')
    >>> try:
    ...     check_xlsx_package(folder / "x.xlsx")
    ... except DataError as exc:
    ...     print(exc)
    x.xlsx: part xl/workbook.xml declares a DOCTYPE (XML entities),
    which Excel never writes; refused
    """
    name = path.name
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            _check_declared_sizes(name, members, limits)
            for member in members:
                _scan_part(name, package, member, limits)
    except DataError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        raise DataError(
            f"{name} is damaged or truncated (not a complete XLSX package: {reason}); save or download it again"
        ) from None


def _check_declared_sizes(name: str, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Sizes as the zip directory declares them (zipfile never returns more than that for a part)."""
    if len(members) > limits.max_zip_members:
        raise DataError(f"{name} holds {len(members):,} parts; a workbook has far fewer than "
                        f"{limits.max_zip_members:,}; refused")
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(member.compress_size, 1):
            raise DataError(
                f"{name}: part {member.filename[:60]} expands {size / max(member.compress_size, 1):,.0f} times "
                f"({size_text(member.compress_size)} to {size_text(size)}), more than the "
                f"{limits.max_ratio:,.0f} times a workbook allows; refused (a zip bomb?)"
            )
        if size > limits.max_part_bytes:
            raise DataError(
                f"{name}: part {member.filename[:60]} expands to {size_text(size)}, more than the "
                f"{size_text(limits.max_part_bytes)} a workbook part may take; refused"
            )
    if total > limits.max_total_bytes:
        raise DataError(f"{name} expands to {size_text(total)} in all, more than "
                        f"{size_text(limits.max_total_bytes)}; refused")


def _count(chunk: bytes, previous: bytes, tokens: tuple[bytes, ...]) -> int:
    """Occurrences of ``tokens`` in ``chunk``, plus those straddling the end of ``previous`` and its start."""
    found = 0
    for token in tokens:
        edge = len(token) - 1
        found += chunk.count(token) + (previous[-edge:] + chunk[:edge]).count(token)
    return found


def _scan_part(name: str, package: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Stream one part: refuse declarations and foreign encodings; count rows and shared strings."""
    part = member.filename[:60]
    rows = strings = expanded = 0
    previous = b""
    decoder = None
    with package.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            expanded += len(chunk)
            if not previous:
                decoder = _wide_decoder(name, part, chunk)
            if decoder is not None:  # scanned as UTF-8, so that "<!DOCTYPE" in wide characters is seen too
                chunk = decoder.decode(chunk).encode("utf-8")
            if _count(chunk, previous, _DECLARATIONS):
                raise DataError(
                    f"{name}: part {part} declares a DOCTYPE (XML entities), which Excel never writes; refused"
                )
            rows += _count(chunk, previous, _ROW_TOKENS)
            strings += _count(chunk, previous, _STRING_TOKENS)
            if rows > limits.max_rows:
                raise DataError(f"{name}: sheet part {part} has more than {limits.max_rows:,} rows, "
                                "the most an Excel sheet holds; refused")
            if strings > limits.max_shared_strings or (
                strings and expanded > limits.max_shared_strings_bytes
            ):
                raise DataError(
                    f"{name}: part {part} holds more than {limits.max_shared_strings:,} shared strings or "
                    f"{size_text(limits.max_shared_strings_bytes)} of them; refused"
                )
            previous = chunk


def _wide_decoder(name: str, part: str, head: bytes) -> codecs.IncrementalDecoder | None:
    """A decoder for a part in UTF-16 or UTF-32; None for UTF-8 and ASCII-compatible encodings (scanned as bytes).

    Any other declared encoding (UTF-7, EBCDIC...) could hide a DOCTYPE from a byte scan and is refused.

    Examples
    --------
    >>> head = "<?xml version='1.0' encoding='UTF-16'?><a/>".encode("utf-16")
    >>> _wide_decoder("x.xlsx", "p", head).decode(head)
    "<?xml version='1.0' encoding='UTF-16'?><a/>"
    >>> _wide_decoder("x.xlsx", "p", b'<?xml version="1.0" encoding="UTF-8"?><a/>') is None
    True
    """
    for start, codec in _WIDE_STARTS:
        if head.startswith(start):
            return codecs.getincrementaldecoder(codec)(errors="replace")
    declared = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf")[:200])
    if declared and declared.group(1).decode().lower() not in _ASCII_ENCODINGS:
        raise DataError(
            f"{name}: part {part} is XML in {declared.group(1).decode()[:20]}, an encoding Excel never writes; refused"
        )
    return None


@contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """Check the package, then open it with openpyxl (read-only, cached values); any failure is one DataError.

    The file is passed to openpyxl as an open file, so its extension does not matter (an XLSX saved as
    ``.csv`` is read). openpyxl raises many kinds of errors on a damaged part (``TypeError``, ``KeyError``,
    ``ParseError``...) and warns about odd ones: inside this block every error but a :class:`ClvXlError` becomes
    a :class:`DataError` naming the file, and warnings stay silent (they would be a second line on stderr).
    """
    check_xlsx_package(path)
    from openpyxl import load_workbook

    with path.open("rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
            try:
                yield book
            finally:
                book.close()
        except ClvXlError:
            raise
        except Exception as exc:  # noqa: BLE001 -- whatever a damaged part makes openpyxl raise
            reason = (str(exc).splitlines() or [type(exc).__name__])[0][:100]
            raise DataError(f"{path.name} is damaged: it cannot be read as an Excel workbook ({reason})") from None


def bounded_rows(rows: Iterable[tuple], name: str, *, width: int, limits: Limits = LIMITS) -> list[tuple]:
    """The rows of a sheet cut to ``width`` cells; more rows than Excel holds, or cells than allowed, are refused.

    The package check counts the rows first; ``limits.max_cells`` bounds the memory the rows take here.

    Examples
    --------
    >>> bounded_rows(iter([(1, 2, 3), (4,)]), "x.xlsx", width=2)
    [(1, 2), (4,)]
    >>> bounded_rows(iter([(1,)] * 3), "x.xlsx", width=1, limits=Limits(max_rows=2))
    Traceback (most recent call last):
    ...
    clv_xl.errors.DataError: x.xlsx has more than 2 rows, the most an Excel sheet holds; refused
    """
    most = min(limits.max_rows, limits.max_cells // max(width, 1))
    taken: list[tuple] = []
    for row in rows:
        if len(taken) == most:
            if most == limits.max_rows:
                raise DataError(f"{name} has more than {most:,} rows, the most an Excel sheet holds; refused")
            raise DataError(
                f"{name}: its order table of {width:,} columns has more than {most:,} rows, over the "
                f"{limits.max_cells:,} cells clv-xl reads from a workbook; keep only the order columns or export CSV"
            )
        taken.append(row[:width])
    return taken


def read_excel(
    path: Path, *, sheet: str | int | None, accept: Callable[[list[Hashable]], bool]
) -> RawTable:
    """Read the order table of a workbook: the chosen sheet, or the first sheet whose header ``accept`` takes.

    The header is the first of a sheet's first 20 rows with at least two filled cells that ``accept`` takes,
    so title rows above a table are skipped. The package is checked before it is parsed
    (:func:`~clv_xl.orders.xlsx_package.open_workbook`).
    """
    with open_workbook(path) as book:
        names = book.sheetnames
        if sheet is not None:
            if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
                chosen = [names[sheet]]
            elif str(sheet) in names:
                chosen = [str(sheet)]
            else:
                raise InvalidArgumentError(
                    "sheet", f"sheet={sheet!r} is not in {path.name}; its sheets are {names}; pass one of those"
                )
        else:
            chosen = names
        seen: list[str] = []
        for name in chosen:
            worksheet = book[name]
            worksheet.reset_dimensions()  # a declared <dimension> may be wrong: it must neither cut nor pad rows
            rows = worksheet.iter_rows(values_only=True)
            head = []
            for row in rows:
                head.append(row)
                if len(head) == 20:
                    break
            for offset, row in enumerate(head):
                header = [c for c in row if c is not None and str(c).strip()]
                if len(header) < 2:
                    continue
                columns = _excel_columns(_without_trailing_blanks(row))
                if sheet is not None or accept(columns):
                    body = head[offset + 1:] + bounded_rows(rows, path.name, width=len(columns))
                    return _excel_table(path, name, offset, columns, body)
                break
            seen.append(f"{name!r}")
        raise DataError(
            f"no sheet of {path.name} has recognisable customer, date and amount columns "
            f"(sheets: {', '.join(seen)}); pass sheet=NAME and the column arguments"
        )


def _excel_columns(row: tuple[object, ...]) -> list[Hashable]:
    return [*unique_labels(
        [str(c).strip() if c is not None and str(c).strip() else f"column {i + 1}" for i, c in enumerate(row)]
    )]


def _without_trailing_blanks(row: tuple[object, ...]) -> tuple[object, ...]:
    """A header row without the empty cells after its last label (styled cells out to column XFD, say).

    Examples
    --------
    >>> _without_trailing_blanks(("id", None, "amount", None, "  "))
    ('id', None, 'amount')
    """
    end = len(row)
    while end and (row[end - 1] is None or not str(row[end - 1]).strip()):
        end -= 1
    return row[:end]


def _excel_table(path: Path, sheet: str, offset: int, columns: list[Hashable], body: list[tuple]) -> RawTable:
    width = len(columns)
    while body and all(c is None or (isinstance(c, str) and not c.strip()) for c in body[-1]):
        body.pop()
    if not body:
        raise DataError(f"sheet {sheet!r} of {path.name} has a header but no order rows")
    frame = pd.DataFrame([tuple(r[:width]) + (None,) * (width - len(r)) for r in body], columns=columns, dtype=object)
    return RawTable(
        frame=frame, name=f"{path.name} [{sheet}]", first_row=offset + 2, notes=[f"sheet {sheet!r}"]
    )
