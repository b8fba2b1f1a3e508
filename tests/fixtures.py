"""Database fixtures shared by the service and view tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import time_machine
from django.test import Client, TestCase

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


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction for a module-scoped fixture that is always rolled back.

    Marked the way Django's ``TestCase`` marks its own (``_enter_atomics``), so the
    top-level services, ``@transaction.atomic(durable=True)``, still run inside
    it: their check ignores test-case blocks. A plain ``transaction.atomic()``
    here would make them raise, as it should in production code.
    """
    atomics = TestCase._enter_atomics()
    try:
        yield
    finally:
        TestCase._rollback_atomics(atomics)
