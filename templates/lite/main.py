"""clv-xl for xlwings Lite: paste this file into the main.py tab of the xlwings Lite editor.

Steps (Excel on Windows, macOS or the web; nothing to install on the computer):

1. Home > Add-ins: search "xlwings", add xlwings Lite; its editor opens on the right.
2. requirements.txt tab: paste templates/lite/requirements.txt of clv-xl; installation starts by itself
   (watch the Output pane).
3. main.py tab: replace the sample with this file.
4. In a cell: =CLV(50, 2, 3) gives 300; =LTV_CAC(B2, B3), =CHURN_RATE(100, 5), ... (every clv-xl function).
5. Put the active cell in your orders (a header row with customer, date and amount columns) or select
   them, choose "generate_report" in the editor's script list and click Run (or press F5): the report
   sheets (CLV Summary, CLV Customers, ...) are added to the workbook, with labelled headers, number
   formats, live totals and an Excel Table (Lite cannot insert a whole workbook: for the full report with
   dashboard and charts, use `clv-xl report` or the xlwings Server add-in).
6. The first run adds a "CLV settings" sheet: change the margin, discount rate, CAC, currency or language
   there (30 %, 0,3 and 0.3 are the same margin) and run the script again. In App Mode (Ctrl+Shift+M) the
   script also shows margin, language and currency fields; filled in, they win over the sheet.

The code lives in the clv-xl package, so this file stays short: the functions are clv-xl's own
(clv_xl.excel.udfs) and the script calls the same code as the ribbon button of the other hosts.
"""

import xlwings as xw
from xlwings import script

from clv_xl.excel.scripts import run_report
from clv_xl.excel.settings import LanguageField
from clv_xl.excel.udfs import *  # noqa: F403  (CLV, LTV_CAC, CHURN_RATE, ... as Excel functions)


@script
def generate_report(book: xw.Book, margin: str = "", language: LanguageField = "", currency: str = ""):
    """Add the CLV report sheets built from the orders in front of you.

    Blank fields keep the values of the "CLV settings" sheet. Margin: 30 %, 0,3 or 0.3. Currency: a code
    such as EUR (blank everywhere: the data's).
    """
    run_report(book, overrides={"margin": margin, "lang": language, "currency": currency})
