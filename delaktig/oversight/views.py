"""The scheduler's inbox: what to schedule after a home-care plan is established (R-LIFE-7)."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from delaktig import labels
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Membership, Role
from delaktig.plans.display import schedule_text
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_cases

from .models import SchedulerNotice
from .services import scheduler_notice_handled

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _notices(request: AuthenticatedHttpRequest) -> QuerySet[SchedulerNotice]:
    units = Membership.objects.filter(
        user_id=request.user.pk, role=Role.SCHEDULER, unit__isnull=False
    ).values_list("unit_id", flat=True)
    return SchedulerNotice.objects.filter(unit_id__in=units, case__closed_on__isnull=True)


def _log(
    request: AuthenticatedHttpRequest, notices: list[SchedulerNotice], action: AccessAction
) -> None:
    """Notices name persons: showing or exporting them is a read (R-LIFE-8)."""
    access_log_cases(
        user=request.user,
        reads=[(n.case, str(n.plan_version_id)) for n in notices],
        action=action,
    )


def _get_notice(request: AuthenticatedHttpRequest, notice_id: int) -> SchedulerNotice:
    notice = (
        _notices(request)
        .filter(pk=notice_id)
        .select_related("case__person", "plan_version")
        .first()
    )
    if notice is None:
        raise Http404("Meddelandet finns inte eller så saknar du behörighet.")
    return notice


@login_required
def scheduler_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not Membership.objects.filter(user_id=request.user.pk, role=Role.SCHEDULER).exists():
        raise Http404
    notices = list(
        _notices(request)
        .select_related("case__person", "unit", "plan_version__plan")
        .order_by("handled_at", "-created_at")[:200]
    )
    for notice in notices:
        for item in notice.items:
            item["schedule_text"] = schedule_text(item)
    _log(request, notices, AccessAction.VIEW_LIST)
    return render(request, "oversight/scheduler_inbox.html", {"notices": notices})


@login_required
@require_POST
def scheduler_handled(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = _get_notice(request, notice_id)
    scheduler_notice_handled(notice=notice, by=request.user)
    messages.success(request, "Markerat som schemalagt.")
    return redirect("scheduler_inbox")


def _first_occurrence(start: date, weekdays: list[str]) -> date:
    wanted = {WEEKDAYS.index(d) for d in weekdays if d in WEEKDAYS}
    if not wanted:
        return start
    for offset in range(7):
        day = start + timedelta(days=offset)
        if day.weekday() in wanted:
            return day
    return start  # pragma: no cover — one of seven days always matches


@login_required
def scheduler_ical(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    """Recurring events per intervention. No names: calendars leave the system (R-LIFE-8)."""
    notice = _get_notice(request, notice_id)
    _log(request, [notice], AccessAction.EXPORT)
    start = notice.plan_version.established_on or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//Delaktig//Genomförandeplan//SV")
    calendar.add("version", "2.0")
    for index, item in enumerate(notice.items):
        if not item.get("time_of_day"):
            continue
        hour, minute = (int(x) for x in str(item["time_of_day"]).split(":")[:2])
        first = _first_occurrence(start, list(item.get("weekdays", [])))
        event = Event()
        event.add("uid", f"delaktig-{notice.pk}-{index}@delaktig")
        event.add("summary", f"{item.get('intervention', 'Insats')} (ärende {notice.case_id})")
        event.add("dtstart", datetime.combine(first, time(hour, minute), tzinfo=STOCKHOLM))
        event.add("duration", timedelta(minutes=int(item.get("duration_minutes") or 30)))
        if item.get("weekdays"):
            event.add("rrule", {"freq": "weekly", "byday": list(item["weekdays"])})
        event.add("dtstamp", timezone.now())
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schema-arende-{notice.case_id}.ics"'
    return response


@login_required
def scheduler_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The open notices as CSV (semicolon-separated, UTF-8 with BOM for Excel)."""
    if not Membership.objects.filter(user_id=request.user.pk, role=Role.SCHEDULER).exists():
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="att-schemalagga.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Ärende",
            "Person",
            "Enhet",
            "Insats",
            str(labels.SCHEDULE["weekdays"].heading),
            str(labels.SCHEDULE["time_of_day"].heading),
            str(labels.SCHEDULE["duration_minutes"].heading),
            str(labels.SCHEDULE["times_per_week"].heading),
            "När (plan)",
            "Planversion",
            "Fastställd",
        ]
    )
    rows = list(
        _notices(request)
        .filter(handled_at__isnull=True)
        .select_related("case__person", "unit", "plan_version")
        .order_by("created_at")
    )
    _log(request, rows, AccessAction.EXPORT)
    for notice in rows:
        for item in notice.items:
            writer.writerow(
                [
                    notice.case_id,
                    notice.case.person.name,
                    notice.unit.name,
                    item.get("intervention", ""),
                    ",".join(item.get("weekdays", [])),
                    item.get("time_of_day", ""),
                    item.get("duration_minutes") or "",
                    item.get("times_per_week") or "",
                    item.get("when", ""),
                    notice.plan_version.number,
                    notice.plan_version.established_on or "",
                ]
            )
    return response
