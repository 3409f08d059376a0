"""Run the calls that execute code -- Excel functions and the report script -- away from the event loop.

Each handler takes the raw request body and returns the whole answer (status, media type, bytes): checking
(:mod:`clv_xl.excel.server_requests`), xlwings' dispatch, the call and the JSON encoding all happen where the
handler runs. :func:`run_call` runs a small function call in a worker thread, and a large call or a script
(the report) in one of :data:`PROCESS_SLOTS` worker processes: a CPU-bound Python thread would hold the GIL
and make every other request wait for it, a separate process does not.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib
import inspect
import json
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from types import ModuleType
from typing import Any

from clv_xl.excel.server import PROJECT_DIR
from clv_xl.excel.server_requests import BadRequest, FunctionShape, parse_function_call, parse_script_call, short

__all__ = [
    "stop_workers",
    "LARGE_CALL_BYTES",
    "PROCESS_SLOTS",
    "Answer",
    "function_shapes",
    "script_names",
    "handle_function_call",
    "handle_script_call",
    "run_call",
    "speed_up_xlwings_conversion",
]

logger = logging.getLogger("clv_xl.server")

#: A function call whose body is larger than this (bytes) runs in a worker process.
LARGE_CALL_BYTES = 64 * 1024
#: Worker processes for large calls and scripts; further ones wait for a free process.
PROCESS_SLOTS = 2

#: status, media type, body
Answer = tuple[int, str, bytes]

_TEXT = "text/plain; charset=utf-8"


def speed_up_xlwings_conversion() -> None:
    """Make xlwings' per-cell Pyodide check fail at once outside Pyodide.

    xlwings 0.37.8 runs ``from pyodide.ffi import JsNull`` for every cell it converts; outside Pyodide each
    failed import walks the whole ``sys.path`` (a 300,000-cell range took minutes). Marking the modules
    absent in ``sys.modules`` makes the same ``ImportError`` immediate. Nothing changes inside Pyodide.
    """
    if "pyodide" not in sys.modules or sys.modules["pyodide"] is None:
        sys.modules.setdefault("pyodide", None)  # type: ignore[arg-type]  # None is how Python marks it absent
        sys.modules.setdefault("pyodide.ffi", None)  # type: ignore[arg-type]  # None is how Python marks it absent


def _project_module(name: str) -> ModuleType:
    project = os.environ.get("XLWINGS_PROJECT_DIR") or str(PROJECT_DIR)
    if project not in sys.path:
        sys.path.insert(0, project)
    return importlib.import_module(name)


def function_shapes(module: Any) -> dict[str, FunctionShape]:
    """The Excel functions ``module`` offers (those xlwings registered), with their argument counts.

    Parameters
    ----------
    module : module
        The ``custom_functions`` module.

    Returns
    -------
    dict of str to FunctionShape
        By the name Office.js sends.
    """
    shapes = {}
    for name, obj in inspect.getmembers(module):
        info = getattr(obj, "__xlfunc__", None)
        if not isinstance(info, dict) or name.startswith("_"):
            continue
        args = info["args"]
        shapes[name] = FunctionShape(
            name=name,
            arguments=tuple(a["name"] for a in args),
            required=sum(1 for a in args if "optional" not in a and not a["vararg"]),
            varargs=any(a["vararg"] for a in args),
        )
    return shapes


def script_names(module: Any) -> frozenset[str]:
    """The scripts ``module`` offers (functions marked by ``@xlwings.script``).

    Parameters
    ----------
    module : module
        The ``custom_scripts`` module.

    Returns
    -------
    frozenset of str
        Their names.
    """
    return frozenset(
        name
        for name, obj in inspect.getmembers(module)
        if not name.startswith("_") and getattr(obj, "__xlscript__", None) is not None
    )


class _Project:
    """The project's modules and what they offer, loaded once per process."""

    _lock = threading.Lock()
    _loaded: _Project | None = None

    def __init__(self) -> None:
        speed_up_xlwings_conversion()
        self.functions = _project_module("custom_functions")
        self.scripts = _project_module("custom_scripts")
        self.function_shapes = function_shapes(self.functions)
        self.script_names = script_names(self.scripts)

    @classmethod
    def get(cls) -> _Project:
        with cls._lock:
            if cls._loaded is None:
                cls._loaded = cls()
            return cls._loaded


_thread_state = threading.local()


def _run(coroutine: Any) -> Any:
    """Run ``coroutine`` on this thread's own event loop (made once: ``asyncio.run`` costs a loop a call)."""
    loop = getattr(_thread_state, "loop", None)
    if loop is None:
        loop = _thread_state.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coroutine)


def _text(status: int, message: object) -> Answer:
    return status, _TEXT, short(message).encode("utf-8")


def _json(content: Any) -> Answer:
    """JSON with non-finite numbers refused (they are not JSON; Excel would show nothing useful)."""
    try:
        body = json.dumps(content, allow_nan=False, separators=(",", ":"))
    except ValueError:
        return _text(400, "The result is too large or not a number (overflow); check the arguments.")
    return 200, "application/json", body.encode("utf-8")


def _caller_error(exc: BaseException) -> str | None:
    """The message for an error of the caller's making, or None for a fault of the server."""
    import xlwings as xw

    if isinstance(exc, (xw.XlwingsError, BadRequest, ValueError)) and not isinstance(exc, UnicodeError):
        return str(exc)
    return None


def _failure(what: str, exc: Exception) -> Answer:
    message = _caller_error(exc)
    if message is not None:
        return _text(400, message)
    logger.error("%s failed: %s", what, short(repr(exc)))
    return _text(500, f"Internal error in {what} ({type(exc).__name__}); see the server log.")


def handle_function_call(body: bytes) -> Answer:
    """Answer ``POST /xlwings/custom-functions-call``: check, call, encode.

    Parameters
    ----------
    body : bytes
        The request body.

    Returns
    -------
    Answer
        Status, media type and body of the response.
    """
    import xlwings.server

    project = _Project.get()
    try:
        payload = parse_function_call(body, project.function_shapes)
    except BadRequest as exc:
        return _text(400, exc)
    name = payload["func_name"]
    try:
        result = _run(xlwings.server.custom_functions_call(payload, project.functions))
    except Exception as exc:
        return _failure(name, exc)
    return _json({"result": result})


def handle_script_call(name: str, body: bytes) -> Answer:
    """Answer ``POST /xlwings/custom-scripts-call/<name>``: check the workbook, run the script, encode.

    Parameters
    ----------
    name : str
        The script named in the path.
    body : bytes
        The request body (the calling workbook).

    Returns
    -------
    Answer
        Status, media type and body of the response.
    """
    project = _Project.get()
    try:
        payload = parse_script_call(name, body, project.script_names)
        return _json(_run(_call_script(project, name, payload)))
    except BadRequest as exc:
        return _text(400, exc)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        return _text(400, f"The workbook sent is incomplete or malformed ({type(exc).__name__}: {short(exc, 60)}).")
    except Exception as exc:
        return _failure(name, exc)


async def _call_script(project: _Project, name: str, payload: dict[str, Any]) -> dict[str, Any]:
    import xlwings as xw
    import xlwings.server

    args = payload.pop("args", [])
    book = xw.Book(json=payload)
    try:
        book = await xlwings.server.custom_scripts_call(
            project.scripts, name, None, typehint_to_value={xw.Book: book}, args=args
        )
        return book.json()
    finally:
        book.close()


#: How much lower the worker processes' CPU priority is than the server's (Unix ``nice``): interactive small
#: calls, served by the server process, go first; large calls and reports take the CPU left.
WORKER_NICENESS = 10


def _start_worker() -> None:
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    _Project.get()


class _Workers:
    """The worker processes, started on first use and started again if one dies."""

    def __init__(self) -> None:
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def pool(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=PROCESS_SLOTS,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                )
            return self._pool

    def reset(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def stop(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_workers = _Workers()


def start_workers() -> None:
    """Start the worker processes now (they import pandas and xlwings: seconds), not on the first call."""
    _workers.pool().submit(_start_worker)


def stop_workers() -> None:
    """Stop the worker processes, waiting for them to exit (the server's shutdown: no call runs any more then).

    Without it they outlived the server: ``clv-xl serve`` stopped by SIGTERM or Ctrl-C left each worker process
    (pandas and xlwings imported, ~180 MB) and its resource tracker running.
    """
    _workers.stop()


async def run_call(handler: Callable[..., Answer], *args: Any, in_process: bool) -> Answer:
    """Run ``handler(*args)`` in a worker process (``in_process``) or a worker thread.

    Parameters
    ----------
    handler : callable
        :func:`handle_function_call` or :func:`handle_script_call`.
    *args
        Its arguments.
    in_process : bool
        Whether to use a worker process.

    Returns
    -------
    Answer
        What the handler answered; a 500 if its worker process died.
    """
    if not in_process:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(handler, *args)
    try:
        return await asyncio.get_running_loop().run_in_executor(_workers.pool(), handler, *args)
    except BrokenProcessPool:
        _workers.reset()
        return _text(500, "The worker running this call stopped (out of memory?); try a smaller range.")
