"""Today and now, as every service that bounds a user's date reads them.

``today()`` is the date in Sweden (``TIME_ZONE``), ``now()`` the aware time. In
production nothing can move them. The demo data, which tells a year of history,
runs its past inside :func:`history` — refused unless the settings are in their
development mode (``DEV_MODE``: the demo, the test suite, ``DEBUG``), so no
production request or command can backdate through it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_moment: ContextVar[datetime | None] = ContextVar("delaktig_clock", default=None)


def now() -> datetime:
    return _moment.get() or timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextlib.contextmanager
def history(day: date) -> Iterator[None]:
    """Run the block as if it were noon on ``day`` (the demo's past; DEV_MODE only)."""
    if not getattr(settings, "DEV_MODE", False):
        raise ImproperlyConfigured("The clock can only be moved in the demo and the tests.")
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
