"""Project-wide pytest configuration: the ``browser`` mark and Hypothesis profiles.

Database fixtures live in their own fixture modules, not here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["tests.fixtures"]

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
RULES_TESTS = Path(__file__).resolve().parent / "rules"

# "ci" in CI (CI=true), "dev" everywhere else; no deadlines: CI machines are slow and shared.
settings.register_profile("ci", deadline=None, max_examples=200)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(
    "ci" if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"} else "dev"
)


@pytest.hookimpl(tryfirst=True)  # before -m selects, so `-m browser` / `-m "not browser"` see it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ is a browser test, without having to say so.

    The pure rules (tests/rules/) touch no database: the SQLite stage runs them, and
    the PostgreSQL stage has nothing to add.
    """
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
        elif item.path.is_relative_to(RULES_TESTS):
            item.add_marker(pytest.mark.sqlite_only)
