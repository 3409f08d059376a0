"""How much does the Excel layer cost? =CLV over a 1,000,000-cell range vs the bare numpy expression.

Both sides start from what xlwings hands a UDF (``ndim=2``: nested lists of cell values) and end with what
it hands back (nested lists), so the ratio measures clv-xl's own work: argument checks, empty-cell and text
detection, validation and error mapping. A second line compares the library call ``formulas.clv`` on numpy
arrays with the bare product. Goal: UDF ≤ 3× the baseline. Run: ``python benchmarks/udf_overhead.py``.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from clv_xl import formulas
from clv_xl.excel import udfs

CELLS = 1_000_000
REPEATS = 5


def best_of(func, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    rng = np.random.default_rng(7)
    aov = rng.uniform(10, 200, (CELLS, 1))
    freq = rng.uniform(0.5, 6, (CELLS, 1))
    years = rng.uniform(0.5, 8, (CELLS, 1))
    cells = [a.tolist() for a in (aov, freq, years)]  # what xlwings passes for three 1,000,000×1 ranges

    def udf() -> list:
        return udfs.CLV(cells[0], cells[1], cells[2], 0.3)

    def bare() -> list:
        a, f, y = (np.asarray(c, dtype=np.float64) for c in cells)
        return (a * f * y * 0.3).tolist()

    assert np.allclose(np.asarray(udf()), np.asarray(bare()))
    udf_best, udf_median = best_of(udf)
    bare_best, bare_median = best_of(bare)
    print(f"=CLV over {CELLS:,} cells: {udf_best * 1e3:.0f} ms (median {udf_median * 1e3:.0f} ms)")
    print(f"bare numpy, same lists in and out: {bare_best * 1e3:.0f} ms (median {bare_median * 1e3:.0f} ms)")
    print(f"ratio UDF / bare: {udf_best / bare_best:.2f}x (goal <= 3x)")

    lib_best, _ = best_of(lambda: formulas.clv(aov, freq, years, 0.3))
    core_best, _ = best_of(lambda: aov * freq * years * 0.3)
    print(f"formulas.clv on arrays: {lib_best * 1e3:.1f} ms; bare product: {core_best * 1e3:.1f} ms; "
          f"ratio {lib_best / core_best:.2f}x")


if __name__ == "__main__":
    main()
