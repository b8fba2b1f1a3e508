"""A unit's person list, for everyone who works there (issue 10; R-QA-1, R-LIFE-1, R-LIFE-8).

All persons with an open case at the unit, most urgent first, filterable by plan
state, contact person and intervention. A bad filter is a Swedish message and the
whole list, never a 500. Alice manages home care, Bob works there (contact person
for some), Charlie works elsewhere. The clock is frozen at Monday 2026-03-02.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from delaktig.organisation.models import Membership, Role
from delaktig.people.models import Case
from delaktig.people.services import membership_end
from delaktig.plans.models import Plan, PlanVersion, VersionState
from delaktig.records.models import AccessAction, AccessLog
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_no_personal_data_in_hrefs,
    assert_page_structure,
    assert_redirects_to_login,
    names_in,
    page,
    row_for,
    select_options,
    table_rows,
)
from tests.world import World, make_user

# Measured with a contact-person filter: session, user, unit, the chosen contact person
# (validation), count, the page of cases (with person and plan state), current contacts
# (prefetch), the access log of the persons shown, navigation, the contact persons and
# the intervention types (the filter's choices).
UNIT_PERSONS_QUERIES = 11


def url(world: World) -> str:
    return reverse("unit_persons", args=[world.home_care.pk])


@pytest.fixture
def unit(world: World, frozen_today: date) -> dict[str, Case]:
    """Home care (S1, 14 days): one late, one due, one drafting, one follow-up late, one fine."""
    add, home, mun = world.add_person, world.home_care, world.municipality
    cases = {
        "Ahl": add(home, start=date(2026, 2, 20), serial=101, last_name="Ahl", contact=world.bob),
        "Berg": add(home, start=date(2026, 2, 1), serial=102, last_name="Berg"),
        "Dahl": add(home, start=date(2026, 2, 25), serial=103, last_name="Dahl",
                    types=("hemtjanst-inkop",)),
        "Ek": add(home, start=date(2025, 8, 1), serial=104, last_name="Ek", contact=world.bob),
        "Fors": add(home, start=date(2025, 9, 1), serial=105, last_name="Fors"),
    }  # fmt: skip
    draft = Plan.objects.create(case=cases["Dahl"], unit=home, municipality=mun)
    PlanVersion.objects.create(plan=draft, municipality=mun, number=1)
    for name, follow_up in (("Ek", date(2026, 2, 1)), ("Fors", date(2026, 8, 1))):
        cases[name].interventions.update(plan_established_on=date(2025, 8, 10))
        Plan.objects.create(
            case=cases[name],
            unit=home,
            municipality=mun,
            established_on=date(2025, 8, 10),
            next_follow_up_on=follow_up,
        )
    world.add_person(world.housing_support, start=date(2026, 2, 1), types=("boendestod",),
                     serial=106, first_name="Sven", last_name="Öst")  # fmt: skip
    return cases


def test_everyone_in_the_unit_sees_all_its_persons_most_urgent_first(
    world: World, unit: dict[str, Case]
) -> None:
    for who in ("bob", "alice"):
        html = page(client_for(who).get(url(world)))
        assert names_in(html) == [
            "Astrid Ek",  # follow-up late since 1 February
            "Astrid Berg",  # plan late since 15 February
            "Astrid Ahl",  # plan due 6 March
            "Astrid Dahl",  # draft, plan due 11 March
            "Astrid Fors",  # established, follow-up 1 August
        ], who
    assert "Sven" not in html
    assert "5 personer." in html


def test_a_row_shows_masked_personnummer_contact_and_plan_state(
    world: World, unit: dict[str, Case]
) -> None:
    html = page(client_for("bob").get(url(world)))

    assert row_for(html, "Astrid Ek") == [
        "Astrid Ek",
        "19400321-****",
        "Bob Kontaktman",
        "Uppföljning försenad skulle följas upp 1 februari 2026",
    ]
    assert row_for(html, "Astrid Berg")[2:] == [
        "Ingen kontaktman",
        "Ingen plan, Försenad skulle vara klar 15 februari 2026",
    ]
    assert row_for(html, "Astrid Dahl")[3] == "Utkast, ska upprättas senast 11 mars 2026"
    assert row_for(html, "Astrid Fors")[3] == "Fastställd följs upp senast 1 augusti 2026"
    assert_no_personal_data_in_hrefs(html, [case.person for case in unit.values()])


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"planstatus": "ingen-plan"}, ["Astrid Berg", "Astrid Ahl"]),
        ({"planstatus": "utkast"}, ["Astrid Dahl"]),
        ({"planstatus": "faststalld"}, ["Astrid Fors"]),
        ({"planstatus": "uppfoljning-forsenad"}, ["Astrid Ek"]),
        ({"planstatus": "vantar-pa-signatur"}, []),
        ({"insats": "hemtjanst-inkop"}, ["Astrid Dahl"]),
        ({"planstatus": "ingen-plan", "insats": "hemtjanst-dusch"}, ["Astrid Berg", "Astrid Ahl"]),
    ],
)
def test_it_filters_by_plan_state_and_intervention(
    world: World, unit: dict[str, Case], query: dict[str, str], names: list[str]
) -> None:
    assert names_in(page(client_for("bob").get(url(world), query))) == names


def test_it_filters_by_contact_person(world: World, unit: dict[str, Case]) -> None:
    html = page(client_for("alice").get(url(world), {"kontaktman": world.bob.pk}))

    assert names_in(html) == ["Astrid Ek", "Astrid Ahl"]
    assert select_options(html, "id_kontaktman") == {
        "": "Alla kontaktmän",
        str(world.bob.pk): "Bob Kontaktman",
    }


def test_a_waiting_for_signatures_plan_is_its_own_state(
    world: World, unit: dict[str, Case]
) -> None:
    plan = Plan.objects.create(
        case=unit["Ahl"], unit=world.home_care, municipality=world.municipality
    )
    PlanVersion.objects.create(
        plan=plan, municipality=world.municipality, number=1, state=VersionState.READY_FOR_SIGNING
    )
    html = page(client_for("bob").get(url(world), {"planstatus": "vantar-pa-signatur"}))
    assert names_in(html) == ["Astrid Ahl"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"planstatus": "hemlig"}, "Planens status: Välj en planstatus i listan."),
        ({"kontaktman": "abc"}, "Kontaktman: Välj en kontaktman i listan."),
        ({"kontaktman": "99999999999999999999999"}, "Kontaktman: Välj en kontaktman i listan."),
        ({"insats": "\x00"}, "Insats: Null-tecken är inte tillåtna."),
        ({"insats": "x" * 500}, "Insats: Välj en insats i listan."),
        ({"sida": "-1"}, "Sida: Sidnumret ska vara 1 eller mer."),
        ({"sida": "ett"}, "Sida: Sidnumret ska vara ett heltal."),
    ],
)
def test_a_bad_filter_is_a_swedish_message_and_changes_nothing(
    world: World, unit: dict[str, Case], query: dict[str, str], message: str
) -> None:
    response = client_for("bob").get(url(world), {"planstatus": "utkast", **query})
    html = page(response)

    assert response.status_code == 200
    assert "Filtret kunde inte användas, så listan visar alla personer på enheten." in html
    assert message in html
    assert len(names_in(html)) == 5


def test_a_contact_person_of_another_unit_is_not_a_filter(
    world: World, unit: dict[str, Case]
) -> None:
    html = page(client_for("bob").get(url(world), {"kontaktman": world.charlie.pk}))
    assert "Kontaktman: Välj en kontaktman i listan." in html


def test_another_units_staff_and_a_former_member_get_404(
    world: World, unit: dict[str, Case]
) -> None:
    assert client_for("charlie").get(url(world)).status_code == 404
    assert client_for("dana").get(url(world)).status_code == 404
    assert client_for("bob").get(reverse("unit_persons", args=[999_999])).status_code == 404
    membership_end(
        membership=Membership.objects.get(user=world.bob, role=Role.STAFF), by=world.alice
    )
    assert client_for("bob").get(url(world)).status_code == 404
    assert not AccessLog.objects.exists()


def test_anonymous_users_are_sent_to_the_login_page(world: World) -> None:
    assert_redirects_to_login(Client().get(url(world)), url(world))


def test_a_scheduler_of_the_unit_sees_it_too(world: World, unit: dict[str, Case]) -> None:
    planner = make_user("planner")
    Membership.objects.create(user=planner, role=Role.SCHEDULER, unit=world.home_care)
    client = Client()
    client.force_login(planner)
    assert len(names_in(page(client.get(url(world))))) == 5


def test_each_person_shown_is_logged(world: World, unit: dict[str, Case]) -> None:
    client_for("bob").get(url(world), {"planstatus": "ingen-plan"})

    rows = set(AccessLog.objects.values_list("user_id", "case_id", "action"))
    assert rows == {
        (world.bob.pk, unit["Ahl"].pk, AccessAction.VIEW_LIST),
        (world.bob.pk, unit["Berg"].pk, AccessAction.VIEW_LIST),
    }


def test_its_page_is_swedish_with_labelled_filters(world: World, unit: dict[str, Case]) -> None:
    response = client_for("bob").get(url(world))
    assert_page_structure(page(response))
    assert response["Cache-Control"] == "no-store"


def test_the_overview_and_the_search_page_link_to_it(world: World, unit: dict[str, Case]) -> None:
    overview = page(client_for("alice").get(reverse("unit_overview", args=[world.home_care.pk])))
    search = page(client_for("bob").get(reverse("search")))
    assert f'href="{url(world)}"' in overview
    assert f'href="{url(world)}"' in search


# --- paging and the constant query count


def add_persons(world: World, first: int, last: int) -> None:
    for n in range(first, last):
        case = world.add_person(
            world.home_care,
            start=date(2026, 3, 2) - timedelta(days=n % 20),
            contact=world.bob if n % 2 else None,
            serial=400 + n,
            first_name=f"Person{n:03d}",
        )
        if n % 4 == 1:
            Plan.objects.create(
                case=case,
                unit=world.home_care,
                municipality=world.municipality,
                established_on=date(2026, 2, 25),
                next_follow_up_on=date(2026, 8, 25),
            )


def test_it_pages_by_fifty(world: World, frozen_today: date) -> None:
    add_persons(world, 0, 55)
    bob = client_for("bob")
    first, second = page(bob.get(url(world))), page(bob.get(url(world), {"sida": 2}))

    assert (len(table_rows(first)), len(table_rows(second))) == (50, 5)
    assert "sida 1 av 2" in first
    assert 'href="?sida=2"' in first
    filtered = page(bob.get(url(world), {"insats": "hemtjanst-dusch"}))
    assert 'href="?insats=hemtjanst-dusch&amp;sida=2"' in filtered
    assert len(table_rows(page(bob.get(url(world), {"sida": 99})))) == 5  # the last page


def test_its_query_count_is_the_same_for_3_and_for_60_persons(
    world: World, frozen_today: date, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    bob = client_for("bob")
    add_persons(world, 0, 3)
    with django_assert_max_num_queries(UNIT_PERSONS_QUERIES) as three:
        few = page(bob.get(url(world), {"kontaktman": world.bob.pk}))
    add_persons(world, 3, 60)
    with django_assert_max_num_queries(UNIT_PERSONS_QUERIES) as sixty:
        many = page(bob.get(url(world), {"kontaktman": world.bob.pk}))

    assert (len(table_rows(few)), len(table_rows(many))) == (1, 30)
    assert len(three.captured_queries) == len(sixty.captured_queries)
