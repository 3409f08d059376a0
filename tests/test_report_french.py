"""The French report all the way through, as a French reader sees it.

Both reports are built from the same orders (a small demo shop whose data says EUR), rendered by LibreOffice to PDF
(the French one in a French locale, as a French analyst's spreadsheet shows it) and read back with pdftotext. The
English words looked for in the French text are not a list typed here: they are every word the English report's
own PDF shows, less identifiers (code paths, options, quoted column names) and the few words that are French
too or are names (:data:`ALSO_FRENCH`, each one checked to be in the English text, so the list cannot grow stale).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clv_xl.report import build_report
from clv_xl.report.libreoffice import convert
from clv_xl.report.sheet_names import SHEET_KEYS, sheet_name
from clv_xl.sample_shop import sample_orders
from tests.libreoffice import require_libreoffice

#: Words of the English report that are French words too, or names and symbols (lower case).
ALSO_FRENCH = frozenset({
    # French words spelled the same
    "date", "segment", "source", "total", "simple", "fragile", "verdict", "horizon", "convention", "conventions",
    "section", "transaction", "conversions", "vs", "an", "en", "plus", "notes", "observation", "inverse",
    "covariance", "calibration", "marketing", "segmentation", "terminal", "nov", "oct", "ch", "score", "test", "log",
    # names: metrics, models, authors, books, units and symbols
    "clv", "ltv", "cac", "gini", "delta", "gamma-gamma", "bg", "nbd", "mbg", "pareto", "fader", "hardie", "lee",
    "skok", "saas", "metrics", "kumar", "reinartz", "gupta", "lehmann", "reichheld", "batislam", "denizel",
    "filiztekin", "lifetimes", "eur", "clv-xl", "abc", "gneiting", "raftery", "vuong",
})

#: Figures and single-letter symbols of formulas (P10, T, r, α...) are not words.
_WORD = re.compile(r"[^\W\d_]{2,}(?:[-'’][^\W\d_]+)*")
#: Identifiers: code paths and names with dots or underscores, command-line options, quoted column names.
_IDENTIFIER = re.compile(r"\S*\w[._]\w\S*|--[\w-]+|'[^']*'")

_FRENCH_DECIMAL = re.compile(r"\d,\d{2}\b")
_FRENCH_THOUSANDS = re.compile(r"\b\d{1,3}[\u00a0\u202f ]\d{3}(?:[,\u00a0\u202f ]|\b)")
_ENGLISH_NUMBER = re.compile(r"\b\d{1,3},\d{3}\.\d{2}\b|\b\d+\.\d+\s?%")
_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b")


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(_IDENTIFIER.sub(" ", text))}


def _pdf_text(report: Path, folder: Path, locale: str) -> str:
    pdf = convert(report, folder, "pdf", locale=locale)
    # -nodiag: the slanted axis labels would come out in fragments ("ju", "oc"); they are the tables' month labels
    done = subprocess.run(["pdftotext", "-layout", "-nodiag", str(pdf), "-"], capture_output=True, text=True,
                          check=True)
    return done.stdout


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same small shop (its data says EUR) reported in English and in French."""
    require_libreoffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    folder = tmp_path_factory.mktemp("french")
    orders = sample_orders(n_customers=400).assign(currency="EUR")  # (fewer customers: slow, unstable fits)
    return {lang: build_report(orders, folder / f"shop_{lang}.xlsx", lang=lang, cac=35.0) for lang in ("en", "fr")}


@pytest.fixture(scope="module")
def texts(reports: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("french_pdf")
    return {"en": _pdf_text(reports["en"], folder / "en", "en-US"),
            "fr": _pdf_text(reports["fr"], folder / "fr", "fr-FR")}


def test_french_pdf_has_none_of_the_english_reports_words(texts: dict[str, str]) -> None:
    english_words = _words(texts["en"])
    assert ALSO_FRENCH <= english_words, sorted(ALSO_FRENCH - english_words)  # no stale exception
    english = english_words - ALSO_FRENCH
    assert {"dashboard", "customers", "revenue", "forecast", "cohorts", "segments", "churn", "orders",
            "definitions", "predicted", "historical", "rate"} <= english  # the list is the report's own words
    assert len(english) > 300
    assert "churn rate" in texts["en"].lower() and "churn rate" not in texts["fr"].lower()
    left = sorted(english & _words(texts["fr"]))
    assert left == [], left


def test_french_pdf_writes_numbers_dates_months_and_euros_the_french_way(texts: dict[str, str]) -> None:
    fr, en = texts["fr"], texts["en"]
    assert len(_FRENCH_DECIMAL.findall(fr)) > 50 and len(_FRENCH_THOUSANDS.findall(fr)) > 5
    assert _ENGLISH_NUMBER.findall(fr) == []
    assert _ENGLISH_NUMBER.findall(en)  # the check can fail: the English report writes 1,234.56 and 10.0%
    assert _ISO_DATE.findall(fr) == [] and _ISO_DATE.findall(en)
    assert re.search(r"\b\d\d/\d\d/20\d\d\b", fr)
    assert "janv. 2024" in fr and "Jan 2024" in en and not re.search(r"\b20\d\d\s*-\d\d\b", fr)
    assert "€" in fr and "$" not in fr  # the data says EUR: euros without being asked


def test_french_pdf_puts_a_space_before_the_percent_sign(texts: dict[str, str]) -> None:
    # LibreOffice renders the French percent formats (0.0"\u00a0"% and 0"\u00a0"%) as "12,3 %" and "15 %", the
    # English ones as "12.3%". (pdftotext -layout drops the gap after a lone digit, "8%", though the page shows
    # "8 %": only percents of two digits or with a decimal are looked at.)
    spaced = r"[\u00a0\u202f ]%"
    assert len(re.findall(r"\d,\d" + spaced, texts["fr"])) > 20 and len(re.findall(r"\d\d" + spaced, texts["fr"])) > 20
    assert re.findall(r"\d,\d%|\d\d%", texts["fr"]) == []
    assert re.search(r"\d\.\d%", texts["en"]) and not re.search(r"\d" + spaced, texts["en"])


def test_french_report_references_follow_the_renamed_sheets(reports: dict[str, Path],
                                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    path = reports["fr"]
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Tableau de bord", "Clients", "Segmentation"]
    english = {name for name in SHEET_KEYS if sheet_name(name, "fr") != name}
    assert not english & set(wb.sheetnames)
    for defined in wb.defined_names.values():
        for sheet, _ in defined.destinations:
            assert sheet in wb.sheetnames, (defined.name, defined.attr_text)
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert any("Clients!" in f for f in formulas) and any("Attrition!" in f for f in formulas)
    bang = re.compile(r"(?<![\w.])'?(" + "|".join(sorted(english)) + r")'?!")
    assert not [f for f in formulas if bang.search(f)]
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert charts and all(not bang.search(chart) for chart in charts)
    assert any("'Attrition'!" in c for c in charts) and any("'Segmentation'!" in c for c in charts)
    recalculated = convert(path, tmp_path_factory.mktemp("french_lo"), "xlsx", locale="fr-FR")
    values = load_workbook(recalculated, data_only=True)
    errors = [(ws.title, c.coordinate, c.value) for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and re.match(r"#(NAME\?|REF!|VALUE!|DIV/0!|N/A|NUM!)|Err:\d", c.value)]
    assert errors == []
    dash = values["Tableau de bord"]
    assert dash["C19"].value == 400  # customers: COUNT over the renamed Clients sheet
