"""The engine options that ``clv-xl summary`` and ``clv-xl report`` share: Spark's master and DuckDB's memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from clv_xl.engines.duckdb_engine import DEFAULT_MEMORY_LIMIT

__all__ = ["engine_options"]

_F = TypeVar("_F", bound=Callable[..., Any])

_OPTIONS = (
    click.option("--spark-master", metavar="URL", help="Spark master for --engine spark (default: local[*])."),
    click.option("--memory-limit", metavar="SIZE",
                 help=f"Memory DuckDB may use (default {DEFAULT_MEMORY_LIMIT}); past it, it spills to a temporary "
                      "folder: 4GB, 500MB."),
)


def engine_options(command: _F) -> _F:
    """Add ``--spark-master`` and ``--memory-limit`` to a click command."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command
