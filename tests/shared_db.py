"""Data built once per test module and read by many tests, without leaking into others.

pytest-django gives each test its own transaction (``db``), rolled back at its end.
Building a big cast of rows for every test costs seconds; the tests that only need
the rows to be there can share one build instead::

    @pytest.fixture(scope="module")
    def cast_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
        with module_transaction(django_db_blocker):
            with django_db_blocker.unblock():
                cast = build_the_cast()
            yield cast

The build runs inside an outer transaction that stays open for the module and is
rolled back at its end (or when the build fails), so the database is as empty
afterwards as before, whatever the order of modules on an xdist worker. Each test's
own ``db`` transaction is a savepoint inside it: what a test writes — a disposal, a
raw ``DELETE`` inside the disposal gate, a ``SET LOCAL`` — goes with that savepoint,
and the next test sees the cast as it was built. A test that must see a database
without the cast belongs in another module.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.test import TestCase
from pytest_django import DjangoDbBlocker


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is always rolled back, for data built outside a test.

    Opened the way Django's ``TestCase`` opens its own (``_enter_atomics``), so the
    top-level services, ``@transaction.atomic(durable=True)``, still run inside it:
    their check ignores test-case blocks. A plain ``transaction.atomic()`` here
    would make them raise, as it should in production code.
    """
    atomics = TestCase._enter_atomics()
    try:
        yield
    finally:
        TestCase._rollback_atomics(atomics)


@contextmanager
def module_transaction(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """An outer transaction for a module-scoped fixture, always rolled back at its end.

    Database access is unblocked only to open and to close it: the fixture unblocks
    it again for its build, and the tests get it through their own ``db``.
    """
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            TestCase._rollback_atomics(atomics)
