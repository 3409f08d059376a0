"""The ``clv-xl`` command line: one command per public job of the library.

Every :class:`~clv_xl.errors.ClvXlError` ends in one short line on stderr and exit code 2, never a traceback.
Each command lives in a small module of this package and is registered on :data:`main` below.
"""

from __future__ import annotations

from clv_xl.cli._app import main
from clv_xl.cli.excel_cmd import addin, serve
from clv_xl.cli.functions_cmd import functions
from clv_xl.cli.inspect_cmd import inspect
from clv_xl.cli.report_cmd import demo, report
from clv_xl.cli.summary_cmd import summary

main.add_command(functions)
main.add_command(summary)
main.add_command(inspect)
main.add_command(addin)
main.add_command(serve)
main.add_command(report)
main.add_command(demo)

__all__ = ["main"]
