"""A failed write reported once, as one line: the system error named, a writer's own wrapping of it seen through.

:class:`FirstFailure` keeps the first system error of the file being written, :func:`system_error` words it,
:func:`wrapped_system_error` finds it behind a writer's exception and :func:`drop_repeated_failures` keeps the
writer's clean-up from printing it again.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys
from pathlib import Path
from typing import Any

from clv_xl.errors import OutputError

__all__ = ["FirstFailure", "drop_repeated_failures", "system_error", "wrapped_system_error"]


def system_error(target: Path, exc: OSError) -> OutputError:
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


def wrapped_system_error(exc: Exception) -> OSError | None:
    """The system error behind a writer's own exception, if it is one.

    lxml (under openpyxl) reports a failed write as ``SerialisationError('IO_ENOSPC')``; zipfile, writing on
    after a failed write, as ``ValueError('seek of closed file')``.

    Examples
    --------
    >>> wrapped_system_error(RuntimeError("IO_ENOSPC")).strerror
    'No space left on device'
    >>> wrapped_system_error(ValueError("seek of closed file")).strerror
    'the write failed part way'
    >>> wrapped_system_error(ValueError("bad value")) is None
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


def drop_repeated_failures() -> None:
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
        if isinstance(error, OSError) or (isinstance(error, Exception) and wrapped_system_error(error)):
            return
        previous(unraisable)

    hook._clv_xl_quiet = True  # type: ignore[attr-defined]  # a mark on the function, so it is installed once
    sys.unraisablehook = hook


class FirstFailure(io.RawIOBase):
    """A file written through its descriptor that keeps the first system error and ignores writes after it.

    Writers (zipfile, lxml) report a failed write as their own exceptions and, while being cleaned up, try to
    write again; each of those would print another error. The first error is kept and raised once by
    :func:`clv_xl._atomic.atomic_output`; later writes are dropped (the temporary file is deleted anyway).
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
