"""Reminders before, on and after due dates (R-FU-1, R-LIFE-1), as inbox tasks.

Idempotent: each reminder has a key (what, which object, which due date, which
stage), and a user gets one task per key — running it twice sends nothing twice.
Before and on the due date the contact person and deputy are reminded; when it
has passed, the unit manager.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from delaktig.organisation.models import Membership, Role, Unit
from delaktig.organisation.services import NoRoutineProfile, ProfileResolver
from delaktig.people.models import ContactAssignment, GrantedIntervention
from delaktig.plans.models import Plan

from .models import Task, TaskKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    user_id: int
    case_id: int
    plan_id: int | None
    kind: TaskKind
    key: str
    due_on: date


def _stage(due: date, today: date) -> str:
    return "due" if today == due else "before"


def _horizons(today: date) -> dict[int, date]:
    """Per unit with a routine: the last due date its reminders look ahead to."""
    resolver = ProfileResolver()
    horizons = {}
    for unit in Unit.objects.select_related("administration__municipality"):
        try:
            profile = resolver.profile(unit, today)
        except NoRoutineProfile:
            logger.warning("Enhet %s saknar rutinprofil: inga påminnelser.", unit.pk)
            continue
        horizons[unit.pk] = today + timedelta(days=profile.reminder_days_before)
    return horizons


def _reminders(today: date) -> Iterator[Reminder]:
    """Three queries over all units (not per unit), then each unit's own horizon."""
    horizons = _horizons(today)
    if not horizons:
        return
    furthest = max(horizons.values())
    managers: dict[int, list[int]] = {}
    for unit_id, user_id in Membership.objects.filter(
        role=Role.UNIT_MANAGER, unit_id__in=horizons
    ).values_list("unit_id", "user_id"):
        managers.setdefault(unit_id, []).append(user_id)
    contacts: dict[int, list[int]] = {}
    for case_id, user_id in (
        ContactAssignment.objects.current()
        .filter(case__unit_id__in=horizons, case__closed_on__isnull=True)
        .values_list("case_id", "user_id")
    ):
        contacts.setdefault(case_id, []).append(user_id)

    def remind(
        unit_id: int, case_id: int, plan_id: int | None, due: date, what: str, subject: str
    ) -> Iterator[Reminder]:
        """Before and on ``due``: the contact persons; after it: the unit managers."""
        if due > horizons[unit_id]:
            return
        if due >= today:
            kind = TaskKind.PLAN_DUE if what == "plan" else TaskKind.FOLLOW_UP_DUE
            key = f"{kind.value}:{subject}:{due}:{_stage(due, today)}"
            users = contacts.get(case_id, [])
        else:
            kind = TaskKind.PLAN_OVERDUE if what == "plan" else TaskKind.FOLLOW_UP_OVERDUE
            key = f"{kind.value}:{subject}:{due}"
            users = managers.get(unit_id, [])
        for user_id in users:
            yield Reminder(user_id, case_id, plan_id, kind, key, due)

    # Plans to establish: one reminder per case, for its earliest deadline.
    deadlines: dict[int, tuple[int, date]] = {}
    for unit_id, case_id, deadline in (
        GrantedIntervention.objects.filter(
            unit_id__in=horizons,
            plan_established_on__isnull=True,
            case__closed_on__isnull=True,
            plan_deadline__lte=furthest,
        )
        .active(on=today)
        .values_list("unit_id", "case_id", "plan_deadline")
    ):
        if case_id not in deadlines or deadline < deadlines[case_id][1]:
            deadlines[case_id] = (unit_id, deadline)
    for case_id, (unit_id, deadline) in deadlines.items():
        yield from remind(unit_id, case_id, None, deadline, "plan", f"case:{case_id}")
    # Follow-ups of plans in force.
    for plan_id, unit_id, case_id, due in Plan.objects.filter(
        unit_id__in=horizons, next_follow_up_on__lte=furthest, case__closed_on__isnull=True
    ).values_list("pk", "unit_id", "case_id", "next_follow_up_on"):
        if due is not None:
            yield from remind(unit_id, case_id, plan_id, due, "follow_up", f"plan:{plan_id}")


def pending_reminders(today: date) -> list[Reminder]:
    """Reminders due today that have not been sent (no task with that key for that user)."""
    wanted = list(_reminders(today))
    sent = set(Task.objects.filter(key__in={r.key for r in wanted}).values_list("user_id", "key"))
    return [r for r in wanted if (r.user_id, r.key) not in sent]


def send_reminders(today: date) -> list[Reminder]:
    """Create the inbox tasks for today's reminders; returns what was sent."""
    from delaktig.people.models import Case

    todo = pending_reminders(today)
    municipality = dict(
        Case.objects.filter(pk__in={r.case_id for r in todo}).values_list("pk", "municipality_id")
    )
    Task.objects.bulk_create(
        [
            Task(
                municipality_id=municipality[r.case_id],
                user_id=r.user_id,
                case_id=r.case_id,
                plan_id=r.plan_id,
                kind=r.kind,
                key=r.key,
                due_on=r.due_on,
            )
            for r in todo
        ],
        ignore_conflicts=True,  # a concurrent run: the unique key keeps it single
    )
    return todo


__all__ = ["Reminder", "pending_reminders", "send_reminders"]
