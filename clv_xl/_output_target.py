"""Check up front that an output file may be written: its ending, no clobbering, not an input, a writable folder."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clv_xl.errors import OutputError

__all__ = ["check_target"]


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
