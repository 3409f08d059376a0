"""Excel function arguments are declared once: what the declaration gives, and what a mistake in it does."""

from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from clv_xl.cli import main
from clv_xl.excel import _udf_support, catalogue, udfs

README = Path(__file__).resolve().parents[1] / "README.md"

HEADER = """
from __future__ import annotations
import datetime as dt
from typing import Annotated
import numpy as np
from clv_xl.excel._cells import CellRange
from clv_xl.excel._udf_support import Arg, excel_function
"""


@pytest.fixture
def registry():
    """Keep functions declared by a test out of the package's list."""
    before = list(_udf_support.EXCEL_FUNCTIONS)
    yield _udf_support.EXCEL_FUNCTIONS
    _udf_support.EXCEL_FUNCTIONS[:] = before


def import_source(tmp_path: Path, body: str):
    """Import a module holding ``body`` the way Python imports udfs.py, and return it."""
    path = tmp_path / "declared.py"
    path.write_text(HEADER + textwrap.dedent(body))
    spec = importlib.util.spec_from_file_location("declared", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a misspelt type: the name is undefined
        ("""
         @excel_function(definition="twice x")
         def TWICE(x: Annotated[np.ndarary, Arg("The number to double.")]) -> object:
             \"\"\"Twice x.\"\"\"
             return 2 * x
         """, "ndarary"),
        # a parameter with no declaration
        ("""
         @excel_function(definition="twice x")
         def TWICE(x) -> object:
             \"\"\"Twice x.\"\"\"
             return 2 * x
         """, "declare the argument as Annotated[type, Arg('help text')]"),
        # a type no conversion knows
        ("""
         @excel_function(definition="twice x")
         def TWICE(x: Annotated[complex, Arg("The number to double.")]) -> object:
             \"\"\"Twice x.\"\"\"
             return 2 * x
         """, "no conversion for <class 'complex'>"),
        # a default its conversion refuses (a text default for a number)
        ("""
         @excel_function(definition="twice x")
         def TWICE(x: Annotated[float, Arg("The number to double.")] = "two") -> object:
             \"\"\"Twice x.\"\"\"
             return 2 * x
         """, "TWICE(x): its default is refused: x must be a number; got text 'two'"),
        # a None default for a type that cannot be None
        ("""
         @excel_function(definition="twice x")
         def TWICE(x: Annotated[float, Arg("The number to double.")] = None) -> object:
             \"\"\"Twice x.\"\"\"
             return 2 * x
         """, "a None default needs `type | None`"),
        # the help text forgotten
        ("""
         @excel_function(definition="twice x")
         def TWICE(x: Annotated[float, Arg("")]) -> object:
             \"\"\"Twice x.\"\"\"
             return 2 * x
         """, "help text too short"),
    ],
)
def test_a_mistake_in_a_declaration_fails_at_import(tmp_path, registry, body, expected):
    count = len(registry)
    with pytest.raises(TypeError) as caught:
        import_source(tmp_path, body)
    assert expected in str(caught.value)
    assert len(registry) == count  # nothing half-registered


def test_one_declaration_gives_conversion_help_default_and_registration(tmp_path, registry):
    module = import_source(tmp_path, """
        @excel_function(definition="amount × periods")
        def TOTAL(
            amount: Annotated[np.ndarray, Arg("Amount per period, in currency.")],
            periods: Annotated[int, Arg("Number of periods, a whole number.")] = 12,
            label: Annotated[str | None, Arg("A label to check (optional; empty = none).")] = None,
        ) -> object:
            \"\"\"Total over the periods.\"\"\"
            assert isinstance(periods, int)
            return amount * periods
        """)
    assert module.TOTAL([[10], [20]]) == [[120.0], [240.0]]
    assert module.TOTAL(10, [[3.0]]) == [[30.0]]
    assert module.TOTAL(10, 2.5) == [["TOTAL: periods must be a whole number; got 2.5"]]
    assert module.TOTAL(10, 1, 2, 3)[0][0].startswith("TOTAL: too many positional arguments")
    spec = registry[-1]
    assert spec.signature == "TOTAL(amount, [periods], [label])"
    assert [a.doc for a in spec.arguments][1] == "Number of periods, a whole number. Optional, default 12."
    assert spec.arguments[0].conversion.kind == "number or range of numbers"


def test_readme_function_table_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    assert catalogue.with_table(text) == text, "README is stale: run python scripts/readme_functions.py"
    for function in udfs.EXCEL_FUNCTIONS:
        assert f"| `{function.signature}` | {function.summary} | {function.definition} |" in text


def test_functions_command_describes_one_function_from_its_declarations():
    result = CliRunner().invoke(main, ["functions", "clv_summary"])
    assert result.exit_code == 0, result.output
    spec = next(f for f in udfs.EXCEL_FUNCTIONS if f.name == "CLV_SUMMARY")
    for argument in spec.arguments:
        assert f"{argument.conversion.kind}: {argument.doc}" in result.output
    assert "time_unit" in result.output and "Optional, default D." in result.output
    markdown = CliRunner().invoke(main, ["functions", "--markdown"])
    assert markdown.output.strip() == catalogue.markdown_table()
    unknown = CliRunner().invoke(main, ["functions", "NOPE"])
    assert unknown.exit_code == 2 and "no Excel function named 'NOPE'" in unknown.output
