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

from django.db.models import Q

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


def _reminders(today: date) -> Iterator[Reminder]:
    resolver = ProfileResolver()
    units = list(Unit.objects.select_related("administration__municipality"))
    managers: dict[int, list[int]] = {}
    for m in Membership.objects.filter(role=Role.UNIT_MANAGER, unit__isnull=False):
        managers.setdefault(m.unit_id, []).append(m.user_id)  # type: ignore[arg-type]
    for unit in units:
        try:
            profile = resolver.profile(unit, today)
        except NoRoutineProfile:
            logger.warning("Enhet %s saknar rutinprofil: inga påminnelser.", unit.pk)
            continue
        horizon = today + timedelta(days=profile.reminder_days_before)
        contacts: dict[int, list[int]] = {}
        for c in ContactAssignment.objects.filter(
            case__unit=unit, ended_on__isnull=True, case__closed_on__isnull=True
        ).only("case_id", "user_id"):
            contacts.setdefault(c.case_id, []).append(c.user_id)
        # Plans to establish: one reminder per case and deadline.
        deadlines: dict[int, date] = {}
        for case_id, deadline in (
            GrantedIntervention.objects.filter(
                unit=unit,
                plan_established_on__isnull=True,
                case__closed_on__isnull=True,
                plan_deadline__lte=horizon,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values_list("case_id", "plan_deadline")
        ):
            deadlines[case_id] = min(deadline, deadlines.get(case_id, deadline))
        for case_id, deadline in deadlines.items():
            if deadline >= today:
                stage = _stage(deadline, today)
                for user_id in contacts.get(case_id, []):
                    yield Reminder(
                        user_id,
                        case_id,
                        None,
                        TaskKind.PLAN_DUE,
                        f"plan_due:case:{case_id}:{deadline}:{stage}",
                        deadline,
                    )
            else:
                for user_id in managers.get(unit.pk, []):
                    yield Reminder(
                        user_id,
                        case_id,
                        None,
                        TaskKind.PLAN_OVERDUE,
                        f"plan_overdue:case:{case_id}:{deadline}",
                        deadline,
                    )
        # Follow-ups.
        for plan_id, case_id, due in Plan.objects.filter(
            unit=unit, next_follow_up_on__lte=horizon, case__closed_on__isnull=True
        ).values_list("pk", "case_id", "next_follow_up_on"):
            if due is None:  # pragma: no cover — filtered by the query
                continue
            if due >= today:
                stage = _stage(due, today)
                for user_id in contacts.get(case_id, []):
                    yield Reminder(
                        user_id,
                        case_id,
                        plan_id,
                        TaskKind.FOLLOW_UP_DUE,
                        f"follow_up_due:plan:{plan_id}:{due}:{stage}",
                        due,
                    )
            else:
                for user_id in managers.get(unit.pk, []):
                    yield Reminder(
                        user_id,
                        case_id,
                        plan_id,
                        TaskKind.FOLLOW_UP_OVERDUE,
                        f"follow_up_overdue:plan:{plan_id}:{due}",
                        due,
                    )


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
