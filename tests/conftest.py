"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The folder of real test data files (see tests/data/*/README.md for sources)."""
    return DATA


@pytest.fixture(scope="session")
def cdnow_dir() -> Path:
    """CDNOW files (Fader & Hardie), copied from shared/data/cdnow."""
    return DATA / "cdnow"


# --- report generator (issue 4): reports built once per session, recalculated in LibreOffice once each ---


@pytest.fixture(scope="session")
def cdnow_report(tmp_path_factory: pytest.TempPathFactory, cdnow_dir: Path) -> tuple[Path, object]:
    """The CDNOW_master report (English, CAC 30) and the content Python computed for it."""
    from clv_xl.orders import read_orders
    from clv_xl.report import ReportOptions, build_content, write_workbook

    content = build_content(read_orders(cdnow_dir / "CDNOW_master.txt"), ReportOptions(cac=30.0), forecast=False)
    path = tmp_path_factory.mktemp("cdnow") / "cdnow_report.xlsx"
    with path.open("wb") as out:
        write_workbook(content, out)
    return path, content


@pytest.fixture(scope="session")
def demo_report_fr(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """The demo shop report in French, in EUR, with marketing spend and new customers, and its content."""
    from clv_xl.orders import read_orders
    from clv_xl.report import ReportOptions, build_content, write_workbook
    from clv_xl.sample_shop import sample_orders

    options = ReportOptions(margin=0.45, discount_rate=0.08, marketing_spend=60000, new_customers=1500,
                            currency="EUR", lang="fr")
    content = build_content(read_orders(sample_orders()), options)
    path = tmp_path_factory.mktemp("demo_fr") / "demo_fr.xlsx"
    with path.open("wb") as out:
        write_workbook(content, out)
    return path, content


@pytest.fixture(scope="session")
def cdnow_recalculated(cdnow_report: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CDNOW report after a full recalculation in LibreOffice."""
    from tests.libreoffice import recalculate

    return recalculate(cdnow_report[0], tmp_path_factory.mktemp("cdnow_lo"))


@pytest.fixture(scope="session")
def demo_fr_recalculated(demo_report_fr: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French demo report after a full recalculation in LibreOffice."""
    from tests.libreoffice import recalculate

    return recalculate(demo_report_fr[0], tmp_path_factory.mktemp("demo_fr_lo"))
