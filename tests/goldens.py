"""Golden files that never approve themselves.

A golden file in ``tests/golden/`` is written only on request and only after a human looked at the change:

- a normal run compares with the committed file; a missing golden file FAILS, naming the command below;
- ``CLV_XL_UPDATE_GOLDEN=1 python -m pytest <test file>`` writes the new golden file and then FAILS the test
  ("written, review it"): a run that rewrites a golden never passes, so a regenerated file cannot hide a change.
  Review the difference with ``git diff tests/golden``, commit it, and rerun without the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = "CLV_XL_UPDATE_GOLDEN"

__all__ = ["GOLDEN", "check_golden"]


def _update_requested() -> bool:
    return os.environ.get(UPDATE) == "1"


def check_golden(name: str, actual: str, test_file: str, compare: Callable[[str, str], None] | None = None) -> None:
    """Compare ``actual`` with ``tests/golden/<name>``, or write it (and fail) when ``CLV_XL_UPDATE_GOLDEN=1``.

    ``compare(expected_text, actual_text)`` asserts equality in the file's own terms (default: the same text);
    ``test_file`` is the test module (``__file__``), named in the regeneration command.
    """
    golden = GOLDEN / name
    command = f"{UPDATE}=1 python -m pytest tests/{Path(test_file).name} -q"
    if _update_requested():
        golden.write_text(actual, encoding="utf-8")
        pytest.fail(f"wrote tests/golden/{name}: review it (git diff tests/golden), commit it and rerun "
                    f"without {UPDATE}; a run that writes goldens checks nothing", pytrace=False)
    if not golden.exists():
        pytest.fail(f"tests/golden/{name} is missing: generate it with `{command}`, review it and commit it",
                    pytrace=False)
    expected = golden.read_text(encoding="utf-8")
    if compare is None:
        assert actual == expected, f"tests/golden/{name} differs; if the change is intended: `{command}`, review"
    else:
        compare(expected, actual)
