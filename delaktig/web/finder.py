"""Finding persons: the search and the unit's person list (issue 10; R-LIFE-8, R-QA-1).

Both read through ``Case.objects.visible_to(user)`` or a unit the user works at, so
a user finds only the persons whose files they may read. Every list is a fixed
number of queries whatever the data size: the plan state and the dates that decide
urgency are subqueries of the one query over cases, and the rows shown are limited
(search) or paged (the unit's list).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import CharField, DateField, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, Substr

from delaktig import rules
from delaktig.core.types import User
from delaktig.people.models import (
    Case,
    ContactAssignment,
    GrantedIntervention,
    current_contacts_prefetch,
)
from delaktig.plans.models import Plan, PlanVersion, VersionState

SEARCH_LIMIT = 25
UNIT_PAGE_SIZE = 50
_NO_DATE = date(9999, 12, 31)


class PlanState(models.TextChoices):
    """One state per person's case, the most urgent first (the filter's choices)."""

    NONE = "ingen-plan", "Ingen plan"
    DRAFT = "utkast", "Utkast"
    SIGNING = "vantar-pa-signatur", "Väntar på signatur"
    ESTABLISHED = "faststalld", "Fastställd"
    FOLLOW_UP_LATE = "uppfoljning-forsenad", "Uppföljning försenad"


def with_plan_state(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """Annotate each case with its plan state, plan deadline, follow-up date and urgency.

    ``plan_state``: follow-up late, else a version waiting for signatures, else a
    draft, else an established plan, else none. ``urgent_on``: the earlier of the
    first plan deadline still open and the next follow-up (far future if neither).
    """
    plans = Plan.objects.filter(case_id=OuterRef("pk"))
    versions = PlanVersion.objects.filter(plan__case_id=OuterRef("pk"))
    awaiting = (
        GrantedIntervention.objects.filter(case_id=OuterRef("pk"), plan_established_on__isnull=True)
        .active(on=today)
        .order_by("plan_deadline")
        .values("plan_deadline")[:1]
    )
    follow_up = (
        plans.filter(established_on__isnull=False, next_follow_up_on__isnull=False)
        .order_by("next_follow_up_on")
        .values("next_follow_up_on")[:1]
    )
    return cases.annotate(
        plan_deadline=Subquery(awaiting, output_field=DateField()),
        follow_up_on=Subquery(follow_up, output_field=DateField()),
        plan_signing=Exists(versions.filter(state=VersionState.READY_FOR_SIGNING)),
        plan_drafting=Exists(versions.filter(state=VersionState.DRAFT)),
        plan_in_force=Exists(plans.filter(established_on__isnull=False)),
    ).annotate(
        plan_state=SqlCase(
            When(follow_up_on__lt=today, then=Value(PlanState.FOLLOW_UP_LATE.value)),
            When(plan_signing=True, then=Value(PlanState.SIGNING.value)),
            When(plan_drafting=True, then=Value(PlanState.DRAFT.value)),
            When(plan_in_force=True, then=Value(PlanState.ESTABLISHED.value)),
            default=Value(PlanState.NONE.value),
            output_field=CharField(),
        ),
        urgent_on=Least(
            Coalesce("plan_deadline", Value(_NO_DATE), output_field=DateField()),
            Coalesce("follow_up_on", Value(_NO_DATE), output_field=DateField()),
            output_field=DateField(),
        ),
    )


@dataclass(frozen=True)
class PersonRow:
    """One person's case in a list: who, where, and how their plan stands."""

    case: Case
    state: PlanState
    plan_deadline: date | None
    follow_up_on: date | None
    today: date

    @property
    def plan_late(self) -> bool:
        return self.plan_deadline is not None and self.plan_deadline < self.today

    @property
    def late(self) -> bool:
        return self.plan_late or self.state is PlanState.FOLLOW_UP_LATE


def rows(cases: list[Case], today: date) -> list[PersonRow]:
    return [
        PersonRow(
            case=case,
            state=PlanState(case.plan_state),  # type: ignore[attr-defined]
            plan_deadline=case.plan_deadline,  # type: ignore[attr-defined]
            follow_up_on=case.follow_up_on,  # type: ignore[attr-defined]
            today=today,
        )
        for case in cases
    ]


@dataclass(frozen=True)
class SearchResult:
    kind: rules.SearchKind
    rows: list[PersonRow]
    #: More cases matched than are shown: the user should narrow the search.
    more: bool


def _matching(cases: QuerySet[Case], query: rules.SearchQuery) -> QuerySet[Case]:
    if query.kind is rules.SearchKind.NAME:
        for word in query.words:  # each word begins a word of the name
            cases = cases.filter(person__search_name__contains=" " + word)
        return cases
    if query.kind is rules.SearchKind.PERSONNUMMER:
        # A protected identity's full number is shown to no one, so it is not confirmed
        # by a search either: such persons are found by name or birth date only.
        cases = cases.filter(person__protected_identity=False)
        if len(query.number) == 13:  # YYYYMMDD-NNNN
            return cases.filter(person__personnummer=query.number)
        return cases.filter(person__personnummer__endswith=query.number)
    if len(query.number) == 8:
        return cases.filter(person__personnummer__startswith=query.number)
    return cases.annotate(born=Substr("person__personnummer", 3, 6)).filter(born=query.number)


def search_cases(
    user: User, query: rules.SearchQuery, today: date, *, limit: int = SEARCH_LIMIT
) -> SearchResult:
    """The open cases visible to ``user`` whose person matches ``query`` (two queries at most).

    At most ``limit`` rows, by name; ``more`` says whether there were others.
    """
    cases = _matching(Case.objects.visible_to(user), query).select_related("person", "unit")
    found = list(
        with_plan_state(cases, today).order_by(
            "person__last_name", "person__first_name", "unit__name", "pk"
        )[: limit + 1]
    )
    return SearchResult(kind=query.kind, rows=rows(found[:limit], today), more=len(found) > limit)


def unit_cases(
    unit_id: int,
    today: date,
    *,
    state: str = "",
    contact_id: int | None = None,
    type_id: int | None = None,
) -> QuerySet[Case]:
    """The unit's open cases, most urgent first (late plans and follow-ups at the top)."""
    cases: QuerySet[Case] = Case.objects.open().filter(unit_id=unit_id)
    if contact_id is not None:
        cases = cases.filter(
            Exists(
                ContactAssignment.objects.current().filter(
                    case_id=OuterRef("pk"), user_id=contact_id
                )
            )
        )
    if type_id is not None:
        cases = cases.filter(
            Exists(
                GrantedIntervention.objects.filter(case_id=OuterRef("pk"), type_id=type_id).active(
                    on=today
                )
            )
        )
    cases = with_plan_state(cases, today)
    if state:
        cases = cases.filter(plan_state=state)  # type: ignore[misc]  # the annotation above
    return (
        cases.select_related("person")
        .prefetch_related(current_contacts_prefetch())
        .order_by("urgent_on", "person__last_name", "person__first_name", "pk")
    )


def unit_contacts(unit_id: int) -> QuerySet[User]:
    """The unit's current contact persons (the filter's choices)."""
    return (
        User.objects.filter(
            contact_assignments__case__unit_id=unit_id,
            contact_assignments__ended_on__isnull=True,
            contact_assignments__case__closed_on__isnull=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
