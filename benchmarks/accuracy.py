"""How close the report's figures come to the truth of simulated shops (no timing: accuracy).

Run from the repository root:  python benchmarks/accuracy.py

Each shop is drawn with plain numpy in tests/simulated_shops.py, where its true churn, lifespan and future value
are known; the report's figures are computed by clv_xl.report.build_content (the same numbers the workbook's
formulas give, see tests/test_kpi_records.py). Each section prints one table; add a section by appending a
function to SECTIONS.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accuracy_model_choice import model_choice  # noqa: E402

from clv_xl.orders import read_orders  # noqa: E402
from clv_xl.report import ReportOptions, build_content  # noqa: E402
from tests.simulated_shops import START, Shop, repeat_shop, subscription_shop  # noqa: E402


def _shops() -> list[tuple[Shop, ReportOptions]]:
    subscription = subscription_shop()
    repeat = repeat_shop()
    end = (START + pd.Timedelta(days=545)).strftime("%Y-%m-%d")
    return [
        (subscription, ReportOptions(margin=subscription.margin, discount_rate=subscription.discount_rate)),
        (repeat, ReportOptions(margin=repeat.margin, discount_rate=repeat.discount_rate, observation_end=end)),
    ]


def _row(figure: str, truth: float | None, reported: object, what: str) -> dict[str, object]:
    ratio = reported / truth if isinstance(reported, float) and truth else None
    return {"figure": figure, "truth": truth, "reported": reported,
            "reported / truth": None if ratio is None else round(ratio, 3), "truth is": what}


def churn_lifespan_clv() -> None:
    """Truth vs the dashboard's churn, lifespan and the three CLVs, per simulated shop."""
    for shop, options in _shops():
        started = time.perf_counter()
        content = build_content(read_orders(shop.orders), options)
        k = content.kpis
        rows = [
            _row("monthly churn", shop.churn, k["churn"], "the simulated rate (none for BG/NBD: drop-out follows "
                 "purchases)"),
            _row("lifespan (years)", shop.lifespan, k["lifespan"],
                 "mean simulated life, first to last purchase (capped at 200 years)"),
            _row("simple CLV", shop.clv_lifetime, k["clv"], "mean value x margin of a whole simulated life"),
            _row(f"predicted CLV, {options.horizon_months} months", shop.clv_future, k["predicted_clv"],
                 "mean simulated value x margin after the data's end"),
        ]
        print(f"\n{shop.name}: {len(shop.orders):,} orders; window {content.window.describe()}; "
              f"report computed in {time.perf_counter() - started:.1f} s")
        print(pd.DataFrame(rows).to_string(index=False))


#: The benchmark's sections, in order; each prints its own table.
SECTIONS: list[Callable[[], None]] = [churn_lifespan_clv, model_choice]


def main() -> None:
    for section in SECTIONS:
        print(f"== {section.__doc__}")
        section()


if __name__ == "__main__":
    main()
