"""How many hand-written mutations of the core modules does the test suite kill?

Each mutation is a small change a plausible bug would make (a boundary ``>`` for ``>=``, a margin left out, two
columns swapped). The script copies the tracked tree to a temporary folder (the working tree is never touched,
so several runs can go side by side), applies one mutation at a time there, runs the tests that cover the mutated
module (plus that module's doctests) with ``-x``, and reverts. A mutation is *killed* when a test fails.

A mutation names the text it replaces, not a file: the edit applies to the one file under ``clv_xl/`` that holds
that text, so the list survives code moving between modules. A mutation whose text is no longer found (the code
was rewritten) is listed as "not applicable" and left out of the score.

    python benchmarks/mutation.py                        # all mutations, this tree (code and tests)
    python benchmarks/mutation.py --source-from a5d7ad9  # the whole tree of another commit (score an older suite)
    python benchmarks/mutation.py --tests-from a5d7ad9   # this tree's code, the tests/ of another commit
    python benchmarks/mutation.py -k churn -v            # only mutations whose name contains "churn"; show output

First the unmutated tree runs every test set once (the baseline): a set that fails unmutated would "kill" every
mutation, so the script stops and names it.

Score 2026-11-30 (47 mutations, code of main 9158012; each run ~15-25 min on the shared 2 cores, untimed):

- tests of main 9158012 (``--tests-from 9158012``): 35/47 killed. Survivors: a missing generic "cancelled" status
  (WooCommerce's and PayPal's vocabularies still drop the order, but the intake summary credits the wrong list),
  the paired z without sqrt(n) or with ddof 0, both tie-rule changes, each customer's range spread as a variance,
  Gamma-Gamma's uncertainty left out of the ranges, all four holdout-split changes (a quarter instead of a third,
  28- and 90-day boundaries, the cut day's new customers) and the verdict's high/low swapped. Before this session
  8 mutations were "not applicable" (code rewritten) and were rewritten here for the current code.
- this tree's tests: 47/47 killed, by tests/test_models_choice.py (Vuong z on paper and by hand, the tie rule),
  tests/test_models_ranges.py (a Monte Carlo over the same parameter law, per customer and total; Z90 against
  scipy), tests/test_models_holdout_split.py (split length, boundaries, cohort counted by hand),
  tests/test_models_verdict.py (too high / too low against a hand count) and
  tests/test_orders_generic_statuses.py (plain exports' "no sale" words read from the generic list).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Test files per area; files missing from the tests under test are left out.
FORMULAS = ("tests/test_formulas.py", "tests/test_udfs.py")
CUSTOMERS = ("tests/test_hand_cases.py", "tests/test_customers.py", "tests/test_cli_summary.py")
ORDERS = ("tests/test_hand_cases.py", "tests/test_orders.py", "tests/test_orders_parsing.py",
          "tests/test_sample_shop.py", "tests/test_orders_generic_statuses.py")
MODELS = ("tests/test_lifetimes_reference.py", "tests/test_bgnbd.py", "tests/test_gamma_gamma.py",
          "tests/test_predicted_clv.py", "tests/test_holdout.py", "tests/test_udfs_models.py")
SELECTION = ("tests/test_model_selection.py", "tests/test_models_choice.py", "tests/test_report_forecast.py")
CHOICE = ("tests/test_model_selection.py", "tests/test_models_choice.py")
RANGES = ("tests/test_model_selection.py", "tests/test_models_ranges.py")
SPLIT = ("tests/test_holdout.py", "tests/test_models_holdout_split.py", "tests/test_model_selection.py")
REPORT = ("tests/test_hand_cases.py", "tests/test_report_forecast.py", "tests/test_report_independent.py",
          "tests/test_report_libreoffice.py", "tests/test_report_golden.py")


@dataclass(frozen=True)
class Mutation:
    """One plausible bug: ``edits`` are (old text, new text) pairs, each applied where the old text is.

    ``old`` may also be a tuple of (old, new) alternatives, for code that was written differently over time.
    """

    name: str
    edits: tuple[tuple[str, str] | tuple[tuple[str, str], ...], ...]
    tests: tuple[str, ...]


MUTATIONS: tuple[Mutation, ...] = (
    # formulas.py
    Mutation("clv: margin left out", (("yearly = aov * freq * m", "yearly = aov * freq"),), FORMULAS),
    Mutation("clv: partial year discounted one year early",
             (("partial * np.exp(-(full_years + 1.0) * log_growth)", "partial * np.exp(-full_years * log_growth)"),),
             FORMULAS),
    Mutation("clv_retention: first-period convention swapped",
             (("m * (1.0 + d) if first_period_counted else m * r",
               "m * r if first_period_counted else m * (1.0 + d)"),),
             FORMULAS),
    Mutation("ltv_subscription: gross margin left out",
             (("_result(a * g / c, arpa, churn_rate, gross_margin)",
               "_result(a / c, arpa, churn_rate, gross_margin)"),),
             FORMULAS),
    Mutation("cac_payback: gross margin left out",
             (("_result(cost / (revenue * g),", "_result(cost / revenue,"),), FORMULAS),
    Mutation("retention_rate: new customers not subtracted",
             (("_result((e - n) / s, customers_at_start", "_result(e / s, customers_at_start"),), FORMULAS),
    # customers.py
    Mutation("churn: gap > inactive_after -> >=",
             ((("starts = new_customer | (gap > inactive_after)", "starts = new_customer | (gap >= inactive_after)"),
               ("starts = first_ever | (gap > w)", "starts = first_ever | (gap >= w)")),), CUSTOMERS),
    Mutation("churn: lost one period late",
             ((("lost_at = active[ends] + inactive_after - first_period",
                "lost_at = active[ends] + inactive_after + 1 - first_period"),
               ("lost_at = active[ends] + w - first_period", "lost_at = active[ends] + w + 1 - first_period")),),
             CUSTOMERS),
    Mutation("summary: frequency counts the first purchase",
             ((("frequency = n_tx - 1", "frequency = n_tx + 0"),
               ('frequency = aggregates["transactions"].to_numpy(dtype="int64") - 1',
                'frequency = aggregates["transactions"].to_numpy(dtype="int64") - 0')),), CUSTOMERS),
    Mutation("summary: monetary value includes the first purchase",
             ((("repeat_total = revenue - first_tx_amount", "repeat_total = revenue"),
               ('repeat_total = revenue - aggregates["first_amount"].to_numpy(dtype="float64")',
                "repeat_total = revenue")),), CUSTOMERS),
    Mutation("segments: High boundary inclusive",
             (('np.where(share < high, "High"', 'np.where(share <= high, "High"'),), CUSTOMERS),
    # orders cleaning
    Mutation("refunds: a fully refunded order kept as a $0 purchase",
             (('fully = (orders["amount"] <= 0) & (refunded > 0)', 'fully = (orders["amount"] < 0) & (refunded > 0)'),),
             ORDERS),
    Mutation("refunds: an order cancelled out by refund rows kept",
             (('cancelled = target & (orders["amount"] <= 0)', 'cancelled = target & (orders["amount"] < 0)'),),
             ORDERS),
    Mutation("statuses: 'cancelled' orders kept",
             ((("cancelled,not paid\ncanceled,not paid\n", "canceled,not paid\n"),  # vocabularies/generic.csv
               ('"cancelled", "canceled", "declined",\n', '"canceled", "declined",\n')),), ORDERS),
    # models
    Mutation("BG/NBD P(alive): b + x - 1 -> b + x",
             ((("np.where(pos, b + x + shift - 1, 1.0)", "np.where(pos, b + x + shift, 1.0)"),
               ("np.log(np.where(pos, b + x - 1, 1.0))", "np.log(np.where(pos, b + x, 1.0))")),), MODELS),
    Mutation("BG/NBD E[Y(t)]: c / (a - 1) -> c / a", (("return c / (a - 1) * bracket", "return c / a * bracket"),),
             MODELS),
    Mutation("Gamma-Gamma E[spend]: q - 1 -> q",
             (("result = p * (gamma + x * m) / (p * x + q - 1)", "result = p * (gamma + x * m) / (p * x + q)"),),
             MODELS),
    Mutation("Gamma-Gamma mean spend: q - 1 -> q",
             (("return float(p * gamma / (q - 1)) if q > 1", "return float(p * gamma / q) if q > 1"),), MODELS),
    Mutation("predicted CLV: yearly rate used per period unconverted",
             (("return (1.0 + d) ** (days / 365.25) - 1.0", "return d"),), MODELS),
    # model choice
    Mutation("model choice: the worst holdout score wins",
             (("best = max(comparison.scores, key=lambda score: score.log_score).key",
               "best = min(comparison.scores, key=lambda score: score.log_score).key"),), SELECTION),
    Mutation("model choice: ties go to the most complex model",
             (("comparison.chosen = tied[0]", "comparison.chosen = tied[-1]"),), SELECTION),
    Mutation("holdout score: the last holdout purchase counted from the first purchase, not the calibration end",
             (("np.where(bought, T + np.where(bought, holdout_last, 0.0), tx)",
               "np.where(bought, np.where(bought, holdout_last, 0.0), tx)"),), SELECTION),
    Mutation("paired z: the sum's spread without sqrt(n)",
             (("spread = float(d.std(ddof=1)) * math.sqrt(d.size) if d.size > 1 else 0.0",
               "spread = float(d.std(ddof=1)) if d.size > 1 else 0.0"),), CHOICE),
    Mutation("paired z: population standard deviation (ddof 0)",
             (("spread = float(d.std(ddof=1)) * math.sqrt(d.size)",
               "spread = float(d.std(ddof=0)) * math.sqrt(d.size)"),), CHOICE),
    Mutation("model choice: a simpler model never wins a near tie",
             (("tied = [s.key for s in comparison.scores if z[s.key] < tie_z]",
               "tied = [s.key for s in comparison.scores if z[s.key] <= 0.0]"),), CHOICE),
    Mutation("model choice: the tie threshold cut to z 0.1",
             (("tied = [s.key for s in comparison.scores if z[s.key] < tie_z]",
               "tied = [s.key for s in comparison.scores if z[s.key] < min(tie_z, 0.1)]"),), CHOICE),
    Mutation("holdout score: the calibration likelihood not subtracted",
             (("return full - np.asarray(model.individual_log_likelihood(x, tx, T), dtype=np.float64)",
               "return full"),), CHOICE),
    Mutation("holdout error: sign flipped (actual - predicted)",
             (("error=(total - total_actual) / total_actual", "error=(total_actual - total) / total_actual"),),
             CHOICE),
    Mutation("deciles: lowest predictions first",
             (("order = np.lexsort((np.arange(predicted.size), -predicted))",
               "order = np.lexsort((np.arange(predicted.size), predicted))"),), CHOICE),
    # forecast ranges
    Mutation("ranges: P10/P90 at the 5 %/95 % points", (("Z90 = 1.2815515655446004", "Z90 = 1.6448536269514722"),),
             RANGES),
    Mutation("ranges: each customer's spread is the variance, not the standard deviation",
             (('sd = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", grads, cov, grads), 0.0))',
               'sd = np.maximum(np.einsum("ij,jk,ik->i", grads, cov, grads), 0.0)'),), RANGES),
    Mutation("ranges: Gamma-Gamma's uncertainty left out", (("cov[k1:, k1:] = blocks[1]", "cov[k1:, k1:] = 0.0"),),
             RANGES),
    Mutation("ranges: central difference divided by one step",
             (("(log_forecast(theta + step) - log_forecast(theta - step)) / (2 * _STEP)",
               "(log_forecast(theta + step) - log_forecast(theta - step)) / _STEP"),), RANGES),
    Mutation("ranges: the total's gradient an unweighted mean of the customers'",
             (("g_total = share @ grads", "g_total = grads.mean(axis=0)"),), RANGES),
    # holdout split
    Mutation("holdout split: default a quarter of the history, not a third",
             (("holdout = span // 3 if holdout_days is None", "holdout = span // 4 if holdout_days is None"),), SPLIT),
    Mutation("holdout split: the shortest holdout (28 days) refused",
             (("if holdout < _MIN_HOLDOUT_DAYS or", "if holdout <= _MIN_HOLDOUT_DAYS or"),), SPLIT),
    Mutation("holdout split: the shortest calibration (90 days) refused",
             (("or span - holdout < _MIN_CALIBRATION_DAYS:", "or span - holdout <= _MIN_CALIBRATION_DAYS:"),), SPLIT),
    Mutation("holdout split: customers first seen on the cut day left out of the check",
             (("cohort = first.index[first < cut + pd.Timedelta(days=1)]", "cohort = first.index[first < cut]"),),
             SPLIT),
    Mutation("calibration/holdout: the calibration end day's orders go to the holdout",
             (("cal_mask = dates < cal_end + pd.Timedelta(days=1)", "cal_mask = dates < cal_end"),), SPLIT),
    Mutation("calibration/holdout: the observation end day's orders dropped",
             (("hold_mask = ~cal_mask & (dates < obs_end + pd.Timedelta(days=1))",
               "hold_mask = ~cal_mask & (dates < obs_end)"),), SPLIT),
    Mutation("calibration/holdout: the holdout one day short",
             (('result["duration_holdout"] = float((obs_end - cal_end).days) / unit',
               'result["duration_holdout"] = float((obs_end - cal_end).days - 1) / unit'),), SPLIT),
    # report
    Mutation("Forecast sheet: the verdict says high for low",
             (('direction=ctx.t("f.high" if score.error > 0 else "f.low")',
               'direction=ctx.t("f.high" if score.error < 0 else "f.low")'),),
             ("tests/test_models_verdict.py", *REPORT)),
    Mutation("Forecast sheet: holdout includes the cut day",
             ((('after = orders[orders["order_date"] >= cut + pd.Timedelta(days=1)]',
                'after = orders[orders["order_date"] >= cut]'),
               ('later = chosen[chosen["order_date"] >= cut + pd.Timedelta(days=1)]',
                'later = chosen[chosen["order_date"] >= cut]')),), REPORT),
    Mutation("Forecast sheet: actual and model columns swapped",
             ((('{"group": group, "actual": actual, "model": predicted}',
                '{"group": group, "actual": predicted, "model": actual}'),
               ('("f.holdout_actual", "actual", "int"),\n    ("f.holdout_predicted", "predicted", "int"),',
                '("f.holdout_actual", "predicted", "int"),\n    ("f.holdout_predicted", "actual", "int"),')),),
             REPORT),
    Mutation("dashboard: retention shown as the churn itself, in Python and in the workbook",
             (('lambda k, d, o: 1 - k["churn"], "1-{churn}",', 'lambda k, d, o: k["churn"], "{churn}",'),), REPORT),
    Mutation("dashboard: purchases per year over customer-months (not years), in Python and in the workbook",
             (('k["orders"] / (np.nansum(d["churn.customers_at_end"]) / 12)',
               'k["orders"] / np.nansum(d["churn.customers_at_end"])'),
              ('"{orders}/(SUM({churn.customers_at_end})/12)"', '"{orders}/SUM({churn.customers_at_end})"')), REPORT),
    Mutation("dashboard: observation years without the +1 day, in Python and in the workbook",
             ((("(inputs.last_serial - inputs.first_serial + 1) / DAYS_PER_YEAR",
                "(inputs.last_serial - inputs.first_serial) / DAYS_PER_YEAR"),
               ('np.nanmin(d["customers.first_order"]) + 1)', 'np.nanmin(d["customers.first_order"]))')),
              (("-MIN({r['customers.first_order']})+1)/{DAYS_PER_YEAR}",
                "-MIN({r['customers.first_order']}))/{DAYS_PER_YEAR}"),
               ("-MIN({{customers.first_order}})+1)/{DAYS_PER_YEAR}",
                "-MIN({{customers.first_order}}))/{DAYS_PER_YEAR}"))),
             REPORT),
)


def _extract(revision: str, destination: Path, *paths: str) -> None:
    archive = subprocess.run(["git", "archive", revision, *paths], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")


def copy_tree(destination: Path, source_from: str | None, tests_from: str | None) -> None:
    """Copy the tracked files as they are in the working tree (or at ``source_from``); optionally another tests/."""
    if source_from:
        _extract(source_from, destination)
    else:
        files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        for name in filter(None, files.decode().split("\0")):
            source = ROOT / name
            if source.is_file():
                target = destination / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    if tests_from:
        shutil.rmtree(destination / "tests")
        _extract(tests_from, destination, "tests")


def resolve(tree: Path, edit: tuple) -> tuple[Path | None, str, str]:
    """(file, old, new) of the first alternative of ``edit`` found in the tree."""
    alternatives = edit if isinstance(edit[0], tuple) else (edit,)
    for old, new in alternatives:
        path = locate(tree, old)
        if path is not None:
            return path, old, new
    return None, alternatives[0][0], alternatives[0][1]


def locate(tree: Path, old: str) -> Path | None:
    """The one file under clv_xl/ (code or vocabulary) holding ``old`` once; None when not exactly one does."""
    files = [*(tree / "clv_xl").rglob("*.py"), *(tree / "clv_xl").rglob("*.csv")]
    hits = [p for p in files if p.read_text(encoding="utf-8").count(old) == 1]
    return hits[0] if len(hits) == 1 else None


def run(mutation: Mutation, tree: Path, verbose: bool, timeout: float) -> str:
    """Apply, test, revert; return "killed", "survived" or "not applicable"."""
    targets = [resolve(tree, edit) for edit in mutation.edits]
    if any(path is None for path, _, _ in targets):
        return "not applicable"
    originals = {path: path.read_text(encoding="utf-8") for path, _, _ in targets}
    try:
        for path, old, new in targets:
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        tests = [t for t in mutation.tests if (tree / t).exists()]
        tests += sorted({str(path.relative_to(tree)) for path in originals  # the mutated modules' doctests
                         if path.suffix == ".py"})
        try:
            passed, output = run_tests(tree, tests, timeout)
        except subprocess.TimeoutExpired:
            return "killed (timeout)"
        if verbose:
            print(output[-2000:])
        return "survived" if passed else "killed"
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")


def run_tests(tree: Path, tests: list[str], timeout: float) -> tuple[bool, str]:
    """Run pytest -x on ``tests`` in ``tree``; (passed, output)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "CLV_XL_REQUIRE_LIBREOFFICE": "1"}
    env.pop("CLV_XL_UPDATE_GOLDEN", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode == 0, done.stdout + done.stderr


def baseline(tree: Path, mutations: list[Mutation], timeout: float) -> None:
    """Every test set must pass on the unmutated tree (with the doctests of the modules that will be mutated)."""
    tests = sorted({t for m in mutations for t in m.tests if (tree / t).exists()})
    modules = sorted({str(path.relative_to(tree)) for m in mutations for edit in m.edits
                      if (path := resolve(tree, edit)[0]) is not None and path.suffix == ".py"})
    t0 = time.perf_counter()
    passed, output = run_tests(tree, tests + modules, timeout * 3)
    if not passed:
        sys.exit(f"the unmutated tree fails its tests; fix that first:\n{output[-3000:]}")
    print(f"{'baseline passes':>16}  {time.perf_counter() - t0:6.1f}s  {len(tests)} test files, {len(modules)} modules")


def main() -> None:
    """Run the mutations and print the score."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-from", help="take the whole tree from this git commit (e.g. to score an old suite)")
    parser.add_argument("--tests-from", help="take tests/ from this git commit")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    parser.add_argument("-k", default="", help="only mutations whose name contains this text")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per mutation")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if args.k.lower() in m.name.lower()]
    started = time.perf_counter()
    results: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="clv-xl-mutation-") as folder:
        tree = Path(folder)
        copy_tree(tree, args.source_from, args.tests_from)
        if not args.no_baseline:
            baseline(tree, chosen, args.timeout)
        for mutation in chosen:
            t0 = time.perf_counter()
            results[mutation.name] = run(mutation, tree, args.verbose, args.timeout)
            print(f"{results[mutation.name]:>16}  {time.perf_counter() - t0:6.1f}s  {mutation.name}", flush=True)
    scored = [r for r in results.values() if r != "not applicable"]
    killed = sum(r.startswith("killed") for r in scored)
    print(f"mutation score: {killed}/{len(scored)} killed ({killed / max(len(scored), 1):.0%}); "
          f"{len(results) - len(scored)} not applicable; tree {args.source_from or 'working tree'}, tests "
          f"{args.tests_from or 'of that tree'}; "
          f"{time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
