"""A Python child process's own peak resident memory, whatever the size of the process that started it.

``os.wait4``'s ``ru_maxrss`` of a child is not the child's own peak on Linux: the child is started by ``vfork`` (or
``fork``) from the parent's memory, and ``exec`` keeps the larger of that memory's high-water mark and the new
program's. A child started from a pytest process that has grown to 1.2 GB reports 1.2 GB even if it used 11 MB.
The child's ``VmHWM`` in ``/proc/self/status`` is its own program's high-water mark: :data:`PEAK_WRAPPER` runs
the child's Python command and writes that figure to a file when the child exits (``sys.exit`` included).

Shared by ``tests/test_hostile_files.py`` and ``benchmarks/_process.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["PEAK_WRAPPER", "measured_command", "read_peak_mb"]

#: Python code run as ``python -c PEAK_WRAPPER PEAK_FILE -m module args...`` (or ``-c code args...``): runs the
#: command as ``python -m`` / ``python -c`` would, and writes the process's VmHWM (kB) to PEAK_FILE at exit.
PEAK_WRAPPER = """
import atexit, runpy, sys

def _write_peak(path=sys.argv[1]):
    with open("/proc/self/status") as status:
        kilobytes = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(path, "w") as out:
        out.write(kilobytes)

atexit.register(_write_peak)
mode, target, *rest = sys.argv[2:]
if mode == "-m":
    sys.argv = [target, *rest]
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    sys.argv = ["-c", *rest]
    exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
"""


def measured_command(args: list[str], peak_file: Path) -> list[str]:
    """The command running ``python ARGS`` (``-m module ...`` or ``-c code ...``) that writes its peak to ``peak_file``.

    Examples
    --------
    >>> measured_command(["-m", "clv_xl", "--version"], Path("peak"))[3:]
    ['peak', '-m', 'clv_xl', '--version']
    """
    if not args or args[0] not in ("-m", "-c") or len(args) < 2:
        raise ValueError(f"expected -m MODULE ... or -c CODE ...; got {args[:2]}")
    return [sys.executable, "-c", PEAK_WRAPPER, str(peak_file), *args]


def read_peak_mb(peak_file: Path) -> float:
    """The peak (MB) the wrapped child wrote, then the file removed; NaN when it wrote none (killed by a signal)."""
    try:
        kilobytes = float(peak_file.read_text())
    except (OSError, ValueError):
        return float("nan")
    peak_file.unlink()
    return kilobytes / 1024
