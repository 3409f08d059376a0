"""The xlwings Server project of clv-xl: Excel functions and the report button for Office.js Excel.

xlwings Server (the ``xlwings-server`` package) imports the packages ``custom_functions`` and
``custom_scripts`` from its project folder, ``XLWINGS_PROJECT_DIR``. This folder is that project, kept
thin: both packages only re-export :mod:`clv_xl.excel.udfs` and :func:`clv_xl.excel.scripts.generate_report`.
``templates/manifest.xml`` (the add-in manifest with the **CLV** ribbon tab) and ``static/js/ribbon.js``
(the **Generate report** button) override xlwings Server's own files of the same name.

Start it with ``clv-xl serve`` (see :mod:`clv_xl.excel.serve`), which sets the project folder, the
``CLV`` function namespace and the project name.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PROJECT_DIR"]

#: The folder to pass to xlwings Server as ``XLWINGS_PROJECT_DIR``.
PROJECT_DIR: Path = Path(__file__).resolve().parent
