"""Recalculate or render a workbook with LibreOffice headless (for tests, checks and screenshots).

LibreOffice keeps the cached values of an ``.xlsx`` by default; these helpers run it with a throw-away profile
whose ``OOXMLRecalcMode`` is 0 (always recalculate), so every formula is computed by a real spreadsheet engine.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from clv_xl.errors import ClvXlError

__all__ = ["soffice", "convert", "profile_xcu", "RECALC_PROFILE_XCU"]

#: registrymodifications.xcu of the profile: always recalculate on load.
RECALC_PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""

_LOCALE_ITEM = """<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>{locale}</value></prop></item>
"""


def profile_xcu(locale: str | None = None) -> str:
    """The profile's settings: always recalculate, and show numbers and dates the way ``locale`` writes them.

    A French analyst's LibreOffice (or Excel) runs in a French locale: ``#,##0.00`` shows ``1 234,56`` there.

    Examples
    --------
    >>> "fr-FR" in profile_xcu("fr-FR"), "L10N" in profile_xcu()
    (True, False)
    """
    if locale is None:
        return RECALC_PROFILE_XCU
    if not locale.replace("-", "").isalnum():
        raise ValueError(f"locale must look like fr-FR; got {locale!r}")
    return RECALC_PROFILE_XCU.replace("</oor:items>", _LOCALE_ITEM.format(locale=locale) + "</oor:items>")


def soffice() -> str | None:
    """Return the LibreOffice executable, or None when it is not installed.

    Returns
    -------
    str or None
        Path of ``soffice`` (or ``libreoffice``).

    Examples
    --------
    >>> soffice() is None or soffice().endswith(("soffice", "libreoffice"))
    True
    """
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: str | Path, out_dir: str | Path, fmt: str = "xlsx", timeout: float = 300,
            locale: str | None = None) -> Path:
    """Open ``path`` in LibreOffice headless, recalculate everything, and save it as ``fmt`` in ``out_dir``.

    Parameters
    ----------
    path : str or pathlib.Path
        Workbook to open.
    out_dir : str or pathlib.Path
        Folder for the result (same base name, new extension).
    fmt : str, default "xlsx"
        ``"xlsx"`` (recalculated workbook) or ``"pdf"``.
    timeout : float, default 300
        Seconds before giving up.
    locale : str, optional
        Locale of the spreadsheet (``"fr-FR"``): how cell formats show numbers and dates; LibreOffice's default
        (the system's) when omitted.

    Returns
    -------
    pathlib.Path
        The converted file.

    Raises
    ------
    ClvXlError
        LibreOffice is missing or the conversion failed.
    """
    exe = soffice()
    if exe is None:
        raise ClvXlError("LibreOffice (soffice) is not installed")
    source = Path(path).absolute()
    out = Path(out_dir).absolute()
    out.mkdir(parents=True, exist_ok=True)
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export"}
    with tempfile.TemporaryDirectory(prefix="clv-lo-profile-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(profile_xcu(locale), encoding="utf-8")
        command = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", filters.get(fmt, fmt), "--outdir", str(out), str(source)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    result = out / f"{source.stem}.{fmt}"
    if done.returncode != 0 or not result.exists():
        raise ClvXlError(f"LibreOffice could not convert {source.name}: {done.stderr.strip() or done.stdout.strip()}")
    return result
