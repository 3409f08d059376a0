"""LibreOffice for the report tests: skip when it is missing, unless CI requires it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clv_xl.report.libreoffice import convert, soffice

__all__ = ["require_libreoffice", "recalculate"]


def require_libreoffice() -> None:
    """Skip the calling test without LibreOffice; fail instead when ``CLV_XL_REQUIRE_LIBREOFFICE=1``."""
    if soffice() is None:
        message = "LibreOffice (soffice) is not installed"
        if os.environ.get("CLV_XL_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(message + " and CLV_XL_REQUIRE_LIBREOFFICE=1")
        pytest.skip(message)


def recalculate(path: Path, out_dir: Path) -> Path:
    """Open ``path`` in LibreOffice with always-recalculate, save the recalculated copy in ``out_dir``."""
    require_libreoffice()
    return convert(path, out_dir, "xlsx")
