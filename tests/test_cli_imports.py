"""`clv-xl summary` loads only what a summary needs: not the report, its models, scipy or openpyxl.

Each command's module is imported when that command runs (clv_xl.cli.COMMANDS); a summary on millions of orders
paid ~1.6 s of imports for the report stack before. Checked in a fresh interpreter, on a real run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clv_xl.cli import COMMANDS, main

DATA = Path(__file__).parent / "data"
HEAVY = ("clv_xl.report", "clv_xl.models", "scipy", "openpyxl")


def loaded_after(arguments: list[str]) -> set[str]:
    script = (
        "import sys\n"
        "from clv_xl.cli import main\n"
        f"try:\n    main({arguments!r})\nexcept SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split())


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_summary_to_csv_or_parquet_does_not_load_the_report_stack(engine: str, tmp_path: Path) -> None:
    pytest.importorskip(engine)
    source = DATA / "exports" / "woocommerce_orders_export.csv"
    out = tmp_path / "customers.parquet"
    assert loaded_after(["summary", str(source), "-o", str(out), "--engine", engine]) == set()
    assert out.stat().st_size > 0


def test_the_report_command_still_loads_what_it_needs(tmp_path: Path) -> None:
    # the same probe sees the stack when a command needs it (so the test above could fail)
    assert loaded_after(["report", "--help"]) >= {"clv_xl.report"}


def test_every_lazy_command_is_listed_and_loads() -> None:
    assert set(main.commands) == set(COMMANDS)
    assert all(main.commands[name].name == name for name in COMMANDS)
