"""The report generator: order data in, a CLV report workbook out.

:func:`build_report` writes the file; :func:`build_content` computes every figure and table without touching
the file system (for hosts that write the sheets themselves, such as the Office.js ribbon), and
:func:`write_workbook` writes a computed report to any binary stream.
"""

from __future__ import annotations

from clv_xl.report.build import build_report, write_workbook
from clv_xl.report.content import ReportContent, build_content
from clv_xl.report.options import ReportOptions
from clv_xl.report.template import REQUIRED_NAMES, REQUIRED_SHEETS, check_template, default_template, load_template

__all__ = [
    "build_report",
    "build_content",
    "write_workbook",
    "ReportContent",
    "ReportOptions",
    "REQUIRED_NAMES",
    "REQUIRED_SHEETS",
    "check_template",
    "default_template",
    "load_template",
]
