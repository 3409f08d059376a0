"""Reference outputs of lifetimes (an independent implementation) on the CDNOW sample, written to JSON.

Run it ONLY in a throw-away venv holding lifetimes (archived; needs numpy<2, pandas<2), never clv-xl's::

    python3.11 -m venv /tmp/lifetimes-venv
    /tmp/lifetimes-venv/bin/pip install -r benchmarks/requirements-lifetimes.txt
    /tmp/lifetimes-venv/bin/python tests/independent/lifetimes_reference.py

It writes tests/independent/lifetimes_reference.json, which tests/test_lifetimes_reference.py compares clv-xl with.
The input is the published 2,357-customer CDNOW summary in weeks (tests/data/cdnow/, calibration ends 1997-09-30).
The log-likelihood is not written: lifetimes fits on rescaled time, so its value is not the published one.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import lifetimes
import numpy as np
import pandas as pd
import scipy
from lifetimes import BetaGeoFitter, GammaGammaFitter

HERE = Path(__file__).parent
DATA = HERE.parent / "data" / "cdnow"
#: Customers whose predictions are written: (frequency, recency, T) in weeks; the first is FHL (2005)'s example.
HISTORIES = [(2, 30.43, 38.86), (0, 0.0, 38.86), (1, 1.71, 38.86), (7, 29.43, 32.71), (14, 37.0, 38.0)]
HORIZONS = [1.0, 3.0, 32.0, 39.0, 78.0]
SPENDS = [(1, 11.77), (2, 22.35), (5, 40.0), (10, 15.0)]
#: Fixed parameter sets the tests use: the MLE to 4 decimals (tests/test_predicted_clv.py) and the paper's 3 decimals.
BG_FIXED = {"mle_4_decimals": (0.2426, 4.4136, 0.7929, 2.4259), "paper_3_decimals": (0.243, 4.414, 0.793, 2.426)}
GG_FIXED = {"paper": (6.25, 3.74, 15.44)}


def bg_outputs(bg: BetaGeoFitter, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> dict:
    """P(alive), E[Y(t) | history] and E[X(t)] of ``bg`` at HISTORIES and HORIZONS."""
    return {
        "p_alive": bg.conditional_probability_alive(x, tx, T).tolist(),
        "expected_purchases": {str(t): bg.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T).tolist()
                               for t in HORIZONS},
        "expected_purchases_new": {str(t): float(bg.expected_number_of_purchases_up_to_time(t)) for t in HORIZONS},
    }


def with_params(fitter: object, names: tuple[str, ...], values: tuple[float, ...]) -> object:
    """A lifetimes fitter holding the given parameters (lifetimes reads them from ``params_``)."""
    fitter.params_ = pd.Series(dict(zip(names, values, strict=True)))
    return fitter


def main() -> None:
    """Fit both models with lifetimes' defaults (no penalizer) and write the outputs."""
    summary = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    bg = BetaGeoFitter(penalizer_coef=0.0).fit(summary["frequency"], summary["recency"], summary["T"])
    x, tx, T = (np.array([h[i] for h in HISTORIES], dtype=float) for i in range(3))
    spend = pd.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv")
    repeat = spend[spend["x"] > 0]
    gg = GammaGammaFitter(penalizer_coef=0.0).fit(repeat["x"], repeat["zbar"])
    fx = pd.Series([s[0] for s in SPENDS], dtype=float)
    fm = pd.Series([s[1] for s in SPENDS], dtype=float)
    out = {
        "produced_by": {"script": "tests/independent/lifetimes_reference.py", "lifetimes": lifetimes.__version__,
                        "numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__,
                        "python": platform.python_version()},
        "bgnbd": {
            "customers": len(summary),
            "params": {k: float(v) for k, v in bg.params_.items()},
            "standard_errors": {k: float(v) for k, v in bg.summary["se(coef)"].items()},
            "histories": HISTORIES,
            "horizons": HORIZONS,
            **bg_outputs(bg, x, tx, T),
            "at_params": {name: {"params": dict(zip(("r", "alpha", "a", "b"), values, strict=True)),
                                 **bg_outputs(with_params(BetaGeoFitter(), ("r", "alpha", "a", "b"), values), x, tx, T)}
                          for name, values in BG_FIXED.items()},
        },
        "gamma_gamma": {
            "repeat_buyers": len(repeat),
            "params": {k: float(v) for k, v in gg.params_.items()},
            "standard_errors": {k: float(v) for k, v in gg.summary["se(coef)"].items()},
            "spends": SPENDS,
            "expected_spend": gg.conditional_expected_average_profit(fx, fm).tolist(),
            "at_params": {name: {"params": dict(zip(("p", "q", "v"), values, strict=True)),
                                 "expected_spend": with_params(GammaGammaFitter(), ("p", "q", "v"), values)
                                 .conditional_expected_average_profit(fx, fm).tolist()}
                          for name, values in GG_FIXED.items()},
        },
    }
    (HERE / "lifetimes_reference.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
