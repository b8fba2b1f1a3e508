"""Person files for the disposal tests, written through the services at past dates.

Every file is built with the clock moved back (``time_machine``), so the rows'
own timestamps (``created_at``, ``recorded_at``, journal ``at``) lie in the
past too — as they would for a file really closed years ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import time_machine
from django.db import connection

from delaktig import rules
from delaktig.organisation.services import effective_profile
from delaktig.oversight.models import Notification, SchedulerNotice, Task
from delaktig.people.models import (
    Case,
    ContactAssignment,
    Decision,
    GrantedIntervention,
    Person,
    Relative,
    RelativeKind,
)
from delaktig.people.services import (
    InterventionInput,
    contact_person_assign,
    decision_register,
    person_create,
)
from delaktig.plans.followups import FollowUpInput, follow_up_record, plan_goals
from delaktig.plans.models import (
    ChangeApproval,
    CorrectedDate,
    DateCorrection,
    FollowUp,
    Handover,
    HslConfirmation,
    Plan,
    PlanVersion,
    Signature,
)
from delaktig.plans.services import (
    date_correct,
    handover_record,
    hsl_hits,
    plan_send_for_signing,
    plan_start,
)
from delaktig.records.models import AccessAction, AccessLog, JournalEntry
from delaktig.records.services import access_log_record
from tests.services.plan_helpers import establish_on, fill, sign_everything
from tests.world import World

TODAY = date(2026, 3, 2)


@dataclass
class File:
    person: Person
    case: Case

    @property
    def name(self) -> str:
        return self.person.name


def open_file(
    world: World,
    *,
    personnummer: str,
    first_name: str,
    last_name: str = "Lind",
    start: date,
    unit_attr: str = "home_care",
    full: bool = True,
    types: tuple[str, ...] = ("hemtjanst-dusch",),
) -> File:
    """A person file at ``unit_attr`` opened on ``start``; ``full``: a whole year of work."""
    unit = getattr(world, unit_attr)
    contact = world.bob if unit_attr == "home_care" else world.alice
    with time_machine.travel(start, tick=False):
        case = person_create(
            unit=unit,
            personnummer=personnummer,
            first_name=first_name,
            last_name=last_name,
            phone="070-123 45 67",
            address="Storgatan 1",
            opened_on=start,
            by=world.alice,
        )
        decision_register(
            case=case,
            decided_on=start,
            goals="Att kunna bo kvar hemma.",
            interventions=[InterventionInput(type=world.types[t], start_date=start) for t in types],
            by=world.alice,
        )
        contact_person_assign(case=case, user=contact, on=start, by=world.alice)
        if full:
            Relative.objects.create(
                person=case.person,
                municipality_id=case.municipality_id,
                name=f"Syster {last_name}",
                kind=RelativeKind.RELATIVE,
                phone="070-765 43 21",
            )
            version = plan_start(case=case, by=contact, on=start)
            # Text with a health-care word, confirmed when sent (R-PLAN-11, issue 9).
            fill(version)
            version.content["other_information"] = "Insulinet sköts av distriktssköterskan."
            version.save()
            hits = hsl_hits(version.content, effective_profile(unit, start))
            plan_send_for_signing(
                version=version, by=contact, on=start, hsl_confirmed={h.key for h in hits}
            )
            sign_everything(world, version, start, unit_attr)
            establish_on(version=version, on=start, by=contact)
            handover_record(
                version=version,
                gone_through_on=start,
                communicated_on=start,
                how="Vid ett hembesök",
                by=contact,
            )
            access_log_record(
                user=contact, person=case.person, action=AccessAction.VIEW_PERSON, case=case
            )
    if full:
        held = start + timedelta(days=150)
        with time_machine.travel(held, tick=False):
            plan = Plan.objects.get(case=case)
            established = plan.established_version
            assert established is not None
            follow_up = follow_up_record(
                plan=plan,
                data=FollowUpInput(
                    held_on=held,
                    how="Samtal",
                    participants=[
                        {"name": "Deltagare 0", "role": "person"},
                        {"name": "Deltagare 1", "role": "staff"},
                        {"name": "Deltagare 2", "role": "relative"},
                    ],
                    person_view="Nöjd.",
                    carried_out_as_decided="Ja.",
                    situation="Behöver mer stöd.",
                    goal_outcomes=[{**g, "outcome": "achieved"} for g in plan_goals(established)],
                    outcome=rules.FollowUpOutcome.CHANGE,
                    need_change=rules.NeedChange.INCREASED,
                    disclosure_reviewed=True,
                    master_data_checked=True,
                ),
                by=contact,
            ).follow_up
            # A corrected date: a row of the file in a table of its own (issue 9).
            date_correct(
                field=CorrectedDate.HELD_ON,
                new_value=held - timedelta(days=1),
                reason="Mötet hölls dagen innan.",
                by=contact,
                follow_up=follow_up,
            )
    return File(person=case.person, case=case)


def close(file: File, on: date) -> None:
    """Close every case of the file on ``on`` (the archive app owns the real closing)."""
    with time_machine.travel(on, tick=False):
        Case.objects.filter(person=file.person, closed_on__isnull=True).update(closed_on=on)


def pnr(year: int, month: int, day: int, *, samordning: bool = False, serial: int = 982) -> str:
    return rules.generate_personnummer(date(year, month, day), serial, samordning=samordning)


# Every table that holds a part of a person file, and how its rows find the person.
# Written out here, independently of delaktig.disposal.contents, on purpose.
FILE_TABLES: dict[str, tuple[Any, str]] = {
    "person": (Person, "pk"),
    "relative": (Relative, "person_id"),
    "case": (Case, "person_id"),
    "contact_assignment": (ContactAssignment, "case__person_id"),
    "decision": (Decision, "case__person_id"),
    "intervention": (GrantedIntervention, "case__person_id"),
    "plan": (Plan, "case__person_id"),
    "plan_version": (PlanVersion, "plan__case__person_id"),
    "plan_version_link": (PlanVersion.interventions.through, "planversion__plan__case__person_id"),
    "signature": (Signature, "version__plan__case__person_id"),
    "handover": (Handover, "version__plan__case__person_id"),
    "hsl_confirmation": (HslConfirmation, "version__plan__case__person_id"),
    "change_approval": (ChangeApproval, "version__plan__case__person_id"),
    "date_correction": (DateCorrection, "version__plan__case__person_id"),
    "follow_up": (FollowUp, "plan__case__person_id"),
    "journal_entry": (JournalEntry, "case__person_id"),
    "task": (Task, "case__person_id"),
    "scheduler_notice": (SchedulerNotice, "case__person_id"),
    "notification": (Notification, "case__person_id"),
    "access_log": (AccessLog, "person_id"),
}


def footprint(person_id: int) -> dict[str, list[int]]:
    """The ids of the person's rows in every file table."""
    return {
        name: sorted(model._base_manager.filter(**{path: person_id}).values_list("pk", flat=True))
        for name, (model, path) in FILE_TABLES.items()
    }


def table_counts() -> dict[str, int]:
    """Rows in every table of the database (for "nothing changed" checks)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def foreign_keys_ok() -> None:
    """Every foreign key points at a row (checked now, not at the never-reached commit)."""
    connection.check_constraints()
