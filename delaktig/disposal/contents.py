"""What a person file consists of, table by table, and the SQL to count or remove it.

Every kind names its model, the lookup path from a row to the person's id and
the date that places the row in time (for the period in the disposal record).
``kinds()`` is in removal order: rows that point at others go first, the person
row last. (Foreign keys are checked at commit — Django creates them
``DEFERRABLE INITIALLY DEFERRED`` on both databases — but the order keeps them
valid at almost every step; the one cycle, an archive delivery and its
current package, is resolved within the same transaction.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeAlias

from django.apps import apps as django_apps
from django.db import connection, models
from django.db.models import Count, DateField, Max, Min
from django.db.models.functions import Coalesce, TruncDate

from delaktig.oversight.models import Notification, SchedulerNotice, Task
from delaktig.people.models import (
    Case,
    ContactAssignment,
    Decision,
    GrantedIntervention,
    Person,
    Relative,
)
from delaktig.plans.models import (
    ChangeApproval,
    DateCorrection,
    FollowUp,
    Handover,
    HslConfirmation,
    Plan,
    PlanVersion,
    Signature,
)
from delaktig.records.models import AccessLog, JournalEntry


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[models.Model]
    person_path: str
    # The row's date for the period (None: not dated, e.g. a relative), and the
    # expression for the period's end if it differs (a case: opened … closed).
    dated: Any = None
    dated_to: Any = None
    # Counted and reported as a document kind (False: link rows only).
    document: bool = True
    # Part of the file's period in the disposal record (False: the access log, whose
    # rows are about reading the file, not entries in it).
    in_period: bool = True


def _day(field: str) -> TruncDate:
    return TruncDate(field, output_field=DateField())


PLAN_VERSION_LINKS = PlanVersion.interventions.through

KINDS: tuple[Kind, ...] = (
    Kind("access_log", "Rader i åtkomstloggen", AccessLog, "person_id", _day("at"),
         in_period=False),
    Kind("tasks", "Uppgifter", Task, "case__person_id", _day("created_at")),
    Kind("notifications", "Utgående meddelanden", Notification, "case__person_id",
         _day("created_at")),
    Kind("scheduler_notices", "Meddelanden till planerare", SchedulerNotice,
         "case__person_id", _day("created_at")),
    Kind("journal_entries", "Journalanteckningar", JournalEntry, "case__person_id",
         "happened_on"),
    Kind("follow_ups", "Uppföljningar", FollowUp, "plan__case__person_id", "held_on"),
    Kind("date_corrections", "Rättade datum", DateCorrection,
         "version__plan__case__person_id", _day("recorded_at")),
    Kind("handovers", "Överlämnanden", Handover, "version__plan__case__person_id",
         "communicated_on"),
    Kind("signatures", "Signaturer", Signature, "version__plan__case__person_id", "signed_on"),
    Kind("change_approvals", "Godkännanden av ändringar", ChangeApproval,
         "version__plan__case__person_id", "approved_on"),
    Kind("hsl_confirmations", "Bekräftelser: inte hälso- och sjukvård", HslConfirmation,
         "version__plan__case__person_id", _day("recorded_at")),
    Kind("plan_version_links", "Kopplingar planversion–insats", PLAN_VERSION_LINKS,
         "planversion__plan__case__person_id", document=False),
    Kind("plan_versions", "Planversioner", PlanVersion, "plan__case__person_id",
         _day("created_at")),
    Kind("plans", "Genomförandeplaner", Plan, "case__person_id", _day("created_at")),
    Kind("interventions", "Beviljade insatser", GrantedIntervention, "case__person_id",
         "start_date", Coalesce("end_date", "start_date")),
    Kind("decisions", "Beslut", Decision, "case__person_id", "decided_on"),
    Kind("contact_assignments", "Kontaktmannaskap", ContactAssignment, "case__person_id",
         "assigned_on"),
    Kind("cases", "Ärenden", Case, "person_id", "opened_on", Coalesce("closed_on", "opened_on")),
    Kind("relatives", "Närstående och företrädare", Relative, "person_id"),
    Kind("persons", "Personer (personuppgifter)", Person, "pk", _day("created_at")),
)  # fmt: skip


def archive_kinds() -> tuple[Kind, ...]:
    """The archive app's rows of a file (R-ARC-4), found by their foreign keys.

    Deliveries of closed cases, their stored packages (the ZIP bytes: personal
    data) and receipts — every model of ``delaktig.archive`` whose table exists
    and that leads to a case by foreign keys. Found at run time, so this app
    depends neither on the archive app's migrations nor on its field names.
    Rows further from the case go first.
    """
    try:
        config = django_apps.get_app_config("archive")
    except LookupError:  # pragma: no cover — the app is installed
        return ()
    tables = set(connection.introspection.table_names())
    found = [m for m in config.get_models() if m._meta.db_table in tables]
    paths: dict[type[models.Model], str] = {}
    changed = True
    while changed:
        changed = False
        for model in found:
            if model in paths:
                continue
            for fk in model._meta.concrete_fields:
                target = fk.related_model if fk.is_relation else None
                if target is Case:
                    paths[model] = f"{fk.name}__person_id"
                elif target in paths:
                    paths[model] = f"{fk.name}__{paths[target]}"  # type: ignore[index]
                else:
                    continue
                changed = True
                break
    ordered = sorted(paths, key=lambda m: (-paths[m].count("__"), m._meta.model_name))
    return tuple(
        Kind(
            f"archive_{model._meta.model_name}",
            str(model._meta.verbose_name_plural).capitalize(),
            model,
            paths[model],
        )
        for model in ordered
    )


def kinds() -> tuple[Kind, ...]:
    """Every kind of row in a person file, in removal order."""
    return archive_kinds() + KINDS


def kind_labels() -> dict[str, str]:
    """Every kind's Swedish label, in removal order."""
    return {kind.key: kind.label for kind in kinds()}


#: A set of persons: a short list of ids, or a query of ids (``.values("person_id")``),
#: which becomes a subquery — one statement per kind for a whole proposal.
Persons: TypeAlias = Sequence[int] | models.QuerySet[Any]


def _rows(kind: Kind, persons: Persons) -> models.QuerySet[Any]:
    if not isinstance(persons, models.QuerySet):
        persons = list(persons)
    return kind.model._base_manager.filter(**{f"{kind.person_path}__in": persons})


def counts_per_person(persons: Persons) -> dict[int, dict[str, int]]:
    """{person id: {kind: rows}} for the document kinds (one grouped query per kind)."""
    result: dict[int, dict[str, int]] = {}
    for kind in kinds():
        if not kind.document:
            continue
        rows = _rows(kind, persons).order_by().values_list(kind.person_path).annotate(n=Count("pk"))
        for person_id, n in rows:
            result.setdefault(person_id, {})[kind.key] = n
    return result


@dataclass
class KindTotal:
    count: int = 0
    first: date | None = None
    last: date | None = None

    def add(self, count: int, first: date | None, last: date | None) -> None:
        self.count += count
        if first is not None and (self.first is None or first < self.first):
            self.first = first
        if last is not None and (self.last is None or last > self.last):
            self.last = last

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
        }


def totals(persons: Persons) -> dict[str, KindTotal]:
    """Rows and the earliest/latest date per kind (one aggregate query per kind)."""
    every = kinds()
    into = {kind.key: KindTotal() for kind in every}
    for kind in every:
        rows = _rows(kind, persons).order_by()
        if kind.dated is None:
            into[kind.key].add(rows.count(), None, None)
            continue
        agg = rows.aggregate(
            n=Count("pk"), first=Min(kind.dated), last=Max(kind.dated_to or kind.dated)
        )
        into[kind.key].add(agg["n"], agg["first"], agg["last"])
    return into


def delete_rows(kind: Kind, persons: Persons) -> int:
    """DELETE the kind's rows of these persons with one statement; returns the row count.

    Raw SQL on purpose: the ORM refuses to delete append-only rows, and the
    database triggers let it through only while the disposal gate is open.
    """
    model = kind.model
    qn = connection.ops.quote_name
    pk_column = model._meta.pk.column
    inner = _rows(kind, persons).order_by().values("pk")
    sql, params = inner.query.get_compiler(connection=connection).as_sql()
    with connection.cursor() as cursor:
        if kind.model is PlanVersion:
            # A plan points at its version in force: let go of it before the versions go.
            plans = _rows(Kind("plans", "", Plan, "case__person_id"), persons).values("pk")
            plan_sql, plan_params = plans.query.get_compiler(connection=connection).as_sql()
            cursor.execute(
                f"UPDATE {qn(Plan._meta.db_table)} SET established_version_id = NULL "  # noqa: S608
                f"WHERE id IN ({plan_sql})",
                plan_params,
            )
        cursor.execute(
            f"DELETE FROM {qn(model._meta.db_table)} WHERE {qn(pk_column)} IN ({sql})",  # noqa: S608
            params,
        )
        return int(cursor.rowcount)


def person_unit_ids(persons: Persons) -> dict[int, list[int]]:
    result: dict[int, set[int]] = {}
    rows = _rows(Kind("cases", "", Case, "person_id"), persons).values_list("person_id", "unit_id")
    for person_id, unit_id in rows:
        result.setdefault(person_id, set()).add(unit_id)
    return {pk: sorted(units) for pk, units in result.items()}
