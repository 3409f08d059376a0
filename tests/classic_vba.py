"""Print the VBA that classic Excel would get for clv-xl's UDF module (run as a script).

xlwings' classic UDF machinery (``xlwings.udfs``) imports ``pythoncom``, ``pywintypes`` and
``win32com.client`` at the top, which exist only on Windows. This script puts small stand-ins for them in
``sys.modules`` (nothing of them is called while generating the wrappers), swaps xlwings' no-op Linux
decorators for the classic ones, imports ``clv_xl.excel.udfs`` and runs xlwings' own
``generate_vba_wrapper`` on it, as ``xlwings.udfs.import_udfs`` does when a user clicks "Import Functions".
"""

from __future__ import annotations

import io
import sys
import types


def _stand_in_windows_modules() -> None:
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args, **kwargs: None
    win32com.client = client
    sys.modules.update({"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
                        "win32com.client": client})


def main() -> None:
    _stand_in_windows_modules()
    import xlwings
    import xlwings.udfs as classic

    xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret
    import clv_xl.excel.udfs as module

    workbook = types.SimpleNamespace(Name="clv_xl_addin.xlam")
    out = io.StringIO()
    classic.generate_vba_wrapper("clv_xl.excel.udfs", module, out, workbook)
    sys.stdout.write(out.getvalue())
    for name in module.__all__:
        info = getattr(getattr(module, name), "__xlfunc__", None)
        if info:
            sys.stdout.write(f"' {name}: category={info['category']}; "
                             + "; ".join(f"{a['name']}={a['doc']}" for a in info["args"]) + "\n")


if __name__ == "__main__":
    main()
