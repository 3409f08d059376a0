"""RunPython target of the classic ribbon add-in ``clv_xl_addin.xlam``.

The add-in's VBA (shipped by xlwings) runs ``import clv_xl_addin; clv_xl_addin.main()`` when the
**CLV > Generate report** button is clicked; the module is named like the ``.xlam`` for that reason.
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """Build the CLV report from the workbook that clicked the button (needs Excel on Windows or macOS)."""
    import xlwings as xw

    from clv_xl.excel.scripts import generate_report

    generate_report(xw.Book.caller())
