"""Compliance figures per unit and month for the quality controller (R-QA-2).

Three measures, each a share with the counts behind it, computed by SQL
aggregation (GROUP BY unit, month) — never a Python loop over plans:

- **established in time**: interventions whose plan deadline fell in the month
  (and has passed): how many got an established plan on or before it;
- **followed up in time**: follow-ups due in the month (and due date passed):
  how many were held on or before the due date — a follow-up not yet held
  counts as not in time;
- **signed by the person**: versions established in the month whose routine
  asked for the person's signature: how many the person signed (rather than
  declining with a reason).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth

from delaktig.organisation.models import Unit
from delaktig.people.models import GrantedIntervention
from delaktig.plans.models import DateCorrection, FollowUp, Plan, PlanVersion, SignerRole

#: What a share reads when there was nothing to count (a month without plans).
EMPTY = "inga planer"

MEASURES = [
    ("established", "Planer fastställda i tid"),
    ("followed_up", "Uppföljningar gjorda i tid"),
    ("signed", "Planer signerade av den enskilde"),
]


@dataclass
class Cell:
    done: int = 0
    total: int = 0
    #: Of ``total``: plans registered afterwards (issue 9), never counted as done.
    afterwards: int = 0

    @property
    def share(self) -> float | None:
        return None if self.total == 0 else self.done / self.total

    @property
    def empty(self) -> bool:
        """Nothing to measure in the month: not 0 %, and never drawn as 0 %."""
        return self.total == 0

    @property
    def percent(self) -> str:
        return EMPTY if self.share is None else f"{round(self.share * 100)} %"


@dataclass
class Row:
    unit: Unit
    month: date
    established: Cell
    followed_up: Cell
    signed: Cell


def _month(value: date) -> date:
    return value.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    months, current = [], _month(first)
    while current <= _month(last):
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def _as_date(value: object) -> date:
    # TruncMonth returns a date for DateFields on both SQLite and PostgreSQL.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def compliance(units: Iterable[Unit], first: date, last: date, today: date) -> list[Row]:
    """One row per unit and month in [first, last]; only dates before ``today`` count."""
    unit_list = list(units)
    ids = [u.pk for u in unit_list]
    start, end = _month(first), min(last, today)
    cells: dict[tuple[int, date], dict[str, Cell]] = {}

    def cell(unit_id: int, month: object, measure: str) -> Cell:
        key = (unit_id, _as_date(month))
        return cells.setdefault(key, {m: Cell() for m, _ in MEASURES})[measure]

    for r in (
        GrantedIntervention.objects.filter(
            unit_id__in=ids,
            plan_deadline__gte=start,
            plan_deadline__lte=end,
            plan_deadline__lt=today,
        )
        .annotate(
            month=TruncMonth("plan_deadline"),
            # A plan established on paper and registered afterwards is counted apart,
            # never as established in time (issue 9).
            afterwards=Exists(
                PlanVersion.objects.filter(
                    interventions=OuterRef("pk"), registered_afterwards_reason__isnull=False
                )
            ),
        )
        .values("unit_id", "month")
        .annotate(
            total=Count("pk"),
            done=Count(
                "pk", filter=Q(plan_established_on__lte=F("plan_deadline"), afterwards=False)
            ),
            later=Count("pk", filter=Q(afterwards=True)),
        )
    ):
        c = cell(r["unit_id"], r["month"], "established")
        c.total += r["total"]
        c.done += r["done"]
        c.afterwards += r["later"]
    for r in (
        FollowUp.objects.filter(
            unit_id__in=ids, due_on__gte=start, due_on__lte=end, due_on__lt=today
        )
        .annotate(
            month=TruncMonth("due_on"),
            # A corrected date counts: the newest correction, else the date entered.
            held=Coalesce(
                Subquery(
                    DateCorrection.objects.filter(follow_up=OuterRef("pk"), field="held_on")
                    .order_by("-recorded_at", "-pk")
                    .values("new_value")[:1]
                ),
                "held_on",
            ),
        )
        .values("unit_id", "month")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(held__lte=F("due_on"))))
    ):
        c = cell(r["unit_id"], r["month"], "followed_up")
        c.total += r["total"]
        c.done += r["done"]
    for r in (
        Plan.objects.filter(
            unit_id__in=ids,
            next_follow_up_on__gte=start,
            next_follow_up_on__lte=end,
            next_follow_up_on__lt=today,
            case__closed_on__isnull=True,
        )
        .annotate(month=TruncMonth("next_follow_up_on"))
        .values("unit_id", "month")
        .annotate(total=Count("pk"))
    ):
        cell(r["unit_id"], r["month"], "followed_up").total += r["total"]
    for r in (
        PlanVersion.objects.filter(
            plan__unit_id__in=ids,
            established_on__gte=start,
            established_on__lte=end,
            signatures__role=SignerRole.PERSON,
        )
        .annotate(month=TruncMonth("established_on"))
        .values("plan__unit_id", "month")
        .annotate(
            total=Count("pk", distinct=True),
            done=Count(
                "pk",
                filter=Q(signatures__role=SignerRole.PERSON, signatures__signed=True),
                distinct=True,
            ),
        )
    ):
        c = cell(r["plan__unit_id"], r["month"], "signed")
        c.total += r["total"]
        c.done += r["done"]
    rows = []
    for unit in unit_list:
        for month in months_between(first, last):
            measures = cells.get((unit.pk, month)) or {m: Cell() for m, _ in MEASURES}
            rows.append(Row(unit=unit, month=month, **measures))
    return rows


def totals(rows: Iterable[Row]) -> dict[str, Cell]:
    out = {m: Cell() for m, _ in MEASURES}
    for row in rows:
        for measure, _label in MEASURES:
            c: Cell = getattr(row, measure)
            out[measure].done += c.done
            out[measure].total += c.total
            out[measure].afterwards += c.afterwards
    return out


def _header() -> list[str]:
    out = ["Enhet", "Månad"]
    for measure, label in MEASURES:
        out += [f"{label} – {part}" for part in ("i tid", "totalt", "andel %")]
        if measure == "established":
            out.append(f"{label} – registrerade i efterhand (räknas inte som i tid)")
    return out


HEADER = _header()


def table(rows: Iterable[Row]) -> list[list[object]]:
    out: list[list[object]] = []
    for row in rows:
        line: list[object] = [row.unit.name, f"{row.month:%Y-%m}"]
        for measure, _label in MEASURES:
            c: Cell = getattr(row, measure)
            line += [c.done, c.total, "" if c.share is None else round(c.share * 100, 1)]
            if measure == "established":
                line.append(c.afterwards)
        out.append(line)
    return out


# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_text(value: str) -> str:
    """Text that a spreadsheet shows as text: a leading ' keeps "=HYPERLINK(…)" inert."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_value(value: object) -> object:
    if isinstance(value, float):
        # Swedish Excel reads "66,7" as a number and "66.7" as text (or a date).
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


def to_csv(rows: Iterable[Row]) -> str:
    """For Swedish Excel: ``;`` between fields, decimal comma, UTF-8 with a BOM, CRLF.

    A month with nothing to count has an empty share (its total is 0), never 0,0.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([spreadsheet_text(h) for h in HEADER])
    writer.writerows([_csv_value(v) for v in line] for line in table(rows))
    return "\ufeff" + buffer.getvalue()


def to_xlsx(rows: Iterable[Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 — a new workbook has one sheet
    sheet.title = "Följsamhet"
    sheet.append(HEADER)
    for cell_ in sheet[1]:
        cell_.font = Font(bold=True)
    for line in table(rows):
        sheet.append(line)
        for cell_ in sheet[sheet.max_row]:
            if isinstance(cell_.value, str):
                # openpyxl stores a string starting with "=" as a formula: keep it text.
                cell_.data_type = "s"
    sheet.freeze_panes = "C2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 40)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
