"""Read models for the overview pages (R-QA-1, R-LIFE-1).

Every list here is a fixed number of queries whatever the data size: rows come
from index range scans on stored dates, related rows by select_related or one
prefetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from delaktig import rules
from delaktig.core.types import User
from delaktig.organisation.models import Unit
from delaktig.organisation.services import ProfileResolver
from delaktig.people.models import (
    Case,
    ContactAssignment,
    GrantedIntervention,
    current_contacts_prefetch,
    reader_unit_ids,
)
from delaktig.plans.models import Plan, PlanVersion, VersionState

# Follow-ups due within this many days are listed as coming up (issue: overview).
FOLLOW_UP_WINDOW_DAYS = 30


def awaiting_plan(unit_ids: list[int], today: date) -> QuerySet[GrantedIntervention]:
    """Active interventions of open cases that have no established plan yet."""
    return (
        GrantedIntervention.objects.filter(
            unit_id__in=unit_ids,
            plan_established_on__isnull=True,
            case__closed_on__isnull=True,
        )
        .active(on=today)
        .select_related("case__person", "type", "unit")
        .annotate(
            # A new intervention of a person whose plan is in force (issue 9, S4/S1).
            plan_in_force=Exists(
                Plan.objects.filter(case_id=OuterRef("case_id"), established_version__isnull=False)
            )
        )
        .order_by("plan_deadline", "pk")
    )


@dataclass
class AwaitingRow:
    """One person's case with the interventions still waiting for an established plan."""

    case: Case
    interventions: list[GrantedIntervention]
    #: What the routine asks for when the person's plan is in force: "" (a first plan),
    #: "ny version av planen" or "uppföljning" (new_version_on_new_intervention, S4/S1).
    needs: str = ""

    @property
    def deadline(self) -> date:
        return min(i.plan_deadline for i in self.interventions)

    @property
    def main_contact(self) -> ContactAssignment | None:
        return self.case.main_contact

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
    awaiting_signatures: list[PlanVersion] = field(default_factory=list)
    follow_ups_late: list[Plan] = field(default_factory=list)
    follow_ups_soon: list[Plan] = field(default_factory=list)
    follow_up_window: int = FOLLOW_UP_WINDOW_DAYS
    contacts: list[User] = field(default_factory=list)
    contact_filter: int | None = None

    def cases(self) -> list[Case]:
        """Every case the overview names, in the order shown (for the access log)."""
        return [
            *(row.case for row in (*self.late, *self.due_soon, *self.later)),
            *(version.plan.case for version in self.awaiting_signatures),
            *(plan.case for plan in (*self.follow_ups_late, *self.follow_ups_soon)),
        ]

    @property
    def persons_without_plan(self) -> int:
        return len(self.late) + len(self.due_soon) + len(self.later)

    @property
    def due_soon_until(self) -> date:
        return self.today + timedelta(days=self.due_soon_days)


def _contact_filter(contact_id: int | None, prefix: str = "case__") -> Q:
    if contact_id is None:
        return Q()
    return Q(
        **{
            f"{prefix}contact_assignments__user_id": contact_id,
            f"{prefix}contact_assignments__ended_on__isnull": True,
        }
    )


def unit_overview(unit: Unit, today: date, contact_id: int | None = None) -> UnitOverview:
    """The unit manager's overview (R-QA-1): per person, what is late or due and who must act.

    Plans missing (late / due soon / later), plans awaiting signatures and
    follow-ups late or due within 30 days. A person is listed once per section,
    under the earliest deadline. ``contact_id`` narrows to one contact person's
    persons. A fixed number of queries, whatever the unit's size.
    """
    profile = ProfileResolver().profile(unit, today)
    overview = UnitOverview(
        unit=unit, today=today, due_soon_days=profile.due_soon_days, contact_filter=contact_id
    )
    by_case: dict[int, AwaitingRow] = {}
    rows = awaiting_plan([unit.pk], today).filter(_contact_filter(contact_id)).distinct()
    for item in rows.prefetch_related(current_contacts_prefetch("case__contact_assignments")):
        row = by_case.get(item.case_id)
        if row is None:
            by_case[item.case_id] = AwaitingRow(case=item.case, interventions=[item])
        else:
            row.interventions.append(item)
    for row in by_case.values():  # insertion order = earliest deadline first
        if any(getattr(i, "plan_in_force", False) for i in row.interventions):
            row.needs = (
                "ny version av planen"
                if profile.new_version_on_new_intervention
                else "uppföljning av planen"
            )
        status = rules.deadline_status(row.deadline, today, profile)
        if status is rules.DeadlineStatus.LATE:
            overview.late.append(row)
        elif status is rules.DeadlineStatus.DUE_SOON:
            overview.due_soon.append(row)
        else:
            overview.later.append(row)
    overview.awaiting_signatures = list(
        PlanVersion.objects.filter(
            plan__unit=unit,
            state=VersionState.READY_FOR_SIGNING,
            plan__case__closed_on__isnull=True,
        )
        .filter(_contact_filter(contact_id, "plan__case__"))
        .distinct()
        .select_related("plan__case__person")
        .prefetch_related("signatures")
        .order_by("sent_for_signing_at")
    )
    required = {signer.value for signer in profile.required_signers}
    for version in overview.awaiting_signatures:
        # Every required role has signed this exact content: the next step is to establish.
        done = {
            s.role for s in version.signatures.all() if s.content_sha256 == version.content_sha256
        }
        version.ready_to_establish = required <= done  # type: ignore[attr-defined]
    window = today + timedelta(days=overview.follow_up_window)
    plans = list(
        Plan.objects.filter(unit=unit, next_follow_up_on__lte=window, case__closed_on__isnull=True)
        .filter(_contact_filter(contact_id))
        .distinct()
        .select_related("case__person")
        .prefetch_related(current_contacts_prefetch("case__contact_assignments"))
        .order_by("next_follow_up_on")
    )
    for plan in plans:
        assert plan.next_follow_up_on is not None  # noqa: S101 — filtered above
        target = (
            overview.follow_ups_late if plan.next_follow_up_on < today else overview.follow_ups_soon
        )
        target.append(plan)
    overview.contacts = list(
        User.objects.filter(
            contact_assignments__case__unit=unit,
            contact_assignments__ended_on__isnull=True,
            contact_assignments__case__closed_on__isnull=True,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
    return overview


@dataclass
class MyCase:
    case: Case
    is_deputy: bool
    awaiting: list[GrantedIntervention]
    plan: Plan | None
    #: The next step in plain words, and how urgent it is (0 = most), issue 10.
    next_step: str = ""
    urgency: int = 9
    late: bool = False

    @property
    def next_deadline(self) -> date | None:
        return min((i.plan_deadline for i in self.awaiting), default=None)


def _next_step(item: MyCase, waiting: PlanVersion | None, required: set[str], today: date) -> None:
    """What the contact person does next for ``item`` (issue 10), most urgent first."""
    deadline = item.next_deadline
    if waiting is not None:
        done = {
            s.role for s in waiting.signatures.all() if s.content_sha256 == waiting.content_sha256
        }
        if "contact_person" in required and "contact_person" not in done:
            item.next_step, item.urgency = "Din signatur saknas", 1
        elif required <= done:
            item.next_step, item.urgency = "Klar att fastställa", 1
        else:
            item.next_step, item.urgency = "Väntar på andras signaturer", 4
    elif deadline is not None:
        item.late = deadline < today
        if item.late:
            item.next_step, item.urgency = (
                f"Planen är försenad – skulle vara klar {deadline:%Y-%m-%d}",
                0,
            )
        else:
            item.next_step, item.urgency = f"Skriv planen senast {deadline:%Y-%m-%d}", 2
    elif item.plan is not None and item.plan.next_follow_up_on is not None:
        due = item.plan.next_follow_up_on
        item.late = due < today
        if item.late:
            item.next_step, item.urgency = (
                f"Uppföljningen är försenad – skulle göras {due:%Y-%m-%d}",
                0,
            )
        elif due <= today + timedelta(days=FOLLOW_UP_WINDOW_DAYS):
            item.next_step, item.urgency = f"Följ upp senast {due:%Y-%m-%d}", 2
        else:
            item.next_step, item.urgency = f"Följ upp senast {due:%Y-%m-%d}", 5


def my_cases(user: User, today: date) -> list[MyCase]:
    """The open cases where ``user`` is contact person or deputy ("Mina personer").

    Only at units where the user still works: access rests on the membership.
    """
    assignments = (
        ContactAssignment.objects.current()
        .filter(
            user_id=user.pk,
            case__closed_on__isnull=True,
            case__unit_id__in=reader_unit_ids(user.pk),
        )
        .select_related("case__person", "case__unit")
        .prefetch_related(
            Prefetch(
                "case__interventions",
                queryset=GrantedIntervention.objects.filter(plan_established_on__isnull=True)
                .active(on=today)
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
            Prefetch(
                "case__plans__versions",
                queryset=PlanVersion.objects.filter(
                    state=VersionState.READY_FOR_SIGNING
                ).prefetch_related("signatures"),
                to_attr="waiting",
            ),
        )
        .order_by("case__person__last_name", "case__person__first_name")
    )
    result = []
    resolver = ProfileResolver()
    for a in assignments:
        plans = a.case.established_plans  # type: ignore[attr-defined]
        item = MyCase(
            case=a.case,
            is_deputy=a.is_deputy,
            awaiting=a.case.awaiting,  # type: ignore[attr-defined]
            plan=plans[0] if plans else None,
        )
        waiting = next(
            (v for p in a.case.plans.all() for v in p.waiting),  # type: ignore[attr-defined]
            None,
        )
        required = (
            {s.value for s in resolver.profile(a.case.unit, today).required_signers}
            if waiting is not None
            else set()
        )
        _next_step(item, waiting, required, today)
        result.append(item)
    # Most urgent first; within the same urgency, by name (the query's order).
    return sorted(result, key=lambda item: item.urgency)


@dataclass
class UnitSummary:
    """One unit's counts on the unit manager's summary of all her units (issue 10)."""

    unit: Unit
    late: int = 0  # persons whose plan is late
    without_plan: int = 0  # persons with interventions without an established plan
    awaiting_signatures: int = 0
    follow_ups_late: int = 0

    @property
    def worst(self) -> tuple[int, int, int]:
        return (self.late + self.follow_ups_late, self.without_plan, self.awaiting_signatures)


def units_summary(units: list[Unit], today: date) -> list[UnitSummary]:
    """Counts per unit, worst first, in four grouped queries whatever the number of units."""
    rows = {unit.pk: UnitSummary(unit=unit) for unit in units}
    ids = list(rows)
    for r in (
        awaiting_plan(ids, today)
        .values("unit_id")
        .annotate(
            late=Count("case_id", distinct=True, filter=Q(plan_deadline__lt=today)),
            total=Count("case_id", distinct=True),
        )
        .order_by()
    ):
        rows[r["unit_id"]].late, rows[r["unit_id"]].without_plan = r["late"], r["total"]
    for r in (
        PlanVersion.objects.filter(
            plan__unit_id__in=ids,
            state=VersionState.READY_FOR_SIGNING,
            plan__case__closed_on__isnull=True,
        )
        .values("plan__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[r["plan__unit_id"]].awaiting_signatures = r["n"]
    for r in (
        Plan.objects.filter(
            unit_id__in=ids, next_follow_up_on__lt=today, case__closed_on__isnull=True
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[r["unit_id"]].follow_ups_late = r["n"]
    return sorted(rows.values(), key=lambda row: (-row.worst[0], -row.worst[1], row.unit.name))
