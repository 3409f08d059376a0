"""Render a report's Dashboard to PNG: LibreOffice (recalculating) -> PDF -> pdftoppm.

Usage:  python scripts/render_dashboard.py REPORT.xlsx OUT.png [--dpi 110]
        python scripts/render_dashboard.py --demo docs/dashboard.png [--lang fr]

Every sheet but the Dashboard is hidden in a scratch copy (edited inside the zip, so charts stay), so the PDF
holds the dashboard alone.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from clv_xl.report.libreoffice import convert

SHEET = "Dashboard"


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


def render(report: Path, png: Path, dpi: int = 110) -> Path:
    with tempfile.TemporaryDirectory(prefix="clv-render-") as scratch:
        folder = Path(scratch)
        copy = folder / "dashboard.xlsx"
        dashboard_only(report, copy)
        pdf = convert(copy, folder, "pdf")
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
    parser.add_argument("--sheet", default="Dashboard", help="render this sheet instead (first page)")
    args = parser.parse_args()
    global SHEET
    SHEET = args.sheet
    if args.demo:
        from clv_xl.report import build_report
        from clv_xl.sample_shop import sample_orders

        scratch = Path(tempfile.mkdtemp(prefix="clv-demo-"))
        args.report = build_report(sample_orders(), scratch / "demo.xlsx", lang=args.lang, cac=40.0)
    print(render(args.report, args.png, args.dpi))


if __name__ == "__main__":
    main()
