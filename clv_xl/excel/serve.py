"""Run xlwings Server with clv-xl's functions and report button, and write its add-in manifest.

xlwings Server (``pip install "clv-xl[server]"``) is a FastAPI app, ``xlwings_server.main:main_app``, that
imports ``custom_functions`` and ``custom_scripts`` from its project folder. :data:`PROJECT_DIR` is that
folder for clv-xl; :func:`server_environment` holds every setting the server needs (project folder,
``CLV`` function namespace, clv-xl's own manifest ids), passed as ``XLWINGS_*`` environment variables
because xlwings reads them when it is first imported.

xlwings Server is licensed under the PolyForm Noncommercial licence, or under a paid xlwings licence:
``XLWINGS_LICENSE_KEY=noncommercial`` is accepted for non-commercial use.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import secrets
import subprocess
import sys
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from clv_xl.errors import ClvXlError, OutputError
from clv_xl.excel.server import PROJECT_DIR
from clv_xl.excel.server_guard import (
    ALLOWED_HOSTS_ENV,
    ALLOWED_ORIGINS_ENV,
    DEFAULT_MAX_REQUEST_BYTES,
    LOOPBACK_HOSTS,
    MAX_REQUEST_ENV,
    TOKEN_ENV,
)

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
    """Render the add-in manifest with xlwings Server itself, as ``GET /manifest`` would serve it.

    Runs in a child process so xlwings is imported with the server settings.

    Parameters
    ----------
    base_url : str
        Public address of the server, e.g. ``https://localhost:8000``.
    env : mapping, optional
        Base environment (needs ``XLWINGS_LICENSE_KEY``); defaults to ``os.environ``.

    Returns
    -------
    str
        The manifest XML.
    """
    check_server_ready(env)
    code = (
        "import sys\n"
        "from starlette.testclient import TestClient\n"
        "from xlwings_server.main import main_app\n"
        "response = TestClient(main_app, base_url=sys.argv[1]).get('/manifest')\n"
        "response.raise_for_status()\n"
        "sys.stdout.write(response.text)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, base_url],
        env=server_environment(env),
        cwd=str(PROJECT_DIR),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.lstrip().startswith("<?xml"):
        lines = proc.stderr.strip().splitlines()
        raise ClvXlError(f"xlwings Server could not render the manifest: {lines[-1] if lines else 'no output'}")
    return proc.stdout


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


def is_loopback(host: str) -> bool:
    """Tell whether ``host`` is this machine's loopback interface (reachable from this machine only).

    Parameters
    ----------
    host : str
        An interface name or address.

    Returns
    -------
    bool
        True for ``localhost``, ``127.x.x.x`` and ``::1``.

    Examples
    --------
    >>> [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "192.168.1.5", "")]
    [True, True, True, False, False, False]
    """
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def token_required(host: str, auth: bool | None) -> bool:
    """Whether the server asks for the access token: as told, else outside loopback only.

    Parameters
    ----------
    host : str
        Interface the server listens on.
    auth : bool or None
        ``--auth`` (True), ``--no-auth`` (False), or neither (None).

    Returns
    -------
    bool
        True when every call must carry the token.

    Examples
    --------
    >>> token_required("127.0.0.1", None), token_required("0.0.0.0", None), token_required("127.0.0.1", True)
    (False, True, True)
    >>> token_required("0.0.0.0", False)
    False
    """
    return auth if auth is not None else not is_loopback(host)


def guard_environment(
    host: str,
    *,
    token: str = "",
    url: str | None = None,
    allow_origins: tuple[str, ...] = (),
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
) -> dict[str, str]:
    """The settings of the request gate (:mod:`clv_xl.excel.server_guard`) as environment variables.

    On a loopback interface the ``Host`` header must name the loopback interface (or the ``url`` host):
    a DNS-rebinding page cannot reach the server under its own name. Elsewhere the token protects it.

    Parameters
    ----------
    host : str
        Interface the server listens on.
    token : str, default ""
        Bearer token required on calls; empty for none.
    url : str, optional
        Public address (behind a proxy): its origin is allowed and, on loopback, its host name.
    allow_origins : tuple of str
        Further origins allowed to call the server.
    max_request_bytes : int
        Largest request body.

    Returns
    -------
    dict of str to str
        ``CLV_XL_*`` variables.

    Examples
    --------
    >>> env = guard_environment("127.0.0.1", url="https://clv.example.com/")
    >>> env["CLV_XL_ALLOWED_HOSTS"], env["CLV_XL_ALLOWED_ORIGINS"]
    ('127.0.0.1,::1,clv.example.com,localhost', 'https://clv.example.com')
    >>> guard_environment("0.0.0.0", token="s3cret")["CLV_XL_ALLOWED_HOSTS"]
    ''
    """
    origins = [o.rstrip("/") for o in allow_origins]
    hosts: set[str] = set()
    if url:
        parsed = urllib.parse.urlsplit(url)
        origins.append(f"{parsed.scheme}://{parsed.netloc}".lower())
        hosts.add((parsed.hostname or "").lower())
    if is_loopback(host):
        hosts |= set(LOOPBACK_HOSTS) | {host.lower().strip("[]")}
    else:
        hosts = set()  # any name the machine is reached by; the token guards it
    return {
        TOKEN_ENV: token,
        ALLOWED_HOSTS_ENV: ",".join(sorted(h for h in hosts if h)),
        ALLOWED_ORIGINS_ENV: ",".join(origins),
        MAX_REQUEST_ENV: str(int(max_request_bytes)),
    }


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
