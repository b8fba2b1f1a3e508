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

from django.db import transaction
from pytest_django import DjangoDbBlocker


@contextmanager
def module_transaction(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """An outer transaction for a module-scoped fixture, always rolled back at its end.

    Database access is unblocked only to open and to close it: the fixture unblocks
    it again for its build, and the tests get it through their own ``db``.
    """
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
