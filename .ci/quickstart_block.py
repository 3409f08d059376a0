"""Print the shell block of README.md's Quickstart section, as written (what .ci/run runs).

Usage: python .ci/quickstart_block.py README.md [--checked] > quickstart.sh

With --checked every line becomes ``{ LINE; } || { echo "Quickstart line failed: LINE"; exit 1; }``: bash -e
alone lets the first command of ``a && b`` fail silently, so each line's status is checked as a whole.
"""

import re
import shlex
import sys
from pathlib import Path

text = Path(sys.argv[1]).read_text(encoding="utf-8")
section = re.search(r"<!-- section: quickstart -->(.*?)<!-- /section: quickstart -->", text, flags=re.S)
blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", section.group(1) if section else "", flags=re.S)
if len(blocks) != 1:
    sys.exit(f"README.md: expected one ```bash block in the Quickstart section, found {len(blocks)}")
if "--checked" not in sys.argv[2:]:
    sys.stdout.write(blocks[0])
    sys.exit(0)
for line in blocks[0].splitlines():
    command = re.sub(r"\s+#.*$", "", line).strip()  # a trailing comment would swallow the closing brace
    if command and not command.startswith("#"):
        message = shlex.quote(f"Quickstart line failed: {command}")
        print(f"{{ {command}; }} || {{ echo {message} >&2; exit 1; }}")
