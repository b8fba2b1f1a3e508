"""The start page sends each user to their first page (R-QA-1, R-LIFE-2).

A unit manager without contact-person assignments gets the unit overview; a
contact person gets "Mina personer"; an administrator without a role in the care
work gets the admin; anyone else gets "Mina personer".
"""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from delaktig.organisation.models import Membership
from delaktig.people.models import ContactAssignment
from delaktig.people.services import contact_person_assign
from tests.fixtures import client_for
from tests.views.helpers import assert_redirects_to_login, page
from tests.world import World


def test_a_unit_manager_of_several_units_starts_at_their_summary(world: World) -> None:
    """Issue 10: all her units, worst first, before the per-unit tabs."""
    response = client_for("alice").get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("units_summary")


def test_a_unit_manager_of_one_unit_goes_to_its_overview(world: World) -> None:
    Membership.objects.filter(user=world.alice, unit=world.nursing_home).delete()
    response = client_for("alice").get("/", follow=True)
    assert "<h1>Översikt – Hemtjänst Väst</h1>" in page(response)


def test_a_contact_person_goes_to_my_persons(world: World) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)

    response = client_for("bob").get("/", follow=True)

    assert response.redirect_chain == [(reverse("my_persons"), 302)]
    assert "<h1>Mina personer</h1>" in page(response)
    assert "Astrid Lind" in page(response)


def test_a_unit_manager_who_is_also_contact_person_goes_to_my_persons(world: World) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.alice)

    response = client_for("alice").get("/")

    assert response["Location"] == reverse("my_persons")


def test_a_unit_manager_whose_contact_assignment_ended_goes_to_the_overview(
    world: World,
) -> None:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.alice)
    contact_person_assign(case=case, user=world.bob, on=date(2026, 2, 25), by=world.alice)
    assert ContactAssignment.objects.get(user=world.alice).ended_on == date(2026, 2, 25)

    response = client_for("alice").get("/")

    assert response["Location"] == reverse("units_summary")


def test_users_without_a_unit_to_manage_go_to_my_persons(world: World) -> None:
    for username in ("bob", "charlie"):
        assert client_for(username).get("/")["Location"] == reverse("my_persons"), username


def test_a_quality_controller_starts_at_the_report(world: World) -> None:
    assert client_for("dana").get("/")["Location"] == reverse("quality_report")


def test_anonymous_users_are_sent_to_the_login_page(world: World) -> None:
    assert_redirects_to_login(Client().get("/"), "/")


def test_an_administrator_without_a_care_role_starts_in_the_admin(world: World) -> None:
    world.charlie.memberships.all().delete()
    world.charlie.is_staff = True
    world.charlie.save(update_fields=["is_staff"])

    assert client_for("charlie").get("/")["Location"] == reverse("admin:index")


def test_a_staff_user_who_manages_units_still_starts_at_their_summary(world: World) -> None:
    world.alice.is_staff = True
    world.alice.save(update_fields=["is_staff"])

    response = client_for("alice").get("/")

    assert response["Location"] == reverse("units_summary")
