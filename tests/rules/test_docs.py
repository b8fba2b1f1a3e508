"""The documentation's examples are executed, so docs/rules.md stays true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import delaktig.rules

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_docs_rules_md_examples_run() -> None:
    result = doctest.testfile(str(DOCS), module_relative=False, optionflags=FLAGS)
    assert result.attempted >= 40
    assert result.failed == 0


@pytest.mark.parametrize(
    "name", [module.name for module in pkgutil.iter_modules(delaktig.rules.__path__)]
)
def test_module_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(f"delaktig.rules.{name}")
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0
