"""Build and install the classic Excel ribbon add-in ``clv_xl_addin.xlam``.

The add-in is never committed as a binary: its VBA must match the installed xlwings version, so
:func:`build_addin` starts from the installed xlwings' ribbon add-in template
(``xlwings quickstart NAME --addin --ribbon``) and makes it clv-xl's own:

- the ribbon XML is replaced by a **CLV** tab with a **Generate report** button;
- the template's ribbon module ``RibbonMyAddin`` (whose ``RunMain`` imports a Python module named after the
  ``.xlam`` file, which breaks once the file is renamed) becomes ``ClvXlRibbon`` whose ``GenerateReport``
  runs the fixed command :data:`clv_xl.excel.ribbon.RUNPYTHON_COMMAND`;
- xlwings' ``PROJECT_NAME`` constant ``"myaddin"`` becomes ``"clv_xl"`` (so the add-in reads its settings from
  a ``clv_xl.conf`` sheet, a ``clv_xl.conf`` file next to the workbook, or ``~/.clv_xl/clv_xl.conf``), the VBA
  project is named ``ClvXl`` and the template's disabled ``_myaddin.conf`` sheet is ``_clv_xl.conf``.

The VBA is rewritten from source (:mod:`clv_xl.excel.vba_project`); the rewritten modules carry no p-code
cache and the project's version is ``0xFFFF``, so Excel compiles the source when it opens the add-in.
:func:`install_addin` needs Excel (Windows or macOS); everything else here runs anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from clv_xl.errors import ClvXlError, OutputError

__all__ = [
    "ADDIN_NAME",
    "CONFIG_NAME",
    "RIBBON_MODULE",
    "ribbon_vba",
    "RIBBON_XML",
    "UDF_MODULES",
    "build_addin",
    "read_ribbon_xml",
    "set_config_value",
    "addin_config_file",
    "install_addin",
]

#: Name of the add-in file (any other name works too: nothing depends on it).
ADDIN_NAME = "clv_xl_addin"

#: xlwings' ``PROJECT_NAME`` in the add-in's VBA: names its config sheet and files (``clv_xl.conf``).
CONFIG_NAME = "clv_xl"

#: The VBA module holding the ribbon callback.
RIBBON_MODULE = "ClvXlRibbon"

_PROJECT_NAME = "ClvXl"
_TEMPLATE_MODULE = "RibbonMyAddin"
_TEMPLATE_PROJECT_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'
_TEMPLATE_CONF_SHEET = b'name="_myaddin.conf"'

#: The module whose functions Excel imports as UDFs (the ``UDF Modules`` setting of xlwings).
UDF_MODULES = "clv_xl.excel.udfs"

_SUPERTIP = (
    "Builds a CLV report from the orders in front of you (the selection, the table or block under the "
    "active cell, or the first sheet with customer, date and amount columns), saves it next to this "
    "workbook and opens it."
)

#: Ribbon of the add-in; its callback is ``GenerateReport`` in the VBA module :data:`RIBBON_MODULE`.
RIBBON_XML = f"""\
<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui">
  <ribbon>
    <tabs>
      <tab id="clvXlTab" label="CLV">
        <group id="clvXlReportGroup" label="Report">
          <button id="clvXlGenerateReport" label="Generate report" size="large"
                  onAction="{RIBBON_MODULE}.GenerateReport" imageMso="CreateReport"
                  screentip="Generate report"
                  supertip="{_SUPERTIP}" />
        </group>
      </tab>
    </tabs>
  </ribbon>
</customUI>
"""

_CUSTOM_UI = "customUI/customUI.xml"
_VBA_PROJECT = "xl/vbaProject.bin"
_WORKBOOK = "xl/workbook.xml"
_CORE_PROPERTIES = "docProps/core.xml"
#: Where the template's author saved it (``x15ac:absPath``), dropped from the workbook part.
_SAVED_PATH = re.compile(
    rb"<mc:AlternateContent[^>]*><mc:Choice[^>]*><x15ac:absPath[^>]*/></mc:Choice></mc:AlternateContent>"
)


def _own_workbook_xml(workbook: bytes) -> bytes:
    """The template's workbook part with clv-xl's config sheet name and without the template author's folder."""
    return _SAVED_PATH.sub(b"", workbook.replace(_TEMPLATE_CONF_SHEET, f'name="_{CONFIG_NAME}.conf"'.encode()))


def _core_properties() -> bytes:
    """Document properties naming clv-xl (Excel's Add-ins dialog shows the title and description)."""
    from xml.sax.saxutils import escape

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>CLV report (clv-xl)</dc:title>"
        f"<dc:description>{escape(_SUPERTIP)}</dc:description>"
        "<dc:creator>clv-xl</dc:creator>"
        "</cp:coreProperties>"
    ).encode()


def ribbon_vba() -> str:
    """Source of the VBA module :data:`RIBBON_MODULE`: the button's callback and its fixed RunPython command.

    Examples
    --------
    >>> print(ribbon_vba().splitlines()[-2])
        RunPython "import clv_xl.excel.ribbon; clv_xl.excel.ribbon.main()"
    """
    from clv_xl.excel.ribbon import RUNPYTHON_COMMAND

    return "\r\n".join([
        f'Attribute VB_Name = "{RIBBON_MODULE}"',
        "' clv-xl: the CLV > Generate report button. The Python module is fixed, so the add-in file may be renamed.",
        "Sub GenerateReport(control As IRibbonControl)",
        f'    RunPython "{RUNPYTHON_COMMAND}"',
        "End Sub",
        "",
    ])


def _own_vba(template_vba: bytes) -> bytes:
    """The template's VBA project with clv-xl's ribbon module, config name and project name."""
    from clv_xl.excel.vba_project import module_sources, rewrite_project

    sources = module_sources(template_vba)
    main = sources.get("xlwings", "")
    if _TEMPLATE_MODULE not in sources or _TEMPLATE_PROJECT_LINE not in main:
        raise ClvXlError("the xlwings add-in template has changed (no RibbonMyAddin module or PROJECT_NAME); "
                         "install the xlwings version clv-xl was tested with")
    main = main.replace(_TEMPLATE_PROJECT_LINE, f'Public Const PROJECT_NAME As String = "{CONFIG_NAME}"')
    return rewrite_project(
        template_vba,
        sources={RIBBON_MODULE: ribbon_vba(), "xlwings": main},
        renames={_TEMPLATE_MODULE: RIBBON_MODULE},
        project_name=_PROJECT_NAME,
    )


def build_addin(out_dir: str | os.PathLike[str] = ".", *, force: bool = True) -> Path:
    """Build ``clv_xl_addin.xlam`` from the installed xlwings and write it to ``out_dir``.

    Runs ``xlwings quickstart clv_xl_addin --addin --ribbon`` in a temporary folder (so the VBA matches
    the installed xlwings version), then replaces its ribbon with :data:`RIBBON_XML` (a tab **CLV**
    with a **Generate report** button), its ribbon module with :func:`ribbon_vba` and the template's
    ``myaddin`` names with clv-xl's (see the module docstring).

    Parameters
    ----------
    out_dir : str or path-like, default "."
        Folder to write the add-in to; created if missing.
    force : bool, default True
        Overwrite an existing ``clv_xl_addin.xlam`` in ``out_dir``.

    Returns
    -------
    pathlib.Path
        Path of the written ``.xlam``.

    Raises
    ------
    OutputError
        If the file exists and ``force`` is off, or ``out_dir`` is not writable.
    ClvXlError
        If the installed xlwings cannot produce its add-in template.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     xlam = build_addin(tmp)
    ...     xlam.name, 'label="CLV"' in read_ribbon_xml(xlam), b"myaddin" in xlam.read_bytes().lower()
    ('clv_xl_addin.xlam', True, False)
    """
    out = Path(out_dir).expanduser()
    target = out / f"{ADDIN_NAME}.xlam"
    if target.exists() and not force:
        raise OutputError(f"{target} already exists; pass force=True (CLI: it is overwritten) to replace it")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {out}: {exc.strerror or exc}") from exc

    with tempfile.TemporaryDirectory(prefix="clv-xl-addin-") as tmp:
        proc = _run_xlwings(["quickstart", ADDIN_NAME, "--addin", "--ribbon"], cwd=tmp)
        template = Path(tmp) / ADDIN_NAME / f"{ADDIN_NAME}.xlam"
        if proc.returncode != 0 or not template.is_file():
            detail = (proc.stderr or proc.stdout).strip().splitlines()
            raise ClvXlError(
                "xlwings could not create its ribbon add-in template"
                + (f": {detail[-1]}" if detail else "")
                + "; check that xlwings is installed (pip install xlwings)"
            )
        staged = Path(tmp) / f"{ADDIN_NAME}.xlam"
        with zipfile.ZipFile(template) as zf:
            vba, workbook = zf.read(_VBA_PROJECT), zf.read(_WORKBOOK)
        if _TEMPLATE_CONF_SHEET not in workbook:
            raise ClvXlError("the xlwings add-in template has changed (no _myaddin.conf sheet); "
                             "install the xlwings version clv-xl was tested with")
        _replace_members(template, staged, {
            _CUSTOM_UI: RIBBON_XML.encode("utf-8"),
            _VBA_PROJECT: _own_vba(vba),
            _WORKBOOK: _own_workbook_xml(workbook),
            _CORE_PROPERTIES: _core_properties(),
        })
        try:
            shutil.copyfile(staged, target)
        except OSError as exc:
            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


def _run_xlwings(args: list[str], cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed xlwings command line (``xlwings ARGS``) with this interpreter."""
    code = f"import sys; from xlwings.cli import main; sys.argv = {['xlwings', *args]!r}; main()"
    # The desktop commands must not run in xlwings' server mode (which would also ask for a licence key).
    env = {k: v for k, v in os.environ.items() if k != "XLWINGS_ON_SERVER"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _replace_members(src: Path, dst: Path, members: dict[str, bytes]) -> None:
    """Copy the zip ``src`` to ``dst`` with some members replaced (order and compression kept)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        missing = sorted(set(members) - set(zin.namelist()))
        if missing:
            raise ClvXlError(f"the xlwings add-in template has no {missing[0]}; is xlwings up to date?")
        for info in zin.infolist():
            zout.writestr(info, members.get(info.filename) or zin.read(info.filename))


def read_ribbon_xml(xlam: str | os.PathLike[str]) -> str:
    """Return the ribbon XML (``customUI/customUI.xml``) of an add-in file.

    Parameters
    ----------
    xlam : str or path-like
        An ``.xlam`` (or any Office file with a ribbon part).

    Returns
    -------
    str
        The ribbon XML.
    """
    with zipfile.ZipFile(xlam) as zf:
        return zf.read(_CUSTOM_UI).decode("utf-8")


def set_config_value(config_file: str | os.PathLike[str], key: str, value: str) -> Path:
    """Set ``key`` to ``value`` in an xlwings config file (``"KEY","VALUE"`` lines), keeping the rest.

    Keys compare case-insensitively, as xlwings reads them.

    Parameters
    ----------
    config_file : str or path-like
        Usually ``~/.xlwings/xlwings.conf`` (see ``xlwings.USER_CONFIG_FILE``); created if missing.
    key : str
        Setting name, e.g. ``"UDF Modules"``.
    value : str
        New value.

    Returns
    -------
    pathlib.Path
        The config file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     conf = pathlib.Path(tmp) / "xlwings.conf"
    ...     _ = conf.write_text('"INTERPRETER_WIN","python"\\n"UDF MODULES","old"\\n')
    ...     print(set_config_value(conf, "UDF Modules", "clv_xl.excel.udfs").read_text(), end="")
    "INTERPRETER_WIN","python"
    "UDF Modules","clv_xl.excel.udfs"
    """
    path = Path(config_file).expanduser()
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    new_line = f'"{key}","{value}"'
    out: list[str] = []
    replaced = False
    for line in lines:
        found = re.findall(r'"[^"]*"', line)
        if found and found[0].strip('"').lower() == key.lower():
            if not replaced:
                out.append(new_line)
                replaced = True
            continue
        out.append(line)
    if not replaced:
        out.append(new_line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def addin_config_file(home: str | os.PathLike[str] | None = None, platform: str = sys.platform) -> Path:
    """Where the add-in's VBA reads its user settings (xlwings' ``GetConfigFilePath`` with ``clv_xl``).

    Windows: ``%USERPROFILE%\\.clv_xl\\clv_xl.conf``; macOS: ``clv_xl.conf`` in Excel's sandbox home.

    Examples
    --------
    >>> addin_config_file("/home/ana", "win32").as_posix()
    '/home/ana/.clv_xl/clv_xl.conf'
    >>> addin_config_file("/Users/ana", "darwin").as_posix()
    '/Users/ana/Library/Containers/com.microsoft.Excel/Data/clv_xl.conf'
    """
    base = Path(home) if home is not None else Path.home()
    if platform == "darwin":
        return base / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{CONFIG_NAME}.conf"
    return base / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"


def install_addin(xlam: str | os.PathLike[str] | None = None) -> list[str]:
    """Install the xlwings add-in and ``clv_xl_addin.xlam`` into Excel, and register the functions.

    Runs ``xlwings addin install`` (the xlwings add-in, which imports the functions), builds (unless
    given) and installs ``clv_xl_addin.xlam`` into Excel's XLSTART folder the same way, then sets
    ``UDF Modules`` to ``clv_xl.excel.udfs`` in the user's xlwings config so that **Import Functions**
    in the xlwings tab finds them, and the interpreter of the add-in's own config
    (:func:`addin_config_file`) to this Python, where clv-xl is installed.

    Parameters
    ----------
    xlam : str or path-like, optional
        A ready ``clv_xl_addin.xlam``; built from the installed xlwings when omitted.

    Returns
    -------
    list of str
        One line per step done, for the user.

    Raises
    ------
    ClvXlError
        On Linux or any system without desktop Excel, or when xlwings fails to install an add-in.
    """
    if not (sys.platform.startswith("win") or sys.platform == "darwin"):
        raise ClvXlError(
            "installing the add-in needs desktop Excel on Windows or macOS; here, run "
            "'clv-xl addin build -o DIR' and copy the .xlam to that machine, or use "
            "'clv-xl serve' (Excel on the web) or xlwings Lite"
        )
    import xlwings as xw

    done: list[str] = []
    with tempfile.TemporaryDirectory(prefix="clv-xl-install-") as tmp:
        source = Path(xlam) if xlam is not None else build_addin(tmp)
        for args, what in (
            (["addin", "install"], "xlwings add-in"),
            (["addin", "install", "--file", str(source)], source.name),
        ):
            proc = _run_xlwings(args)
            output = (proc.stdout + proc.stderr).strip()
            if proc.returncode != 0 or "Error" in output:
                last = output.splitlines()[-1] if output else f"exit code {proc.returncode}"
                raise ClvXlError(f"could not install the {what}: {last}")
            done.append(f"installed the {what}")
    conf = set_config_value(xw.USER_CONFIG_FILE, "UDF Modules", UDF_MODULES)
    done.append(f"set 'UDF Modules' to {UDF_MODULES} in {conf}")
    key = "Interpreter_Mac" if sys.platform == "darwin" else "Interpreter_Win"
    own = set_config_value(addin_config_file(), key, sys.executable)
    done.append(f"set '{key}' to {sys.executable} in {own} (the Python the Generate report button runs)")
    done.append("restart Excel, then click xlwings > Import Functions once; the CLV tab has Generate report")
    return done
