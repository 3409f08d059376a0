"""Safe writing of an output file: checked up front, written to a temporary file, then moved into place.

A failure or an interrupt (Ctrl+C) at any point leaves the target as it was: absent, or the old file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from clv_xl.errors import OutputError

__all__ = ["check_target", "atomic_output"]


def check_target(
    path: str | Path, *, force: bool = False, suffixes: tuple[str, ...] = (".xlsx",), what: str = "report"
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

    Returns
    -------
    pathlib.Path
        The absolute target path.

    Raises
    ------
    OutputError
        Wrong extension, existing file without ``force``, a directory, or a missing folder.

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
    if target.exists() and not force:
        raise OutputError(f"{str(target)!r} already exists; use --force (force=True) to replace it")
    if not target.parent.is_dir():
        raise OutputError(f"folder {str(target.parent)!r} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise OutputError(f"folder {str(target.parent)!r} is not writable")
    return target


@contextlib.contextmanager
def atomic_output(
    path: str | Path, *, force: bool = False, suffixes: tuple[str, ...] = (".xlsx",), what: str = "report"
) -> Iterator[BinaryIO]:
    """Open a temporary file next to ``path``; on success move it to ``path``, on any failure delete it.

    Parameters
    ----------
    path : str or pathlib.Path
        Final target.
    force : bool, default False
        Replace an existing file; without it, a file that appeared meanwhile is never overwritten.
    suffixes, what
        As for :func:`check_target`.

    Yields
    ------
    binary file
        Open for writing.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_output(folder / "a.xlsx") as out:
    ...     _ = out.write(b"data")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.xlsx']
    """
    target = check_target(path, force=force, suffixes=suffixes, what=what)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # fails if the target appeared meanwhile: never clobber
            except FileExistsError:
                raise OutputError(f"{str(target)!r} already exists; use --force (force=True) to replace it") from None
            except OSError:  # file systems without hard links
                if target.exists():
                    raise OutputError(f"{str(target)!r} already exists; use --force to replace it") from None
                os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    else:
        with contextlib.suppress(OSError):
            tmp.unlink()
    with contextlib.suppress(OSError):
        os.chmod(target, 0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
