"""The engine options that ``clv-xl summary`` and ``clv-xl report`` share: engine, Spark master, DuckDB memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from clv_xl.engines import ENGINES
from clv_xl.engines.duckdb_engine import DEFAULT_MEMORY_LIMIT

__all__ = ["engine_options"]

_F = TypeVar("_F", bound=Callable[..., Any])

_OPTIONS = (
    click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
                 help="What computes the customer summary (and the report's cohorts and churn): pandas; duckdb (big "
                      "files, globs of plain Parquet/CSV, out of core; 'clv-xl[duckdb]'); spark ('clv-xl[spark]' and "
                      "Java); auto: duckdb from 64 MB of input when installed, else pandas."),
    click.option("--spark-master", metavar="URL", help="Spark master for --engine spark (default: local[*])."),
    click.option("--memory-limit", metavar="SIZE",
                 help=f"Memory DuckDB may use (default {DEFAULT_MEMORY_LIMIT}); past it, it spills to a temporary "
                      "folder: 4GB, 500MB."),
)


def engine_options(command: _F) -> _F:
    """Add ``--engine``, ``--spark-master`` and ``--memory-limit`` to a click command."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command
