"""The temporary files an output is written to before it is moved into place: made, and removed once stale.

Each sits next to its target under a short name of its own, ``.clvxl-<pid>-<random>.tmp``; a run killed outright
leaves it behind, and the next write into that folder removes it once its process is gone.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

from clv_xl.errors import OutputError

__all__ = ["TEMP_PATTERN", "STALE_AFTER", "remove_stale_temporaries", "create_temporary"]

#: Names of clv-xl's temporary files: the writing process id, then a random part.
TEMP_PATTERN = re.compile(r"^\.clvxl-(\d{1,10})-[0-9a-f]{8}\.tmp$")

#: A temporary file older than this (seconds) is stale even if a process with its id is running (id reuse).
STALE_AFTER = 24 * 3600.0


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False
    return False


def remove_stale_temporaries(folder: str | Path, *, now: float | None = None) -> list[Path]:
    """Remove the temporary files that interrupted clv-xl runs left in ``folder``.

    A file is stale when it matches :data:`TEMP_PATTERN` and its process is gone, or it is older than
    :data:`STALE_AFTER`. Other files are never touched.

    Parameters
    ----------
    folder : str or pathlib.Path
        The output folder.
    now : float, optional
        Current time (seconds since the epoch); for tests.

    Returns
    -------
    list of pathlib.Path
        The files removed.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".clvxl-999999999-0123abcd.tmp").write_bytes(b"half a report")
    >>> _ = (folder / ".clvxl-notes.tmp").write_bytes(b"not ours")
    >>> [p.name for p in remove_stale_temporaries(folder)], sorted(p.name for p in folder.iterdir())
    (['.clvxl-999999999-0123abcd.tmp'], ['.clvxl-notes.tmp'])
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMP_PATTERN.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            pid = int(match.group(1))
            if pid == os.getpid() or not (_process_gone(pid) or now - info.st_mtime > STALE_AFTER):
                continue
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def create_temporary(folder: Path) -> tuple[int, Path]:
    """Create a new temporary file in ``folder`` (mode 0600), named after this process."""
    for _ in range(100):
        path = folder / f".clvxl-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), path
        except FileExistsError:
            continue
    raise OutputError(f"cannot create a temporary file in {str(folder)!r}")
