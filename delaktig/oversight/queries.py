"""Read models for the overview pages (R-QA-1, R-LIFE-1).

Every list here is a fixed number of queries whatever the data size: rows come
from index range scans on stored dates, related rows by select_related or one
prefetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from delaktig import rules
from delaktig.core.types import User
from delaktig.organisation.models import Unit
from delaktig.organisation.services import ProfileResolver
from delaktig.people.models import Case, ContactAssignment, GrantedIntervention
from delaktig.plans.models import Plan


def _current_contacts() -> Prefetch[str]:
    return Prefetch(
        "case__contact_assignments",
        queryset=ContactAssignment.objects.filter(ended_on__isnull=True).select_related("user"),
        to_attr="current_contacts",
    )


def awaiting_plan(unit_ids: list[int], today: date) -> QuerySet[GrantedIntervention]:
    """Active interventions of open cases that have no established plan yet."""
    return (
        GrantedIntervention.objects.filter(
            unit_id__in=unit_ids,
            plan_established_on__isnull=True,
            case__closed_on__isnull=True,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("case__person", "type", "unit")
        .order_by("plan_deadline", "pk")
    )


@dataclass
class AwaitingRow:
    """One person's case with the interventions still waiting for an established plan."""

    case: Case
    interventions: list[GrantedIntervention]

    @property
    def deadline(self) -> date:
        return min(i.plan_deadline for i in self.interventions)

    @property
    def main_contact(self) -> ContactAssignment | None:
        """The current contact person (not the deputy), from the prefetched assignments."""
        contacts: list[ContactAssignment] = getattr(self.case, "current_contacts", [])
        return next((c for c in contacts if not c.is_deputy), None)

    @property
    def started(self) -> date:
        return min(i.start_date for i in self.interventions)


@dataclass
class UnitOverview:
    unit: Unit
    today: date
    due_soon_days: int
    late: list[AwaitingRow] = field(default_factory=list)
    due_soon: list[AwaitingRow] = field(default_factory=list)
    later: list[AwaitingRow] = field(default_factory=list)

    @property
    def persons_without_plan(self) -> int:
        return len(self.late) + len(self.due_soon) + len(self.later)

    @property
    def due_soon_until(self) -> date:
        return self.today + timedelta(days=self.due_soon_days)


def unit_overview(unit: Unit, today: date) -> UnitOverview:
    """The unit manager's first overview (R-QA-1): per person, plans late, due soon, missing.

    A person is listed once, under the earliest deadline among their
    interventions without an established plan.
    """
    profile = ProfileResolver().profile(unit, today)
    overview = UnitOverview(unit=unit, today=today, due_soon_days=profile.due_soon_days)
    by_case: dict[int, AwaitingRow] = {}
    for item in awaiting_plan([unit.pk], today).prefetch_related(_current_contacts()):
        row = by_case.get(item.case_id)
        if row is None:
            by_case[item.case_id] = AwaitingRow(case=item.case, interventions=[item])
        else:
            row.interventions.append(item)
    for row in by_case.values():  # insertion order = earliest deadline first
        status = rules.deadline_status(row.deadline, today, profile)
        if status is rules.DeadlineStatus.LATE:
            overview.late.append(row)
        elif status is rules.DeadlineStatus.DUE_SOON:
            overview.due_soon.append(row)
        else:
            overview.later.append(row)
    return overview


@dataclass
class MyCase:
    case: Case
    is_deputy: bool
    awaiting: list[GrantedIntervention]
    plan: Plan | None

    @property
    def next_deadline(self) -> date | None:
        return min((i.plan_deadline for i in self.awaiting), default=None)


def my_cases(user: User, today: date) -> list[MyCase]:
    """The open cases where ``user`` is contact person or deputy ("Mina personer")."""
    assignments = (
        ContactAssignment.objects.filter(
            user_id=user.pk, ended_on__isnull=True, case__closed_on__isnull=True
        )
        .select_related("case__person", "case__unit")
        .prefetch_related(
            Prefetch(
                "case__interventions",
                queryset=GrantedIntervention.objects.filter(plan_established_on__isnull=True)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                .select_related("type")
                .order_by("plan_deadline"),
                to_attr="awaiting",
            ),
            Prefetch(
                "case__plans",
                queryset=Plan.objects.filter(established_on__isnull=False).order_by(
                    "-established_on"
                ),
                to_attr="established_plans",
            ),
        )
        .order_by("case__person__last_name", "case__person__first_name")
    )
    result = []
    for a in assignments:
        plans = a.case.established_plans  # type: ignore[attr-defined]
        result.append(
            MyCase(
                case=a.case,
                is_deputy=a.is_deputy,
                awaiting=a.case.awaiting,  # type: ignore[attr-defined]
                plan=plans[0] if plans else None,
            )
        )
    return result


def has_established_plan() -> Exists:
    return Exists(Plan.objects.filter(case_id=OuterRef("pk"), established_on__isnull=False))
