"""The person page: the file of one person, addressed by UUID and logged on every read.

R-LIFE-8: only staff of a unit where the person has an open case may read it,
everyone else gets 404 (not 403: whether a person exists is itself
confidential), every read writes one access-log row, and no personnummer ever
appears in a URL. R-CASE-1 / R-CASE-3: the page shows the person, relatives,
decisions and granted interventions with their plan deadlines (R-LIFE-1).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from delaktig.people.models import Case, Person, Relative, RelativeKind
from delaktig.people.services import (
    InterventionInput,
    contact_person_assign,
    decision_register,
    person_create,
)
from delaktig.plans.models import Plan
from delaktig.records.models import AccessAction, AccessLog
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_no_personal_data_in_hrefs,
    assert_page_structure,
    assert_redirects_to_login,
    hrefs,
    page,
    text,
)
from tests.world import World, pnr

# Measured: session, user, person, cases, decisions, interventions, current contacts, plans,
# the access-log INSERT, routine versions, their overrides, managed unit ids, navigation
# units, relatives.
PERSON_QUERIES = 14


def person_url(person: Person) -> str:
    return reverse("person_detail", args=[person.uuid])


@pytest.fixture
def astrid(world: World, frozen_today: date) -> Case:
    """Astrid at home care since 2026-02-10 (S1: plan due 2026-02-24), Bob her contact person."""
    case = world.add_person(world.home_care, start=date(2026, 2, 10), contact=world.bob)
    Relative.objects.create(
        person=case.person,
        municipality=world.municipality,
        name="Karin Lind",
        kind=RelativeKind.RELATIVE,
        relation="Dotter",
        person_wants_involved=True,
    )
    return case


def test_it_shows_the_person_relatives_decision_and_plan_deadline(
    world: World, astrid: Case
) -> None:
    html = page(client_for("alice").get(person_url(astrid.person)))
    visible = text(html)

    assert "<h1>Astrid Lind</h1>" in html
    assert "Personnummer 19400321-9823" in visible
    assert "Karin Lind – Närstående (Dotter) – deltar i planeringen" in visible
    assert "Ärendet öppnades 10 februari 2026. Kontaktman: Bob Kontaktman." in visible
    assert "Beslut 10 februari 2026" in visible
    assert "Mål enligt beslutet: Att kunna bo kvar hemma." in visible
    assert (
        "Hemtjänst – dusch – 2026-02-10 – tills vidare Försenad skulle vara klar 2026-02-24"
        in visible
    )
    assert "Ingen genomförandeplan ännu." in visible


def test_it_marks_a_deadline_within_the_week_as_soon_and_a_later_one_plainly(
    world: World, astrid: Case
) -> None:
    decision_register(
        case=astrid,
        decided_on=date(2026, 2, 27),
        interventions=[
            InterventionInput(type=world.types["hemtjanst-inkop"], start_date=date(2026, 2, 20)),
            InterventionInput(type=world.types["trygghetslarm"], start_date=date(2026, 3, 2)),
        ],
        by=world.alice,
    )
    visible = text(page(client_for("alice").get(person_url(astrid.person))))

    assert "Hemtjänst – inköp – 2026-02-20 – tills vidare Snart senast 2026-03-06" in visible
    assert "Trygghetslarm – 2026-03-02 – tills vidare Senast 2026-03-16" in visible


def test_it_offers_the_unit_manager_to_register_decisions_and_a_contact_person(
    world: World, astrid: Case
) -> None:
    links = hrefs(page(client_for("alice").get(person_url(astrid.person))))

    assert reverse("decision_create", args=[astrid.uuid]) in links
    assert reverse("contact_person_assign", args=[astrid.uuid]) in links


def test_staff_of_the_unit_may_read_it_without_the_managers_actions(
    world: World, astrid: Case
) -> None:
    html = page(client_for("bob").get(person_url(astrid.person)))

    assert "<h1>Astrid Lind</h1>" in html
    assert "Registrera beslut" not in html
    assert reverse("decision_create", args=[astrid.uuid]) not in hrefs(html)


def test_it_hides_contact_details_of_a_person_with_protected_identity(
    world: World, frozen_today: date
) -> None:
    case = person_create(
        unit=world.home_care,
        personnummer=pnr(1950, 6, 1),
        first_name="Sigrid",
        last_name="Skydd",
        phone="070-123 45 67",
        address="Hemliga vägen 1",
        protected_identity=True,
        opened_on=date(2026, 2, 1),
        by=world.alice,
    )
    html = page(client_for("alice").get(person_url(case.person)))

    assert "19500601-****" in html
    assert case.person.personnummer not in html
    assert "070-123 45 67" not in html
    assert "Hemliga vägen 1" not in html
    assert "Kontaktuppgifter visas inte." in html


# --- access (R-LIFE-8)


@pytest.mark.parametrize(
    "username",
    [
        "charlie",  # staff of another unit
        "dana",  # quality controller at the administration: no person access
    ],
)
def test_it_404s_for_users_without_a_case_at_their_unit(
    world: World, astrid: Case, username: str
) -> None:
    response = client_for(username).get(person_url(astrid.person))

    assert response.status_code == 404
    assert "Astrid" not in page(response)


def test_it_404s_for_the_units_own_staff_once_the_case_is_closed(
    world: World, astrid: Case
) -> None:
    Case.objects.filter(pk=astrid.pk).update(closed_on=date(2026, 3, 1))

    assert client_for("bob").get(person_url(astrid.person)).status_code == 404
    assert client_for("alice").get(person_url(astrid.person)).status_code == 404


def test_it_404s_for_an_unknown_uuid(world: World, astrid: Case) -> None:
    response = client_for("alice").get(reverse("person_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_its_404_page_is_in_swedish(world: World, astrid: Case) -> None:
    response = client_for("charlie").get(person_url(astrid.person))

    assert response.status_code == 404
    assert '<html lang="sv"' in page(response)


def test_it_redirects_anonymous_users_to_the_login_page_with_only_the_uuid_path(
    world: World, astrid: Case
) -> None:
    url = person_url(astrid.person)
    response = Client().get(url)

    assert_redirects_to_login(response, f"/person/{astrid.person.uuid}/")
    for value in (astrid.person.personnummer, "194003219823", "Lind"):
        assert value not in response["Location"]


# --- addressed by UUID, no personal data in links (R-LIFE-8)


def test_it_is_addressed_by_uuid_and_not_by_database_id(world: World, astrid: Case) -> None:
    person = astrid.person
    assert person_url(person) == f"/person/{person.uuid}/"
    assert client_for("alice").get(f"/person/{person.pk}/").status_code == 404


def test_its_links_carry_no_personnummer_or_name(world: World, astrid: Case) -> None:
    html = page(client_for("alice").get(person_url(astrid.person)))
    assert_no_personal_data_in_hrefs(html, [astrid.person])


def test_its_page_is_swedish_with_one_h1_and_never_cached(world: World, astrid: Case) -> None:
    response = client_for("alice").get(person_url(astrid.person))

    assert_page_structure(page(response))
    assert response["Cache-Control"] == "no-store"


# --- the access log (R-LIFE-8: every read is logged)


def test_each_read_writes_exactly_one_access_log_row(world: World, astrid: Case) -> None:
    bob = client_for("bob")

    bob.get(person_url(astrid.person))
    rows = list(AccessLog.objects.values("user", "person", "case", "unit", "action"))
    assert rows == [
        {
            "user": world.bob.pk,
            "person": astrid.person.pk,
            "case": astrid.pk,
            "unit": world.home_care.pk,
            "action": AccessAction.VIEW_PERSON.value,
        }
    ]

    client_for("alice").get(person_url(astrid.person))
    bob.get(person_url(astrid.person))
    assert AccessLog.objects.filter(person=astrid.person).count() == 3
    assert list(AccessLog.objects.order_by("pk").values_list("user__username", "action")) == [
        ("bob", "view_person"),
        ("alice", "view_person"),
        ("bob", "view_person"),
    ]


def test_a_denied_or_anonymous_read_writes_no_access_log_row(world: World, astrid: Case) -> None:
    assert client_for("charlie").get(person_url(astrid.person)).status_code == 404
    assert client_for("dana").get(person_url(astrid.person)).status_code == 404
    assert Client().get(person_url(astrid.person)).status_code == 302

    assert AccessLog.objects.count() == 0


def test_a_read_of_a_person_with_cases_at_two_units_logs_no_single_case(
    world: World, astrid: Case
) -> None:
    # Same personnummer at the nursing home: the same person gets a second open case there.
    world.add_person(world.nursing_home, start=date(2026, 2, 20), types=("sarskilt-boende",))

    html = page(client_for("alice").get(person_url(astrid.person)))

    assert '">Hemtjänst Väst</h2>' in html
    assert '">Solbacken</h2>' in html
    log = AccessLog.objects.get()
    assert (log.user_id, log.person_id, log.case_id, log.unit_id) == (
        world.alice.pk,
        astrid.person.pk,
        None,
        None,
    )


# --- constant query count


def test_its_query_count_is_the_same_for_3_and_for_30_persons_in_the_unit(
    world: World, astrid: Case, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    alice = client_for("alice")
    url = person_url(astrid.person)

    for n in range(2):
        world.add_person(world.home_care, start=date(2026, 2, 20), serial=600 + n)
    with django_assert_max_num_queries(PERSON_QUERIES) as three:
        alice.get(url)
    for n in range(2, 29):
        world.add_person(world.home_care, start=date(2026, 2, 20), serial=600 + n)
    with django_assert_max_num_queries(PERSON_QUERIES) as thirty:
        html = page(alice.get(url))

    assert Case.objects.filter(unit=world.home_care).count() == 30
    assert "<h1>Astrid Lind</h1>" in html
    assert len(three.captured_queries) == len(thirty.captured_queries)


def test_its_query_count_does_not_grow_with_the_persons_decisions_contacts_and_plans(
    world: World, astrid: Case, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    alice = client_for("alice")
    url = person_url(astrid.person)

    with django_assert_max_num_queries(PERSON_QUERIES) as one:
        alice.get(url)
    for n in range(10):
        decision_register(
            case=astrid,
            decided_on=date(2026, 1, 1 + n),
            interventions=[
                InterventionInput(type=world.types["hemtjanst-inkop"], start_date=date(2026, 2, 1)),
                InterventionInput(type=world.types["trygghetslarm"], start_date=date(2026, 2, 2)),
            ],
            by=world.alice,
        )
        Relative.objects.create(
            person=astrid.person,
            municipality=world.municipality,
            name=f"Släkting {n}",
            kind=RelativeKind.RELATIVE,
        )
        Plan.objects.create(case=astrid, unit=world.home_care, municipality=world.municipality)
    contact_person_assign(
        case=astrid, user=world.alice, is_deputy=True, on=date(2026, 2, 11), by=world.alice
    )
    with django_assert_max_num_queries(PERSON_QUERIES) as many:
        visible = text(page(alice.get(url)))

    assert visible.count("Trygghetslarm") == 10
    assert visible.count("Planen är inte fastställd ännu.") == 10
    assert "Vice kontaktman: Alice Chef." in visible
    assert len(one.captured_queries) == len(many.captured_queries)
