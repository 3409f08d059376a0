"""``clv-xl report`` and ``clv-xl demo``: build the CLV report workbook."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from clv_xl.cli._engine_options import engine_options
from clv_xl.cli._language import current_language, echo, lang_option, say
from clv_xl.cli._read_options import pop_read_kwargs, read_options
from clv_xl.cli._types import NUMBER
from clv_xl.i18n.catalogue import message

__all__ = ["report", "demo"]


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, float], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing when piped."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    lang = current_language()
    with click.progressbar(length=1000, label=message("cli.building", lang), file=sys.stderr,
                           show_eta=False) as bar:
        state = {"done": 0}

        def update(step: str, fraction: float) -> None:
            target = int(max(0.0, min(1.0, fraction)) * 1000)
            bar.label = message("cli.building_step", lang, step=step)
            if target > state["done"]:
                bar.update(target - state["done"])
                state["done"] = target

        yield update


def _build(quiet: bool, make: Callable[[Callable[[str, float], None] | None], Path]) -> Path:
    """Run ``make(progress)`` (a ``build_report`` call) with a progress bar unless ``quiet``; say what was written."""
    with _progress(not quiet) as progress:
        path = make(progress)
    say("cli.wrote", path=path)
    return path


def _print_intake(lines: list[str]) -> None:
    """Print the intake summary (what was read, kept, dropped and why) on stderr, in the run's language."""
    for line in lines:
        echo(line, err=True)


def _print_note(note: str) -> None:
    """Print a note of the report (a model fallback, orders left out) on stderr, in the run's language."""
    echo(note, err=True)


def _print_beside(paths: list[Path]) -> None:
    """Name the files written beside the workbook (the full customer table past a sheet's rows)."""
    for path in paths[1:]:
        say("cli.wrote", path=path)


@click.command()
@click.argument("orders", metavar="ORDERS", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The report to write (.xlsx).")
@click.option("--template", type=click.Path(dir_okay=False), help="Your own template (see templates/README.md).")
@click.option("--margin", type=NUMBER, default=0.3, show_default=True, help="Gross margin, 0 to 1 (0.3, 0,3, 30%).")
@click.option("--discount-rate", type=NUMBER, default=0.1, show_default=True,
              help="Yearly discount rate, 0 to 1 (0.1, 0,1, 10%).")
@click.option("--cac", type=float, help="Customer acquisition cost.")
@click.option("--marketing-spend", type=float, help="Marketing spend (CAC = spend / --new-customers).")
@click.option("--new-customers", type=float, help="Customers acquired with --marketing-spend.")
@click.option("--lifespan", "lifespan_override", type=float, help="Customer lifespan in years (default: 1 / churn).")
@click.option("--ltv-basis", metavar="BASIS", default="simple", show_default=True,
              help="Which CLV drives LTV/CAC: simple (formula), predicted (model) or historical (to date).")
@click.option("--inactive-after", metavar="6M", help="Lost after this long without an order: 6M, 2Q, 1Y "
              "(default: chosen from the gaps between orders; the report says how).")
@click.option("--observation-end", metavar="DATE", help="Last day of data to use (default: the last order's day).")
@click.option("--horizon", "horizon_months", type=int, default=12, show_default=True,
              help="Months of the model's predicted CLV.")
@lang_option("Language of the report and the messages")
@click.option("--business", type=click.Choice(["auto", "subscription", "shop"]), default="auto",
              show_default=True, help="Recurring billing (adds the Subscriptions sheet: MRR, churn, NRR, sBG) or "
              "a shop; auto decides from the regularity of each customer's charges.")
@read_options
@click.option("--no-forecast", is_flag=True, help="Skip the forecast (purchase models + Gamma-Gamma).")
@click.option("--holdout", "holdout_days", type=click.IntRange(min=0),
              help="Days at the end of the history held out to check the purchase models (default: a third; 0: none).")
@engine_options
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def report(
    orders: str, output: str, template: str | None, margin: float, discount_rate: float, cac: float | None,
    marketing_spend: float | None, new_customers: float | None, lifespan_override: float | None, ltv_basis: str,
    inactive_after: str | None, observation_end: str | None, horizon_months: int,
    lang: str, business: str, no_forecast: bool, holdout_days: int | None, engine: str, spark_master: str | None,
    memory_limit: str | None, force: bool, quiet: bool, **read_options: Any,
) -> None:
    """Build the CLV report workbook (dashboard, customers, segments, cohorts, churn, forecast) from ORDERS.

    ORDERS is a CSV, XLSX or Parquet file with one row per order (customer, date, amount). The dashboard's
    figures are live Excel formulas: change the margin in the workbook and everything follows. What was read,
    kept and dropped (and why) is printed on stderr and written on the Data sheet.

    \b
    Example:
      clv-xl report orders.csv -o report.xlsx --margin 0.3 --cac 25 --currency EUR --lang fr --inactive-after 6M
    """
    from clv_xl.report import build_report

    read = pop_read_kwargs(read_options)  # the order-reading options, by read_orders' own keywords
    currency = read.pop("keep_currency", None)  # the report's currency: the data's unless chosen
    _build(quiet, lambda progress: build_report(
        orders, output, template=template, margin=margin, discount_rate=discount_rate, cac=cac,
        marketing_spend=marketing_spend, new_customers=new_customers, lifespan_override=lifespan_override,
        ltv_basis=ltv_basis, inactive_after=inactive_after, observation_end=observation_end,
        horizon_months=horizon_months, currency=currency, lang=lang, business=business, force=force,
        forecast=not no_forecast, holdout_days=holdout_days,
        progress=progress, notify=_print_note, on_read=_print_intake, engine=engine, spark_master=spark_master,
        memory_limit=memory_limit, on_written=_print_beside, **read,
    ))


@click.command()
@click.option("-o", "--output", default="clv_report.xlsx", show_default=True, type=click.Path(dir_okay=False),
              help="The report to write (.xlsx).")
@lang_option("Language of the report and the messages")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--subscriptions", is_flag=True,
              help="Use the bundled subscription business instead (2 years of invoices, monthly and yearly plans).")
def demo(output: str, lang: str, force: bool, quiet: bool, subscriptions: bool) -> None:
    """Build the report from a bundled sample shop (3,000 customers over two years; in euros with --lang fr).

    \b
    Example:
      clv-xl demo -o clv_report.xlsx
      clv-xl demo --subscriptions -o saas_report.xlsx
    """
    from clv_xl.report import build_report

    if subscriptions:
        from clv_xl.subscriptions.sample import sample_subscriptions

        _build(quiet, lambda progress: build_report(sample_subscriptions(), output, lang=lang, force=force,
                                                    cac=400.0, margin=0.8, progress=progress,
                                                    notify=_print_note))
        return
    from clv_xl.sample_shop import sample_orders

    currency = "EUR" if lang == "fr" else "USD"  # a French analyst's demo shop sells in euros
    _build(quiet, lambda progress: build_report(sample_orders(), output, lang=lang, force=force, cac=40.0,
                                                currency=currency, progress=progress))
