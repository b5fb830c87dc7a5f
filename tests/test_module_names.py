"""A module never defines the same top-level name twice.

In a long module (the offline planner's is thousands of lines) a second `_BY_EMAIL = ...`
or `def _gerund` further down silently replaces the first for every caller, including
the ones written against the first; ruff only flags a redefinition when the first was
never used. This reads each module's top level and names any name bound twice.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("flows", "tools_registry", "approvals", "dynamicflow_site", "benchmarks", "tests")
#: Decorators whose functions are meant to share a name.
_SAME_NAME_DECORATORS = {"overload", "register", "setter", "deleter", "getter"}


def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        decorators = {
            d.id if isinstance(d, ast.Name) else d.attr
            for d in node.decorator_list
            if isinstance(d, ast.Name | ast.Attribute)
        }
        return [] if decorators & _SAME_NAME_DECORATORS else [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [node.target.id] if isinstance(node.target, ast.Name) else []
    return []


def _twice(path: Path) -> list[str]:
    counts = Counter(
        name for node in ast.parse(path.read_text()).body for name in _bound_names(node)
    )
    return sorted(name for name, count in counts.items() if count > 1)


def test_no_module_binds_a_top_level_name_twice() -> None:
    found = {
        str(path.relative_to(ROOT)): names
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and (names := _twice(path))
    }
    assert found == {}


def test_a_name_bound_twice_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("A = 1\ndef f():\n    return A\nA = 2\n\ndef g(): ...\ndef g(): ...\n")
    assert _twice(module) == ["A", "g"]
