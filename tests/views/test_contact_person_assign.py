"""Appointing a contact person, who is told to contact the person at once (R-LIFE-2).

Only staff of the person's unit can be chosen; only the unit's manager may
appoint, others get 404 (R-LIFE-8). The clock is frozen at Monday 2026-03-02.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.oversight.models import Task, TaskKind
from delaktig.people.models import Case, ContactAssignment
from delaktig.people.services import person_create
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_page_structure,
    assert_redirects_to_login,
    page,
    section,
    select_options,
    text,
)
from tests.world import World, pnr


@pytest.fixture
def greta(world: World, frozen_today: date) -> Case:
    """Greta, just registered at home care, without a contact person."""
    return person_create(
        unit=world.home_care,
        personnummer=pnr(1941, 3, 21),
        first_name="Greta",
        last_name="Holm",
        opened_on=date(2026, 3, 2),
        by=world.alice,
    )


def url_for(case: Case) -> str:
    return reverse("contact_person_assign", args=[case.uuid])


def counts() -> tuple[int, int]:
    return ContactAssignment.objects.count(), Task.objects.count()


def test_it_offers_the_staff_of_the_persons_unit_only(world: World, greta: Case) -> None:
    html = page(client_for("alice").get(url_for(greta)))

    assert "<h1>Utse kontaktman för Greta Holm</h1>" in html
    assert select_options(html, "id_user") == {
        "": "---------",
        str(world.alice.pk): "Alice Chef",
        str(world.bob.pk): "Bob Kontaktman",
    }
    assert_page_structure(html)


def test_appointing_bob_gives_him_a_task_to_contact_the_person(world: World, greta: Case) -> None:
    response = client_for("alice").post(url_for(greta), {"user": world.bob.pk})

    assignment = ContactAssignment.objects.get()
    assert (assignment.case_id, assignment.user_id, assignment.is_deputy) == (
        greta.pk,
        world.bob.pk,
        False,
    )
    assert (assignment.assigned_on, assignment.ended_on) == (date(2026, 3, 2), None)
    task = Task.objects.get()
    assert (task.user_id, task.case_id, task.kind, task.due_on, task.done_at) == (
        world.bob.pk,
        greta.pk,
        TaskKind.CONTACT_PERSON,
        date(2026, 3, 4),
        None,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/person/{greta.person.uuid}/"


def test_the_task_is_shown_on_bobs_my_persons_page(world: World, greta: Case) -> None:
    client_for("alice").post(url_for(greta), {"user": world.bob.pk})

    bob = page(client_for("bob").get(reverse("my_persons")))

    tasks = text(section(bob, "tasks-h"))
    assert tasks.startswith("Att göra Kontakta den enskilde: Greta Holm – senast 4 mars 2026 Klar")
    assert "Försenad" not in tasks
    alice = page(client_for("alice").get(reverse("my_persons")))
    assert "Greta Holm" not in alice


def test_the_person_page_names_the_new_contact_person(world: World, greta: Case) -> None:
    response = client_for("alice").post(url_for(greta), {"user": world.bob.pk}, follow=True)
    visible = text(page(response))

    assert "Kontaktmannen är utsedd och har fått en uppgift." in visible
    assert "Kontaktman: Bob Kontaktman." in visible


def test_a_deputy_is_appointed_beside_the_contact_person(world: World, greta: Case) -> None:
    alice = client_for("alice")
    alice.post(url_for(greta), {"user": world.alice.pk})
    response = alice.post(url_for(greta), {"user": world.bob.pk, "is_deputy": "on"}, follow=True)

    assert set(ContactAssignment.objects.values_list("user__username", "is_deputy")) == {
        ("alice", False),
        ("bob", True),
    }
    visible = text(page(response))
    assert "Kontaktman: Alice Chef. Vice kontaktman: Bob Kontaktman." in visible


def test_a_new_contact_person_replaces_the_previous_one(world: World, greta: Case) -> None:
    alice = client_for("alice")
    alice.post(url_for(greta), {"user": world.alice.pk})
    alice.post(url_for(greta), {"user": world.bob.pk})

    assert list(
        ContactAssignment.objects.order_by("pk").values_list("user__username", "ended_on")
    ) == [("alice", date(2026, 3, 2)), ("bob", None)]
    assert list(Task.objects.order_by("pk").values_list("user__username", flat=True)) == [
        "alice",
        "bob",
    ]


def test_staff_of_another_unit_cannot_be_posted(world: World, greta: Case) -> None:
    response = client_for("alice").post(url_for(greta), {"user": world.charlie.pk})
    html = page(response)

    assert response.status_code == 200
    assert '<p class="error" id="id_user_error">' in html
    assert "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ." in (
        html
    )
    assert counts() == (0, 0)


def test_choosing_no_one_is_refused(world: World, greta: Case) -> None:
    html = page(client_for("alice").post(url_for(greta), {"user": ""}))

    assert "Kontaktman: Detta fält måste fyllas i." in text(html)
    assert counts() == (0, 0)


# --- access (R-LIFE-8)


@pytest.mark.parametrize(
    "username",
    [
        "bob",  # staff at the unit: may read the person, not appoint
        "charlie",  # staff of another unit
        "dana",  # quality controller
    ],
)
def test_it_404s_and_appoints_no_one_for_anyone_but_the_units_manager(
    world: World, greta: Case, username: str
) -> None:
    client = client_for(username)

    assert client.get(url_for(greta)).status_code == 404
    assert client.post(url_for(greta), {"user": world.bob.pk}).status_code == 404
    assert counts() == (0, 0)


def test_it_redirects_anonymous_users_to_the_login_page_and_appoints_no_one(
    world: World, greta: Case
) -> None:
    url = url_for(greta)

    assert_redirects_to_login(Client().get(url), f"/arende/{greta.uuid}/kontaktman/")
    assert_redirects_to_login(Client().post(url, {"user": world.bob.pk}), url)
    assert counts() == (0, 0)
