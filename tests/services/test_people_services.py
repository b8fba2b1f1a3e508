"""Persons, cases, contact persons and decisions (R-CASE-1..3, R-LIFE-1, R-LIFE-2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from delaktig.oversight.models import Task, TaskKind
from delaktig.people.models import Case, ContactAssignment, Decision, GrantedIntervention, Person
from delaktig.people.services import (
    InterventionInput,
    case_open,
    contact_person_assign,
    decision_register,
    person_create,
)
from delaktig.records.models import AuditEvent
from tests.world import World, pnr

START = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("unit_attr", "days"),
    [("home_care", 14), ("nursing_home", 21), ("housing_support", 14)],
    ids=["S1-14-dagar", "S0_S3-tre-veckor", "S4-14-dagar"],
)
def test_each_intervention_gets_the_deadline_its_routine_prescribes(
    world: World, unit_attr: str, days: int
) -> None:
    """R-LIFE-1: each intervention start opens the unit's deadline."""
    case = world.add_person(getattr(world, unit_attr), start=START)
    item = GrantedIntervention.objects.get(case=case)
    assert item.plan_deadline == START + timedelta(days=days)
    assert item.plan_established_on is None


def test_a_bad_personnummer_is_refused_in_swedish_and_nothing_is_saved(world: World) -> None:
    good = pnr(1940, 3, 21)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as info:
        person_create(
            unit=world.home_care,
            personnummer=bad,
            first_name="Astrid",
            last_name="Lind",
            opened_on=START,
            by=world.alice,
        )
    assert "kontrollsiffra" in str(info.value).lower()
    assert not Person.objects.exists()
    assert not Case.objects.exists()


def test_short_forms_are_stored_in_the_canonical_form(world: World) -> None:
    canonical = pnr(1940, 3, 21)  # ÅÅÅÅMMDD-NNNN
    short = canonical[2:]  # ÅÅMMDD-NNNN
    case = person_create(
        unit=world.home_care,
        personnummer=short,
        first_name="Astrid",
        last_name="Lind",
        opened_on=START,
        by=world.alice,
    )
    assert case.person.personnummer == canonical


def test_a_samordningsnummer_is_accepted(world: World) -> None:
    from delaktig import rules

    value = rules.generate_personnummer(date(1990, 5, 14), 982, samordning=True)
    case = person_create(
        unit=world.home_care,
        personnummer=value,
        first_name="Amir",
        last_name="Said",
        opened_on=START,
        by=world.alice,
    )
    assert case.person.personnummer[6:8] == "74"  # day 14 + 60


def test_the_same_person_at_a_second_unit_is_one_person_with_two_cases(world: World) -> None:
    first = world.add_person(world.home_care, start=START)
    second = person_create(
        unit=world.nursing_home,
        personnummer=first.person.personnummer,
        first_name="Astrid",
        last_name="Lind",
        opened_on=START,
        by=world.alice,
    )
    assert second.person_id == first.person_id
    assert Person.objects.count() == 1
    with pytest.raises(ValidationError, match="redan ett öppet ärende"):
        case_open(person=first.person, unit=world.home_care, opened_on=START, by=world.alice)


def test_a_decision_with_dates_out_of_order_saves_nothing(world: World) -> None:
    case = world.add_person(world.home_care, start=START)
    before = Decision.objects.count(), GrantedIntervention.objects.count()
    with pytest.raises(ValidationError) as info:
        decision_register(
            case=case,
            decided_on=START,
            interventions=[
                InterventionInput(type=world.types["hemtjanst-dusch"], start_date=START),
                InterventionInput(
                    type=world.types["hemtjanst-inkop"],
                    start_date=START,
                    end_date=START - timedelta(days=1),
                ),
            ],
            by=world.alice,
        )
    assert "Insats 2: slutdatum kan inte vara före startdatum." in info.value.messages
    assert (Decision.objects.count(), GrantedIntervention.objects.count()) == before


def test_a_decision_needs_an_intervention_and_an_open_case(world: World) -> None:
    case = world.add_person(world.home_care, start=START)
    with pytest.raises(ValidationError, match="minst en beviljad insats"):
        decision_register(case=case, decided_on=START, interventions=[], by=world.alice)
    Case.objects.filter(pk=case.pk).update(closed_on=START)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="avslutat"):
        decision_register(
            case=case,
            decided_on=START,
            interventions=[
                InterventionInput(type=world.types["hemtjanst-dusch"], start_date=START)
            ],
            by=world.alice,
        )


def test_a_new_contact_person_gets_a_task_to_contact_the_person(world: World) -> None:
    """R-LIFE-2: "Kontaktman ska omgående kontakta ny brukare" (S1)."""
    case = world.add_person(world.home_care, start=START)
    contact_person_assign(case=case, user=world.bob, on=START, by=world.alice)
    task = Task.objects.get(user=world.bob, case=case)
    assert task.kind == TaskKind.CONTACT_PERSON
    assert task.due_on == START + timedelta(days=2)
    assert task.done_at is None
    assert AuditEvent.objects.filter(action="contact_person.assigned").count() == 1


def test_a_new_contact_person_replaces_the_previous_one(world: World) -> None:
    from delaktig.organisation.models import Membership, Role
    from tests.world import make_user

    eve = make_user("eve")
    Membership.objects.create(user=eve, role=Role.STAFF, unit=world.home_care)
    case = world.add_person(world.home_care, start=START, contact=world.bob)
    later = START + timedelta(days=30)
    contact_person_assign(case=case, user=eve, on=later, by=world.alice)
    rows = ContactAssignment.objects.filter(case=case, is_deputy=False).order_by("pk")
    assert [(r.user_id, r.ended_on) for r in rows] == [(world.bob.pk, later), (eve.pk, None)]
    # Assigning the current contact person again changes nothing.
    again = contact_person_assign(case=case, user=eve, on=later, by=world.alice)
    assert again.pk == rows.last().pk  # type: ignore[union-attr]
    assert Task.objects.filter(user=eve).count() == 1


def test_a_contact_person_must_work_at_the_unit(world: World) -> None:
    case = world.add_person(world.home_care, start=START)
    with pytest.raises(ValidationError, match="arbeta på enheten"):
        contact_person_assign(case=case, user=world.charlie, on=START, by=world.alice)
    assert not ContactAssignment.objects.filter(case=case).exists()
