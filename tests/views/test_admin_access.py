"""The admin: organisation and routine profiles for superusers only (R-ORG-3, R-LIFE-8).

The audit trail is append-only (R-ARC-1): its admin lists events but cannot add
or delete them. Persons are not in the admin at all, where reads are not logged.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.core.types import User
from delaktig.records.models import AuditEvent
from delaktig.rules.presets import PRESETS
from tests.fixtures import client_for
from tests.views.helpers import page, text
from tests.world import PASSWORD, World

ADMIN = "/admin/"
PROFILES = "/admin/organisation/routineprofile/"
AUDIT = "/admin/records/auditevent/"


@pytest.fixture
def root(world: World) -> Client:
    User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    return client_for("root")


def test_a_superuser_opens_the_admin_index(root: Client) -> None:
    html = page(root.get(ADMIN))

    assert '<html lang="sv"' in html
    assert "Delaktig – administration" in html
    assert "Organisation, personal och rutiner" in html
    assert f'<a href="{PROFILES}">Rutinprofiler</a>' in html
    assert f'<a href="{AUDIT}">Granskningshändelser</a>' in html


def test_a_superuser_sees_the_routine_profiles(world: World, root: Client) -> None:
    html = page(root.get(PROFILES))

    for code in ("S0_S3", "S1", "S4"):
        assert PRESETS[code].name in html
    assert "3 rutinprofiler" in text(html)


@pytest.mark.parametrize("username", ["bob", "alice", "dana"])
def test_staff_without_admin_rights_are_sent_to_the_admin_login(
    world: World, username: str
) -> None:
    client = client_for(username)

    for path in (ADMIN, PROFILES):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={path}"


def test_anonymous_users_are_sent_to_the_admin_login(world: World) -> None:
    response = Client().get(PROFILES)
    assert response["Location"] == f"/admin/login/?next={PROFILES}"


def test_the_audit_trail_is_listed_but_cannot_be_added_to_or_deleted(
    world: World, root: Client
) -> None:
    event = AuditEvent.objects.order_by("pk").first()
    assert event is not None
    before = AuditEvent.objects.count()

    listing = page(root.get(AUDIT))
    assert "routine_profile.created" in listing
    assert f"{AUDIT}add/" not in listing
    assert "delete_selected" not in listing

    assert root.get(f"{AUDIT}add/").status_code == 403
    assert root.post(f"{AUDIT}add/", {"action": "x"}).status_code == 403
    assert root.get(f"{AUDIT}{event.pk}/delete/").status_code == 403
    assert root.post(f"{AUDIT}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.count() == before


def test_persons_are_not_in_the_admin(root: Client) -> None:
    assert root.get("/admin/people/person/").status_code == 404
    assert root.get("/admin/records/accesslog/").status_code == 404
