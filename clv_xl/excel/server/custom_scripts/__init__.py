"""Scripts served by xlwings Server: the **Generate report** button (:func:`clv_xl.excel.scripts.generate_report`)."""

from clv_xl.excel.scripts import generate_report

__all__ = ["generate_report"]
