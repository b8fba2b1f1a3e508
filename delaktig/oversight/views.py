"""The scheduler's inbox: what to schedule after a home-care plan is established (R-LIFE-7).

The unit's scheduler sees what scheduling needs — the person's name and
address, where and when the plan says, every visit — and not the person's
page. A link opens the plan only when the plan's disclosure list lets the
scheduler read it. Oldest first; filtered by unit and by handled or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Membership, Role, Unit
from delaktig.plans.access import readable_plan_ids
from delaktig.plans.content import part_visits
from delaktig.plans.display import schedule_text
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_cases

from .models import SchedulerNotice
from .scheduler_exports import notice_calendar, notices_csv
from .services import scheduler_notice_handled

LIMIT = 200
OPEN, HANDLED, ALL = "ej-hanterade", "hanterade", "alla"


def _units(request: AuthenticatedHttpRequest) -> QuerySet[Unit]:
    """The units the user schedules for; 404 to anyone who schedules for none."""
    units = Unit.objects.filter(
        memberships__user_id=request.user.pk, memberships__role=Role.SCHEDULER
    ).distinct()
    if not units.exists():
        raise Http404
    return units.order_by("name")


class InboxFilter(forms.Form):
    """``?enhet=<id>&status=ej-hanterade|hanterade|alla``; bad values get a Swedish message."""

    enhet = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="Enhet",
        empty_label="Alla mina enheter",
        error_messages={"invalid_choice": "Välj en av de enheter du är planerare för."},
    )
    status = forms.ChoiceField(
        choices=[(OPEN, "Ej hanterade"), (HANDLED, "Hanterade"), (ALL, "Alla")],
        required=False,
        label="Visa",
        error_messages={"invalid_choice": "Välj ej hanterade, hanterade eller alla."},
    )

    def __init__(self, data: Any, units: QuerySet[Unit]) -> None:
        super().__init__(data)
        self.fields["enhet"].queryset = units  # type: ignore[attr-defined]

    def notices(self, units: QuerySet[Unit]) -> QuerySet[SchedulerNotice]:
        """The chosen notices, oldest first; call after ``is_valid()``."""
        chosen = self.cleaned_data.get("enhet")
        notices = SchedulerNotice.objects.filter(
            unit_id__in=[chosen.pk] if chosen else units.values("pk"),
            case__closed_on__isnull=True,
        )
        status = self.cleaned_data.get("status") or OPEN
        if status == OPEN:
            notices = notices.filter(handled_at__isnull=True)
        elif status == HANDLED:
            notices = notices.filter(handled_at__isnull=False)
        return notices.order_by("created_at", "pk")


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


@dataclass
class _Shown:
    notice: SchedulerNotice
    items: list[dict[str, Any]]
    may_open_plan: bool


def _chosen(
    request: AuthenticatedHttpRequest,
) -> tuple[InboxFilter, QuerySet[SchedulerNotice] | None]:
    units = _units(request)
    form = InboxFilter(request.GET, units)
    if not form.is_valid():
        return form, None
    related = ("case__person", "unit", "plan_version__plan__case")
    return form, form.notices(units).select_related(*related)


@login_required
def scheduler_inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, chosen = _chosen(request)
    if chosen is None:
        context = {"form": form, "shown": [], "more": False, "query": ""}
        return render(request, "oversight/scheduler_inbox.html", context, status=400)
    notices = list(chosen[: LIMIT + 1])
    more, notices = len(notices) > LIMIT, notices[:LIMIT]
    readable = readable_plan_ids(request.user, [n.plan_version.plan for n in notices])
    shown = [
        _Shown(
            notice,
            [
                item | {"visit_texts": [schedule_text(v) for v in part_visits(item)]}
                for item in notice.items
            ],
            notice.plan_version.plan_id in readable,
        )
        for notice in notices
    ]
    _log(request, notices, AccessAction.VIEW_LIST)
    context = {"form": form, "shown": shown, "more": more, "query": request.GET.urlencode()}
    return render(request, "oversight/scheduler_inbox.html", context)


@login_required
@require_POST
def scheduler_handled(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    notice = _get_notice(request, notice_id)
    scheduler_notice_handled(notice=notice, by=request.user)
    messages.success(request, "Markerat som schemalagt.")
    return redirect("scheduler_inbox")


@login_required
def scheduler_ical(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    """Recurring events per visit. No names: calendars leave the system (R-LIFE-8)."""
    notice = _get_notice(request, notice_id)
    _log(request, [notice], AccessAction.EXPORT)
    start = notice.plan_version.established_on or timezone.localdate()
    body = notice_calendar(notice, start=start, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schema-arende-{notice.case_id}.ics"'
    return response


@login_required
def scheduler_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The chosen notices (by default the unhandled ones) as CSV for Swedish Excel."""
    form, chosen = _chosen(request)
    if chosen is None:
        errors = " ".join(str(e) for field in form.errors.values() for e in field)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    notices = list(chosen)
    _log(request, notices, AccessAction.EXPORT)
    response = HttpResponse(notices_csv(notices), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="att-schemalagga.csv"'
    return response
