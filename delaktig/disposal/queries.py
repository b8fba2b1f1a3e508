"""Which person files are due for disposal — computed in SQL (R-ARC-3).

The *last entry* of a person file is the latest date of anything written in
it, over all the person's cases: journal entries (event date and the day it
was written), plan versions (created, last saved, established), signatures,
handovers and follow-ups (their date and the day they were recorded),
decisions (decision date and the day registered) and the cases' closing
dates. Taking the day a row was *written* as well as the date it is *about*
errs on the side of keeping the file longer ("fem år efter det att sista
anteckningen gjordes i akten").

Only persons whose every case is closed are candidates, and never a file
with a granted intervention of a type that is never disposed (12 kap. 2 §
SoL). A file whose every case is at a unit in private operation (*enskild
verksamhet*) is due two years after its last entry (23 c § LSS) instead of
the municipality's frist. One correlated,
aggregated subquery per table, combined with ``GREATEST`` (``MAX`` on SQLite);
a cheap ``NOT EXISTS`` first drops persons with an open case or a case closed
after the cut-off, so the subqueries run only for files that can be due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import (
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate

from delaktig import rules
from delaktig.organisation.models import Field, Provider
from delaktig.people.models import Case, Decision, GrantedIntervention, NeverDisposed, Person
from delaktig.plans.models import FollowUp, Handover, PlanVersion, Signature
from delaktig.records.models import JournalEntry
from delaktig.rules.dates import add_years

from .models import OPEN_STATUSES, DisposalProposalItem, ProposalStatus

FLOOR = date(1900, 1, 1)


@dataclass(frozen=True)
class Policy:
    """The settings a query applies (from ``RetentionPolicy.snapshot()``)."""

    retention_years: int = 5
    keep_research_sample: bool = True
    keep_all: bool = False
    keep_fields: tuple[str, ...] = ()
    keep_intervention_types: tuple[str, ...] = ()
    research_sample: str = rules.ResearchSample.BIRTH_DAYS.value

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Policy:
        # A snapshot from before the research sample by kommunkod: the birth days only.
        return cls(
            retention_years=int(data.get("retention_years", 5)),
            keep_research_sample=bool(data.get("keep_research_sample", True)),
            keep_all=bool(data.get("keep_all", False)),
            keep_fields=tuple(data.get("keep_fields", ())),
            keep_intervention_types=tuple(data.get("keep_intervention_types", ())),
            research_sample=str(data.get("research_sample", rules.ResearchSample.BIRTH_DAYS)),
        )

    @property
    def keeps_everything(self) -> bool:
        """Nothing is disposed: the municipality's decision, or the research sample keeps all."""
        return self.keep_all or self.research_sample == rules.ResearchSample.ALL


def cutoff(on: date, retention_years: int) -> date:
    """The latest last-entry date whose disposal date (``add_years``) is on or before ``on``."""
    year = on.year - retention_years
    day = on.day
    while True:  # February 29 in a non-leap year: step back to the 28th
        try:
            candidate = date(year, on.month, day)
            break
        except ValueError:
            day -= 1
    while add_years(candidate + timedelta(days=1), retention_years) <= on:
        candidate += timedelta(days=1)
    while add_years(candidate, retention_years) > on:  # pragma: no cover — defensive
        candidate -= timedelta(days=1)
    return candidate


def _day(field: str) -> TruncDate:
    return TruncDate(field, output_field=DateField())


def _latest(model: type[models.Model], person_path: str, *dates: Any) -> Coalesce:
    """The latest of ``dates`` over the person's rows of ``model`` (FLOOR if none)."""
    expression = Greatest(*dates, output_field=DateField()) if len(dates) > 1 else dates[0]
    rows = (
        model._base_manager.filter(**{person_path: OuterRef("pk")})
        .order_by()
        .values(person_path)
        .annotate(latest=models.Max(expression))
        .values("latest")[:1]
    )
    return Coalesce(Subquery(rows, output_field=DateField()), Value(FLOOR))


def last_entry_expression() -> Greatest:
    floor = Value(FLOOR)
    return Greatest(
        _latest(Case, "person", "closed_on"),
        _latest(JournalEntry, "case__person", "happened_on", _day("at")),
        _latest(
            PlanVersion,
            "plan__case__person",
            _day("updated_at"),  # ≥ created_at: the day the version was last saved
            Coalesce("established_on", floor),
        ),
        _latest(Signature, "version__plan__case__person", "signed_on", _day("recorded_at")),
        _latest(Handover, "version__plan__case__person", "communicated_on", _day("recorded_at")),
        _latest(FollowUp, "plan__case__person", "held_on", _day("recorded_at")),
        _latest(Decision, "case__person", "decided_on", _day("created_at")),
        output_field=DateField(),
    )


def due_persons(
    *,
    municipality_id: int,
    on: date,
    policy: Policy,
    person_ids: Any = None,
    except_proposal_id: int | None = None,
) -> QuerySet[Any]:
    """Persons whose file may be disposed of on ``on``, annotated with ``last_entry``.

    ``person_ids``: only these persons (a list, or a query of ids used as a subquery).
    Excludes files in an open proposal (other than ``except_proposal_id``), files
    that are never disposed, and files to hand over that are in a proposal that
    was not rejected. Also annotated: ``private_only`` (every case at a private
    unit), ``lss`` (a case at an LSS unit) and ``first_opened`` (the first case's
    opening day), for ``rules.hand_over_instead``.
    The research sample is *not* excluded here: the caller passes each row
    through ``rules.disposal_date``, which keeps it (and counts it) and also
    validates the personnummer — one Python call per due file, not per row.
    """
    if policy.keeps_everything:
        return Person.objects.annotate(
            last_entry=Value(FLOOR, output_field=DateField()),
            private_only=Value(False),
            lss=Value(False),
            first_opened=Value(FLOOR, output_field=DateField()),
        ).none()
    limit = cutoff(on, policy.retention_years)
    private_limit = cutoff(on, rules.PRIVATE_PROVIDER_RETENTION_YEARS)
    persons = Person.objects.filter(municipality_id=municipality_id)
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    cases = Case.objects.filter(person_id=OuterRef("pk"))
    persons = persons.filter(Exists(cases)).exclude(
        Exists(cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=max(limit, private_limit))))
    )
    persons = persons.exclude(
        Exists(
            GrantedIntervention.objects.filter(case__person_id=OuterRef("pk")).exclude(
                type__never_disposed=NeverDisposed.NO
            )
        )
    )
    if policy.keep_fields:
        persons = persons.exclude(Exists(cases.filter(unit__field__in=policy.keep_fields)))
    if policy.keep_intervention_types:
        persons = persons.exclude(
            Exists(
                GrantedIntervention.objects.filter(
                    case__person_id=OuterRef("pk"), type__code__in=policy.keep_intervention_types
                )
            )
        )
    open_items = DisposalProposalItem.objects.filter(
        person_id=OuterRef("pk"), proposal__status__in=OPEN_STATUSES
    )
    handover_items = DisposalProposalItem.objects.filter(
        person_id=OuterRef("pk"), hand_over=True
    ).exclude(proposal__status=ProposalStatus.REJECTED)
    if except_proposal_id is not None:
        open_items = open_items.exclude(proposal_id=except_proposal_id)
        handover_items = handover_items.exclude(proposal_id=except_proposal_id)
    persons = persons.exclude(Exists(open_items)).exclude(Exists(handover_items))
    first_opened = cases.order_by("opened_on").values("opened_on")[:1]
    return (
        persons.annotate(
            last_entry=last_entry_expression(),
            private_only=~Exists(cases.exclude(unit__provider=Provider.PRIVATE)),
            lss=Exists(cases.filter(unit__field=Field.DISABILITY)),
            first_opened=Subquery(first_opened, output_field=DateField()),
        )
        .filter(
            Q(private_only=True, last_entry__lte=private_limit)
            | Q(private_only=False, last_entry__lte=limit)
        )
        .order_by("pk")
    )


#: The columns ``services`` reads from :func:`due_persons`.
DUE_COLUMNS = ("pk", "personnummer", "last_entry", "private_only", "lss", "first_opened")
