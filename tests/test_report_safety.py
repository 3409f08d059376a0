"""Safety of the report: text stays text, atomic writes, no clobbering, bad input, template contract, row limits."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from clv_xl.errors import DataError, InvalidArgumentError, OutputError, TemplateError
from clv_xl.report import build_report, default_template
from tests.libreoffice import recalculate

NASTY = [
    "=1+1",
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
    "\t=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "<b>&amp;</b>",
    "_x0041_",
    " leading space",
    "00042",
]


def _orders(ids: list[str]) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({
        "customer_id": ids * 2,
        "order_date": pd.to_datetime(["2024-01-15"] * n + ["2024-06-20"] * n),
        "amount": [10.0 + i for i in range(2 * n)],
        "order_id": [f"={i}" for i in range(2 * n)],
    })


@pytest.fixture(scope="module")
def nasty_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(_orders(NASTY), tmp_path_factory.mktemp("nasty") / "nasty.xlsx", cac=5, forecast=False)


# read_orders trims ids ("\t=1+1" arrives as "=1+1"); OOXML shows "_x0041_" literally only when escaped as
# "_x005F_x0041_", which Excel and LibreOffice display as "_x0041_" (openpyxl reads the raw escape)
WRITTEN = {s.strip() for s in NASTY} - {"_x0041_"} | {"_x005F_x0041_"}
SHOWN = {s.strip() for s in NASTY}


def _customer_cells(path: Path) -> dict[str, str]:
    wb = load_workbook(path)
    ws = wb["Customers"]
    return {ws.cell(r, 1).value: ws.cell(r, 1).data_type for r in range(2, ws.max_row + 1)}


def test_text_from_the_data_is_never_a_formula(nasty_report: Path) -> None:
    cells = _customer_cells(nasty_report)
    assert set(cells) == WRITTEN
    assert set(cells.values()) == {"s"}
    orders = load_workbook(nasty_report)["Orders"]
    ids = [orders.cell(r, 1) for r in range(2, orders.max_row + 1)]
    assert all(c.data_type == "s" and c.value.startswith("=") for c in ids)


def test_text_stays_text_after_libreoffice(nasty_report: Path, tmp_path: Path) -> None:
    recalculated = recalculate(nasty_report, tmp_path)
    wb = load_workbook(recalculated, data_only=True)
    ws = wb["Customers"]
    values = {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}
    assert values == SHOWN
    formulas = load_workbook(recalculated)["Customers"]
    assert all(formulas.cell(r, 1).data_type != "f" for r in range(2, formulas.max_row + 1))


def test_tab_and_space_prefixed_text_is_kept_verbatim() -> None:
    import io

    from openpyxl import Workbook

    from clv_xl.report.cells import put_text
    from clv_xl.report.stream import StreamColumn, StreamedTable, splice

    wb = Workbook()
    ws = wb.active
    ws.title = "T"
    put_text(ws["A1"], "\t=1+1")
    put_text(ws["B1"], "@SUM(1)")
    put_text(ws["A2"], "x")
    package = io.BytesIO()
    wb.save(package)
    out = io.BytesIO()
    texts = ["\t=1+1", " -2", "+3\x07", "=A1&\"<x>\""]
    splice(package.getvalue(), [StreamedTable("T", 2, 1, [StreamColumn("text", texts)])], out)
    back = load_workbook(out)["T"]
    assert back["A1"].value == "\t=1+1" and back["A1"].data_type == "s" and back["B1"].value == "@SUM(1)"
    got = [back.cell(r, 1) for r in range(2, 6)]
    assert [c.value for c in got] == ["\t=1+1", " -2", "+3\ufffd", "=A1&\"<x>\""]
    assert {c.data_type for c in got} == {"s"}


def test_no_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"precious")
    with pytest.raises(OutputError, match="already exists"):
        build_report(_orders(["a", "b"]), target, forecast=False)
    assert target.read_bytes() == b"precious"
    build_report(_orders(["a", "b"]), target, forecast=False, force=True)
    assert load_workbook(target).sheetnames[0] == "Dashboard"


def _interrupt(step: str, fraction: float) -> None:
    if step == "rows":
        raise KeyboardInterrupt


def test_interrupt_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    with pytest.raises(KeyboardInterrupt):
        build_report(_orders(["a", "b"]), target, forecast=False, progress=_interrupt)
    assert list(tmp_path.iterdir()) == []


def test_interrupt_keeps_the_old_file_with_force(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(KeyboardInterrupt):
        build_report(_orders(["a", "b"]), target, forecast=False, force=True, progress=_interrupt)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"margin": 1.5}, InvalidArgumentError, "margin must be"),
        ({"discount_rate": -0.1}, InvalidArgumentError, "discount_rate must be"),
        ({"cac": 10, "marketing_spend": 100, "new_customers": 5}, InvalidArgumentError, "either cac"),
        ({"marketing_spend": 100}, InvalidArgumentError, "go together"),
        ({"cac": 0}, InvalidArgumentError, "cac must be > 0"),
        ({"currency": "EURO"}, InvalidArgumentError, "3-letter"),
        ({"lang": "de"}, InvalidArgumentError, "en, fr"),
    ],
)
def test_bad_options(tmp_path: Path, options: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        build_report(_orders(["a"]), tmp_path / "r.xlsx", forecast=False, **options)
    assert list(tmp_path.iterdir()) == []


def test_bad_targets(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=".xlsx"):
        build_report(_orders(["a"]), tmp_path / "r.csv", forecast=False)
    with pytest.raises(OutputError, match="does not exist"):
        build_report(_orders(["a"]), tmp_path / "missing" / "r.xlsx", forecast=False)
    with pytest.raises(OutputError, match="directory"):
        (tmp_path / "d.xlsx").mkdir()
        build_report(_orders(["a"]), tmp_path / "d.xlsx", forecast=False)


def test_bad_orders(tmp_path: Path) -> None:
    with pytest.raises(DataError):
        build_report(tmp_path / "nope.csv", tmp_path / "r.xlsx", forecast=False)
    empty = pd.DataFrame({"customer_id": [], "order_date": pd.to_datetime([]), "amount": []})
    with pytest.raises(DataError):
        build_report(empty, tmp_path / "r.xlsx", forecast=False)
    assert not (tmp_path / "r.xlsx").exists()


def _broken_template(tmp_path: Path) -> Path:
    wb = load_workbook(default_template())
    del wb["Cohorts"]
    del wb.defined_names["margin"]
    path = tmp_path / "broken.xlsx"
    wb.save(path)
    return path


def test_template_contract_lists_everything_missing(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as info:
        build_report(_orders(["a"]), tmp_path / "r.xlsx", template=_broken_template(tmp_path), forecast=False)
    message = str(info.value)
    assert "Cohorts" in message and "margin" in message and "anchor_cohorts" in message
    not_xlsx = tmp_path / "t.xlsx"
    not_xlsx.write_text("hello")
    with pytest.raises(TemplateError, match="not an .xlsx"):
        build_report(_orders(["a"]), tmp_path / "r.xlsx", template=not_xlsx, forecast=False)
    with pytest.raises(TemplateError, match="does not exist"):
        build_report(_orders(["a"]), tmp_path / "r.xlsx", template=tmp_path / "none.xlsx", forecast=False)
    assert not (tmp_path / "r.xlsx").exists()


def _template_with_anchor(tmp_path: Path, name: str, cell: str) -> Path:
    from openpyxl.workbook.defined_name import DefinedName

    wb = load_workbook(default_template())
    sheet = "Orders" if name == "anchor_orders" else "Customers"
    del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet}!{cell}")
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    return path


def test_orders_left_out_when_they_do_not_fit(tmp_path: Path) -> None:
    # a template whose Orders table starts 6 rows above the sheet's last row: 22 orders cannot fit
    template = _template_with_anchor(tmp_path, "anchor_orders", "$A$1048570")
    out = build_report(_orders(NASTY), tmp_path / "r.xlsx", template=template, forecast=False)
    wb = load_workbook(out)
    assert not wb["Orders"].tables
    notes = [c.value for c in wb["Dashboard"]["B"] if isinstance(c.value, str)]
    assert any("do not fit" in note for note in notes)


def test_customers_beyond_the_last_row_go_beside_the_workbook(tmp_path: Path) -> None:
    # a template whose Customers header is on row 1,048,570 leaves 6 rows: the 6 most valuable customers are listed,
    # all of them are in the files beside the workbook, CSV text kept from becoming formulas
    template = _template_with_anchor(tmp_path, "anchor_customers", "$A$1048570")
    orders = _orders(NASTY)
    assert orders["customer_id"].nunique() > 6
    build_report(orders, tmp_path / "r.xlsx", template=template, forecast=False)
    from clv_xl.orders import read_orders

    revenue = read_orders(orders).groupby("customer_id")["amount"].sum()  # ids trimmed: "\t=1+1" is "=1+1"
    sheet = load_workbook(tmp_path / "r.xlsx")["Customers"]
    assert sheet.max_row == 1_048_576 and sheet.cell(1_048_571, 1).value == revenue.idxmax()
    full = pd.read_parquet(tmp_path / "r_customers.parquet")
    assert sorted(full["customer_id"]) == sorted(revenue.index.astype(str))
    csv = (tmp_path / "r_customers.csv").read_text(encoding="utf-8-sig")
    assert "\n'=1+1," in csv and "\n=1+1," not in csv


def test_custom_template_moves_blocks(tmp_path: Path) -> None:
    template = _template_with_anchor(tmp_path, "anchor_customers", "$C$5")
    out = build_report(_orders(["a", "b"]), tmp_path / "r.xlsx", template=template, forecast=False)
    wb = load_workbook(out)
    # customers by value: b (11 + 13) before a (10 + 12)
    assert wb["Customers"]["C5"].value == "Customer" and wb["Customers"]["C6"].value == "b"
    sheet, ref = next(iter(wb.defined_names["kpi_orders"].destinations))
    assert "Customers!$F$6:$F$7" in wb[sheet][ref.replace("$", "")].value


def test_undefined_figures_show_na_not_errors_after_recalculation(tmp_path: Path) -> None:
    """One day of orders and no CAC: churn, lifespan, CLV, LTV/CAC and payback are undefined -> "n/a"."""
    from clv_xl.orders import read_orders
    from clv_xl.report import ReportOptions, build_content
    from clv_xl.report.kpis import KPI_KEYS
    from clv_xl.report.labels import label

    orders = pd.DataFrame({"customer_id": ["a", "b"], "order_date": pd.to_datetime(["2024-05-01"] * 2),
                           "amount": [10.0, 0.0]})
    content = build_content(read_orders(orders), ReportOptions(), forecast=False)
    assert content.kpis["churn"] is None and content.kpis["clv"] is None and content.kpis["cac"] is None
    out = build_report(orders, tmp_path / "one_day.xlsx")
    wb = load_workbook(recalculate(out, tmp_path / "lo"), data_only=True)
    for key in KPI_KEYS:
        sheet, ref = next(iter(wb.defined_names[f"kpi_{key}"].destinations))
        got, want = wb[sheet][ref.replace("$", "")].value, content.kpis[key]
        if want is None:
            assert got == label("na"), key
        elif isinstance(want, str):
            assert got == label(want), key
        else:
            assert got == pytest.approx(want, rel=1e-9), key
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith(("#DIV", "#VALUE", "#N/A", "#NAME", "Err:"))
                           for v in row), ws.title
    notes = [c.value for c in wb["Dashboard"]["B"] if isinstance(c.value, str)]
    assert any("Enter a CAC" in note for note in notes)
    # two customers are too few for BG/NBD: the Forecast sheet says why instead of failing the report
    assert wb["Forecast"]["B3"].value.startswith("The forecast models could not be fitted on this data: ")
