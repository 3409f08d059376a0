"""How close the report's figures come to the truth of simulated shops (no timing: accuracy).

Run from the repository root:  python benchmarks/accuracy.py

Each section prints one table; add a section by appending a function to SECTIONS. (The `honest` work adds the
churn / lifespan / CLV section; this file starts with the model-choice section of issue 12.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accuracy_model_choice import model_choice  # noqa: E402

#: The benchmark's sections, in order; each prints its own table.
SECTIONS: list[Callable[[], None]] = [model_choice]


def main() -> None:
    for section in SECTIONS:
        print(f"== {section.__doc__}")
        section()


if __name__ == "__main__":
    main()
