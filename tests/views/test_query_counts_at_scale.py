"""Pages keep a constant number of SQL queries at 10 and at 1 000 persons (non-negotiable 7).

Both municipalities come from the benchmark generator, so the data has the
real shape: units with a few hundred persons, interventions, plans in force.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delaktig.demo.generate import generate_municipality
from delaktig.organisation.models import Membership, Role, Unit
from delaktig.people.models import Person
from tests.world import make_user


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _post_queries(client: Client, url: str, data: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _counts(persons: int, code: str) -> dict[str, int]:
    municipality = generate_municipality(persons=persons, today=date(2026, 3, 2), code=code)
    unit = Unit.objects.filter(municipality=municipality).order_by("pk").first()
    assert unit is not None
    manager = Membership.objects.get(unit=unit, role=Role.UNIT_MANAGER).user
    staff = Membership.objects.get(unit=unit, role=Role.STAFF).user
    controller = make_user(f"kvalitet-{code}")
    Membership.objects.create(
        user=controller, role=Role.QUALITY_CONTROLLER, administration=unit.administration
    )
    person = Person.objects.filter(cases__unit=unit).order_by("pk").first()
    assert person is not None
    as_manager, as_staff, as_controller = Client(), Client(), Client()
    as_manager.force_login(manager)
    as_staff.force_login(staff)
    as_controller.force_login(controller)
    return {
        "overview": _queries(as_manager, reverse("unit_overview", args=[unit.pk])),
        "sign list": _queries(as_manager, reverse("sign_list")),
        "my persons": _queries(as_staff, reverse("my_persons")),
        "person": _queries(as_staff, reverse("person_detail", args=[person.uuid])),
        "unit persons": _queries(as_staff, reverse("unit_persons", args=[unit.pk])),
        "search by name": _post_queries(as_staff, reverse("search"), {"q": person.first_name[:2]}),
        "search by number": _post_queries(as_staff, reverse("search"), {"q": person.personnummer}),
        "report": _queries(as_controller, reverse("quality_report") + "?fran=2025-04&till=2026-03"),
    }


@pytest.mark.django_db
def test_page_queries_are_the_same_for_10_and_for_1000_persons() -> None:
    small = _counts(10, "9961")
    large = _counts(1000, "9962")
    assert large == small
    assert Person.objects.count() == 1010
