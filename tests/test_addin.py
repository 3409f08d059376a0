"""The classic ribbon add-in: built on Linux by the installed xlwings' own quickstart template."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xlwings

from clv_xl.errors import ClvXlError
from clv_xl.excel.addin import ADDIN_NAME, build_addin, install_addin, read_ribbon_xml, set_config_value

CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
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


def test_ribbon_has_clv_tab_with_generate_report_button(xlam: Path) -> None:
    root = ET.fromstring(read_ribbon_xml(xlam))
    tabs = list(root.iter(f"{CUSTOM_UI_NS}tab"))
    assert [t.get("label") for t in tabs] == ["CLV"]
    buttons = {b.get("label"): b for b in tabs[0].iter(f"{CUSTOM_UI_NS}button")}
    assert "Generate report" in buttons
    # The callback is the one the VBA of xlwings' template defines: RunPython "import <xlam>; <xlam>.main()".
    assert buttons["Generate report"].get("onAction") == "RibbonMyAddin.RunMain"


def test_vba_project_is_the_installed_xlwings_one(xlam: Path) -> None:
    with zipfile.ZipFile(xlam) as zf:
        assert zf.testzip() is None
        vba = zf.read("xl/vbaProject.bin")
        content_types = zf.read("[Content_Types].xml").decode()
        rels = zf.read("_rels/.rels").decode()
    assert vba[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE compound file, as Excel writes VBA projects
    assert b"RunMain" in vba
    with zipfile.ZipFile(XLWINGS_TEMPLATE) as zf:
        assert vba == zf.read("xl/vbaProject.bin")  # same VBA as the installed xlwings ships: versions match
    assert "vbaProject" in content_types and "addin.macroEnabled" in content_types
    assert "customUI/customUI.xml" in rels


def test_runpython_target_module_is_named_like_the_xlam_and_has_main(xlam: Path) -> None:
    assert xlam.stem == ADDIN_NAME
    module = importlib.import_module(xlam.stem)
    assert callable(module.main)
    assert inspect.signature(module.main).parameters == {}
    assert "generate_report(xw.Book.caller())" in inspect.getsource(module.main)


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
