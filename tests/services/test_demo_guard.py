"""The demo's logins and superuser are published: never seeded into a real installation.

In its own module: tests/services/test_demo_data.py holds a seeded demo for the
whole module, and this test needs a database without one.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_django import Settings

from delaktig.accounts.models import User
from delaktig.organisation.models import Municipality


def test_seed_demo_refuses_outside_the_demo(db: None, settings: Settings) -> None:
    settings.DEV_MODE = False
    with pytest.raises(CommandError, match="Demodata skapas bara i demoläget"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    assert not Municipality.objects.exists()


def test_seed_demo_refuses_the_generator_too(db: None, settings: Settings) -> None:
    settings.DEV_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo", persons=10, stdout=StringIO())
    assert not Municipality.objects.exists()
