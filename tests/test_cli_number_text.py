"""`--margin 0,25` and `--discount-rate 12 %`: options read numbers as French and English analysts type them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from clv_xl.cli import main


def named_value(path: Path, name: str) -> object:
    workbook = load_workbook(path)
    sheet, cell = workbook.defined_names[name].attr_text.split("!")
    return workbook[sheet.strip("'")][cell.replace("$", "")].value


def test_margin_and_discount_rate_accept_decimal_commas_and_percentages(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("customer,date,amount\na,2024-01-05,10\na,2024-03-01,20\nb,2024-02-10,30\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["report", str(orders), "-o", str(out), "-q", "--no-forecast",
                                       "--margin", "0,25", "--discount-rate", "12 %"])
    assert result.exit_code == 0, result.output
    assert named_value(out, "margin") == 0.25
    assert named_value(out, "discount_rate") == 0.12


def test_a_word_for_a_margin_is_one_line_saying_how_to_write_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "x.csv", "-o", str(tmp_path / "r.xlsx"), "--margin", "half"])
    assert result.exit_code == 2
    assert "write 0.3, 0,3 or 30%" in result.output and "Traceback" not in result.output
