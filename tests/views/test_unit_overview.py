"""The unit manager's overview of plans late, due soon and missing (R-QA-1, R-LIFE-1).

Only the unit's managers may open it; anyone else gets 404 (R-LIFE-8).
The clock is frozen at Monday 2026-03-02 (``frozen_today``).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from delaktig.organisation.models import Membership, Role, Unit
from delaktig.people.models import Case, GrantedIntervention
from delaktig.people.services import InterventionInput, contact_person_assign, decision_register
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_no_personal_data_in_hrefs,
    assert_page_structure,
    assert_redirects_to_login,
    names_in,
    page,
    row_for,
    section,
    text,
)
from tests.world import World, make_user

# Measured: session, user, unit, routine versions, their overrides, interventions
# (with case, person, type, unit), current contacts (prefetch), versions awaiting
# signatures + their signatures (prefetch), follow-ups due + their contacts
# (prefetch), the unit's contact persons (filter), archive deliveries outstanding,
# navigation units.
OVERVIEW_QUERIES = 13  # 12 reads and the access log of the persons shown


def overview_url(unit: Unit) -> str:
    return reverse("unit_overview", args=[unit.pk])


# Home care (S1) gives 14 days to establish a plan; "due soon" is the next 7 days.
SPREAD = [
    ("Gunnel", "Ahl", date(2026, 2, 15)),  # deadline 2026-03-01, yesterday: late
    ("Tore", "Berg", date(2026, 2, 16)),  # deadline 2026-03-02, today: due soon
    ("Ulla", "Dahl", date(2026, 2, 23)),  # deadline 2026-03-09, last day of the window
    ("Nils", "Ek", date(2026, 2, 24)),  # deadline 2026-03-10, the day after it: later
]


def spread(world: World) -> list[Case]:
    return [
        world.add_person(
            world.home_care,
            start=start,
            contact=world.bob,
            serial=101 + index,
            first_name=first,
            last_name=last,
        )
        for index, (first, last, start) in enumerate(SPREAD)
    ]


def test_it_lists_late_plans_first_then_due_soon_then_the_rest(
    world: World, frozen_today: date
) -> None:
    spread(world)
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert names_in(section(html, "late-h")) == ["Gunnel Ahl"]
    assert names_in(section(html, "soon-h")) == ["Tore Berg", "Ulla Dahl"]
    assert names_in(section(html, "later-h")) == ["Nils Ek"]
    assert html.index('id="late-h"') < html.index('id="soon-h"') < html.index('id="later-h"')
    assert "<h1>Översikt – Hemtjänst Väst</h1>" in html


def test_its_rows_show_the_intervention_its_start_the_deadline_and_the_contact_person(
    world: World, frozen_today: date
) -> None:
    spread(world)
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert row_for(section(html, "late-h"), "Gunnel Ahl") == [
        "Gunnel Ahl",
        "Hemtjänst – dusch",
        "2026-02-15",
        "2026-03-01",
        "Bob Kontaktman",
    ]
    assert row_for(section(html, "soon-h"), "Ulla Dahl")[2:4] == ["2026-02-23", "2026-03-09"]
    assert row_for(section(html, "later-h"), "Nils Ek")[2:4] == ["2026-02-24", "2026-03-10"]


def test_it_counts_the_persons_in_the_summary(world: World, frozen_today: date) -> None:
    spread(world)
    html = page(client_for("alice").get(overview_url(world.home_care)))

    summary = re.search(r'<ul class="summary"[^>]*>(.*?)</ul>', html, re.DOTALL)
    assert summary is not None
    assert text(summary.group(1)) == (
        "1 person där planen är försenad "
        "2 ska ha plan inom 7 dagar "
        "4 personer med insatser utan fastställd plan "
        "0 planer väntar på signatur "
        "0 arkivleveranser inte mottagna "
        "0 uppföljningar försenade"
    )


def test_it_says_so_when_a_section_is_empty(world: World, frozen_today: date) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 24), contact=world.bob)
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert "Inga försenade planer." in section(html, "late-h")
    assert "Inga planer ska vara klara de närmaste 7 dagarna." in section(html, "soon-h")
    assert names_in(section(html, "later-h")) == ["Astrid Lind"]


def test_it_lists_a_person_once_under_their_earliest_deadline(
    world: World, frozen_today: date
) -> None:
    case = world.add_person(world.home_care, start=date(2026, 2, 23), contact=world.bob)
    decision_register(
        case=case,
        decided_on=date(2026, 2, 27),
        interventions=[
            InterventionInput(type=world.types["hemtjanst-inkop"], start_date=date(2026, 2, 27))
        ],
        by=world.alice,
    )
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert names_in(html) == ["Astrid Lind"]
    assert row_for(section(html, "soon-h"), "Astrid Lind") == [
        "Astrid Lind",
        "Hemtjänst – dusch Hemtjänst – inköp",
        "2026-02-23",
        "2026-03-09",
        "Bob Kontaktman",
    ]


def test_it_leaves_out_closed_cases_ended_interventions_and_established_plans(
    world: World, frozen_today: date
) -> None:
    start = date(2026, 2, 10)
    add = world.add_person
    home = world.home_care
    closed = add(home, start=start, serial=201, first_name="Stängd", last_name="Ärende")
    ended = add(home, start=start, serial=202, first_name="Slutad", last_name="Igår")
    ends_today = add(home, start=start, serial=203, first_name="Slutar", last_name="Idag")
    planned = add(home, start=start, serial=204, first_name="Har", last_name="Plan")
    Case.objects.filter(pk=closed.pk).update(closed_on=date(2026, 3, 1))
    GrantedIntervention.objects.filter(case=ended).update(end_date=date(2026, 3, 1))
    GrantedIntervention.objects.filter(case=ends_today).update(end_date=date(2026, 3, 2))
    GrantedIntervention.objects.filter(case=planned).update(plan_established_on=date(2026, 2, 20))

    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert names_in(html) == ["Slutar Idag"]
    for name in ("Stängd Ärende", "Slutad Igår", "Har Plan"):
        assert name not in html


def test_it_shows_that_a_contact_person_is_missing(world: World, frozen_today: date) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 10))
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert row_for(section(html, "late-h"), "Astrid Lind")[4] == "Saknas"


def test_it_shows_that_a_contact_person_is_missing_when_only_a_deputy_is_assigned(
    world: World, frozen_today: date
) -> None:
    case = world.add_person(world.home_care, start=date(2026, 2, 10))
    contact_person_assign(
        case=case, user=world.bob, is_deputy=True, on=date(2026, 2, 10), by=world.alice
    )
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert row_for(section(html, "late-h"), "Astrid Lind")[4] == "Saknas"


def test_it_shows_only_the_persons_of_the_unit_asked_for(world: World, frozen_today: date) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 20), serial=301, first_name="Hemma")
    world.add_person(world.nursing_home, start=date(2026, 2, 20), serial=302, first_name="Boende")
    alice = client_for("alice")

    assert names_in(page(alice.get(overview_url(world.home_care)))) == ["Hemma Lind"]
    assert names_in(page(alice.get(overview_url(world.nursing_home)))) == ["Boende Lind"]


def test_it_offers_tabs_for_each_unit_the_manager_manages(world: World, frozen_today: date) -> None:
    html = page(client_for("alice").get(overview_url(world.nursing_home)))

    tabs = re.search(r'<nav aria-label="Mina enheter"[^>]*>(.*?)</nav>', html, re.DOTALL)
    assert tabs is not None
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', tabs.group(1)) == [
        (reverse("units_summary"), "Alla mina enheter"),  # issue 10
        (overview_url(world.home_care), "Hemtjänst Väst"),
        (overview_url(world.nursing_home), "Solbacken"),
    ]
    assert f'<a href="{overview_url(world.nursing_home)}" aria-current="page">' in tabs.group(1)


# --- each seed routine prescribes its own deadline (R-LIFE-1, R-ORG-3)


@pytest.mark.parametrize(
    ("unit_attr", "type_code", "deadline", "section_id"),
    [
        ("home_care", "hemtjanst-dusch", "2026-03-06", "soon-h"),  # S1: 14 days
        ("nursing_home", "sarskilt-boende", "2026-03-13", "later-h"),  # S0_S3 (inherited): 21
        ("housing_support", "boendestod", "2026-03-06", "soon-h"),  # S4: 14 days
    ],
)
def test_the_unit_overview_for_each_seed_routine_shows_the_deadline_that_routine_prescribes(
    world: World,
    frozen_today: date,
    unit_attr: str,
    type_code: str,
    deadline: str,
    section_id: str,
) -> None:
    unit: Unit = getattr(world, unit_attr)
    manager = make_user("erik", "Erik", "Chef")
    Membership.objects.create(user=manager, role=Role.UNIT_MANAGER, unit=unit)
    world.add_person(unit, start=date(2026, 2, 20), types=(type_code,))

    html = page(client_for("erik").get(overview_url(unit)))

    assert row_for(section(html, section_id), "Astrid Lind")[2:4] == ["2026-02-20", deadline]


def test_the_same_start_gives_a_later_deadline_at_the_nursing_home_than_in_home_care(
    world: World, frozen_today: date
) -> None:
    start = date(2026, 2, 20)
    world.add_person(world.home_care, start=start, serial=401, first_name="Hemma")
    world.add_person(world.nursing_home, start=start, serial=402, first_name="Boende")
    alice = client_for("alice")

    home = page(alice.get(overview_url(world.home_care)))
    nursing = page(alice.get(overview_url(world.nursing_home)))

    assert row_for(section(home, "soon-h"), "Hemma Lind")[3] == "2026-03-06"  # S1: 14 days
    assert row_for(section(nursing, "later-h"), "Boende Lind")[3] == "2026-03-13"  # S0_S3: 21
    assert names_in(section(nursing, "soon-h")) == []


# --- access (R-LIFE-8)


@pytest.mark.parametrize(
    ("username", "unit_attr"),
    [
        ("bob", "home_care"),  # staff, not unit manager
        ("charlie", "home_care"),  # staff of another unit
        ("dana", "home_care"),  # quality controller: no person access
        ("alice", "housing_support"),  # manages other units only
        ("charlie", "housing_support"),  # staff at that unit, not its manager
    ],
)
def test_it_404s_for_anyone_but_the_units_manager(
    world: World, frozen_today: date, username: str, unit_attr: str
) -> None:
    unit: Unit = getattr(world, unit_attr)
    world.add_person(unit, start=date(2026, 2, 20), types=("boendestod",))

    response = client_for(username).get(overview_url(unit))

    assert response.status_code == 404
    assert "Astrid" not in page(response)
    assert unit.name not in page(response)


def test_it_404s_for_a_unit_that_does_not_exist(world: World) -> None:
    missing = Unit.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    response = client_for("alice").get(reverse("unit_overview", args=[missing]))
    assert response.status_code == 404


def test_it_redirects_anonymous_users_to_the_login_page(world: World) -> None:
    url = overview_url(world.home_care)
    assert_redirects_to_login(Client().get(url), url)


# --- page quality and personal data in URLs (R-LIFE-8)


def test_its_links_carry_no_personnummer_or_name(world: World, frozen_today: date) -> None:
    cases = spread(world)
    html = page(client_for("alice").get(overview_url(world.home_care)))

    assert_no_personal_data_in_hrefs(html, [case.person for case in cases])


def test_its_page_is_swedish_with_one_h1(world: World, frozen_today: date) -> None:
    spread(world)
    response = client_for("alice").get(overview_url(world.home_care))

    assert_page_structure(page(response))
    assert response["Cache-Control"] == "no-store"


# --- constant query count (R-QA-1: "a fixed number of queries whatever the data size")


def add_persons(world: World, first: int, last: int) -> None:
    """Persons ``first..last-1`` spread over all sections, some with two interventions."""
    for n in range(first, last):
        types = ("hemtjanst-dusch", "hemtjanst-inkop") if n % 3 == 0 else ("hemtjanst-dusch",)
        case = world.add_person(
            world.home_care,
            start=date(2026, 3, 2) - timedelta(days=n % 20),
            types=types,
            contact=world.bob,
            serial=500 + n,
            first_name=f"Person{n:02d}",
        )
        if n % 2 == 0:
            contact_person_assign(
                case=case, user=world.alice, is_deputy=True, on=date(2026, 2, 1), by=world.alice
            )


def test_its_query_count_is_the_same_for_3_and_for_30_persons(
    world: World, frozen_today: date, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    alice = client_for("alice")
    url = overview_url(world.home_care)

    add_persons(world, 0, 3)
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as three:
        few = page(alice.get(url))
    add_persons(world, 3, 30)
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as thirty:
        many = page(alice.get(url))

    assert len(names_in(few)) == 3
    assert len(names_in(many)) == 30
    assert len(three.captured_queries) == len(thirty.captured_queries)


def test_a_fully_signed_plan_is_ready_to_establish_from_the_overview(
    world: World, frozen_today: date
) -> None:
    """Issue 10: the next step is named — "Klar att fastställa", with the button."""
    from delaktig.plans.models import VersionState
    from delaktig.plans.services import plan_start
    from tests.services.plan_helpers import ready, sign_everything

    signed_case = world.add_person(
        world.home_care, start=frozen_today, contact=world.bob, serial=123, first_name="Berit"
    )
    waiting_case = world.add_person(
        world.home_care, start=frozen_today, contact=world.bob, serial=124, first_name="Gösta"
    )
    signed = ready(world, plan_start(case=signed_case, by=world.bob, on=frozen_today), frozen_today)
    sign_everything(world, signed, frozen_today, "home_care")
    ready(world, plan_start(case=waiting_case, by=world.bob, on=frozen_today), frozen_today)
    client = client_for("alice")
    html = page(client.get(overview_url(world.home_care)))
    section = html[html.index('id="sign-h"') :]
    section = section[: section.index("</section>")]
    establish = reverse("plan_establish", args=[signed.plan.uuid])
    assert section.count("Klar att fastställa") == 1
    assert f'action="{establish}"' in section
    assert reverse("plan_signing", args=[waiting_case.plans.get().uuid]) in section
    assert client.post(establish).status_code == 302
    signed.refresh_from_db()
    assert signed.state == VersionState.ESTABLISHED
