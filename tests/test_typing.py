"""The package is typed: it ships py.typed, mypy is configured for clv_xl/, and every type: ignore says why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import clv_xl

tomllib = pytest.importorskip("tomllib")  # standard library from Python 3.11

ROOT = Path(__file__).parents[1]
PACKAGE = Path(clv_xl.__file__).parent  # the installed package in CI's wheel run, else the source tree
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_py_typed_is_shipped():
    assert (PACKAGE / "py.typed").exists()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["clv_xl"]


def test_mypy_is_configured_and_runs_in_ci():
    config = PYPROJECT["tool"]["mypy"]
    assert config["files"] == ["clv_xl"] and config["warn_unused_ignores"] is True
    assert any(dep.startswith("mypy") for dep in PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert "mypy clv_xl" in [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]


def test_every_type_ignore_names_its_error_code_and_a_reason():
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "type: ignore" in line and not re.search(r"type: ignore\[[a-z-, ]+\]\s+#\s*\S", line):
                bare.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert bare == []
