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
import io
import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from clv_xl._output_target import check_target
from clv_xl._temporary_files import TEMP_PATTERN, create_temporary, remove_stale_temporaries
from clv_xl._write_failures import FirstFailure, drop_repeated_failures, system_error, wrapped_system_error
from clv_xl.errors import OutputError

__all__ = ["TEMP_PATTERN", "check_target", "atomic_output", "remove_stale_temporaries"]


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
            fd, tmp = create_temporary(target.parent)
        except OSError as exc:
            raise system_error(target, exc) from None
        raw = FirstFailure(fd)
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
            drop_repeated_failures()
            raise system_error(target, raw.error or exc) from None
        except Exception as exc:
            _discard(tmp)
            system = raw.error or wrapped_system_error(exc)
            if system is None:
                raise
            drop_repeated_failures()
            raise system_error(target, system) from None
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
