"""The ``clv-xl`` command line: one command per public job of the library.

Every :class:`~clv_xl.errors.ClvXlError` ends in one short line on stderr and exit code 2, never a traceback.
Each command lives in a small module of this package, named in :data:`COMMANDS` and imported only when that
command runs (``clv-xl summary`` does not load the report and its models).
"""

from __future__ import annotations

from clv_xl.cli._app import main

#: Command name -> the module defining it (a function of the same name).
COMMANDS = {
    "functions": "clv_xl.cli.functions_cmd",
    "summary": "clv_xl.cli.summary_cmd",
    "inspect": "clv_xl.cli.inspect_cmd",
    "addin": "clv_xl.cli.excel_cmd",
    "serve": "clv_xl.cli.excel_cmd",
    "report": "clv_xl.cli.report_cmd",
    "demo": "clv_xl.cli.report_cmd",
}
main.add_lazy_commands(COMMANDS)

__all__ = ["main", "COMMANDS"]
