"""Benchmark: `clv-xl report` on 1,000,000 orders WITH the holdout check, beside the report without it and the floor.

The holdout check (issue 12) fits every purchase model (BG/NBD, MBG/NBD, Pareto/NBD, BG/BB) on the calibration part,
scores them on the held-out days and refits the chosen one on the whole history; ``benchmarks/report_1m.py`` times
the report with ``--holdout 0``. This script uses that script's orders (same generator, same seed) and floor, and
times three child processes per round, from process start to exit: the floor, the report with the default holdout
(a third of the history) and the report with ``--holdout 0``. It prints the medians, each report's ratio to the
floor, what the holdout check adds, peak RSS and the load average. Run it under the shared benchmark lock::

    flock /work/wt/bench.lock python benchmarks/report_1m_holdout.py [--orders 1000000] [--customers 100000]
        [--repeat 1] [--keep DIR]

Figures (2-core machine shared with four other engineers; see the load column). Before: main 9158012, before the
fast Pareto/NBD tail and the MBG/NBD ridge stop (branch ``tail``); after: 5aba8af (``tail`` merged with main):

=====================================  ======  ======  ========  ========  ==============  ==========================
run (1M orders)                        load    wall s  CPU s     peak RSS  ratio to floor  note
=====================================  ======  ======  ========  ========  ==============  ==========================
before: floor                          3.2     17.4    4.2       778 MB    1.00            (waited on the shared cores)
before: report with holdout check      3.2     323.3   145.8     525 MB    18.5 (CPU 34)   the check adds 308.6 s
before: report --holdout 0             3.2     14.7    14.1      575 MB    0.84 (CPU 3.3)  21.99x faster than with it
after:  floor                          3.7     3.3     3.2       795 MB    1.00
after:  report with holdout check      3.7     15.5    14.9      581 MB    4.70 (CPU 4.7)  the check adds 1.6 s
after:  report --holdout 0             3.7     13.9    13.4      584 MB    4.21 (CPU 4.2)  1.12x faster than with it
main a1c9dd9: floor                    2.3     4.2     4.5       773 MB    1.00
main a1c9dd9: report with holdout      2.3     14.2    15.3      522 MB    3.42 (CPU 3.40) the check adds 6.9 s
main a1c9dd9: report --holdout 0       2.3     7.3     7.9       526 MB    1.76 (CPU 1.76)
pnbd edb5225: floor                    3.0     5.5     5.2       764 MB    1.00
pnbd edb5225: report with holdout      3.0     12.4    12.1      506 MB    2.25 (CPU 2.34) the check adds 6.5 s
pnbd edb5225: report --holdout 0       3.0     5.8     7.1       541 MB    1.06 (CPU 1.37)
main aa15f16: floor                    1.9     4.9     5.2       772 MB    1.00            median of 3
main aa15f16: report with holdout      1.9     9.1     11.8      528 MB    1.84 (CPU 2.28) the check adds 3.2 s
main aa15f16: report --holdout 0       1.9     5.9     7.0       554 MB    1.20 (CPU 1.36)
holdout 67ae534: floor                 1.4     4.5     4.8       771 MB    1.00            median of 3
holdout 67ae534: report with holdout   1.4     7.3     9.5       531 MB    1.65 (CPU 1.99) the check adds 1.4 s
holdout 67ae534: report --holdout 0    1.4     5.9     7.1       539 MB    1.33 (CPU 1.49)
session 9 66ed2f6: floor               1.5     3.1     3.3       780 MB    1.00            median of 3, clean clone
session 9 66ed2f6: report with holdout 1.5     5.1     6.4       540 MB    1.66 (CPU 1.92) the check adds 1.9 s
session 9 66ed2f6: report --holdout 0  1.5     3.3     4.1       527 MB    1.06 (CPU 1.24)
=====================================  ======  ======  ========  ========  ==============  ==========================

The a1c9dd9 and edb5225 rows (one run each, the machine shared) compare main before and after the ``pnbd``
branch's cheaper Pareto/NBD ridge (see ``report_1m.py``): single runs at load 2-3 move by seconds, so read the CPU
seconds: the report with the check 15.3 -> 12.1 s, the check itself (report minus ``--holdout 0``) 7.4 -> 5.0 s
CPU; in process, alternating, ``validate_models`` took 5.4 -> 3.4 s. The Forecast sheet is the same: Pareto/NBD
"could not be fitted" for the same reason, MBG/NBD chosen.

The last six rows (the same orders, three rounds each, one run after the other on the same machine) measure the
``holdout`` branch's cheaper check: the Pareto/NBD tail quadrature integrates only non-empty panels and leaves out
series below the last bit of the result, and BG/NBD and MBG/NBD skip the hypergeometric form a bound proves to
overflow (:mod:`clv_xl.models._special`, :func:`clv_xl.models._beta_geometric.surely_overflows`). Every value is
the same to the last bit: the two branches' workbooks differ only in their modification time (every sheet's XML
identical), and their ``validate_models`` results compare equal. In process, alternating the two branches three
times, ``validate_models`` on these orders took 4.00 -> 2.80 s wall, 5.57 -> 3.87 s CPU (medians). With
``report_1m.py --repeat 3`` (default holdout): aa15f16 2.67x the floor (CPU 13.3 / 4.9 s, load 2.9), 67ae534 2.19x
(CPU 11.0 / 4.1 s, load 1.4; its floor ran fast at 3.9 s) and, at the previous commit (the same but for the series
left out), 2.08x (CPU 10.6 / 5.1 s, load 2.4). After merging main 78e77cb (the ``stream`` branch's faster sheets),
one run after the other at load 0.7-1.1, same floor 4.3 s: main 9.0 s, 2.10x (CPU 11.6 / 4.6 s = 2.50); this branch
merged (4451cef) 7.5 s, 1.73x (CPU 9.6 / 4.7 s = 2.07); the two workbooks again differ only in their modification
time.
At 87f1491 (no matrix of zeros for an empty panel): in process, alternating with aa15f16 three times,
``validate_models`` 3.48 -> 2.37 s wall, 5.00 -> 3.30 s CPU (medians); ``report_1m.py --repeat 3`` 8.7 s against a
4.9 s floor, 1.78x (CPU 11.1 / 5.2 s = 2.13, load 1.1-1.2); the workbook the same as main's but for its modification
time.

The holdout check went from 308.6 s to 1.6 s (about 190x less; the report with it from 323.3 s to 15.5 s, 21x). The
before row's floor had waited on the shared cores (CPU 4.2 s of 17.4 s wall), so its ratios understate the report;
compare the after rows' ratios. Before, nearly all of the check's cost was the Pareto/NBD fit: on these
gamma-weighted customers (17,912 distinct calibration histories in the 20,000-customer sample) BG/NBD and MBG/NBD end
on the degenerate drop-out ridge and Pareto/NBD walked the same ridge (s growing, the hypergeometric argument near 1)
for 383 s before giving up. After, Pareto/NBD's outcome is the same and only its cost changed: the workbook's Forecast
sheet still lists Pareto/NBD as not fitted ("its likelihood keeps rising as s (or r) grows without limit") and chooses
MBG/NBD on the holdout score, but the whole check now costs 1.6 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _process import LAST_CPU_SECONDS, run_child  # benchmarks/ is on sys.path when a script runs
from report_1m import FLOOR, make_orders


def timed(command: list[str]) -> tuple[float, float, float]:
    """(wall s, peak RSS MB, CPU s) of one child run."""
    wall, rss = run_child(command)
    return wall, rss, LAST_CPU_SECONDS[0]


def orders_csv(folder: Path, n_orders: int, n_customers: int) -> Path:
    """report_1m.py's orders in ``folder`` (made once, then reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / "orders.csv"
    if not csv.exists():
        began = time.perf_counter()
        make_orders(csv, n_orders, n_customers)
        print(f"data: {n_orders:,} orders in {csv} ({time.perf_counter() - began:.1f} s to generate)")
    return csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the files in this folder (and reuse its orders.csv)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="clv-bench-"))
    csv = orders_csv(folder, args.orders, args.customers)
    report = [sys.executable, "-m", "clv_xl", "report", str(csv), "--force", "--quiet"]
    commands = {
        "floor": [sys.executable, "-c", FLOOR, str(csv), str(folder / "floor.xlsx")],
        "report with holdout check": [*report, "-o", str(folder / "report_holdout.xlsx")],
        "report --holdout 0": [*report, "-o", str(folder / "report.xlsx"), "--holdout", "0"],
    }
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            runs[name].append(timed(command))
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores; median of {args.repeat})")
    wall = {name: statistics.median(r[0] for r in results) for name, results in runs.items()}
    cpu = {name: statistics.median(r[2] for r in results) for name, results in runs.items()}
    for name, results in runs.items():
        print(f"{name:<26} {wall[name]:7.1f} s  CPU {cpu[name]:7.1f} s  peak RSS {max(r[1] for r in results):6.0f} MB  "
              f"ratio to floor {wall[name] / wall['floor']:5.2f} (CPU {cpu[name] / cpu['floor']:5.2f})  "
              f"runs {[round(r[0], 1) for r in results]}")
    extra = wall["report with holdout check"] - wall["report --holdout 0"]
    print(f"the holdout check adds {extra:.1f} s "
          f"({wall['report with holdout check'] / wall['report --holdout 0']:.2f}x the report without it)")


if __name__ == "__main__":
    main()
