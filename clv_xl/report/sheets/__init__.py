"""One module per report sheet; each fills its sheet of the template from a :class:`ReportContent`."""

from __future__ import annotations

from clv_xl.report.sheets._context import WriteContext

__all__ = ["WriteContext"]
