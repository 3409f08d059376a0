"""Render a report's Dashboard to PNG: LibreOffice (recalculating) -> PDF -> pdftoppm.

Usage:  python scripts/render_dashboard.py REPORT.xlsx OUT.png [--dpi 110]
        python scripts/render_dashboard.py --demo docs/dashboard.png [--lang fr]

Every sheet but the Dashboard is hidden in a scratch copy (edited inside the zip, so charts stay), so the PDF
holds the dashboard alone. The Dashboard is the sheet of the ``anchor_title`` defined name, whatever its tab is
called in the report's language ("Tableau de bord" in French).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from clv_xl.report.libreoffice import convert

#: The sheet to render; None: the report's dashboard (see :func:`dashboard_sheet`).
SHEET: str | None = None


def dashboard_sheet(report: Path) -> str:
    """The tab of the report's dashboard: the sheet of its ``anchor_title`` defined name."""
    wb = load_workbook(report, read_only=True)
    try:
        return next(sheet for sheet, _ in wb.defined_names["anchor_title"].destinations)
    finally:
        wb.close()


def _hide(match: re.Match[str]) -> str:
    tag = match.group(0)
    if f'name="{SHEET}"' in tag:
        return tag
    tag = re.sub(r'\sstate="[a-zA-Z]+"', "", tag)
    return tag.replace("<sheet ", '<sheet state="hidden" ', 1)


def dashboard_only(source: Path, target: Path) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                names = re.findall(r'<sheet [^>]*name="([^"]+)"', text)
                text = re.sub(r'<sheet [^>]*>', _hide, text)
                text = re.sub(r'activeTab="\d+"', f'activeTab="{names.index(SHEET)}"', text)
                text = re.sub(r'firstSheet="\d+"', f'firstSheet="{names.index(SHEET)}"', text)
                data = text.encode("utf-8")
            zout.writestr(info, data)


def render(report: Path, png: Path, dpi: int = 110, locale: str | None = None) -> Path:
    global SHEET
    SHEET = SHEET or dashboard_sheet(report)
    with tempfile.TemporaryDirectory(prefix="clv-render-") as scratch:
        folder = Path(scratch)
        copy = folder / "dashboard.xlsx"
        dashboard_only(report, copy)
        pdf = convert(copy, folder, "pdf", locale=locale)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(folder / "page")], check=True)
        png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "page.png", png)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--demo", action="store_true", help="build the demo report first")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--dpi", type=int, default=110)
    parser.add_argument("--locale", default=None,
                        help="locale of the spreadsheet that shows the numbers (default: fr-FR with --lang fr)")
    parser.add_argument("--sheet", default=None, help="render this sheet instead (first page)")
    args = parser.parse_args()
    global SHEET
    SHEET = args.sheet
    if args.demo:
        from clv_xl.report import build_report
        from clv_xl.sample_shop import sample_orders

        scratch = Path(tempfile.mkdtemp(prefix="clv-demo-"))
        currency = "EUR" if args.lang == "fr" else None
        args.report = build_report(sample_orders(), scratch / "demo.xlsx", lang=args.lang, cac=40.0,
                                   currency=currency)
    locale = args.locale or ("fr-FR" if args.lang == "fr" else None)
    print(render(args.report, args.png, args.dpi, locale))


if __name__ == "__main__":
    main()
