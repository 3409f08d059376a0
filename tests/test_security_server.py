"""``clv-xl serve`` tried as an attacker would: a real server on 127.0.0.1, real HTTP requests.

One server runs for the module with ``--auth`` (token from ``CLV_XL_SERVER_TOKEN``) and a 4 MB request limit.
Requests are bounded in count and size (the largest is 5 MB). Paths are sent as they are written, through
``http.client`` and a raw socket, so no client normalises ``..`` away.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve_process import HOST, function_call, request, running_server, serve_refusal, server_env

if importlib.util.find_spec("xlwings_server") is None:
    pytest.skip("xlwings-server is not installed (pip install 'clv-xl[server]')", allow_module_level=True)

TOKEN = "test-token-5b1f0c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CALL = "/xlwings/custom-functions-call"
MAX_MB = 4


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = server_env(XLWINGS_LICENSE_KEY="noncommercial", CLV_XL_SERVER_TOKEN=TOKEN)
    with running_server(log, "--auth", "--max-request-mb", str(MAX_MB), env=env) as p:
        yield p
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


def assert_short(body: str) -> None:
    """A refusal is one short line: no traceback, no echo of a large argument."""
    assert len(body) <= 200, body[:300]
    assert "\n" not in body.strip() and "Traceback" not in body


# --- static files: no path leaves the static folders -------------------------------------------------------------

TRAVERSALS = [
    "/static/../../../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/static/..\\..\\..\\..\\..\\..\\etc\\passwd",
    "/static/..%5c..%5c..%5c..%5c..%5c..%5cetc%5cpasswd",
    "/static/%252e%252e/%252e%252e/%252e%252e/%252e%252e/%252e%252e/etc/passwd",
    "/static/..%252f..%252f..%252f..%252fetc%252fpasswd",
    "/static/../custom_scripts/__init__.py",
    "/static/..%2fcustom_scripts%2f__init__.py",
    "/static/./../custom_functions/__init__.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/js/%00../../../etc/passwd",
    "/../../../../etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_traversal_is_refused(port: int, path: str) -> None:
    status, body = request(port, "GET", path)
    assert status == 404, (path, status, body[:200])
    assert "root:" not in body and "generate_report" not in body and "import" not in body


def test_raw_socket_traversal_is_refused(port: int) -> None:
    for target in (b"/static/../../../../../../etc/passwd", b"/static/../custom_scripts/__init__.py"):
        with socket.create_connection((HOST, port), timeout=30) as conn:
            conn.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 404"), reply[:200]
        assert b"root:" not in reply and b"generate_report" not in reply


def test_static_files_still_served(port: int) -> None:
    status, js = request(port, "GET", "/static/js/ribbon.js")
    assert status == 200 and 'scriptName: "generate_report"' in js  # clv-xl's own file wins
    status, css = request(port, "GET", "/static/css/core.css")  # xlwings Server's files are still there
    assert status == 200 and "{" in css


def test_static_mount_checks_paths_itself(tmp_path: Path) -> None:
    """The second line of defence: the static route resolves each path and keeps it inside its folders."""
    code = (
        "from clv_xl.excel.server_app import create_app\n"
        "from starlette.routing import Mount\n"
        "from xlwings_server.main import app\n"
        "create_app()\n"
        "mount = next(r for r in app.router.routes if isinstance(r, Mount))\n"
        "paths = ['../custom_scripts/__init__.py', '../../../../../../etc/passwd', '/etc/passwd', 'js/ribbon.js']\n"
        "for path in paths:\n"
        "    print(path, bool(mount.app.lookup_path(path)[1]))\n"
    )
    from clv_xl.excel.serve import server_environment

    env = server_environment(server_env(XLWINGS_LICENSE_KEY="noncommercial"))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = dict(line.rsplit(" ", 1) for line in proc.stdout.splitlines())
    assert found == {
        "../custom_scripts/__init__.py": "False",
        "../../../../../../etc/passwd": "False",
        "/etc/passwd": "False",
        "js/ribbon.js": "True",
    }


# --- who may call: token, origin, host ----------------------------------------------------------------------------


def test_calls_need_the_token(port: int) -> None:
    body = function_call("CLV", 50, 2, 3)
    assert request(port, "POST", CALL, body)[0] == 401
    assert request(port, "POST", CALL, body, {"Authorization": "Bearer wrong"})[0] == 401
    assert request(port, "POST", CALL, body, {"Authorization": TOKEN})[0] == 401  # the scheme is part of it
    status, text = request(port, "POST", CALL, body, AUTH)
    assert status == 200 and json.loads(text)["result"] == [[300]]
    # What Excel loads by itself (no headers) stays readable: it holds no data.
    assert request(port, "GET", "/xlwings/custom-functions-meta")[0] == 200
    assert request(port, "GET", "/taskpane.html")[0] == 200


def test_add_in_sends_the_token_it_was_given(port: int) -> None:
    """The add-in side: the task pane has a field for the token, and every call sends it as a Bearer token."""
    status, html = request(port, "GET", "/taskpane.html")
    assert status == 200 and 'id="clv-token"' in html and "/js/clv-token.js" in html
    status, auth_js = request(port, "GET", "/static/js/auth.js")  # clv-xl's, in place of xlwings Server's
    assert status == 200 and "globalThis.getAuth" in auth_js and '"Bearer " + token' in auth_js
    status, form_js = request(port, "GET", "/static/js/clv-token.js")
    assert status == 200 and "clvToken.set" in form_js


def test_report_script_needs_the_token(port: int) -> None:
    status, body = request(port, "POST", "/xlwings/custom-scripts-call/generate_report", {"client": "Office.js"})
    assert status == 401
    assert_short(body)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Content-Type": "text/plain"},
        {"Origin": "http://127.0.0.1.evil.example", "Content-Type": "text/plain"},
        {"Origin": "null", "Content-Type": "text/plain"},
        {"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},
    ],
)
def test_foreign_origin_cannot_run_anything(port: int, headers: dict[str, str]) -> None:
    for path, body in (
        (CALL, function_call("CLV", 50, 2, 3)),
        ("/xlwings/custom-scripts-call/generate_report", {"client": "Office.js"}),
    ):
        status, text = request(port, "POST", path, json.dumps(body), {**AUTH, **headers})
        assert status == 403, (path, headers, status, text)
        assert_short(text)


def test_own_origin_may_call(port: int) -> None:
    headers = {**AUTH, "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}
    status, text = request(port, "POST", CALL, function_call("CLV", 50, 2, 3), headers)
    assert status == 200, text


def test_unknown_host_header_is_refused(port: int) -> None:
    """A DNS-rebinding page reaches a loopback server under its own name: refused by the Host check."""
    status, body = request(port, "GET", "/", headers={"Host": f"evil.example:{port}"})
    assert status == 400
    assert request(port, "GET", "/", headers={"Host": f"localhost:{port}"})[0] == 200


# --- size ---------------------------------------------------------------------------------------------------------


def test_request_size_is_limited(port: int) -> None:
    """A body announced larger than the limit is refused before any of it is read."""
    size = (MAX_MB + 1) * 1024 * 1024
    head = (
        f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    )
    with socket.create_connection((HOST, port), timeout=60) as conn:
        conn.sendall(head.encode() + b'{"func_name": "CLV", "args": [[["' + b"x" * 65536)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    status_line, _, rest = reply.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large", status_line
    body = rest.partition(b"\r\n\r\n")[2].decode()
    assert_short(body)
    assert "--max-request-mb" in body


def test_chunked_request_size_is_limited(port: int) -> None:
    """Without a Content-Length the body is counted as it arrives and refused once past the limit."""
    head = (
        f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    piece = b" " * (256 * 1024)
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    with socket.create_connection((HOST, port), timeout=60) as conn:
        conn.sendall(head.encode())
        for _ in range(MAX_MB * 4):
            conn.sendall(chunk)
        conn.sendall(b"3e8\r\n" + b" " * 1000 + b"\r\n0\r\n\r\n")  # 1,000 bytes past the limit
        reply = b""
        while data := conn.recv(65536):
            reply += data
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert_short(reply.partition(b"\r\n\r\n")[2].decode())


# --- malformed calls: a 4xx with a short message, never a 500 ----------------------------------------------------

BASE = function_call("CLV", 50, 2, 3)

MALFORMED_CALLS: dict[str, bytes] = {
    "empty body": b"",
    "open brace": b"{",
    "a list": b"[]",
    "a string": b'"CLV"',
    "not utf-8": b"\xff\xfe{}",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "no func_name": json.dumps({k: v for k, v in BASE.items() if k != "func_name"}).encode(),
    "no args": json.dumps({k: v for k, v in BASE.items() if k != "args"}).encode(),
    "args not a list": json.dumps({**BASE, "args": "50,2,3"}).encode(),
    "no runtime": json.dumps({k: v for k, v in BASE.items() if k != "runtime"}).encode(),
    "unknown function": json.dumps({**BASE, "func_name": "SHUTDOWN"}).encode(),
    "dunder function": json.dumps({**BASE, "func_name": "__class__"}).encode(),
    "dunder import": json.dumps({**BASE, "func_name": "__builtins__"}).encode(),
    "private helper": json.dumps({**BASE, "func_name": "_column"}).encode(),
    "module attribute": json.dumps({**BASE, "func_name": "np"}).encode(),
    "too few arguments": json.dumps({**BASE, "args": [[[50]], [[2]]]}).encode(),
    "too many arguments": json.dumps({**BASE, "args": [[[1]]] * 9}).encode(),
    "required argument null": json.dumps({**BASE, "args": [None, [[2]], [[3]]]}).encode(),
    "argument not 2-D": json.dumps({**BASE, "args": [50, 2, 3]}).encode(),
    "entity argument": json.dumps(
        {**BASE, "args": [[[{"type": "Entity", "text": "x", "properties": {}}]], [[2]], [[3]]]}
    ).encode(),
    "object without type": json.dumps({**BASE, "args": [[[{"a": 1}]], [[2]], [[3]]]}).encode(),
    "NaN literal": json.dumps(BASE).replace('[[50]]', "[[NaN]]").encode(),
    "Infinity literal": json.dumps(BASE).replace('[[50]]', "[[Infinity]]").encode(),
    "number too large": json.dumps(BASE).replace('[[50]]', "[[1e999]]").encode(),
    "overflowing result": json.dumps(function_call("CLV", 1e308, 10, 10)).encode(),
}


@pytest.mark.parametrize("case", list(MALFORMED_CALLS))
def test_malformed_function_call_is_a_short_4xx(port: int, case: str) -> None:
    status, body = request(port, "POST", CALL, MALFORMED_CALLS[case], AUTH)
    assert 400 <= status < 500, (case, status, body)
    assert_short(body)


def test_huge_text_argument_is_not_echoed(port: int) -> None:
    text = "z" * 1_000_000
    status, body = request(port, "POST", CALL, function_call("CLV", text, 2, 3), AUTH)
    assert status == 400
    assert_short(body)
    assert "avg_order_value" in body  # it still names the argument


SCRIPT = "/xlwings/custom-scripts-call/"
BOOK = {
    "client": "Office.js",
    "version": "0.37.8",
    "book": {"name": "Shop.xlsx", "active_sheet_index": 0, "selection": "A1"},
    "names": [],
    "sheets": [{"name": "Orders", "values": [["Customer", "Date", "Amount"]], "pictures": [], "tables": []}],
}

MALFORMED_SCRIPTS: dict[str, tuple[str, bytes]] = {
    "unknown script": ("delete_everything", json.dumps(BOOK).encode()),
    "dunder script": ("__init__", json.dumps(BOOK).encode()),
    "dunder loader": ("__loader__", json.dumps(BOOK).encode()),
    "imported name": ("xw", json.dumps(BOOK).encode()),
    "empty body": ("generate_report", b""),
    "open brace": ("generate_report", b"{"),
    "no sheets": ("generate_report", json.dumps({k: v for k, v in BOOK.items() if k != "sheets"}).encode()),
    "no book": ("generate_report", json.dumps({k: v for k, v in BOOK.items() if k != "book"}).encode()),
    "zero sheets": ("generate_report", json.dumps({**BOOK, "sheets": []}).encode()),
    "values not 2-D": ("generate_report", json.dumps({**BOOK, "sheets": [{"name": "a", "values": 3}]}).encode()),
    "args not a list": ("generate_report", json.dumps({**BOOK, "args": {"a": 1}}).encode()),
}


@pytest.mark.parametrize("case", list(MALFORMED_SCRIPTS))
def test_malformed_script_call_is_a_short_4xx(port: int, case: str) -> None:
    name, body = MALFORMED_SCRIPTS[case]
    status, text = request(port, "POST", SCRIPT + name, body, AUTH)
    assert 400 <= status < 500, (case, status, text)
    assert_short(text)


# --- one slow caller does not stall the others --------------------------------------------------------------------


def test_small_calls_answer_while_a_large_one_runs(port: int) -> None:
    column = [float(10 + i % 90) for i in range(120_000)]
    large_body = json.dumps(function_call("CLV", column, column, column))
    assert len(large_body) < MAX_MB * 1024 * 1024
    large: dict[str, object] = {}

    def run_large() -> None:
        large["answer"] = request(port, "POST", CALL, large_body, AUTH, timeout=600)
        large["done"] = time.monotonic()

    thread = threading.Thread(target=run_large)
    thread.start()
    time.sleep(1.0)  # let the large body arrive
    answered = []
    for _ in range(10):
        status, text = request(port, "POST", CALL, function_call("CLV", 50, 2, 3), AUTH)
        assert status == 200 and json.loads(text)["result"] == [[300]]
        answered.append(time.monotonic())
    thread.join(timeout=600)
    status, text = large["answer"]  # type: ignore[misc]
    assert status == 200, text[:200]
    assert len(json.loads(text)["result"]) == len(column)
    # The small calls were answered while the large one was still being worked on.
    assert answered[-1] < large["done"]  # type: ignore[operator]


# --- binding ------------------------------------------------------------------------------------------------------


def test_non_loopback_without_tls_is_refused() -> None:
    line = serve_refusal("--host", "0.0.0.0", "--port", "8999")
    assert "--ssl-certfile" in line and "--insecure-http" in line
