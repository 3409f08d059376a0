"""Work started on a second thread, waited for when its result is needed.

numpy's array loops and scipy's special functions release the GIL, so two model fits run on two cores at once.
Where no thread can start (Pyodide, in xlwings Lite) the work runs when its result is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["started"]

T = TypeVar("T")


def started(function: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start ``function(*args)`` on another thread; return what waits for its result (or raises its error).

    Examples
    --------
    >>> result = started(sum, [1, 2, 3])
    >>> result()
    6
    """
    try:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clv-xl")
        future = pool.submit(function, *args)
    except RuntimeError:  # no threads here
        return lambda: function(*args)
    pool.shutdown(wait=False)
    return future.result
