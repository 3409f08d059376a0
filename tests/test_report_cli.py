"""``clv-xl report`` and ``clv-xl demo`` through the real command group."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from clv_xl.cli import main
from clv_xl.report.content import build_content
from clv_xl.report.options import ReportOptions


@pytest.fixture()
def orders_csv(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Client;Date;Montant\nA;05/01/2024;10,50\nA;01/03/2024;20,00\nB;10/02/2024;30,25\n=2+2;11/02/2024;5,00\n",
        encoding="utf-8",
    )
    return path


def test_report_command_writes_the_workbook(orders_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    args = ["report", str(orders_csv), "-o", str(out), "--customer", "Client", "--date", "Date", "--amount",
            "Montant", "--dayfirst", "--margin", "0.4", "--cac", "12", "--currency", "EUR", "--lang", "fr",
            "--no-forecast"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # no progress bar when not on a terminal; --lang fr speaks French on the terminal too
    assert result.stdout.strip().replace("\u00a0", " ") == f"Fichier écrit : {out}"
    assert "Fenêtre d'inactivité (un client est perdu après elle sans commande) : 2 mois" in result.stderr
    # the intake summary goes to stderr (in French), and on the Data sheet
    err = result.stderr.replace("\u00a0", " ")
    assert "orders.csv : 4 lignes lues, 4 commandes de 3 clients, du 05/01/2024 au 01/03/2024" in err
    assert "colonnes : customer <- 'Client' (indiquée)" in err and "devise : EUR" in err
    wb = load_workbook(out)
    data = {row[1]: row[2] for row in wb["Data"].iter_rows(min_row=4, values_only=True)}
    assert data["Lignes lues"] == 4 and data["Commandes gardées"] == 4 and data["Devises"] == "EUR"  # --lang fr
    assert wb["Dashboard"]["C5"].value == 0.4 and wb["Dashboard"]["C7"].value == 12
    ids = {wb["Customers"].cell(r, 1).value for r in range(2, 5)}
    assert ids == {"A", "B", "=2+2"}
    assert wb["Customers"]["A2"].data_type == "s"


def test_report_command_errors_are_one_line(orders_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"keep")
    runner = CliRunner()
    result = runner.invoke(main, ["report", str(orders_csv), "-o", str(out)])
    assert result.exit_code == 2 and "already exists" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    result = runner.invoke(main, ["report", str(orders_csv), "-o", str(tmp_path / "b.xlsx"), "--cac", "5",
                                  "--marketing-spend", "100", "--new-customers", "4"])
    assert result.exit_code == 2 and "either cac" in result.output
    assert out.read_bytes() == b"keep" and not (tmp_path / "b.xlsx").exists()


def test_help_texts_end_with_an_example() -> None:
    for command in ("report", "demo"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output and f"clv-xl {command}" in result.output


def test_demo_builds_the_sample_report(tmp_path: Path) -> None:
    out = tmp_path / "clv_report.xlsx"
    result = CliRunner().invoke(main, ["demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Dashboard", "Customers", "Segments", "Cohorts", "Churn", "Forecast", "Orders",
                             "Definitions", "Data"]
    assert wb["Customers"].max_row == 3001
    forecast = wb["Forecast"]
    column_b = [c.value for c in forecast["B"]]
    verdict = column_b[[str(v).startswith("Horizon:") for v in column_b].index(True) + 1]  # under the horizon
    assert " was chosen: " in verdict and verdict.endswith(").")
    header = column_b.index("Model")  # the comparison table: one row per purchase model
    assert column_b[header + 1:header + 4] == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    actual = [forecast.cell(header + 2 + i, 3).value for i in range(3)]
    assert len(set(actual)) == 1 and actual[0] > 0  # the same holdout purchases for every model
    assert column_b[column_b.index("Parameter") + 1] == "r"  # every purchase model's first parameter
    assert "tblForecast" in forecast.tables
    assert column_b[column_b.index("Repeat purchases (calibration)") + 8] == "7+"  # the histogram's last bin


def test_build_content_needs_no_files() -> None:
    orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "amount": [10.0, 30.0, 20.0, 40.0],
                           "order_date": pd.to_datetime(["2024-01-01", "2024-02-15", "2024-03-01", "2024-03-05"])})
    content = build_content(orders, ReportOptions(margin=0.5, discount_rate=0, cac=10), forecast=False)
    k = content.kpis
    assert (k["customers"], k["orders"], k["revenue"], k["aov"]) == (3.0, 4.0, 100.0, 25.0)
    assert k["years"] == pytest.approx(65 / 365.25)
    # one gap between ordering months (a: January -> February), so the window is that rhythm, 1 month; on the
    # books at each month's end: January a, February a, March b and c (a is lost in March): 4 customer-months
    assert content.window.periods == 1
    assert k["frequency"] == pytest.approx(4 / (4 / 12))
    assert content.segments["customers"].sum() == 3
    assert len(content.whatif) == 6 and len(content.whatif[0]) == 6


def test_a_generated_report_is_refused_as_a_template(orders_csv: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    first = tmp_path / "january.xlsx"
    common = [str(orders_csv), "--dayfirst", "--no-forecast"]
    assert runner.invoke(main, ["report", *common, "-o", str(first)]).exit_code == 0
    second = tmp_path / "february.xlsx"
    result = runner.invoke(main, ["report", *common, "-o", str(second), "--template", str(first)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "already holds the data tables of a generated report" in lines[0]
    assert "Traceback" not in result.output and not second.exists()
