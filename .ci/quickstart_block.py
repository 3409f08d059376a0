"""Print the shell block of README.md's Quickstart section, as written (CI runs it line by line with bash -e).

Usage: python .ci/quickstart_block.py README.md > quickstart.sh
"""

import re
import sys
from pathlib import Path

text = Path(sys.argv[1]).read_text(encoding="utf-8")
section = re.search(r"<!-- section: quickstart -->(.*?)<!-- /section: quickstart -->", text, flags=re.S)
blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", section.group(1) if section else "", flags=re.S)
if len(blocks) != 1:
    sys.exit(f"README.md: expected one ```bash block in the Quickstart section, found {len(blocks)}")
sys.stdout.write(blocks[0])
