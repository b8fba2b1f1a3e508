"""Which person files are due for disposal — computed in SQL (R-ARC-3).

The *last entry* of a person file is the latest date of anything written in
it, over all the person's cases: journal entries (event date and the day it
was written), plan versions (created, last saved, established), signatures,
handovers and follow-ups (their date and the day they were recorded),
decisions (decision date and the day registered) and the cases' closing
dates. Taking the day a row was *written* as well as the date it is *about*
errs on the side of keeping the file longer ("fem år efter det att sista
anteckningen gjordes i akten").

Only persons whose every case is closed are candidates. One correlated,
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

from delaktig.people.models import Case, Decision, GrantedIntervention, Person
from delaktig.plans.models import FollowUp, Handover, PlanVersion, Signature
from delaktig.records.models import JournalEntry
from delaktig.rules.dates import add_years

from .models import OPEN_STATUSES, DisposalProposalItem

FLOOR = date(1900, 1, 1)


@dataclass(frozen=True)
class Policy:
    """The settings a query applies (from ``RetentionPolicy.snapshot()``)."""

    retention_years: int = 5
    keep_research_sample: bool = True
    keep_all: bool = False
    keep_fields: tuple[str, ...] = ()
    keep_intervention_types: tuple[str, ...] = ()

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Policy:
        return cls(
            retention_years=int(data.get("retention_years", 5)),
            keep_research_sample=bool(data.get("keep_research_sample", True)),
            keep_all=bool(data.get("keep_all", False)),
            keep_fields=tuple(data.get("keep_fields", ())),
            keep_intervention_types=tuple(data.get("keep_intervention_types", ())),
        )


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
    Excludes files in an open proposal (other than ``except_proposal_id``).
    The research sample is *not* excluded here: the caller passes each row
    through ``rules.disposal_date``, which keeps it (and counts it) and also
    validates the personnummer — one Python call per due file, not per row.
    """
    if policy.keep_all:
        return Person.objects.annotate(last_entry=Value(FLOOR, output_field=DateField())).none()
    limit = cutoff(on, policy.retention_years)
    persons = Person.objects.filter(municipality_id=municipality_id)
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    cases = Case.objects.filter(person_id=OuterRef("pk"))
    persons = persons.filter(Exists(cases)).exclude(
        Exists(cases.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=limit)))
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
    if except_proposal_id is not None:
        open_items = open_items.exclude(proposal_id=except_proposal_id)
    persons = persons.exclude(Exists(open_items))
    return (
        persons.annotate(last_entry=last_entry_expression())
        .filter(last_entry__lte=limit)
        .order_by("pk")
    )
