"""Each demo login lands where its work is (issue 10, "The demo's first impression").

Logged in through the real login form with the printed password, on the seeded demo
municipality, and followed to the page: its address and its heading.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from delaktig.demo.constants import DEMO_PASSWORD
from delaktig.organisation.models import Membership, Role
from tests.fixtures import PDF_RENDERER, placeholder_pdf
from tests.shared_db import module_transaction
from tests.views.helpers import page


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """``seed_demo`` once per module, rolled back at its end (as in test_demo_data)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
            patch.setattr(PDF_RENDERER, placeholder_pdf)
            call_command("seed_demo", "--no-logins", stdout=StringIO())
        yield


@pytest.fixture
def demo(seeded_demo: None, db: None) -> None:
    return None


def _land(username: str) -> tuple[str, str]:
    """Log in through the form as ``username``; the page the start page leads to."""
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200, username
    assert response.redirect_chain, f"{username} was not logged in"
    return response.redirect_chain[-1][0], page(response)


@pytest.mark.parametrize("username", ["kontaktman", "kontaktman2"])
def test_a_contact_person_lands_on_my_persons(demo: None, username: str) -> None:
    url, html = _land(username)
    assert url == reverse("my_persons")
    assert "<h1>Mina personer</h1>" in html


@pytest.mark.parametrize("username", ["enhetschef", "enhetschef2"])
def test_a_unit_manager_lands_on_the_summary_of_her_units(demo: None, username: str) -> None:
    url, html = _land(username)
    managed = set(
        Membership.objects.filter(user__username=username, role=Role.UNIT_MANAGER).values_list(
            "unit_id", flat=True
        )
    )
    assert len(managed) > 1
    assert url == reverse("units_summary")
    assert "<h1>Mina enheter</h1>" in html
    for pk in managed:  # each of her units leads on to its overview
        assert f'href="{reverse("unit_overview", args=[pk])}"' in html


def test_the_scheduler_lands_on_the_scheduler_inbox(demo: None) -> None:
    url, html = _land("planerare")
    assert url == reverse("scheduler_inbox")
    assert "<h1>Att schemalägga</h1>" in html


def test_the_quality_controller_lands_on_the_quality_report(demo: None) -> None:
    url, html = _land("kvalitet")
    assert url == reverse("quality_report")
    assert "<h1>Följsamhet till rutinerna</h1>" in html


def test_the_archivist_lands_on_the_archive(demo: None) -> None:
    url, html = _land("arkivarie")
    assert url == reverse("archive_list")
    assert "<h1>Arkivleveranser</h1>" in html
    assert reverse("disposal_proposals") in html  # and the disposal pages are one click away


def test_the_administrator_lands_in_the_django_admin(demo: None) -> None:
    url, html = _land("admin")
    assert url == reverse("admin:index")
    assert "Organisation, personal och rutiner" in html


def test_every_printed_login_is_covered_here() -> None:
    from delaktig.demo.seed import DEMO_USERS

    covered = {"kontaktman", "kontaktman2", "enhetschef", "enhetschef2"}
    covered |= {"planerare", "kvalitet", "arkivarie", "admin"}
    assert {spec.username for spec in DEMO_USERS} == covered
