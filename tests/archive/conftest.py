"""Fixtures of the archive tests: the clock at 2026-03-02 and the archivist Erik."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine

from delaktig.core.types import User
from tests.archive.helpers import TODAY, make_archivist
from tests.world import World


@pytest.fixture(autouse=True)
def _clock() -> Iterator[date]:
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def erik(world: World) -> User:
    """Erik is archivist at the administration of every unit in the world."""
    return make_archivist(world.administration)
