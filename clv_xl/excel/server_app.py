"""The app ``clv-xl serve`` runs: xlwings Server, with what it must not do taken out.

:func:`create_app` (uvicorn's ``--factory`` entry, ``clv_xl.excel.server_app:create_app``) starts from
``xlwings_server.main``, imported with the settings :func:`clv_xl.excel.serve.server_environment` puts in the
environment, and:

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

Importing this module builds nothing; only :func:`create_app` imports xlwings Server (which needs its licence key).
"""

from __future__ import annotations

import logging
from typing import Any

from clv_xl.excel.server_calls import (
    LARGE_CALL_BYTES,
    handle_function_call,
    handle_script_call,
    run_call,
    speed_up_xlwings_conversion,
    start_workers,
    stop_workers,
)
from clv_xl.excel.server_guard import RequestGuard
from clv_xl.excel.server_requests import short

__all__ = ["create_app"]

logger = logging.getLogger("clv_xl.server")


def create_app() -> Any:
    """Build the ASGI app: xlwings Server's routes, clv-xl's checks in front of them.

    Returns
    -------
    RequestGuard
        The app uvicorn serves.
    """
    speed_up_xlwings_conversion()
    import xlwings as xw
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles
    from xlwings_server import main as xlwings_main
    from xlwings_server.config import PACKAGE_DIR, PROJECT_DIR, settings

    def answer(result: tuple[int, str, bytes]) -> Response:
        status, media_type, body = result
        return Response(body, status_code=status, media_type=media_type)

    def text(status: int, message: object) -> Response:
        return PlainTextResponse(short(message), status_code=status)

    async def custom_functions_call(request: Request) -> Response:
        """A thread for small calls, a worker process for large ones."""
        body = await request.body()
        return answer(await run_call(handle_function_call, body, in_process=len(body) > LARGE_CALL_BYTES))

    async def custom_scripts_call(request: Request) -> Response:
        """Always a worker process: the report is heavy."""
        body = await request.body()
        name = request.path_params["script_name"]
        return answer(await run_call(handle_script_call, name, body, in_process=True))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        return text(exc.status_code, exc.detail)

    async def validation_error(request: Request, exc: Exception) -> Response:
        return text(400, "The request is malformed.")

    async def any_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, (xw.XlwingsError, ValueError)):
            return text(400, exc)
        logger.error("Request to %s failed: %s", request.url.path, short(repr(exc)))
        return text(500, f"Internal error ({type(exc).__name__}); see the server log.")

    app = xlwings_main.app
    prefix = f"{settings.app_path}/xlwings"
    # Ours go first, so they answer before xlwings Server's routes of the same path.
    app.add_route(f"{prefix}/custom-functions-call", custom_functions_call, methods=["POST"])
    app.add_route(f"{prefix}/custom-scripts-call/{{script_name}}", custom_scripts_call, methods=["POST"])
    routes = app.router.routes
    routes[:0] = [routes.pop(), routes.pop()]

    for route in routes:
        if isinstance(route, Mount) and route.name == "static":
            static = StaticFiles(directory=str(PACKAGE_DIR / "static"))
            static.all_directories = [str(PROJECT_DIR / "static"), str(PACKAGE_DIR / "static")]
            route.app = static

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(xw.XlwingsError, any_error)
    app.add_exception_handler(Exception, any_error)
    start_workers()
    return RequestGuard(_WorkersStoppedAtShutdown(xlwings_main.main_app))


class _WorkersStoppedAtShutdown:
    """ASGI wrapper stopping the worker processes when the server shuts down (its lifespan's shutdown message)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def watched() -> Any:
            message = await receive()
            if message.get("type") == "lifespan.shutdown":
                stop_workers()
            return message

        await self.app(scope, watched, send)
