"""Closing a case closes every plan version and makes an archive delivery (R-CASE-4, R-ARC-4).

The clock stands at 2026-03-02; Astrid's case has versions 1 (superseded),
2 (established) and 3 (a draft) — see ``helpers.case_with_history``.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from delaktig.archive.models import ArchiveDelivery, DeliveryStatus
from delaktig.archive.services import case_close
from delaktig.people.models import Case, GrantedIntervention
from delaktig.plans.models import Plan, PlanVersion, VersionState
from delaktig.plans.services import plan_start
from delaktig.records.audit import verify_chain
from delaktig.records.models import AuditEvent, JournalEntry, JournalKind
from tests.archive.helpers import (
    INTERVENTIONS_END,
    START,
    TODAY,
    case_with_history,
    end_interventions,
)
from tests.world import World


def snapshot(case: Case) -> dict[str, object]:
    """Everything closing may change, to show a refusal changed nothing."""
    case.refresh_from_db()
    return {
        "closed_on": case.closed_on,
        "states": list(
            PlanVersion.objects.filter(plan__case=case).order_by("pk").values_list("state", "pk")
        ),
        "follow_up": list(Plan.objects.filter(case=case).values_list("next_follow_up_on")),
        "ends": list(GrantedIntervention.objects.filter(case=case).values_list("end_date")),
        "journal": JournalEntry.objects.filter(case=case).count(),
        "deliveries": ArchiveDelivery.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_it_refuses_while_an_intervention_is_open_and_changes_nothing(world: World) -> None:
    case = case_with_history(world)
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        case_close(case=case, on=TODAY, by=world.alice)

    assert (
        "Insatsen Hemtjänst – dusch (från 2026-01-12) pågår fortfarande – den har inget slutdatum."
        in refused.value.messages
    )
    assert snapshot(case) == before
    assert before["closed_on"] is None


def test_it_refuses_an_intervention_that_ends_after_the_closing_day(world: World) -> None:
    case = case_with_history(world)
    end_interventions(case, date(2026, 3, 31))
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        case_close(case=case, on=TODAY, by=world.alice)

    assert "pågår till 2026-03-31" in messages(refused)
    assert snapshot(case) == before


def test_it_closes_every_version_whatever_its_state_and_creates_a_pending_delivery(
    world: World,
) -> None:
    case = case_with_history(world)
    end_interventions(case)
    before = {
        v.number: v.state for v in PlanVersion.objects.filter(plan__case=case).order_by("number")
    }

    delivery = case_close(case=case, on=TODAY, by=world.alice)

    assert before == {
        1: VersionState.SUPERSEDED,
        2: VersionState.ESTABLISHED,
        3: VersionState.DRAFT,
    }
    case.refresh_from_db()
    assert case.closed_on == TODAY
    assert set(PlanVersion.objects.filter(plan__case=case).values_list("state", flat=True)) == {
        VersionState.CLOSED
    }
    assert list(Plan.objects.filter(case=case).values_list("next_follow_up_on", flat=True)) == [
        None
    ]
    assert delivery is not None
    assert delivery.status == DeliveryStatus.PENDING
    assert (delivery.case_id, delivery.unit_id, delivery.municipality_id) == (
        case.pk,
        world.home_care.pk,
        world.municipality.pk,
    )
    assert delivery.closed_on == TODAY
    assert [(v["number"], v["state"]) for v in delivery.versions] == [
        (1, "superseded"),
        (2, "established"),
        (3, "draft"),
    ]
    assert delivery.version_ids == list(
        PlanVersion.objects.filter(plan__case=case).order_by("number").values_list("pk", flat=True)
    )


def test_it_writes_a_journal_note_and_audit_events(world: World) -> None:
    case = case_with_history(world)
    end_interventions(case)

    delivery = case_close(case=case, on=TODAY, by=world.alice)

    note = JournalEntry.objects.filter(case=case, kind=JournalKind.NOTE).get()
    assert note.text == (
        "Ärendet avslutat 2026-03-02. 1 genomförandeplan med 3 versioner skickas till "
        "Omsorg för arkivering i personakten."
    )
    assert (note.happened_on, note.author_id, note.plan_version_id) == (TODAY, world.alice.pk, None)
    closed = AuditEvent.objects.get(action="case.closed")
    assert (closed.object_type, closed.object_id, closed.actor_id) == (
        "people.case",
        str(case.pk),
        world.alice.pk,
    )
    assert closed.data["on"] == "2026-03-02"
    assert closed.data["ended_interventions"] == []
    assert delivery is not None
    created = AuditEvent.objects.get(action="archive.delivery_created")
    assert created.object_id == str(delivery.pk)
    assert created.data == {"case": case.pk, "versions": delivery.version_ids}
    assert verify_chain().ok


def test_it_can_end_the_open_interventions_on_the_closing_day(world: World) -> None:
    case = case_with_history(world)

    delivery = case_close(case=case, on=TODAY, by=world.alice, end_open_interventions=True)

    assert delivery is not None
    assert list(
        GrantedIntervention.objects.filter(case=case).values_list("end_date", flat=True)
    ) == [TODAY]
    assert AuditEvent.objects.get(action="case.closed").data["ended_interventions"] == list(
        GrantedIntervention.objects.filter(case=case).values_list("pk", flat=True)
    )


def test_ending_open_interventions_still_refuses_one_that_has_not_started(world: World) -> None:
    case = world.add_person(world.home_care, start=date(2026, 3, 10), contact=world.bob)
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        case_close(case=case, on=TODAY, by=world.alice, end_open_interventions=True)

    assert "börjar först 2026-03-10 och kan inte avslutas 2026-03-02" in messages(refused)
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 3), "Avslutsdatum kan inte ligga i framtiden."),
        (date(2026, 1, 11), "före den dag det öppnades (2026-01-12)"),
        (date(2026, 1, 30), "före den senaste händelsen i genomförandeplanen (2026-02-02)"),
    ],
)
def test_it_refuses_a_closing_day_that_cannot_be(world: World, on: date, expected: str) -> None:
    case = case_with_history(world)
    end_interventions(case, START)
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        case_close(case=case, on=on, by=world.alice)

    assert expected in messages(refused)
    assert snapshot(case) == before


def test_a_case_is_closed_once(world: World) -> None:
    case = case_with_history(world)
    end_interventions(case)
    case_close(case=case, on=TODAY, by=world.alice)
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        case_close(case=case, on=TODAY, by=world.alice)

    assert "Ärendet avslutades redan 2026-03-02." in refused.value.messages
    assert snapshot(case) == before


@pytest.mark.parametrize("username", ["bob", "charlie", "dana"])
def test_only_the_units_manager_may_close_the_case(world: World, username: str) -> None:
    case = case_with_history(world)
    end_interventions(case)
    before = snapshot(case)

    with pytest.raises(ValidationError) as refused:
        case_close(case=case, on=TODAY, by=getattr(world, username))

    assert "Bara enhetschefen kan avsluta ärendet." in refused.value.messages
    assert snapshot(case) == before


def test_a_case_without_a_plan_closes_without_a_delivery(world: World) -> None:
    case = world.add_person(world.home_care, start=START, contact=world.bob)
    end_interventions(case)

    assert case_close(case=case, on=TODAY, by=world.alice) is None

    case.refresh_from_db()
    assert case.closed_on == TODAY
    assert not ArchiveDelivery.objects.exists()
    assert JournalEntry.objects.get(case=case).text == (
        "Ärendet avslutat 2026-03-02. Ärendet har ingen genomförandeplan att skicka till arkivet."
    )


def test_every_plan_of_the_case_is_delivered(world: World) -> None:
    case = world.add_person(world.home_care, start=START, contact=world.bob)
    plan_start(case=case, by=world.bob, on=START)
    plan_start(case=case, by=world.bob, on=START)
    end_interventions(case, INTERVENTIONS_END)

    delivery = case_close(case=case, on=TODAY, by=world.alice)

    assert delivery is not None
    assert len({v["plan"] for v in delivery.versions}) == 2
    note = JournalEntry.objects.get(case=case, kind=JournalKind.NOTE)
    assert "2 genomförandeplaner med 2 versioner" in note.text


def test_a_closed_case_and_its_versions_leave_the_staff_lists(world: World) -> None:
    """Closed cases leave "my persons" and the person pages: the file is in the archive."""
    case = case_with_history(world)
    end_interventions(case)
    case_close(case=case, on=TODAY, by=world.alice)

    assert not Case.objects.visible_to(world.bob).filter(pk=case.pk).exists()
    assert not Case.objects.open().filter(pk=case.pk).exists()
