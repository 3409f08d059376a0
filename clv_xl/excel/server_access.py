"""Who may call clv-xl's xlwings Server: loopback or not, the access token, allowed hosts and origins.

The request gate itself (:mod:`clv_xl.excel.server_guard`) reads these settings as ``CLV_XL_*`` environment
variables; :func:`guard_environment` writes them for :func:`clv_xl.excel.serve.serve`.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from clv_xl.excel.server_guard import (
    ALLOWED_HOSTS_ENV,
    ALLOWED_ORIGINS_ENV,
    DEFAULT_MAX_REQUEST_BYTES,
    LOOPBACK_HOSTS,
    MAX_REQUEST_ENV,
    TOKEN_ENV,
)

__all__ = ["guard_environment", "is_loopback", "token_required"]


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
