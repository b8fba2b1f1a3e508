"""The rules engine is pure Python: standard library only, no Django (R-ORG-3 design rule)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import delaktig.rules

PACKAGE = Path(delaktig.rules.__file__).parent
MODULES = sorted(PACKAGE.glob("*.py"))


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_standard_library_imports() -> None:
    assert len(MODULES) >= 10
    for path in MODULES:
        outside = _imported_roots(path) - set(sys.stdlib_module_names) - {"__future__"}
        assert not outside, f"{path.name} imports {outside}"


def test_every_module_uses_postponed_annotations() -> None:
    for path in MODULES:
        assert "from __future__ import annotations" in path.read_text("utf-8"), path.name


@pytest.mark.slow  # a Python subprocess (the rules coverage stage runs it in make test-fast)
def test_importing_the_rules_does_not_import_django() -> None:
    code = "import sys, delaktig.rules; print('django' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_public_names_are_exported() -> None:
    for name in delaktig.rules.__all__:
        assert hasattr(delaktig.rules, name), name
