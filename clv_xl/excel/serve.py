"""Run xlwings Server with clv-xl's functions and report button, and write its add-in manifest.

xlwings Server (``pip install "clv-xl[server]"``) is a FastAPI app, ``xlwings_server.main:main_app``, that
imports ``custom_functions`` and ``custom_scripts`` from its project folder. :data:`PROJECT_DIR` is that
folder for clv-xl; :func:`server_environment` holds every setting the server needs (project folder,
``CLV`` function namespace, clv-xl's own manifest ids), passed as ``XLWINGS_*`` environment variables
because xlwings reads them when it is first imported.

xlwings Server is licensed under the PolyForm Noncommercial licence, or under a paid xlwings licence:
``XLWINGS_LICENSE_KEY=noncommercial`` is accepted for non-commercial use.

Who may call the server (loopback, token, hosts and origins) is settled in :mod:`clv_xl.excel.server_access`;
its functions are importable from here as before.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import NoReturn

from clv_xl.errors import ClvXlError, OutputError
from clv_xl.excel.server import PROJECT_DIR
from clv_xl.excel.server_access import guard_environment, is_loopback, token_required
from clv_xl.excel.server_guard import DEFAULT_MAX_REQUEST_BYTES, TOKEN_ENV

__all__ = [
    "PROJECT_DIR",
    "FUNCTIONS_NAMESPACE",
    "APP",
    "server_environment",
    "is_loopback",
    "token_required",
    "guard_environment",
    "check_server_ready",
    "public_url",
    "render_manifest",
    "write_manifest",
    "serve",
]

#: Prefix of the functions in Office.js Excel: ``=CLV.CLV(50, 2, 3)``.
FUNCTIONS_NAMESPACE = "CLV"

#: The ASGI app that uvicorn serves: xlwings Server behind clv-xl's checks (see :mod:`clv_xl.excel.server_app`).
APP = "clv_xl.excel.server_app:create_app"

# clv-xl's own add-in ids, so that its manifest never clashes with another xlwings Server add-in
# (xlwings Server's defaults are shared by every project that keeps them).
_MANIFEST_IDS = {
    "XLWINGS_MANIFEST_ID_PROD": "5bc46942-d36b-4391-8eef-0573863b1c00",
    "XLWINGS_MANIFEST_ID_DEV": "c2273353-8f14-4bf6-a939-fede3bf0efdc",
}

_LICENSE_HINT = (
    "xlwings Server needs a licence key: set XLWINGS_LICENSE_KEY=noncommercial for non-commercial use "
    "(PolyForm Noncommercial licence) or to your paid xlwings licence key"
)


def server_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables for an xlwings Server process that serves clv-xl.

    Parameters
    ----------
    base : mapping, optional
        Environment to start from; defaults to ``os.environ``. Settings already in it (project name,
        manifest ids, ...) win, except the project folder, the namespace and ``XLWINGS_ON_SERVER``.

    Returns
    -------
    dict of str to str
        A full environment for ``subprocess``/``os.execve``.

    Examples
    --------
    >>> env = server_environment({})
    >>> env["XLWINGS_FUNCTIONS_NAMESPACE"], env["XLWINGS_ON_SERVER"], Path(env["XLWINGS_PROJECT_DIR"]).name
    ('CLV', 'true', 'server')
    """
    env = dict(os.environ if base is None else base)
    env["XLWINGS_PROJECT_DIR"] = str(PROJECT_DIR)
    env["XLWINGS_ON_SERVER"] = "true"
    env["XLWINGS_FUNCTIONS_NAMESPACE"] = FUNCTIONS_NAMESPACE
    env.setdefault("XLWINGS_PROJECT_NAME", "CLV")
    env.setdefault("XLWINGS_ENVIRONMENT", "prod")
    env.setdefault("XLWINGS_ENABLE_HOTRELOAD", "false")
    env["XLWINGS_ENABLE_SOCKETIO"] = "false"  # only streaming functions need it; clv-xl has none
    env["XLWINGS_ENABLE_EXAMPLES"] = "false"
    env["XLWINGS_ENABLE_WASM"] = "false"
    for key, value in _MANIFEST_IDS.items():
        env.setdefault(key, value)
    return env


def check_server_ready(env: Mapping[str, str] | None = None) -> None:
    """Check that xlwings Server is installed and a usable licence key is set.

    Parameters
    ----------
    env : mapping, optional
        Environment to check; defaults to ``os.environ``.

    Raises
    ------
    ClvXlError
        With one line saying what is missing and how to fix it.

    Examples
    --------
    >>> check_server_ready({})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clv_xl.errors.ClvXlError: xlwings Server needs a licence key: set XLWINGS_LICENSE_KEY=noncommercial ...
    """
    env = os.environ if env is None else env
    if not env.get("XLWINGS_LICENSE_KEY", "").strip():
        raise ClvXlError(_LICENSE_HINT)
    if importlib.util.find_spec("xlwings_server") is None:
        raise ClvXlError('xlwings Server is not installed: pip install "clv-xl[server]"')
    if env.get("XLWINGS_LICENSE_KEY", "").strip() != "noncommercial":
        code = "from xlwings.pro.utils import LicenseHandler; LicenseHandler.validate_license('pro')"
        proc = subprocess.run(
            [sys.executable, "-c", code],
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines()
            reason = lines[-1] if lines else "rejected"
            raise ClvXlError(f"the key in XLWINGS_LICENSE_KEY was not accepted ({reason}); {_LICENSE_HINT}")


def public_url(host: str, port: int, *, https: bool, url: str | None = None) -> str:
    """The address Excel uses to reach the server (what the manifest points to).

    Parameters
    ----------
    host : str
        Interface the server listens on.
    port : int
        Its port.
    https : bool
        Whether it serves HTTPS (Office.js add-ins require it outside of development).
    url : str, optional
        Explicit public address (e.g. behind a reverse proxy); returned as is, without a trailing ``/``.

    Returns
    -------
    str
        Base URL without a trailing slash.

    Examples
    --------
    >>> public_url("127.0.0.1", 8000, https=True)
    'https://localhost:8000'
    >>> public_url("0.0.0.0", 8443, https=False, url="https://clv.example.com/")
    'https://clv.example.com'
    """
    if url:
        return url.rstrip("/")
    scheme = "https" if https else "http"
    name = "localhost" if host in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "") else host
    return f"{scheme}://{name}:{port}"


def render_manifest(base_url: str, env: Mapping[str, str] | None = None) -> str:
    """Render clv-xl's add-in manifest (``server/templates/manifest.xml``) as ``GET /manifest`` serves it.

    Rendered here with Jinja2 from the same settings the server gets (:func:`server_environment`), so writing
    the manifest needs no licence key: the key is needed to run the server, not to describe the add-in.

    Parameters
    ----------
    base_url : str
        Public address of the server, e.g. ``https://localhost:8000``.
    env : mapping, optional
        Base environment (server settings such as ``XLWINGS_PROJECT_NAME``); defaults to ``os.environ``.

    Returns
    -------
    str
        The manifest XML.

    Examples
    --------
    >>> xml = render_manifest("https://localhost:8000", {})
    >>> "https://localhost:8000/taskpane.html" in xml, 'Locale="fr-FR"' in xml
    (True, True)
    """
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - jinja2 comes with the server extra
        raise ClvXlError('writing the manifest needs the server extra: pip install "clv-xl[server]"') from exc
    settings = server_environment(env)
    environment = settings["XLWINGS_ENVIRONMENT"].lower()
    providers = settings.get("XLWINGS_AUTH_PROVIDERS", "[]")
    context = {
        "settings": SimpleNamespace(
            project_name=settings["XLWINGS_PROJECT_NAME"],
            environment=environment,
            static_url_path=settings.get("XLWINGS_STATIC_URL_PATH", "/static"),
            functions_namespace=settings["XLWINGS_FUNCTIONS_NAMESPACE"],
            auth_providers=json.loads(providers) if providers.strip().startswith("[") else [providers],
            auth_entraid_client_id=settings.get("XLWINGS_AUTH_ENTRAID_CLIENT_ID", ""),
        ),
        "base_url": base_url.rstrip("/"),
        "base_url_with_app_path": base_url.rstrip("/") + settings.get("XLWINGS_APP_PATH", ""),
        "manifest_id": settings.get(f"XLWINGS_MANIFEST_ID_{environment.upper()}",
                                    _MANIFEST_IDS["XLWINGS_MANIFEST_ID_PROD"]),
    }
    loader = jinja2.FileSystemLoader(str(PROJECT_DIR / "templates"))
    templates = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    return templates.get_template("manifest.xml").render(context)


def write_manifest(path: str | os.PathLike[str], base_url: str, env: Mapping[str, str] | None = None) -> Path:
    """Write the add-in manifest to ``path``, ready to sideload into Excel.

    Parameters
    ----------
    path : str or path-like
        Target file (``.xml``); its folder must exist.
    base_url : str
        Public address of the server.
    env : mapping, optional
        Base environment; defaults to ``os.environ``.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    xml = render_manifest(base_url, env)
    target = Path(path).expanduser()
    try:
        target.write_text(xml, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the manifest to {target}: {exc.strerror or exc}") from exc
    return target


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    auth: bool | None = None,
    insecure_http: bool = False,
    url: str | None = None,
    allow_origins: tuple[str, ...] = (),
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
) -> NoReturn:
    """Replace this process with uvicorn serving xlwings Server for clv-xl (it keeps the process id).

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Interface to listen on (loopback by default).
    port : int, default 8000
        Port to listen on.
    ssl_certfile, ssl_keyfile : str, optional
        Certificate and key for HTTPS, which Excel requires for add-ins (e.g. made with ``mkcert``).
    auth : bool, optional
        Require the access token on every call. Default: on unless ``host`` is a loopback interface. The token
        is ``CLV_XL_SERVER_TOKEN`` if set, else a new random one, printed once.
    insecure_http : bool, default False
        Allow plain HTTP on a non-loopback interface (only behind a TLS-terminating proxy).
    url : str, optional
        Public address (behind a proxy); its origin may call the server.
    allow_origins : tuple of str
        Further origins allowed to call the server.
    max_request_bytes : int
        Largest request body accepted.

    Raises
    ------
    ClvXlError
        If xlwings Server is missing, no licence key is set, or a non-loopback interface is asked for
        without TLS and without ``insecure_http``.
    """
    check_server_ready()
    if bool(ssl_certfile) != bool(ssl_keyfile):
        raise ClvXlError("give both --ssl-certfile and --ssl-keyfile, or neither")
    loopback = is_loopback(host)
    if not loopback and not ssl_certfile and not insecure_http:
        raise ClvXlError(
            f"refusing to serve {host} over plain HTTP: give --ssl-certfile and --ssl-keyfile, or, behind a "
            "proxy that terminates TLS, --insecure-http"
        )
    token = ""
    if token_required(host, auth):
        token = os.environ.get(TOKEN_ENV, "").strip()
        if not token:
            token = secrets.token_urlsafe(24)
            print(f"Access token (enter it once in the CLV task pane; set {TOKEN_ENV} to keep it): {token}")
    elif not loopback:
        print(f"Warning: {host} is reachable from other machines and --no-auth lets anyone there call the server.")
    argv = [sys.executable, "-m", "uvicorn", APP, "--factory", "--host", host, "--port", str(port), "--no-access-log"]
    if ssl_certfile and ssl_keyfile:
        argv += ["--ssl-certfile", ssl_certfile, "--ssl-keyfile", ssl_keyfile]
    env = server_environment()
    env.update(
        guard_environment(
            host, token=token, url=url, allow_origins=allow_origins, max_request_bytes=max_request_bytes
        )
    )
    sys.stdout.flush()
    sys.stderr.flush()
    if sys.platform.startswith("win"):  # no exec on Windows: run it and pass its exit code on
        raise SystemExit(subprocess.call(argv, env=env, cwd=str(PROJECT_DIR)))
    os.chdir(PROJECT_DIR)
    os.execve(sys.executable, argv, env)
