"""The README documents every environment variable that `make run` reads, so a newcomer whose
port 8000 is taken finds the way round it there rather than in the launcher's source."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER_MODULES = ("dynamicflow_site/launcher.py", "dynamicflow_site/embedded.py")


def variables_read(source: str) -> set[str]:
    return set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def test_every_variable_make_run_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    read = set().union(*(variables_read((ROOT / path).read_text()) for path in LAUNCHER_MODULES))
    assert {"DYNAMICFLOW_PORT", "DATABASE_URL"} <= read  # the scan finds what it looks for
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
