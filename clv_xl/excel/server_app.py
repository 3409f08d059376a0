"""The app ``clv-xl serve`` runs: xlwings Server, with what it must not do taken out.

Starting from ``xlwings_server.main`` (imported with the settings :func:`clv_xl.excel.serve.server_environment`
puts in the environment), this module:

- serves ``/static`` with Starlette's own :class:`~starlette.staticfiles.StaticFiles` over clv-xl's static
  folder then xlwings Server's, which resolves each path and refuses any outside those folders (xlwings
  Server's ``OverridableStaticFiles`` joins the project folder and the path unchecked, so
  ``GET /static/../../etc/passwd`` read any file);
- replaces the two routes that run code, ``/xlwings/custom-functions-call`` and
  ``/xlwings/custom-scripts-call/{name}``, by ones that hand the raw body to
  :mod:`clv_xl.excel.server_calls`: checked there (a 400 with a short message for every malformed call) and
  run off the event loop, so one slow caller cannot stall the others;
- answers any other error with one short line, never a traceback or a whole argument;
- wraps everything in :class:`clv_xl.excel.server_guard.RequestGuard` (path, host, origin, token, size).

``app`` is the ASGI application (``clv_xl.excel.server_app:app``).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from clv_xl.excel.server_calls import (
    LARGE_CALL_BYTES,
    handle_function_call,
    handle_script_call,
    run_call,
    speed_up_xlwings_conversion,
    start_workers,
)
from clv_xl.excel.server_guard import RequestGuard
from clv_xl.excel.server_requests import short

__all__ = ["app"]

logger = logging.getLogger("clv_xl.server")

speed_up_xlwings_conversion()

import xlwings as xw  # noqa: E402  (after the conversion fix, before xlwings Server imports the project)
from xlwings_server import main as xlwings_main  # noqa: E402
from xlwings_server.config import PACKAGE_DIR, PROJECT_DIR, settings  # noqa: E402


def _answer(answer: tuple[int, str, bytes]) -> Response:
    status, media_type, body = answer
    return Response(body, status_code=status, media_type=media_type)


def _text(status: int, message: object) -> PlainTextResponse:
    return PlainTextResponse(short(message), status_code=status)


async def custom_functions_call(request: Request) -> Response:
    """``POST /xlwings/custom-functions-call``: a thread for small calls, a worker process for large ones."""
    body = await request.body()
    return _answer(await run_call(handle_function_call, body, in_process=len(body) > LARGE_CALL_BYTES))


async def custom_scripts_call(request: Request) -> Response:
    """``POST /xlwings/custom-scripts-call/{script_name}``: always in a worker process (the report is heavy)."""
    body = await request.body()
    return _answer(await run_call(handle_script_call, request.path_params["script_name"], body, in_process=True))


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    return _text(exc.status_code, exc.detail)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    return _text(400, "The request is malformed.")


async def _any_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, (xw.XlwingsError, ValueError)):
        return _text(400, exc)
    logger.error("Request to %s failed: %s", request.url.path, short(repr(exc)))
    return _text(500, f"Internal error ({type(exc).__name__}); see the server log.")


def _build() -> Any:
    fastapi_app = xlwings_main.app
    prefix = f"{settings.app_path}/xlwings"
    # Ours go first, so they answer before xlwings Server's routes of the same path.
    fastapi_app.add_api_route(f"{prefix}/custom-functions-call", custom_functions_call, methods=["POST"])
    fastapi_app.add_api_route(f"{prefix}/custom-scripts-call/{{script_name}}", custom_scripts_call, methods=["POST"])
    routes = fastapi_app.router.routes
    routes[:0] = [routes.pop(), routes.pop()]

    for route in routes:
        if isinstance(route, Mount) and route.name == "static":
            static = StaticFiles(directory=str(PACKAGE_DIR / "static"))
            static.all_directories = [str(PROJECT_DIR / "static"), str(PACKAGE_DIR / "static")]
            route.app = static

    fastapi_app.add_exception_handler(StarletteHTTPException, _http_error)
    fastapi_app.add_exception_handler(RequestValidationError, _validation_error)
    fastapi_app.add_exception_handler(xw.XlwingsError, _any_error)
    fastapi_app.add_exception_handler(Exception, _any_error)
    start_workers()
    return RequestGuard(xlwings_main.main_app)


app = _build()
