"""List pages name persons, so showing them is a read of their files (R-LIFE-8, issue 8).

Each list page writes one access-log row per person shown ("Såg personen i en
lista"), in one query whatever the number of rows; a user who is denied the page
writes none.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from delaktig.people.models import Case
from delaktig.records.models import AccessAction, AccessLog
from delaktig.records.services import access_log_cases
from tests.fixtures import client_for
from tests.world import World


def _listed(username: str) -> set[int]:
    return set(
        AccessLog.objects.filter(
            user__username=username, action=AccessAction.VIEW_LIST
        ).values_list("case_id", flat=True)
    )


@pytest.fixture
def cases(world: World, frozen_today: date) -> list[Case]:
    return [
        world.add_person(
            world.home_care,
            start=date(2026, 2, 20),
            contact=world.bob,
            serial=serial,
            birth=(1940, 3, 1 + serial % 28),
            first_name=f"Person{serial}",
        )
        for serial in (981, 983, 985)
    ]


def test_my_persons_logs_each_person_it_lists(world: World, cases: list[Case]) -> None:
    assert client_for("bob").get(reverse("my_persons")).status_code == 200
    assert _listed("bob") == {case.pk for case in cases}


def test_the_unit_overview_logs_each_person_it_lists(world: World, cases: list[Case]) -> None:
    url = reverse("unit_overview", args=[world.home_care.pk])
    assert client_for("alice").get(url).status_code == 200
    assert _listed("alice") == {case.pk for case in cases}
    row = AccessLog.objects.filter(user__username="alice", case=cases[0]).get()
    assert (row.person_id, row.unit_id, row.municipality_id) == (
        cases[0].person_id,
        world.home_care.pk,
        world.municipality.pk,
    )


def test_a_denied_list_logs_nothing(world: World, cases: list[Case]) -> None:
    url = reverse("unit_overview", args=[world.home_care.pk])
    assert client_for("bob").get(url).status_code == 404
    assert client_for("charlie").get(reverse("my_persons")).status_code == 200
    assert not AccessLog.objects.exists()


def test_each_case_and_thing_shown_is_logged_once(world: World, cases: list[Case]) -> None:
    first, second, _third = cases
    count = access_log_cases(
        user=world.alice,
        reads=[(first, "v-1"), second, (first, "v-1"), (first, "v-2")],
        action=AccessAction.EXPORT,
    )
    assert count == 3
    assert sorted(
        AccessLog.objects.values_list("case_id", "person_id", "action", "object_id")
    ) == sorted(
        [
            (first.pk, first.person_id, AccessAction.EXPORT.value, "v-1"),
            (first.pk, first.person_id, AccessAction.EXPORT.value, "v-2"),
            (second.pk, second.person_id, AccessAction.EXPORT.value, ""),
        ]
    )
    assert access_log_cases(user=world.alice, reads=[], action=AccessAction.EXPORT) == 0
