"""Every option of `clv-xl report` and `clv-xl summary` reaches a library parameter of the same name.

The commands pass their options to the library by keyword (mypy checks those calls against the signatures);
the order-reading options go through ``pop_read_kwargs``, whose output must be ``read_orders`` keywords. A
library argument renamed without its option fails here, not at a user's run.
"""

from __future__ import annotations

import inspect

import click
import pytest

from clv_xl.churn import churn_series
from clv_xl.cli import main
from clv_xl.cli._read_options import pop_read_kwargs, read_options
from clv_xl.customers import summarize
from clv_xl.engines import summarize_source
from clv_xl.orders import read_orders
from clv_xl.orders.roles import KEYWORDS
from clv_xl.report import build_report

# read_orders' own parameters and its column keywords (one per order-column role, taken through **columns)
READ_ORDERS = (set(inspect.signature(read_orders).parameters) - {"columns"}) | set(KEYWORDS)
READ_OPTIONS = {p.name for p in read_options(click.Command("probe")).params}

# options with no parameter of their own name, and where they go
CLI_ONLY = {
    "report": {"orders": "orders", "output": "path", "no_forecast": "forecast", "quiet": "progress"},
    "summary": {"orders": "read_orders' source", "output": "write_table's path", "force": "write_table's force",
                "inactive_after": "churn_series' inactive_after (the churn_risk column)",
                "csv_sep": "write_table's csv_style", "lang": "the messages' language (clv_xl.cli._language)"},
}
LIBRARY = {
    "report": set(inspect.signature(build_report).parameters),
    # summary runs summarize through an engine: summarize's options and the engine's (engine, spark_master)
    "summary": set(inspect.signature(summarize).parameters) | set(inspect.signature(summarize_source).parameters),
}


def sample(param: click.Parameter) -> object:
    """A value an option could take, never None (so pop_read_kwargs passes it on)."""
    if isinstance(param, click.Option) and param.is_flag:
        return True
    if getattr(param, "multiple", False):
        return ("x",)
    if isinstance(param.type, click.Choice):
        return param.type.choices[-1]
    return "1"


@pytest.mark.parametrize("command", ["report", "summary"])
def test_every_option_maps_to_a_library_parameter(command):
    params = main.commands[command].params
    names = {p.name for p in params}
    assert READ_OPTIONS <= names
    read = {p.name: sample(p) for p in params if p.name in READ_OPTIONS}
    options = {**read, "margin": 0.3}
    passed = pop_read_kwargs(options)
    assert options == {"margin": 0.3}, "a read option was left behind"
    assert passed and set(passed) <= READ_ORDERS, f"not read_orders keywords: {sorted(set(passed) - READ_ORDERS)}"
    own = names - READ_OPTIONS
    unmapped = {name for name in own if name not in LIBRARY[command] and name not in CLI_ONLY[command]}
    assert unmapped == set(), f"{command} options with no library parameter: {sorted(unmapped)}"
    for target in CLI_ONLY["report"].values() if command == "report" else ():
        assert target in LIBRARY["report"]
    assert "inactive_after" in inspect.signature(churn_series).parameters


def test_a_renamed_library_argument_would_be_caught():
    # the same check against a library that lost `margin`: the option is reported unmapped
    params = {p.name for p in main.commands["report"].params} - READ_OPTIONS
    library = set(inspect.signature(build_report).parameters) - {"margin"}
    assert {n for n in params if n not in library and n not in CLI_ONLY["report"]} == {"margin"}
