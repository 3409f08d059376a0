"""Does one slow caller stall the others? 2,000 small ``=CLV`` calls at concurrency 20 against ``clv-xl serve``.

Two runs against the same real server (a subprocess on 127.0.0.1): the baseline, small calls only; then the
same small calls while one large ``=CLV`` over a 300,000-cell range runs. Prints p50/p99 latency of the small
calls in both runs and their ratio. Goal: p99 under 250 ms while the large call runs. Bounded: about a minute.

Run: ``XLWINGS_LICENSE_KEY=noncommercial python benchmarks/server_load.py``.
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.serve_process import HOST, function_call, running_server  # noqa: E402

SMALL_CALLS = 2_000
CONCURRENCY = 20
LARGE_CELLS = 300_000


def small_calls(port: int) -> list[float]:
    """Latencies (s) of SMALL_CALLS ``=CLV(50, 2, 3)`` calls, CONCURRENCY at a time, one connection each."""
    body = json.dumps(function_call("CLV", 50, 2, 3))
    per_worker = SMALL_CALLS // CONCURRENCY

    def worker(_: int) -> list[float]:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        times = []
        for _ in range(per_worker):
            start = time.perf_counter()
            conn.request("POST", "/xlwings/custom-functions-call", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            times.append(time.perf_counter() - start)
            if response.status != 200 or json.loads(payload)["result"] != [[300.0]]:
                raise RuntimeError(f"small call failed: {response.status} {payload[:200]!r}")
        conn.close()
        return times

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        return [t for times in pool.map(worker, range(CONCURRENCY)) for t in times]


def large_call(port: int, result: dict[str, float]) -> None:
    """One ``=CLV`` over LARGE_CELLS cells; records when it started and ended."""
    column = [float(10 + i % 90) for i in range(LARGE_CELLS)]
    body = json.dumps(function_call("CLV", column, column, column))
    conn = http.client.HTTPConnection(HOST, port, timeout=300)
    result["start"] = time.perf_counter()
    conn.request("POST", "/xlwings/custom-functions-call", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    result["end"] = time.perf_counter()
    result["status"] = response.status
    result["megabytes"] = len(body) / 1e6


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    cuts = statistics.quantiles(times, n=100)
    return 1000 * statistics.median(times), 1000 * cuts[98]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder) / "server.log") as port:
        small_calls(port)  # warm-up: imports, thread pool
        base = small_calls(port)
        large: dict[str, float] = {}
        thread = threading.Thread(target=large_call, args=(port, large))
        thread.start()
        time.sleep(1.0)  # the large body is sent and being worked on
        loaded_start = time.perf_counter()
        loaded = small_calls(port)
        loaded_end = time.perf_counter()
        thread.join(timeout=300)

    base_p50, base_p99 = percentiles(base)
    load_p50, load_p99 = percentiles(loaded)
    overlap = large.get("end", 0) >= loaded_end
    print(f"{SMALL_CALLS} =CLV calls at concurrency {CONCURRENCY}, one server on 2 shared cores")
    print(f"  baseline (no large call)      p50 {base_p50:7.1f} ms   p99 {base_p99:7.1f} ms")
    print(f"  while a large call runs       p50 {load_p50:7.1f} ms   p99 {load_p99:7.1f} ms")
    print(f"  ratio loaded/baseline         p50 {load_p50 / base_p50:7.2f}x     p99 {load_p99 / base_p99:7.2f}x")
    print(
        f"  large call: {LARGE_CELLS:,} cells x 3 ({large.get('megabytes', 0):.1f} MB), status "
        f"{large.get('status')}, {large.get('end', 0) - large.get('start', 0):.1f} s; small calls took "
        f"{loaded_end - loaded_start:.1f} s and {'all' if overlap else 'NOT all'} ran while it was running"
    )
    print(f"  goal p99 < 250 ms while the large call runs: {'met' if load_p99 < 250 else 'NOT met'}")


if __name__ == "__main__":
    main()
