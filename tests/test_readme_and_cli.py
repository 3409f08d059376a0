"""The README is the front door: its Quickstart, its examples, and every command and function documented."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

import clv_xl
from clv_xl.cli import main
from clv_xl.excel.udfs import EXCEL_FUNCTIONS

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, flags=re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_quickstart_is_one_block_that_installs_runs_the_demo_and_tests():
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section("Quickstart"), flags=re.S)
    assert len(blocks) == 1
    block = blocks[0]
    assert "pip install" in block
    assert "clv-xl demo" in block
    assert "python -m pytest" in block


def test_ci_runs_the_readme_quickstart_block_as_written():
    block = re.findall(r"```(?:bash|sh)?\n(.*?)```", section("Quickstart"), flags=re.S)[0]
    done = subprocess.run([sys.executable, str(ROOT / ".ci" / "quickstart_block.py"), str(ROOT / "README.md")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == block  # what CI runs is exactly what the README shows
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".ci/quickstart_block.py README.md --checked" in ci and 'bash -euo pipefail -x "$WORK/quickstart.sh"' in ci
    assert "CLV_XL_REQUIRE_ALL=1" in ci and "CLV_XL_REQUIRE_LIBREOFFICE=1" in ci
    assert "libreoffice-calc-nogui" in ci and "poppler-utils" in ci


def test_readme_python_examples_run():
    parser = doctest.DocTestParser()
    test = parser.get_doctest(README, {}, "README.md", str(ROOT / "README.md"), 0)
    assert test.examples, "README shows no Python example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def all_commands(group: click.Group, prefix: str = "clv-xl") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names.extend(all_commands(command, f"{prefix} {name}"))
    return names


def test_every_command_is_documented_in_the_readme_and_its_help_ends_with_an_example():
    commands = all_commands(main)
    assert "clv-xl functions" in commands
    for command in commands:
        assert f"`{command}" in README or f"{command} " in README, f"README does not show `{command}`"
        result = CliRunner().invoke(main, [*command.split()[1:], "--help"])
        assert result.exit_code == 0, result.output
        assert "Example" in result.output, f"`{command} --help` ends with no example"


def test_every_excel_function_is_documented_in_the_readme():
    table = section("Excel functions")
    for function in EXCEL_FUNCTIONS:
        assert f"`{function.signature}`" in table, f"README's function table lacks {function.signature}"


def test_version_and_functions_commands():
    runner = CliRunner()
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and clv_xl.__version__ in result.output
    result = runner.invoke(main, ["functions"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(EXCEL_FUNCTIONS)
    for function, line in zip(EXCEL_FUNCTIONS, lines, strict=True):
        assert line.startswith(function.signature) and line.rstrip().endswith(function.summary)


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "clv_xl", "functions"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("CLV(avg_order_value")


def test_unknown_command_is_a_usage_error_not_a_traceback():
    done = subprocess.run([sys.executable, "-m", "clv_xl", "no-such-command"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "No such command" in done.stderr


def test_usage_errors_are_one_line_with_a_pointer_to_help():
    for args, expected in [
        (["report", "x.csv", "-o", "r.xlsx", "--margin", "abc"], "Invalid value for '--margin'"),
        (["report", "x.csv", "-o", "r.xlsx", "--lang", "de"], "Invalid value for '--lang'"),
        (["serve", "--ssl-certfile", "no-such-cert.pem"], "does not exist"),
        (["no-such-command"], "No such command"),
    ]:
        done = subprocess.run([sys.executable, "-m", "clv_xl", *args], capture_output=True, text=True, timeout=120,
                              check=False)
        assert done.returncode == 2, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], done.stderr
        assert "--help" in lines[0]


def test_bare_command_shows_the_help():
    done = subprocess.run([sys.executable, "-m", "clv_xl"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.startswith("Usage: ")
