"""Every command prints on a Windows console encoding (cp1252, cp850) without crashing.

Run as a real subprocess with ``PYTHONIOENCODING`` set, as ``clv-xl functions > f.txt`` is on Windows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clv_xl.cli import main

ROOT = Path(__file__).parents[1]


def run_cli(args: list[str], encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "clv_xl", *args], capture_output=True, env=env, cwd=cwd, timeout=240
    )


@pytest.mark.parametrize("encoding", ["cp1252", "cp850"])
def test_functions_list_and_help_print_on_a_windows_console(encoding, tmp_path):
    listing = run_cli(["functions"], encoding, tmp_path)
    assert listing.returncode == 0, listing.stderr.decode(encoding, "replace")
    text = listing.stdout.decode(encoding)
    assert "CLV(" in text and "CLV_PREDICTED(" in text
    assert "\ufffd" not in text and "?" not in text.replace("[", "")  # plain stand-ins, not question marks
    one = run_cli(["functions", "CLV_PREDICTED"], encoding, tmp_path)
    assert one.returncode == 0
    assert b" x " in one.stdout or "\u00d7".encode(encoding, "ignore") in one.stdout


@pytest.mark.parametrize("encoding", ["cp1252"])
def test_every_command_help_and_an_error_print_on_a_windows_console(encoding, tmp_path):
    for name in [*main.commands, ""]:
        result = run_cli([name, "--help"] if name else ["--help"], encoding, tmp_path)
        assert result.returncode == 0, (name, result.stderr.decode(encoding, "replace"))
    bad = run_cli(["summary", "missing.csv", "-o", "x.csv"], encoding, tmp_path)
    assert bad.returncode == 2
    assert b"Traceback" not in bad.stderr and bad.stderr.count(b"\n") == 1


def test_demo_prints_its_summary_on_cp850(tmp_path):
    result = run_cli(["demo", "-o", "r.xlsx", "-q", "--lang", "fr"], "cp850", tmp_path)
    assert result.returncode == 0, result.stderr.decode("cp850", "replace")
    assert result.stdout.decode("cp850").replace("\u00a0", " ").startswith("Fichier écrit : ")  # French, on cp850
    book = load_workbook(tmp_path / "r.xlsx")
    sheet, cell = book.defined_names["currency"].attr_text.split("!")
    assert book[sheet.strip("'")][cell.replace("$", "")].value == "EUR"  # a French demo shop sells in euros
