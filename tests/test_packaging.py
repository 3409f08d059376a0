"""What the wheel ships: every package, the report template, the host files (checked from pyproject.toml)."""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # standard library from Python 3.11

# The source tree; CI's wheel run tests from a copy without the package and points here at the clone.
ROOT = Path(os.environ.get("CLV_XL_SOURCE_TREE") or Path(__file__).parents[1])
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def package_dir(package: str) -> Path:
    for prefix, folder in CONFIG.get("package-dir", {}).items():
        if package == prefix or package.startswith(prefix + "."):
            return ROOT / folder / Path(*package[len(prefix):].lstrip(".").split(".") if package != prefix else ())
    return ROOT / Path(*package.split("."))


def test_every_python_package_is_listed():
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "clv_xl").rglob("__init__.py")
    }
    assert found <= set(CONFIG["packages"]), f"not shipped: {sorted(found - set(CONFIG['packages']))}"
    for module in CONFIG.get("py-modules", []):
        assert (ROOT / f"{module}.py").exists()


def shipped(package: str, relative: str) -> bool:
    return any(fnmatch(relative, pattern) for pattern in CONFIG["package-data"].get(package, []))


def test_template_and_host_files_are_package_data():
    assert package_dir("clv_xl.templates") == ROOT / "templates"
    for name in ("clv_report.xlsx", "README.md", "lite/main.py", "lite/requirements.txt"):
        assert (ROOT / "templates" / name).exists()
        assert shipped("clv_xl.templates", name), name
    server = ROOT / "clv_xl" / "excel" / "server"
    for path in (server / "templates").iterdir():
        assert shipped("clv_xl.excel.server", f"templates/{path.name}"), path.name
    for path in (server / "static" / "js").iterdir():
        assert shipped("clv_xl.excel.server", f"static/js/{path.name}"), path.name


def test_default_template_loads_through_importlib_resources():
    from importlib.resources import files

    template = files("clv_xl.templates") / "clv_report.xlsx"
    assert template.is_file() and template.read_bytes()[:2] == b"PK"
