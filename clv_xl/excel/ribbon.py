"""What the classic add-in's **CLV > Generate report** button runs.

The VBA of ``clv_xl_addin.xlam`` (module ``ClvXlRibbon``, written by :func:`clv_xl.excel.addin.build_addin`)
calls ``RunPython "import clv_xl.excel.ribbon; clv_xl.excel.ribbon.main()"``: a fixed module, so the
add-in still works after its file is renamed (``clv_xl_addin (1).xlam`` after a download).
"""

from __future__ import annotations

__all__ = ["RUNPYTHON_COMMAND", "main"]

#: The Python command the ribbon button's VBA hands to xlwings' RunPython.
RUNPYTHON_COMMAND = "import clv_xl.excel.ribbon; clv_xl.excel.ribbon.main()"


def main() -> None:
    """Build the CLV report from the workbook that clicked the button (``xw.Book.caller()``).

    In desktop Excel the report is saved next to that workbook and opened
    (:func:`clv_xl.excel.scripts.run_report`); a problem with the data is a one-line message box.
    """
    import xlwings as xw

    from clv_xl.excel.scripts import run_report

    run_report(xw.Book.caller())
