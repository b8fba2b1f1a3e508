"""Log review (loggkontroll): who opened which person's file when (R-LIFE-8, R-ARC-1)."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from delaktig.core.types import AuthenticatedHttpRequest, User
from delaktig.organisation.models import Unit
from delaktig.people.access import get_managed_unit

from .audit import audit_append
from .models import AccessAction, AccessLog

PAGE_SIZE = 100


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return default


def _rows(
    request: AuthenticatedHttpRequest, unit: Unit
) -> tuple[QuerySet[AccessLog], dict[str, object]]:
    today = timezone.localdate()
    first = _day(request.GET.get("fran", ""), today - timedelta(days=30))
    last = _day(request.GET.get("till", ""), today)
    tz = timezone.get_current_timezone()
    rows = AccessLog.objects.filter(
        Q(unit=unit) | Q(unit__isnull=True, person__cases__unit=unit),
        at__gte=datetime.combine(first, time.min, tzinfo=tz),
        at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )
    user_param = request.GET.get("anvandare", "")
    if user_param.isdigit():
        rows = rows.filter(user_id=int(user_param))
    person_param = request.GET.get("person", "")
    try:
        rows = rows.filter(person__uuid=UUID(person_param)) if person_param else rows
    except ValueError:
        rows = rows.none()
    action = request.GET.get("handelse", "")
    if action in AccessAction.values:
        rows = rows.filter(action=action)
    rows = rows.distinct().select_related("user", "person").order_by("-at", "-pk")
    users = (
        User.objects.filter(memberships__unit=unit).distinct().order_by("first_name", "last_name")
    )
    filters = {
        "first": first,
        "last": last,
        "users": users,
        "actions": AccessAction.choices,
        "user_id": int(user_param) if user_param.isdigit() else None,
        "action": action,
        "person_param": person_param,
    }
    return rows, filters


@login_required
def access_log_review(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = get_managed_unit(request.user, unit_id)
    rows, filters = _rows(request, unit)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "records/access_log.html",
        {"unit": unit, "page": page, "query": query.urlencode(), **filters},
    )


@login_required
def access_log_export(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    unit = get_managed_unit(request.user, unit_id)
    rows, _filters = _rows(request, unit)
    audit_append(
        action="access_log.exported",
        obj=unit,
        actor=request.user,
        data={"query": sorted(request.GET.keys())},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loggkontroll-enhet-{unit.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Tidpunkt", "Användare", "Person", "Personnummer", "Händelse", "Objekt"])
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.user.get_full_name() or row.user.username,
                row.person.name,
                row.person.personnummer,
                row.get_action_display(),
                row.object_id,
            ]
        )
    return response
