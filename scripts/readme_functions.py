"""Regenerate (or, with ``--check``, verify) the README's Excel function table from the declarations.

Usage: ``python scripts/readme_functions.py`` rewrites the table between the markers in README.md;
``python scripts/readme_functions.py --check`` exits 1 if the README differs (tests run the same check).
"""

from __future__ import annotations

import sys
from pathlib import Path

from clv_xl.excel.catalogue import with_table

README = Path(__file__).resolve().parents[1] / "README.md"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = with_table(current)
    if "--check" in argv:
        if wanted != current:
            print("README.md's Excel function table is stale: run python scripts/readme_functions.py")
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: Excel function table regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
