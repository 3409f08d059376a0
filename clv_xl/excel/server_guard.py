"""The gate in front of xlwings Server: every request passes these checks before the app sees it.

An ASGI middleware, :class:`RequestGuard`, refuses with a short plain-text 4xx:

- a path holding ``..`` or ``.`` segments, backslashes, NUL or a ``%`` left after decoding (double
  encoding) -- whatever route it was meant for (404);
- a ``Host`` header outside :attr:`GuardSettings.allowed_hosts` (set on loopback binds, where there is no
  token: it stops DNS-rebinding pages from reaching the server under their own name) (400);
- a state-changing call (any method but GET, HEAD, OPTIONS) from a foreign ``Origin``, from ``Origin: null``,
  or marked ``Sec-Fetch-Site: cross-site``: a web page elsewhere cannot make a browser run the report (403);
- a state-changing call without ``Authorization: Bearer <token>`` when a token is set (401);
- a body larger than :attr:`GuardSettings.max_request_bytes` (413), read at most that far.

The settings come from environment variables (``clv-xl serve`` sets them for the server process), so the
gate is configured the same way as xlwings Server itself.
"""

from __future__ import annotations

import hmac
import os
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "TOKEN_ENV",
    "ALLOWED_HOSTS_ENV",
    "ALLOWED_ORIGINS_ENV",
    "MAX_REQUEST_ENV",
    "DEFAULT_MAX_REQUEST_BYTES",
    "LOOPBACK_HOSTS",
    "GuardSettings",
    "RequestGuard",
    "unsafe_path",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Shared secret the add-in sends as ``Authorization: Bearer <token>``; empty or unset = no token.
TOKEN_ENV = "CLV_XL_SERVER_TOKEN"
#: Comma-separated host names the ``Host`` header may carry; empty or unset = any.
ALLOWED_HOSTS_ENV = "CLV_XL_ALLOWED_HOSTS"
#: Comma-separated origins (``https://host:port``) allowed besides the server's own.
ALLOWED_ORIGINS_ENV = "CLV_XL_ALLOWED_ORIGINS"
#: Largest request body accepted, in bytes.
MAX_REQUEST_ENV = "CLV_XL_MAX_REQUEST_BYTES"

#: Default body limit: 16 MB holds the values of about 300,000 order rows sent by the report button.
DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024

#: Names of this machine's loopback interface.
LOOPBACK_HOSTS: frozenset[str] = frozenset({"127.0.0.1", "localhost", "::1"})

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _split(value: str | None) -> frozenset[str]:
    return frozenset(part.strip().lower().rstrip("/") for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class GuardSettings:
    """What :class:`RequestGuard` lets through.

    Parameters
    ----------
    token : str
        Bearer token required on state-changing calls; empty for none.
    allowed_hosts : frozenset of str
        Host names the ``Host`` header may carry (lower case, no port); empty for any.
    allowed_origins : frozenset of str
        Origins allowed besides the request's own (``scheme://host[:port]``, lower case).
    max_request_bytes : int
        Largest request body accepted.

    Examples
    --------
    >>> s = GuardSettings.from_env({"CLV_XL_ALLOWED_HOSTS": "localhost, 127.0.0.1", "CLV_XL_MAX_REQUEST_BYTES": "1000"})
    >>> sorted(s.allowed_hosts), s.max_request_bytes, s.token
    (['127.0.0.1', 'localhost'], 1000, '')
    """

    token: str = ""
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    allowed_origins: frozenset[str] = field(default_factory=frozenset)
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GuardSettings:
        """Read the settings from ``env`` (default ``os.environ``).

        Parameters
        ----------
        env : mapping, optional
            Environment variables.

        Returns
        -------
        GuardSettings
            The settings; a missing or malformed size falls back to the default.
        """
        env = os.environ if env is None else env
        try:
            limit = int(env.get(MAX_REQUEST_ENV, "") or DEFAULT_MAX_REQUEST_BYTES)
        except ValueError:
            limit = DEFAULT_MAX_REQUEST_BYTES
        return cls(
            token=env.get(TOKEN_ENV, "").strip(),
            allowed_hosts=_split(env.get(ALLOWED_HOSTS_ENV)),
            allowed_origins=_split(env.get(ALLOWED_ORIGINS_ENV)),
            max_request_bytes=max(limit, 1),
        )


def unsafe_path(raw_path: bytes | str) -> bool:
    """Tell whether a request path tries to leave its folder or hides something behind encoding.

    The path is decoded once (as the server does) and checked for ``.``/``..`` segments, backslashes, NUL
    and any ``%`` that would decode again.

    Parameters
    ----------
    raw_path : bytes or str
        The request target's path, as sent.

    Returns
    -------
    bool
        True for a path to refuse.

    Examples
    --------
    >>> unsafe_path(b"/static/js/ribbon.js")
    False
    >>> [unsafe_path(p) for p in (b"/static/../x", b"/static/%2e%2e/x", b"/static/..%2fx", b"/static/%252e%252e/x")]
    [True, True, True, True]
    >>> unsafe_path("/static/..\\\\x"), unsafe_path("/static/./x"), unsafe_path("/a%00b")
    (True, True, True)
    """
    text = raw_path.decode("latin-1") if isinstance(raw_path, bytes) else raw_path
    decoded = urllib.parse.unquote(text, errors="replace")
    if "%" in decoded or "\\" in decoded or "\x00" in decoded:
        return True
    return any(segment in (".", "..") for segment in decoded.split("/"))


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _host_name(host_header: str) -> str:
    """``example.com:8000`` -> ``example.com``; ``[::1]:8000`` -> ``::1``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class _Refusal(Exception):
    def __init__(self, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class RequestGuard:
    """ASGI middleware applying :class:`GuardSettings` to every HTTP request (and refusing websockets).

    Parameters
    ----------
    app : ASGI app
        The app to protect.
    settings : GuardSettings, optional
        What to let through; read from the environment when omitted.
    """

    def __init__(self, app: ASGIApp, settings: GuardSettings | None = None) -> None:
        self.app = app
        self.settings = GuardSettings.from_env() if settings is None else settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, then pass it on or answer it with a short refusal."""
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":  # websockets (socket.io) are not used by clv-xl
            await send({"type": "websocket.close", "code": 1008})
            return
        try:
            self._check_headers(scope)
            body = await self._read_body(scope, receive)
        except _Refusal as refusal:
            await _respond(send, refusal.status, refusal.message, refusal.headers)
            return
        await self.app(scope, _replay(body, receive), send)

    def _check_headers(self, scope: Scope) -> None:
        if unsafe_path(scope.get("raw_path") or scope.get("path", "")) or unsafe_path(scope.get("path", "")):
            raise _Refusal(404, "Not found.")
        host = _header(scope, b"host") or ""
        if self.settings.allowed_hosts and _host_name(host) not in self.settings.allowed_hosts:
            raise _Refusal(400, "Unknown Host header; call the server by the name it was started with.")
        if scope.get("method", "GET").upper() in _SAFE_METHODS:
            return
        self._check_origin(scope, host)
        if self.settings.token:
            sent = (_header(scope, b"authorization") or "").strip()
            expected = f"Bearer {self.settings.token}"
            if not hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8")):
                raise _Refusal(
                    401,
                    "Missing or wrong access token: enter the server's token in the CLV task pane.",
                    ((b"www-authenticate", b"Bearer"),),
                )

    def _check_origin(self, scope: Scope, host: str) -> None:
        origin = _header(scope, b"origin")
        if origin is None:
            if (_header(scope, b"sec-fetch-site") or "").lower() == "cross-site":
                raise _Refusal(403, "Cross-site request refused.")
            return
        origin = origin.strip().lower().rstrip("/")
        own = {f"{scheme}://{host.strip().lower()}" for scheme in ("http", "https")} if host else set()
        if origin == "null" or (origin not in own and origin not in self.settings.allowed_origins):
            raise _Refusal(403, "Cross-origin request refused: this server only answers its own add-in.")

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        limit = self.settings.max_request_bytes
        too_large = _Refusal(
            413, f"Request too large (over {limit:,} bytes); select fewer cells or raise --max-request-mb."
        )
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise _Refusal(400, "Malformed Content-Length header.")
            if int(length) > limit:
                raise too_large
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Refusal(400, "Client disconnected.")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_large
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read body over once, then defers to the server."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _respond(send: Send, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = message.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
