"""Shared pytest fixtures, and the CI rule that nothing may be skipped."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
# Runs only in its own venv with lifetimes (see the script); its output is committed beside it.
collect_ignore = ["independent/lifetimes_reference.py"]
# The tests expect English messages and reports unless they ask for French (--lang fr, or a French LANG with
# CLV_XL_LANG removed): pin the language so the suite passes the same on a French machine.
os.environ["CLV_XL_LANG"] = "en"


# --- in CI (CI=true) or with CLV_XL_REQUIRE_ALL=1 every skip is a failure: a test that cannot run there (no
# LibreOffice, no xlwings-server, no tomllib on an old Python) must not pass silently ---


def skips_fail() -> bool:
    """True in CI (``CI=true``) or with ``CLV_XL_REQUIRE_ALL=1``: a skipped test fails the session."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("CLV_XL_REQUIRE_ALL") == "1"


def _fail_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail") and skips_fail():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true or CLV_XL_REQUIRE_ALL=1 forbids skips): {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    _fail_skip(report)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Skips the report hook cannot turn into failures (whole modules at collection, doctests) fail the session."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skips_fail() and skipped:
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            reporter.write_line(f"SKIPPED IN CI (fails the run): {report.nodeid}: {reason}", red=True)
        if exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The folder of real test data files (see tests/data/*/README.md for sources)."""
    return DATA


@pytest.fixture(scope="session")
def cdnow_dir() -> Path:
    """CDNOW files (Fader & Hardie), copied from shared/data/cdnow."""
    return DATA / "cdnow"


@pytest.fixture(scope="session")
def cdnow_rows(cdnow_dir: Path) -> list[list]:
    """The CDNOW sample orders as Office.js sends a sheet of them (the Generate report script's tests)."""
    from tests.script_dispatch import cdnow_sample_rows

    return cdnow_sample_rows(cdnow_dir)


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


# --- CI's second run (.ci/run, against the installed wheel, CLV_XL_WHEEL_RUN=lean) leaves out the modules below:
# each calls the library on data built in the test or read from tests/data, and touches no template or host file,
# no entry point, no subprocess, no server and no report (a few read order files, whose column vocabularies the
# CLI and report tests of run #2 read too), so its result cannot depend on how the package is installed; the first
# run (the Quickstart's) runs them all. What the wheel run still proves about every
# one of their modules: it is shipped (test_installation compares the wheel with the source tree) and it imports
# from site-packages with its doctests passing (``--pyargs clv_xl``). test_hostile_files is here too: its children
# run `python -m clv_xl` only to bound their memory, the refusals come from the reading code, and the installed
# launcher stays tested by test_installation, test_cli_summary and test_console_encoding. test_engines_spark saves
# the JVM (its SQL is text in clv_xl/engines, shipped like any module).
SAME_WHEN_INSTALLED = frozenset({
    "test_bgbb.py", "test_bgnbd.py", "test_customers.py", "test_engines_spark.py", "test_formulas.py",
    "test_gamma_gamma.py", "test_holdout.py", "test_hostile_files.py", "test_mbgnbd.py", "test_model_selection.py",
    "test_orders_parsing.py", "test_pareto_nbd.py", "test_predicted_clv.py", "test_sbg.py",
    "test_models_choice.py", "test_models_holdout_split.py", "test_models_ranges.py", "test_special_functions.py",
    "test_period_sum.py", "test_background.py",
})


def _same_when_installed(item: pytest.Item) -> bool:
    return item.path.name in SAME_WHEN_INSTALLED and item.path.parent.name == "tests"


def _lean_wheel_run(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CLV_XL_WHEEL_RUN") != "lean":
        return
    config.hook.pytest_deselected(items=[item for item in items if _same_when_installed(item)])
    items[:] = [item for item in items if not _same_when_installed(item)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The lean wheel run's selection (CLV_XL_WHEEL_RUN=lean)."""
    _lean_wheel_run(config, items)
