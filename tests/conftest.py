"""Shared pytest fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The folder of real test data files (see tests/data/*/README.md for sources)."""
    return DATA


@pytest.fixture(scope="session")
def cdnow_dir() -> Path:
    """CDNOW files (Fader & Hardie), copied from shared/data/cdnow."""
    return DATA / "cdnow"
