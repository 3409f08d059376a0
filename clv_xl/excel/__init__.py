"""The Excel layer: the only package of clv-xl that imports xlwings.

- :mod:`clv_xl.excel.udfs`: the worksheet functions (``=CLV(...)`` and friends);
- the ribbon/menu entry points, the add-in builder and the xlwings Server project.

It is thin: it converts cell values to Python, calls one core function and maps errors to what a cell
or a message box should show.
"""
