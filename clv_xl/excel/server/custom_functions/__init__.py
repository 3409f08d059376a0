"""Excel functions served by xlwings Server: a re-export of :mod:`clv_xl.excel.udfs`.

In Office.js Excel they appear under the ``CLV`` namespace: ``=CLV.CLV(50, 2, 3)``.
"""

from clv_xl.excel.udfs import *  # noqa: F403
from clv_xl.excel.udfs import __all__  # noqa: F401
