"""Start ``clv-xl serve`` as a real subprocess on 127.0.0.1 and a free port, and call it over HTTP.

Shared by the server tests and ``benchmarks/server_load.py``. The server is waited for with a bound and
stopped by its own process id.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import xlwings

HOST = "127.0.0.1"
START_TIMEOUT = 90.0


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(**extra: str) -> dict[str, str]:
    """This environment without any XLWINGS_*/CLV_XL_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "CLV_XL_"))}
    env.update(extra)
    return env


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | str | object | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[int, str]:
    """One HTTP request sent as is (the path is not normalised); returns status and body text."""
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def function_call(func_name: str, *args: object) -> dict[str, object]:
    """The body Office.js sends for ``=CLV.<func_name>(args...)``; a list argument is sent as a column."""
    cells = [[[v] for v in a] if isinstance(a, list) else [[a]] for a in args]
    return {
        "client": "Office.js",
        "func_name": func_name,
        "args": cells,
        "caller_address": "[Book1]Sheet1!B2",
        "session_id": "clv-xl-test",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": xlwings.__version__,
        "runtime": "1.4",
    }


def serve_refusal(*options: str, env: Mapping[str, str] | None = None) -> str:
    """Run ``clv-xl serve options...`` expecting it to refuse: exit code 2 and one line; returns the line."""
    proc = subprocess.run(
        [sys.executable, "-m", "clv_xl", "serve", *options],
        env=dict(env) if env is not None else server_env(XLWINGS_LICENSE_KEY="noncommercial"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]
    return lines[0]


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server by its process id (SIGTERM, then SIGKILL after a bounded wait)."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


@contextlib.contextmanager
def running_server(log: Path, *options: str, env: Mapping[str, str] | None = None) -> Iterator[int]:
    """Run ``clv-xl serve --host 127.0.0.1 --port <free> options...``; yield the port once it answers."""
    port = free_port()
    environment = dict(env) if env is not None else server_env(XLWINGS_LICENSE_KEY="noncommercial")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "clv_xl", "serve", "--host", HOST, "--port", str(port), *options],
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"clv-xl serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if request(port, "GET", "/xlwings/custom-functions-meta", timeout=5)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"clv-xl serve did not answer within {START_TIMEOUT:.0f} s")
            time.sleep(0.3)
        yield port
    finally:
        stop(proc)
