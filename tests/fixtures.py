"""Database fixtures shared by the service and view tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client

from tests.world import PASSWORD, World, build_world

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def frozen_today() -> Iterator[date]:
    """Freeze the clock at a fixed Monday, so deadlines in view tests are exact."""
    with time_machine.travel(date(2026, 3, 2), tick=False):
        yield TODAY


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client
