"""The Forecast sheet's notes (no holdout check, fallbacks) are French in a French report.

The orders are written by hand: 40 customers over 60 days, too short for the holdout check (which needs 90 days of
calibration and 28 of holdout), so the sheet must say why in the report's language.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from clv_xl.report.build import build_report


def _short_history() -> pd.DataFrame:
    rows = []
    for customer in range(40):
        for visit in range(1 + customer % 3):  # 1 to 3 orders each, on distinct days
            rows.append({"customer_id": f"c{customer}", "order_date": pd.Timestamp("2024-03-01")
                         + pd.Timedelta(days=(customer + 17 * visit) % 60), "amount": 20.0 + customer})
    return pd.DataFrame(rows)


def _texts(path: Path, sheet: str) -> str:
    ws = load_workbook(path)[sheet]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


def test_the_reason_for_no_holdout_check_is_french(tmp_path: Path) -> None:
    english = _texts(build_report(_short_history(), tmp_path / "en.xlsx", lang="en"), "Forecast")
    french = _texts(build_report(_short_history(), tmp_path / "fr.xlsx", lang="fr"), "Prévisions")
    assert "is too short to hold out 28 days after at least 90 days of calibration" in english
    assert "est trop court pour mettre de côté 28 jours de validation après au moins 90 jours" in french
    assert "too short" not in french and "calibration" not in french
