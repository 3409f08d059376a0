"""What users install: the console script works, and CI's wheel run tests the installed package, not the source.

CI (.ci/run) runs the suite twice: once in the README Quickstart's editable install, once from a copy of the tests
without the package against the wheel installed in a fresh venv, with ``CLV_XL_EXPECT_INSTALLED=1`` and
``CLV_XL_SOURCE_TREE`` pointing at the clone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import clv_xl

TESTS = Path(__file__).resolve().parent


def console_script() -> Path:
    """The ``clv-xl`` launcher that pip wrote into this environment's scripts folder."""
    name = "clv-xl.exe" if sys.platform.startswith("win") else "clv-xl"
    script = Path(sysconfig.get_path("scripts")) / name
    if not script.exists():
        pytest.fail(f"{script} does not exist: install clv-xl in this environment (pip install -e .)")
    return script


def test_console_script_entry_point_runs() -> None:
    done = subprocess.run([str(console_script()), "--help"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: clv-xl"), done.stdout[:200]
    assert "report" in done.stdout and "functions" in done.stdout


if os.environ.get("CLV_XL_EXPECT_INSTALLED") == "1":

    def test_the_package_under_test_is_the_installed_wheel() -> None:
        package = Path(clv_xl.__file__).resolve().parent
        site = Path(sysconfig.get_paths()["purelib"]).resolve()
        assert package.parent == site, f"clv_xl imported from {package}, not from {site}"
        assert not package.is_relative_to(TESTS.parent)

    def test_the_wheel_ships_every_module_and_data_file_of_the_source_tree() -> None:
        source = Path(os.environ["CLV_XL_SOURCE_TREE"])
        package = Path(clv_xl.__file__).resolve().parent
        wanted = {p.relative_to(source / "clv_xl") for p in (source / "clv_xl").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc",)}
        wanted |= {Path("templates") / p.relative_to(source / "templates") for p in (source / "templates").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        installed = {p.relative_to(package) for p in package.rglob("*") if p.is_file()}
        missing = sorted(str(p) for p in wanted - installed)
        assert not missing, f"the wheel lacks {missing[:10]}"
        # the add-in's VBA imports clv_xl.excel.ribbon, whatever the .xlam is called: no module named after it
        assert not (package.parent / "clv_xl_addin.py").exists()
