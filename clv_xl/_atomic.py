"""Safe writing of an output file: checked up front, written to a temporary file, then moved into place.

A failure or an interrupt (Ctrl+C, SIGTERM) at any point leaves the target as it was: absent, or the old
file. The temporary file sits next to the target under a short name of its own, ``.clvxl-<pid>-<random>.tmp``
(so a 255-character target name still works); a run killed outright (SIGKILL, power cut) leaves it behind,
and the next write into that folder removes it once its process is gone. A full disk or any other error
of the system ends as one :class:`~clv_xl.errors.OutputError` line. Replacing a file with ``force`` keeps
its permissions; an output that is one of the inputs (same file, whatever the path) is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from clv_xl.errors import OutputError

__all__ = ["TEMP_PATTERN", "check_target", "atomic_output", "remove_stale_temporaries"]

#: Names of clv-xl's temporary files: the writing process id, then a random part.
TEMP_PATTERN = re.compile(r"^\.clvxl-(\d{1,10})-[0-9a-f]{8}\.tmp$")

#: A temporary file older than this (seconds) is stale even if a process with its id is running (id reuse).
STALE_AFTER = 24 * 3600.0


def _system_error(target: Path, exc: OSError) -> OutputError:
    """One line for an error of the system while writing ``target``."""
    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: "; free some space or write elsewhere",
        errno.EDQUOT: "; free some space or write elsewhere",
        errno.EFBIG: "; the file system or a limit does not allow a file this large",
        errno.EACCES: "; check the folder's permissions",
        errno.EROFS: "; write elsewhere",
    }.get(exc.errno or 0, "")
    return OutputError(f"cannot write {str(target)!r}: {reason}{hint}")


def _wrapped_system_error(exc: Exception) -> OSError | None:
    """The system error behind a writer's own exception, if it is one.

    lxml (under openpyxl) reports a failed write as ``SerialisationError('IO_ENOSPC')``; zipfile, writing on
    after a failed write, as ``ValueError('seek of closed file')``.

    Examples
    --------
    >>> _wrapped_system_error(RuntimeError("IO_ENOSPC")).strerror
    'No space left on device'
    >>> _wrapped_system_error(ValueError("seek of closed file")).strerror
    'the write failed part way'
    >>> _wrapped_system_error(ValueError("bad value")) is None
    True
    """
    text = str(exc).strip()
    match = re.fullmatch(r"IO_(E[A-Z0-9]+)", text)
    if match and isinstance(getattr(errno, match.group(1), None), int):
        code = getattr(errno, match.group(1))
        return OSError(code, os.strerror(code))
    if isinstance(exc, ValueError) and "closed file" in text:
        return OSError(0, "the write failed part way")
    return None


def _drop_repeated_failures() -> None:
    """After a failed write, do not print the writer's clean-up failing again on the same system error.

    openpyxl leaves generators that write the rest of a sheet when they are garbage-collected; after a disk
    filled up they fail again, and Python prints each as "Exception ignored in ..." with a traceback. The
    failure has been reported once, as one line: from then on, such system errors in finalizers are dropped
    (any other unraisable error is still printed).
    """
    previous = sys.unraisablehook
    if getattr(previous, "_clv_xl_quiet", False):
        return

    def hook(unraisable: Any) -> None:
        error = unraisable.exc_value
        if isinstance(error, OSError) or (isinstance(error, Exception) and _wrapped_system_error(error)):
            return
        previous(unraisable)

    hook._clv_xl_quiet = True  # type: ignore[attr-defined]  # a mark on the function, so it is installed once
    sys.unraisablehook = hook


def check_target(
    path: str | Path,
    *,
    force: bool = False,
    suffixes: tuple[str, ...] = (".xlsx",),
    what: str = "report",
    inputs: Iterable[Any] = (),
) -> Path:
    """Check that an output file can be written to ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write.
    force : bool, default False
        Allow replacing an existing file.
    suffixes : tuple of str, default (".xlsx",)
        The file endings allowed (lower case).
    what : str, default "report"
        What the file is, for messages.
    inputs : iterable, optional
        Files read to make the output (others, e.g. DataFrames, are ignored): the output may not be one of
        them, even under another path or a hard link.

    Returns
    -------
    pathlib.Path
        The absolute target path.

    Raises
    ------
    OutputError
        Wrong extension, existing file without ``force``, one of the inputs, a directory, a missing folder.

    Examples
    --------
    >>> check_target("report.csv")
    Traceback (most recent call last):
    ...
    clv_xl.errors.OutputError: the report must be an .xlsx file; got 'report.csv'
    >>> check_target("customers.txt", suffixes=(".csv", ".xlsx"), what="customer table")
    Traceback (most recent call last):
    ...
    clv_xl.errors.OutputError: the customer table must be a .csv or .xlsx file; got 'customers.txt'
    """
    target = Path(path).expanduser()
    if target.suffix.lower() not in suffixes:
        kinds = " or ".join(suffixes)
        article = "an" if kinds[1] in "aeiouxAEIOUX" else "a"
        raise OutputError(f"the {what} must be {article} {kinds} file; got {str(path)!r}")
    target = target.absolute()
    if target.is_dir():
        raise OutputError(f"{str(target)!r} is a directory; give a file name ending in {suffixes[0]}")
    if target.exists():
        for source in inputs:
            if isinstance(source, (str, os.PathLike)):
                with contextlib.suppress(OSError, ValueError):
                    if os.path.samefile(source, target):
                        raise OutputError(
                            f"{str(target)!r} is the input file {str(source)!r}; write the {what} to another name"
                        )
        if not force:
            raise OutputError(f"{str(target)!r} already exists; use --force (force=True) to replace it")
    if not target.parent.is_dir():
        raise OutputError(f"folder {str(target.parent)!r} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise OutputError(f"folder {str(target.parent)!r} is not writable")
    return target


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


def _temporary(folder: Path) -> tuple[int, Path]:
    """Create a new temporary file in ``folder`` (mode 0600), named after this process."""
    for _ in range(100):
        path = folder / f".clvxl-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), path
        except FileExistsError:
            continue
    raise OutputError(f"cannot create a temporary file in {str(folder)!r}")


class _FirstFailure(io.RawIOBase):
    """A file written through its descriptor that keeps the first system error and ignores writes after it.

    Writers (zipfile, lxml) report a failed write as their own exceptions and, while being cleaned up, try to
    write again; each of those would print another error. The first error is kept and raised once by
    :func:`atomic_output`; later writes are dropped (the temporary file is deleted anyway).
    """

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.error: OSError | None = None

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def write(self, data: Any) -> int:
        size = len(memoryview(data).cast("B"))
        if self.error is not None:
            return size
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            self.error = exc
            raise

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return os.lseek(self._fd, offset, whence)

    def tell(self) -> int:
        return os.lseek(self._fd, 0, os.SEEK_CUR)

    def truncate(self, size: int | None = None) -> int:
        size = self.tell() if size is None else size
        os.ftruncate(self._fd, size)
        return size

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        super().close()


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Within the block, SIGTERM raises SystemExit (so clean-up runs) when it would otherwise kill at once."""
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "SIGTERM") or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return

    def exit_on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, exit_on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def atomic_output(
    path: str | Path,
    *,
    force: bool = False,
    suffixes: tuple[str, ...] = (".xlsx",),
    what: str = "report",
    inputs: Iterable[Any] = (),
) -> Iterator[BinaryIO]:
    """Open a temporary file next to ``path``; on success move it to ``path``, on any failure delete it.

    Parameters
    ----------
    path : str or pathlib.Path
        Final target.
    force : bool, default False
        Replace an existing file (keeping its permissions); without it, a file that appeared meanwhile is
        never overwritten.
    suffixes, what, inputs
        As for :func:`check_target`.

    Yields
    ------
    binary file
        Open for writing.

    Raises
    ------
    OutputError
        As :func:`check_target`, and for any error of the system while writing (disk full, ...).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_output(folder / "a.xlsx") as out:
    ...     _ = out.write(b"data")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.xlsx']
    """
    target = check_target(path, force=force, suffixes=suffixes, what=what, inputs=inputs)
    remove_stale_temporaries(target.parent)
    try:
        old_mode = stat.S_IMODE(os.stat(target).st_mode) if force else None
    except OSError:
        old_mode = None
    with _terminate_as_exit():
        try:
            fd, tmp = _temporary(target.parent)
        except OSError as exc:
            raise _system_error(target, exc) from None
        raw = _FirstFailure(fd)
        try:
            with io.BufferedWriter(raw) as handle:
                yield handle
                handle.flush()
                if raw.error is not None:  # a writer swallowed it
                    raise raw.error
                os.fsync(handle.fileno())
            os.chmod(tmp, old_mode if old_mode is not None else 0o666 & ~_umask())
            _move_into_place(tmp, target, force=force)
        except OSError as exc:
            _discard(tmp)
            _drop_repeated_failures()
            raise _system_error(target, raw.error or exc) from None
        except Exception as exc:
            _discard(tmp)
            system = raw.error or _wrapped_system_error(exc)
            if system is None:
                raise
            _drop_repeated_failures()
            raise _system_error(target, system) from None
        except BaseException:
            _discard(tmp)
            raise
        else:
            _discard(tmp)


def _move_into_place(tmp: Path, target: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if the target appeared meanwhile: never clobber
    except FileExistsError:
        raise OutputError(f"{str(target)!r} already exists; use --force (force=True) to replace it") from None
    except OSError:  # file systems without hard links
        if target.exists():
            raise OutputError(f"{str(target)!r} already exists; use --force to replace it") from None
        os.replace(tmp, target)


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
