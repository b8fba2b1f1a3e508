"""Who may see whose data is changed in the admin, and every change is audited (issue 8).

R-LIFE-8: access follows membership of the unit; granting, changing and ending
a membership through the admin goes through ``organisation.services``, which
writes an audit event with ids only (no names), on the municipality's chain.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from delaktig.accounts.models import User
from delaktig.organisation.models import Membership, Role
from delaktig.people.models import Person
from delaktig.records.audit import verify_chain
from delaktig.records.models import AuditEvent
from tests.fixtures import client_for
from tests.world import PASSWORD, World

MEMBERSHIPS = "/admin/organisation/membership/"


@pytest.fixture
def root(world: World) -> Client:
    User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    return client_for("root")


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_granting_a_membership_in_the_admin_is_audited_and_gives_access(
    world: World, root: Client
) -> None:
    case = world.add_person(world.housing_support, start=date(2026, 2, 20))
    assert not Person.objects.visible_to(world.bob).filter(pk=case.person_id).exists()

    response = root.post(
        f"{MEMBERSHIPS}add/",
        {"user": world.bob.pk, "role": Role.STAFF.value, "unit": world.housing_support.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    membership = Membership.objects.get(user=world.bob, unit=world.housing_support)
    [event] = _events("membership.granted")
    assert event.actor_id == User.objects.get(username="root").pk
    assert event.chain == world.municipality.pk
    assert (event.object_type, event.object_id) == ("organisation.membership", str(membership.pk))
    assert event.data == {
        "scope": {
            "user": world.bob.pk,
            "role": "staff",
            "unit": world.housing_support.pk,
            "administration": None,
        }
    }
    assert Person.objects.visible_to(world.bob).filter(pk=case.person_id).exists()


def test_changing_and_ending_a_membership_are_audited_with_before_and_after(
    world: World, root: Client
) -> None:
    membership = Membership.objects.get(user=world.bob, unit=world.home_care)
    url = f"{MEMBERSHIPS}{membership.pk}/change/"
    data = {"user": world.bob.pk, "role": Role.SCHEDULER.value, "unit": world.home_care.pk}
    assert root.post(url, data).status_code == 302
    [changed] = _events("membership.changed")
    assert changed.data["before"]["role"] == "staff"
    assert changed.data["after"]["role"] == "scheduler"

    assert root.post(url, data).status_code == 302  # saved again unchanged: nothing to audit
    assert len(_events("membership.changed")) == 1

    delete = f"{MEMBERSHIPS}{membership.pk}/delete/"
    assert root.post(delete, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    [ended] = _events("membership.ended")
    assert ended.object_id == str(membership.pk)
    assert ended.data["scope"]["role"] == "scheduler"
    assert verify_chain(world.municipality.pk).ok


def test_the_bulk_delete_action_audits_each_membership(world: World, root: Client) -> None:
    ids = list(Membership.objects.filter(unit__isnull=False).values_list("pk", flat=True))
    response = root.post(
        MEMBERSHIPS,
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=ids).exists()
    assert sorted(int(e.object_id) for e in _events("membership.ended")) == sorted(ids)


@pytest.mark.parametrize("username", ["alice", "bob"])
def test_staff_cannot_change_memberships(world: World, username: str) -> None:
    client = client_for(username)
    response = client.post(
        f"{MEMBERSHIPS}add/",
        {"user": world.bob.pk, "role": Role.UNIT_MANAGER.value, "unit": world.home_care.pk},
    )
    assert response.status_code == 302  # to the admin login
    assert not Membership.objects.filter(user=world.bob, role=Role.UNIT_MANAGER).exists()
    assert not _events("membership.granted")
