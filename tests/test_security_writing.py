"""Safe writing tried as a careless user and a hostile machine would: kills, full disks, long names, modes, clobbering.

Every case runs the real CLI in a subprocess (``python -m clv_xl``) on real files; the full disk is a real
one: a 64 kB tmpfs (8 kB of it free) when this process may mount one, and in every case a file-size limit
(``RLIMIT_FSIZE``) that makes the kernel refuse the write (``EFBIG``).
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clv_xl._atomic import TEMP_PATTERN
from clv_xl.sample_shop import sample_orders

CLI = [sys.executable, "-m", "clv_xl"]


def run(*args: str | Path, timeout: float = 600, preexec: object = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, timeout=timeout, preexec_fn=preexec  # type: ignore[arg-type]
    )


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMP_PATTERN.match(p.name) or p.name.endswith(".tmp"))


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "orders.csv"
    sample_orders(n_customers=300, months=12).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 100,000 orders: the report spends seconds writing, long enough to be interrupted."""
    path = tmp_path_factory.mktemp("large") / "orders.csv"
    sample_orders(n_customers=15_000, months=24).to_csv(path, index=False)
    return path


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert lines and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    return lines[-1]


# --- interrupted runs ---------------------------------------------------------------------------------------------


def start_report_and_wait_for_temporary(orders: Path, out: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([*CLI, "report", str(orders), "-o", str(out), "--no-forecast"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not temporaries(out.parent):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the report never wrote a temporary file (exit {proc.returncode})")
        time.sleep(0.01)
    return proc


def test_sigterm_during_the_report_leaves_nothing(large_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    proc = start_report_and_wait_for_temporary(large_csv, out)
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_sigkill_debris_is_removed_by_the_next_run(large_csv: Path, small_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    proc = start_report_and_wait_for_temporary(large_csv, out)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    left = temporaries(tmp_path)
    assert left and not out.exists()  # SIGKILL cannot be caught: the temporary stays ...
    (tmp_path / ".clvxl-notes.tmp").write_text("someone else's file")
    done = run("summary", small_csv, "-o", tmp_path / "customers.csv")
    assert done.returncode == 0, done.stderr
    # ... until the next run into the folder removes it (and only it).
    assert temporaries(tmp_path) == [".clvxl-notes.tmp"]
    assert (tmp_path / "customers.csv").is_file()


# --- names --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("length", [250, 255])
def test_longest_file_names_work(small_csv: Path, tmp_path: Path, length: int) -> None:
    csv_name = "c" * (length - 4) + ".csv"
    done = run("summary", small_csv, "-o", tmp_path / csv_name)
    assert done.returncode == 0, done.stderr
    xlsx_name = "r" * (length - 5) + ".xlsx"
    done = run("report", small_csv, "-o", tmp_path / xlsx_name, "--no-forecast")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([csv_name, xlsx_name])


# --- full disk and other system errors ----------------------------------------------------------------------------


def limit_file_size(limit: int = 8 * 1024) -> None:
    """In the child: files may not grow past ``limit`` bytes (the kernel answers EFBIG, SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("command", ["report", "summary-csv", "summary-xlsx"])
def test_file_size_limit_is_one_line(small_csv: Path, tmp_path: Path, command: str) -> None:
    out = tmp_path / ("report.xlsx" if command == "report" else f"customers.{command.split('-')[1]}")
    verb = "report" if command == "report" else "summary"
    extra = ["--no-forecast"] if verb == "report" else []
    proc = run(verb, small_csv, "-o", out, *extra, preexec=limit_file_size)
    line = one_line_error(proc)
    assert "cannot write" in line and "too large" in line.lower(), line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@contextlib.contextmanager
def tiny_disk(folder: Path) -> Iterator[Path | None]:
    """A 64 kB tmpfs mounted on ``folder``, or None where this process may not mount one."""
    folder.mkdir()
    if os.geteuid() != 0:
        yield None
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True, timeout=30).returncode == 0
    try:
        yield folder if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], capture_output=True, timeout=30)


@pytest.mark.parametrize("command", ["report", "summary-csv", "summary-xlsx"])
def test_full_disk_is_one_line(small_csv: Path, tmp_path: Path, command: str) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        folder = disk if disk is not None else tmp_path / "disk"
        # Where no tmpfs can be mounted, a file-size limit makes the same failure happen on the local disk.
        preexec = None if disk is not None else limit_file_size
        (folder / "filler.bin").write_bytes(b"\0" * (56 * 1024)) if disk is not None else None
        out = folder / ("report.xlsx" if command == "report" else f"customers.{command.split('-')[1]}")
        verb = "report" if command == "report" else "summary"
        extra = ["--no-forecast"] if verb == "report" else []
        proc = run(verb, small_csv, "-o", out, *extra, preexec=preexec)
        line = one_line_error(proc)
        assert "cannot write" in line, line
        if disk is not None:
            assert "No space left on device" in line and "free some space" in line
        assert sorted(p.name for p in folder.iterdir() if p.name != "filler.bin") == []


# --- permissions and clobbering -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_force_keeps_the_existing_mode(small_csv: Path, tmp_path: Path, mode: int) -> None:
    report = tmp_path / "report.xlsx"
    table = tmp_path / "customers.csv"
    for path in (report, table):
        path.write_bytes(b"old")
        path.chmod(mode)
    assert run("report", small_csv, "-o", report, "--force", "--no-forecast").returncode == 0
    assert run("summary", small_csv, "-o", table, "--force").returncode == 0
    for path in (report, table):
        assert stat.S_IMODE(path.stat().st_mode) == mode
        assert path.read_bytes() != b"old"


def test_new_file_follows_the_umask(small_csv: Path, tmp_path: Path) -> None:
    proc = run("summary", small_csv, "-o", tmp_path / "c.csv", preexec=lambda: os.umask(0o027))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE((tmp_path / "c.csv").stat().st_mode) == 0o640


def test_output_equal_to_the_input_is_refused(small_csv: Path, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_bytes(small_csv.read_bytes())
    (tmp_path / "sub").mkdir()
    os.link(orders, tmp_path / "hardlink.csv")
    os.symlink(orders, tmp_path / "symlink.csv")
    before = orders.read_bytes()
    for output in (orders, tmp_path / "sub" / ".." / "orders.csv", tmp_path / "hardlink.csv",
                   tmp_path / "symlink.csv"):
        line = one_line_error(run("summary", orders, "-o", output, "--force"))
        assert "is the input file" in line, line
    assert orders.read_bytes() == before


def test_report_over_its_own_xlsx_input_is_refused(small_csv: Path, tmp_path: Path) -> None:
    import pandas as pd

    orders = tmp_path / "orders.xlsx"
    pd.read_csv(small_csv).to_excel(orders, index=False)
    before = orders.read_bytes()
    line = one_line_error(run("report", orders, "-o", tmp_path / "." / "orders.xlsx", "--force", "--no-forecast"))
    assert "is the input file" in line
    assert orders.read_bytes() == before
