""" "Mina personer": the contact person's own list and tasks (R-LIFE-1, R-LIFE-2).

The persons where the user is contact person or deputy, with the next plan
deadline, and the open tasks ("Kontakta den enskilde"). Links address persons
by UUID only (R-LIFE-8). The clock is frozen at Monday 2026-03-02.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from delaktig.oversight.models import Task
from delaktig.people.models import Case, ContactAssignment, GrantedIntervention
from delaktig.people.services import contact_person_assign
from delaktig.plans.models import Plan
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_no_personal_data_in_hrefs,
    assert_page_structure,
    assert_redirects_to_login,
    names_in,
    page,
    row_for,
    section,
    table_rows,
    text,
)
from tests.world import World

URL = "/mina-personer/"
# Measured: session, user, assignments (with case, person, unit), awaiting interventions
# (prefetch), established plans (prefetch), versions waiting for signatures and their
# signatures (two prefetches, for the next step), navigation units, open tasks.
MY_PERSONS_QUERIES = 10  # 9 reads and the access log of the persons shown


def tasks_section(html: str) -> str:
    return section(html, "tasks-h")


def test_it_lists_the_persons_the_user_is_contact_person_for_with_the_next_deadline(
    world: World, frozen_today: date
) -> None:
    add = world.add_person
    # S1: 14 days. Deadline 2026-02-24 (late) and 2026-03-06 (ahead).
    add(world.home_care, start=date(2026, 2, 10), contact=world.bob, serial=101, last_name="Berg")
    add(world.home_care, start=date(2026, 2, 20), contact=world.bob, serial=102, last_name="Dahl")

    html = page(client_for("bob").get(URL))

    assert "<h1>Mina personer</h1>" in html
    assert row_for(html, "Astrid Berg") == [
        "Astrid Berg",
        "Hemtjänst Väst",
        "Kontaktman",
        "Försenad skulle vara klar 24 februari 2026 (1 insats utan plan)",
        "Planen är försenad – skulle vara klar 2026-02-24",
    ]
    assert row_for(html, "Astrid Dahl")[3] == (
        "Ska upprättas senast 6 mars 2026 (1 insats utan plan)"
    )


def test_it_counts_the_interventions_still_without_a_plan(world: World, frozen_today: date) -> None:
    world.add_person(
        world.home_care,
        start=date(2026, 2, 20),
        types=("hemtjanst-dusch", "hemtjanst-inkop"),
        contact=world.bob,
    )
    html = page(client_for("bob").get(URL))

    assert row_for(html, "Astrid Lind")[3].endswith("(2 insatser utan plan)")


def test_it_shows_the_deputy_role(world: World, frozen_today: date) -> None:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.alice)
    contact_person_assign(
        case=case, user=world.bob, is_deputy=True, on=date(2026, 2, 20), by=world.alice
    )
    html = page(client_for("bob").get(URL))

    assert row_for(html, "Astrid Lind")[2] == "Vice kontaktman"


def test_it_shows_an_established_plan_and_when_it_is_to_be_followed_up(
    world: World, frozen_today: date
) -> None:
    add = world.add_person
    on_time = add(world.home_care, start=date(2025, 9, 1), contact=world.bob, serial=101)
    overdue = add(
        world.home_care, start=date(2025, 8, 1), contact=world.bob, serial=102, last_name="Ahl"
    )
    for case, established, follow_up in (
        (on_time, date(2025, 9, 10), date(2026, 3, 10)),
        (overdue, date(2025, 8, 10), date(2026, 2, 10)),
    ):
        GrantedIntervention.objects.filter(case=case).update(plan_established_on=established)
        Plan.objects.create(
            case=case,
            unit=world.home_care,
            municipality=world.municipality,
            established_on=established,
            next_follow_up_on=follow_up,
        )

    html = page(client_for("bob").get(URL))

    assert row_for(html, "Astrid Lind")[3] == (
        "Fastställd 10 september 2025, följs upp senast 10 mars 2026"
    )
    assert row_for(html, "Astrid Ahl")[3] == (
        "Fastställd 10 augusti 2025, Uppföljning försenad skulle följas upp 10 februari 2026"
    )


def test_it_leaves_out_closed_cases_and_ended_assignments(world: World, frozen_today: date) -> None:
    add = world.add_person
    start = date(2026, 2, 20)
    add(world.home_care, start=start, contact=world.bob, serial=101, last_name="Kvar")
    closed = add(world.home_care, start=start, contact=world.bob, serial=102, last_name="Stängd")
    ended = add(world.home_care, start=start, contact=world.bob, serial=103, last_name="Byttes")
    Case.objects.filter(pk=closed.pk).update(closed_on=date(2026, 3, 1))
    ContactAssignment.objects.filter(case=ended).update(ended_on=date(2026, 3, 1))

    html = page(client_for("bob").get(URL))

    assert [row[0] for row in table_rows(html)] == ["Astrid Kvar"]


def test_it_lists_the_users_open_tasks_with_their_due_date(
    world: World, frozen_today: date
) -> None:
    add = world.add_person
    # The task to contact the person is due two days after the assignment.
    add(world.home_care, start=date(2026, 2, 20), contact=world.bob, serial=101, last_name="Ahl")
    add(world.home_care, start=date(2026, 3, 2), contact=world.bob, serial=102, last_name="Berg")
    done = add(world.home_care, start=date(2026, 3, 1), contact=world.bob, serial=103)
    Task.objects.filter(case=done).update(done_at=timezone.now())

    tasks = tasks_section(page(client_for("bob").get(URL)))

    assert names_in(tasks) == ["Astrid Ahl", "Astrid Berg"]
    items = [text(li) for li in re.findall(r"<li>(.*?)</li>", tasks, re.DOTALL)]
    assert items[0].startswith(
        "Kontakta den enskilde: Astrid Ahl – senast 22 februari 2026 Försenad"
    )
    assert items[1].startswith("Kontakta den enskilde: Astrid Berg – senast 4 mars 2026 Klar")
    task = Task.objects.get(case__person__last_name="Ahl")
    assert f'action="{reverse("task_done", args=[task.pk])}"' in tasks


def test_it_shows_no_one_elses_persons_or_tasks(world: World, frozen_today: date) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    world.add_person(
        world.housing_support,
        start=date(2026, 2, 20),
        types=("boendestod",),
        contact=world.charlie,
        serial=101,
        first_name="Sven",
        last_name="Öst",
    )

    bob = page(client_for("bob").get(URL))
    charlie = page(client_for("charlie").get(URL))

    assert names_in(bob) == ["Astrid Lind", "Astrid Lind"]  # the task and the table row
    assert "Sven" not in bob
    assert names_in(charlie) == ["Sven Öst", "Sven Öst"]
    assert "Astrid" not in charlie


def test_it_tells_a_user_without_persons_so(world: World, frozen_today: date) -> None:
    html = page(client_for("dana").get(URL))

    assert "Du är inte kontaktman för någon just nu." in html
    assert 'id="tasks-h"' not in html


def test_it_drops_the_tasks_of_a_closed_case(world: World, frozen_today: date) -> None:
    case = world.add_person(world.home_care, start=date(2026, 3, 1), contact=world.bob)
    Case.objects.filter(pk=case.pk).update(closed_on=date(2026, 3, 2))

    html = page(client_for("bob").get(URL))

    assert "Astrid Lind" not in html


def test_it_redirects_anonymous_users_to_the_login_page(world: World) -> None:
    assert_redirects_to_login(Client().get(URL), URL)


def test_its_links_carry_no_personnummer_or_name(world: World, frozen_today: date) -> None:
    cases = [
        world.add_person(
            world.home_care, start=date(2026, 2, 20), contact=world.bob, serial=101 + n
        )
        for n in range(3)
    ]
    html = page(client_for("bob").get(URL))

    assert_no_personal_data_in_hrefs(html, [case.person for case in cases])


def test_its_page_is_swedish_with_one_h1(world: World, frozen_today: date) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    response = client_for("bob").get(URL)

    assert_page_structure(page(response))
    assert response["Cache-Control"] == "no-store"


# --- constant query count


def add_persons(world: World, first: int, last: int) -> None:
    """Bob's persons ``first..last-1``: some late, some with an established plan."""
    for n in range(first, last):
        case = world.add_person(
            world.home_care,
            start=date(2026, 3, 2) - timedelta(days=n % 20),
            types=("hemtjanst-dusch", "hemtjanst-inkop") if n % 3 == 0 else ("hemtjanst-dusch",),
            contact=world.bob,
            serial=700 + n,
            first_name=f"Person{n:02d}",
        )
        if n % 4 == 1:
            Plan.objects.create(
                case=case,
                unit=world.home_care,
                municipality=world.municipality,
                established_on=date(2026, 2, 25),
                next_follow_up_on=date(2026, 8, 25),
            )


def test_its_query_count_is_the_same_for_3_and_for_30_persons(
    world: World, frozen_today: date, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    bob = client_for("bob")

    add_persons(world, 0, 3)
    with django_assert_max_num_queries(MY_PERSONS_QUERIES) as three:
        few = page(bob.get(URL))
    add_persons(world, 3, 30)
    with django_assert_max_num_queries(MY_PERSONS_QUERIES) as thirty:
        many = page(bob.get(URL))

    assert len(table_rows(few)) == 3
    assert len(table_rows(many)) == 30
    assert len(names_in(tasks_section(many))) == 30
    assert len(three.captured_queries) == len(thirty.captured_queries)


def test_the_next_step_is_said_in_plain_words_most_urgent_first(
    world: World, frozen_today: date
) -> None:
    """Issue 10: late first, then "Din signatur saknas" / "Klar att fastställa", then the rest."""
    from delaktig.plans.services import plan_start
    from tests.services.plan_helpers import ready, sign_everything

    add = world.add_person
    later = add(
        world.home_care, start=date(2026, 2, 27), contact=world.bob, serial=101, last_name="Ahl"
    )
    sign = add(
        world.home_care, start=date(2026, 2, 27), contact=world.bob, serial=102, last_name="Berg"
    )
    signed = add(
        world.home_care, start=date(2026, 2, 27), contact=world.bob, serial=103, last_name="Ceder"
    )
    add(world.home_care, start=date(2026, 2, 10), contact=world.bob, serial=104, last_name="Dahl")
    ready(world, plan_start(case=sign, by=world.bob, on=frozen_today), frozen_today)
    version = ready(world, plan_start(case=signed, by=world.bob, on=frozen_today), frozen_today)
    sign_everything(world, version, frozen_today, "home_care")
    assert later  # its plan is to be written, not late

    rows = table_rows(page(client_for("bob").get(URL)))
    assert [(row[0], row[4]) for row in rows] == [
        ("Astrid Dahl", "Planen är försenad – skulle vara klar 2026-02-24"),
        ("Astrid Berg", "Din signatur saknas"),
        ("Astrid Ceder", "Klar att fastställa"),
        ("Astrid Ahl", "Skriv planen senast 2026-03-13"),
    ]
