"""The key-figure records: both forms and both languages, and the Excel formula equal to the Python value.

No LibreOffice needed: each record's Excel template is evaluated on a small workbook by pycel (a pure-Python
formula evaluator, an independent implementation of Excel's functions), and compared with compute_kpis.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from clv_xl.churn import CHURN_COLUMNS
from clv_xl.report.assumptions import ASSUMPTION_NAMES, ASSUMPTIONS
from clv_xl.report.content import CUSTOMER_COLUMNS
from clv_xl.report.kpis import KPI_BLOCKS, KPI_KEYS, KPI_TEXTS, KPIS, compute_kpis, render
from clv_xl.report.labels import label
from clv_xl.report.options import ReportOptions

pycel = pytest.importorskip("pycel", reason="pycel (dev dependency) evaluates the formulas without a spreadsheet")

_TEXT_COLUMNS = ("customer_id", "segment", "churn_risk", "period")
#: Every numeric column of the Customers and Churn sheets, as a formula names it.
DATA_RANGES = tuple([f"customers.{c}" for c in CUSTOMER_COLUMNS if c not in _TEXT_COLUMNS]
                    + [f"churn.{c}" for c in CHURN_COLUMNS if c not in _TEXT_COLUMNS])
TEXTS = KPI_TEXTS


def test_every_record_has_both_forms_and_both_languages() -> None:
    assert len(set(KPI_KEYS)) == len(KPI_KEYS)
    blocks = {block for block, _ in KPI_BLOCKS}
    for i, kpi in enumerate(KPIS):
        assert kpi.block in blocks, kpi.key
        assert kpi.kind in ("int", "dec", "pct", "money", "text"), kpi.key
        assert callable(kpi.python) and kpi.excel.strip(), kpi.key
        for pair in (kpi.labels, kpi.definition, kpi.source):
            assert len(pair) == 2 and all(text.strip() for text in pair), kpi.key
        assert kpi.labels[0] != kpi.labels[1] or kpi.labels[0] in ("CAC", "LTV / CAC"), kpi.key
        # everything a formula reads exists: an earlier figure, a data range, an assumption or a label
        for name in re.findall(r"\{([^}]+)\}", kpi.excel):
            known = (name in KPI_KEYS[:i] or name in DATA_RANGES
                     or name.startswith("a:") and name[2:] in ASSUMPTION_NAMES
                     or name.startswith("t:") and name[2:] in TEXTS
                     or name.startswith("is:") and name.split(":")[1] in ASSUMPTION_NAMES
                     and name.split(":")[2] in TEXTS)
            assert known, (kpi.key, name)
    for assumption in ASSUMPTIONS:
        assert all(text.strip() for text in assumption.labels), assumption.name


def _data(seed: int) -> dict[str, list]:
    rng = np.random.default_rng(seed)
    n, months, window = 12, 10, 3
    start = rng.integers(5, 40, months).astype(float)
    lost = np.minimum(start, rng.integers(0, 6, months)).astype(float)
    lost[:window] = 0
    rate = [None if i < window or start[i] == 0 else lost[i] / start[i] for i in range(months)]
    first = 45000 + rng.integers(0, 300, n)
    data = {name: rng.gamma(2, 5, n if name.startswith("customers.") else months).round(2).tolist()
            for name in DATA_RANGES}  # any other column: some positive numbers
    return data | {
        "customers.orders": rng.integers(1, 9, n).astype(float).tolist(),
        "customers.frequency": rng.integers(0, 4, n).astype(float).tolist(),
        "customers.revenue": rng.gamma(2, 40, n).round(2).tolist(),
        "customers.first_order": first.astype(float).tolist(),
        "customers.last_order": (first + rng.integers(0, 200, n)).astype(float).tolist(),
        "customers.predicted_clv": rng.gamma(2, 10, n).round(2).tolist(),
        "churn.customers_at_start": start.tolist(),
        "churn.lost_customers": lost.tolist(),
        "churn.customers_at_end": (start + rng.integers(0, 9, months)).astype(float).tolist(),
        "churn.churn_rate": rate,
    }


def _arrays(data: dict[str, list]) -> dict[str, np.ndarray]:
    return {name: np.array([np.nan if v is None else v for v in values], dtype=float) for name, values in data.items()}


def _evaluate(data: dict[str, list], options: ReportOptions, lang: str, tmp: Path) -> dict[str, object]:
    """Write data, assumptions and every record's formula in a small workbook; evaluate them with pycel."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    refs: dict[str, str] = {}
    for j, (name, values) in enumerate(data.items(), start=1):
        letter = ws.cell(1, j).column_letter
        for i, value in enumerate(values, start=2):
            ws.cell(i, j, value)
        refs[name] = f"Data!${letter}$2:${letter}${len(values) + 1}"
    inputs = wb.create_sheet("Inputs")
    for i, assumption in enumerate(ASSUMPTIONS, start=1):
        value = getattr(options, assumption.name)
        if assumption.name == "ltv_basis":  # as the report writes it: the word in its language
            value = label(f"basis.{value}", lang)
        inputs.cell(i, 2, None if assumption.name == "observation_end" else value)
        refs[f"a:{assumption.name}"] = f"Inputs!$B${i}"
    refs.update({f"t:{key}": '"' + label(key, lang) + '"' for key in TEXTS})
    sheet = wb.create_sheet("K")
    for i, kpi in enumerate(KPIS, start=1):
        refs[kpi.key] = f"K!$A${i}"
    for i, kpi in enumerate(KPIS, start=1):
        sheet.cell(i, 1, f"=IFERROR({render(kpi.excel, refs)},{refs['t:na']})")
    path = tmp / "kpis.xlsx"
    wb.save(path)
    compiler = pycel.ExcelCompiler(filename=str(path))
    return {kpi.key: compiler.evaluate(f"K!A{i}") for i, kpi in enumerate(KPIS, start=1)}


@pytest.mark.parametrize("seed, options", [
    (1, ReportOptions(margin=0.3, discount_rate=0.1, cac=25.0)),
    (2, ReportOptions(margin=0.55, discount_rate=0.0, marketing_spend=900, new_customers=30, ltv_basis="predicted",
                      lang="fr")),
    (3, ReportOptions(margin=0.2, discount_rate=0.07, lifespan_override=2.5, cac=4.0, ltv_basis="historical")),
    (4, ReportOptions(margin=0.4)),  # no CAC: the acquisition figures are n/a on both sides
])
def test_python_value_equals_the_formula_evaluated(seed: int, options: ReportOptions, tmp_path: Path) -> None:
    data = _data(seed)
    python = compute_kpis(_arrays(data), options)
    excel = _evaluate(data, options, options.lang, tmp_path)
    for key in KPI_KEYS:
        want = python[key]
        if want is None:
            assert excel[key] == label("na", options.lang), key
        elif isinstance(want, str):
            assert excel[key] == label(want, options.lang), key
        else:
            assert excel[key] == pytest.approx(want, rel=1e-9), key
    assert (python["cac"] is None) == (options.cac_value is None)


def test_the_ltv_basis_cell_is_compared_with_each_word_once() -> None:
    from clv_xl.report.sheets.dashboard import kpi_formulas

    cells = {key: f"$C${row}" for row, key in enumerate(KPI_KEYS, start=2)}
    english, french = (kpi_formulas(cells, {}, lang)["ltv"] for lang in ("en", "fr"))
    # English: the label is the keyword, one comparison each; French: the keyword or the French word
    assert english.count('ltv_basis="historical"') == 1 and "OR(ltv_basis" not in english
    assert french.count('ltv_basis="historical"') == 1 and 'ltv_basis="historique"' in french
