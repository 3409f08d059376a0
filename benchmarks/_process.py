"""Time one child process: wall seconds and peak RSS, as the benchmarks report them."""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests.child_memory
from tests.child_memory import measured_command, read_peak_mb  # noqa: E402


def run_child(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``command`` run in its own process; exit with its error if it fails.

    The peak of a Python child (``[sys.executable, "-m" | "-c", ...]``) is its own, written by the child as it exits
    (:mod:`tests.child_memory`): ``os.wait4``'s would be at least this script's own peak (the orders it generated,
    say). Other commands get ``os.wait4``'s. The CPU seconds (user + system, all threads) of the last run are kept
    in :data:`LAST_CPU_SECONDS`: on a shared machine they move less than wall time.
    """
    python = command[:1] == [sys.executable] and command[1:2] in (["-m"], ["-c"])
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        began = time.perf_counter()
        process = subprocess.Popen(measured_command(command[1:], peak_file) if python else command,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
        if status != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}")
        LAST_CPU_SECONDS[0] = usage.ru_utime + usage.ru_stime
        return wall, read_peak_mb(peak_file) if python else usage.ru_maxrss / 1024


#: CPU seconds of the last :func:`run_child` (a one-element list).
LAST_CPU_SECONDS = [0.0]


def compile_clv_xl() -> None:
    """Compile clv-xl's modules to bytecode once, as ``pip install`` does, before any child is timed.

    A source checkout run with ``PYTHONDONTWRITEBYTECODE=1`` (set on the shared test machine) would otherwise
    compile its ~150 modules again in every timed child: about 0.1 s that no installed clv-xl spends.
    """
    import clv_xl

    compileall.compile_dir(Path(clv_xl.__file__).parent, quiet=1)
