"""The classic ribbon add-in: built on Linux from the installed xlwings' own quickstart template.

The built ``.xlam`` is read back with independent readers: olefile (compound file) and oletools' olevba
(dir stream, module streams, [MS-OVBA] decompression), never with clv-xl's own reader.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings

from clv_xl.errors import ClvXlError
from clv_xl.excel.addin import CONFIG_NAME, RIBBON_MODULE, build_addin, install_addin, read_ribbon_xml, set_config_value
from clv_xl.excel.ribbon import RUNPYTHON_COMMAND
from clv_xl.report.libreoffice import soffice
from tests.libreoffice import require_libreoffice
from tests.script_dispatch import office_js_book

with warnings.catch_warnings():  # oletools still calls pyparsing's deprecated camelCase names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser, decompress_stream

CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XLWINGS_TEMPLATE = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"


@pytest.fixture(scope="module")
def xlam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-in, built through the real command line."""
    out = tmp_path_factory.mktemp("addin")
    proc = subprocess.run(
        [sys.executable, "-m", "clv_xl", "addin", "build", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    path = out / "clv_xl_addin.xlam"
    assert f"Wrote {path}" in proc.stdout
    return path


def vba_modules(xlam: Path) -> dict[str, str]:
    """Module name -> source, read by oletools' olevba (its own compound-file, dir-stream and decompression code)."""
    parser = VBA_Parser(str(xlam))
    try:
        return {Path(vba_file).stem: code for _, _, vba_file, code in parser.extract_macros()}
    finally:
        parser.close()


def test_ribbon_has_clv_tab_whose_callback_exists_in_the_vba(xlam: Path) -> None:
    root = ET.fromstring(read_ribbon_xml(xlam))
    tabs = list(root.iter(f"{CUSTOM_UI_NS}tab"))
    assert [t.get("label") for t in tabs] == ["CLV"]
    buttons = {b.get("label"): b for b in tabs[0].iter(f"{CUSTOM_UI_NS}button")}
    module, _, callback = buttons["Generate report"].get("onAction").partition(".")
    modules = vba_modules(xlam)
    assert module in modules
    # a ribbon onAction callback takes the clicked control
    assert re.search(rf"^Sub {callback}\(control As IRibbonControl\)\r?$", modules[module], re.MULTILINE)


def test_runpython_command_is_a_fixed_string_whatever_the_file_is_called(xlam: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "clv_xl_addin (1).xlam"
    shutil.copyfile(xlam, renamed)
    commands = []
    for path in (xlam, renamed):
        calls = [line.strip() for code in vba_modules(path).values() for line in code.splitlines()
                 if re.match(r"RunPython [^=]", line.strip())]
        assert len(calls) == 1
        # one string literal: nothing concatenated, so nothing taken from ThisWorkbook.Name
        assert re.fullmatch(r'RunPython "[^"&]+"', calls[0]), calls[0]
        commands.append(calls[0].removeprefix("RunPython ").strip('"'))
    assert commands[0] == commands[1] == RUNPYTHON_COMMAND
    ribbon = vba_modules(renamed)[RIBBON_MODULE]
    assert "ThisWorkbook" not in ribbon and "ActiveWorkbook" not in ribbon
    # what xlwings' template ran for that file name is not even Python
    template_ribbon = vba_modules(XLWINGS_TEMPLATE)["RibbonMyAddin"]
    assert "mymodule = Left(ThisWorkbook.Name" in template_ribbon
    with pytest.raises(SyntaxError):
        compile(f"import {renamed.stem};{renamed.stem}.main()", "<RunPython>", "exec")


def all_text(xlam: Path) -> dict[str, bytes]:
    """Every part of the package, and inside vbaProject.bin every stream name, raw stream and decompressed one."""
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(xlam) as zf:
        for name in zf.namelist():
            out[name] = zf.read(name)
        ole = olefile.OleFileIO(out["xl/vbaProject.bin"], raise_defects=olefile.DEFECT_POTENTIAL)
    for entry in ole.listdir():
        path = "/".join(entry)
        raw = ole.openstream(path).read()
        out[f"vbaProject.bin:{path} (name)"] = path.encode()
        out[f"vbaProject.bin:{path}"] = raw
        if path == "VBA/dir":
            out[f"vbaProject.bin:{path} (decompressed)"] = bytes(decompress_stream(bytearray(raw)))
    for module, code in vba_modules(xlam).items():
        out[f"VBA module {module}"] = (module + "\n" + code).encode()
    return out


def test_no_template_leftover_anywhere_in_the_package(xlam: Path) -> None:
    parts = all_text(xlam)
    assert len([k for k in parts if k.startswith("VBA module")]) == 5
    leftovers = sorted(k for k, v in parts.items() if b"myaddin" in v.lower() or b"m\0y\0a\0d\0d\0i\0n" in v.lower())
    assert leftovers == []
    # the same check finds them in xlwings' template (so it would find them here)
    assert any(b"myaddin" in v.lower() for v in all_text(XLWINGS_TEMPLATE).values())
    workbook = ET.fromstring(parts["xl/workbook.xml"])
    sheets = [s.get("name") for s in workbook.iter(f"{SHEET_NS}sheet")]
    assert sheets == [f"_{CONFIG_NAME}.conf"]  # xlwings' config sheet, disabled by its underscore as in the template
    assert [n.text for n in workbook.iter(f"{SHEET_NS}definedName")] == []
    # nor the template author's name or folder, except in the VBA references' type-library paths (the dir stream),
    # left as xlwings ships them: Excel finds a reference by its GUID and version, the path is only a hint
    traces = [k for k, v in parts.items() if b"felix" in v.lower() or b"abspath" in v.lower()]
    assert traces == ["vbaProject.bin:VBA/dir (decompressed)"]
    assert b"felix" not in parts["xl/workbook.xml"].lower()
    assert any(b"felix" in v.lower() for v in all_text(XLWINGS_TEMPLATE).values())
    core = ET.fromstring(parts["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == "CLV report (clv-xl)"
    assert "Builds a CLV report" in core.findtext("{http://purl.org/dc/elements/1.1/}description")
    xlwings_module = vba_modules(xlam)["xlwings"]
    assert f'Public Const PROJECT_NAME As String = "{CONFIG_NAME}"' in xlwings_module
    assert 'PROJECT_NAME & ".conf"' in xlwings_module  # the sheet and file names the add-in's settings come from


def test_vba_is_the_installed_xlwings_one_with_only_the_named_changes(xlam: Path) -> None:
    ours, template = vba_modules(xlam), vba_modules(XLWINGS_TEMPLATE)
    assert set(ours) == set(template) - {"RibbonMyAddin"} | {RIBBON_MODULE}
    for name in set(ours) - {RIBBON_MODULE, "xlwings"}:
        assert ours[name] == template[name]
    assert f"Version: {xlwings.__version__}" in ours["xlwings"]
    assert len(template["xlwings"].splitlines()) == len(ours["xlwings"].splitlines())
    pairs = zip(template["xlwings"].splitlines(), ours["xlwings"].splitlines(), strict=True)
    changed = [(a, b) for a, b in pairs if a != b]
    assert changed == [('Public Const PROJECT_NAME As String = "myaddin"',
                        f'Public Const PROJECT_NAME As String = "{CONFIG_NAME}"')]
    with zipfile.ZipFile(xlam) as zf:
        assert zf.testzip() is None
        vba = zf.read("xl/vbaProject.bin")
        content_types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("_rels/.rels").decode()
    ole = olefile.OleFileIO(vba, raise_defects=olefile.DEFECT_POTENTIAL)
    # [MS-OVBA] 2.3.4.1: version 0xFFFF and no cache, so Excel compiles the VBA from its source
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000100")
    assert "vbaProject" in content_types and "addin.macroEnabled" in content_types
    assert "customUI/customUI.xml" in rels


def test_the_command_the_vba_runs_reports_on_the_calling_workbook(xlam: Path, tmp_path: Path) -> None:
    """The RunPython string read from the built add-in, executed with xlwings' own Book.caller().

    Desktop Excel is not here, so the caller is set with xlwings' ``Book.set_mock_caller`` (its documented way
    to run RunPython code outside Excel) to a workbook in xlwings' remote engine, the one Office.js and Lite use.
    """
    (call,) = [line.strip() for code in vba_modules(xlam).values() for line in code.splitlines()
               if re.match(r"RunPython [^=]", line.strip())]
    command = call.removeprefix("RunPython ").strip('"')
    rows = [["Customer", "Order date", "Amount"]] + [
        [f"c{i % 7}", f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}T00:00:00.000Z", 10.0 + i] for i in range(40)
    ]
    payload = tmp_path / "book.json"
    payload.write_text(json.dumps(office_js_book([{"name": "Orders", "values": rows}])))
    runner = (
        "import json, sys\nimport xlwings as xw\n"
        "xw.Book(json=json.load(open(sys.argv[1]))).set_mock_caller()\n"
        "exec(sys.argv[2])\n"
        "json.dump(xw.Book.caller().json()['actions'], sys.stdout)\n"
    )
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    proc = subprocess.run([sys.executable, "-c", runner, str(payload), command], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    actions = json.loads(proc.stdout)
    assert not [a for a in actions if a["func"] == "alert"], actions
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert "CLV Customers" in added and "CLV Summary" in added
    customers = next(a["values"] for a in actions if a["func"] == "setValues"
                     and a["sheet_position"] == added.index("CLV Customers") + 1)
    assert sorted(row[0] for row in customers[1:]) == [f"c{i}" for i in range(7)]


def test_build_refuses_to_overwrite_without_force(xlam: Path) -> None:
    with pytest.raises(ClvXlError, match="already exists"):
        build_addin(xlam.parent, force=False)


def test_install_explains_on_linux() -> None:
    if sys.platform.startswith("win") or sys.platform == "darwin":
        pytest.skip("installs into Excel on this system")
    with pytest.raises(ClvXlError, match="Windows or macOS"):
        install_addin()
    proc = subprocess.run(
        [sys.executable, "-m", "clv_xl", "addin", "install"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "clv-xl addin build" in lines[0] and "clv-xl serve" in lines[0]


def test_udf_modules_setting_is_read_back_by_xlwings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "xlwings.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\\\python.exe"\n"udf modules","something_else"\n')
    set_config_value(conf, "UDF Modules", "clv_xl.excel.udfs")
    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(conf))
    from xlwings.utils import read_user_config

    config = read_user_config()
    assert config["udf modules"] == "clv_xl.excel.udfs"
    assert config["interpreter_win"] == "C:\\\\python.exe"
    assert conf.read_text().count("UDF Modules") == 1


def test_libreoffice_imports_the_vba_project(xlam: Path, tmp_path: Path) -> None:
    """A third reader, an office suite's own VBA import: LibreOffice turns the project into Basic modules.

    LibreOffice does not open ``.xlam`` files, so the copy only declares its workbook part a macro workbook.
    """
    require_libreoffice()
    copy = tmp_path / "addin.xlsm"
    with zipfile.ZipFile(xlam) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"addin.macroEnabled.main", b"sheet.macroEnabled.main")
            zout.writestr(info, data)
    proc = subprocess.run(
        [str(soffice()), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "ods", "--outdir", str(tmp_path), str(copy)],
        capture_output=True, text=True, timeout=300,
    )
    ods = tmp_path / "addin.ods"
    assert ods.is_file(), proc.stdout + proc.stderr
    with zipfile.ZipFile(ods) as zf:
        basic = {name: zf.read(name).decode() for name in zf.namelist() if name.startswith("Basic/")}
    modules = {name.rsplit("/", 1)[-1].removesuffix(".xml") for name in basic if name.startswith("Basic/ClvXl/")}
    assert {RIBBON_MODULE, "xlwings", "Dictionary"} <= modules
    ribbon = basic[f"Basic/ClvXl/{RIBBON_MODULE}.xml"]
    assert "Sub GenerateReport(control As IRibbonControl)" in ribbon
    assert f"RunPython &quot;{RUNPYTHON_COMMAND}&quot;" in ribbon
    assert not any("myaddin" in text.lower() for text in basic.values())
