"""The quality report page and its CSV/Excel downloads (R-QA-2)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Field, Membership, Role, Unit
from delaktig.rules import add_months

from .reports import MEASURES, Cell, Row, compliance, to_csv, to_xlsx, totals

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 720, 220, 6


def report_units(request: AuthenticatedHttpRequest) -> QuerySet[Unit]:
    """Quality controllers see their administrations' units; unit managers their own units."""
    memberships = Membership.objects.filter(user_id=request.user.pk)
    admin_ids = memberships.filter(role=Role.QUALITY_CONTROLLER).values_list(
        "administration_id", flat=True
    )
    unit_ids = memberships.filter(role=Role.UNIT_MANAGER).values_list("unit_id", flat=True)
    return Unit.objects.filter(Q(administration_id__in=admin_ids) | Q(pk__in=unit_ids)).order_by(
        "name"
    )


def _month_param(value: str, default: date) -> date:
    try:
        year, month = (int(x) for x in value.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return default


def _selection(
    request: AuthenticatedHttpRequest,
) -> tuple[list[Unit], date, date, dict[str, object]]:
    units = list(report_units(request))
    if not units:
        raise Http404("Du har ingen enhet att följa.")
    today = timezone.localdate()
    default_last = today.replace(day=1)
    last = _month_param(request.GET.get("till", ""), default_last)
    first = _month_param(request.GET.get("fran", ""), add_months(last, -11))
    if first > last:
        first, last = last, first
    if (last.year - first.year) * 12 + last.month - first.month > 35:
        first = add_months(last, -35)
    field = request.GET.get("omrade", "")
    unit_param = request.GET.get("enhet", "")
    chosen = [u for u in units if (not field or u.field == field)]
    if unit_param.isdigit():
        chosen = [u for u in chosen if u.pk == int(unit_param)]
    filters = {
        "units": units,
        "fields": Field.choices,
        "field": field,
        "unit_id": int(unit_param) if unit_param.isdigit() else None,
        "first": first,
        "last": last,
    }
    month_end = add_months(last, 1) - timedelta(days=1)
    return chosen, first, month_end, filters


def _chart(rows: list[Row], measure: str, label: str) -> dict[str, object]:
    """An SVG bar chart of the share per month over the chosen units, with its numbers."""
    by_month: dict[date, Cell] = {}
    for row in rows:
        c: Cell = getattr(row, measure)
        agg = by_month.setdefault(row.month, Cell())
        agg.done += c.done
        agg.total += c.total
    months = sorted(by_month)
    width = (CHART_WIDTH - 40) / max(1, len(months))
    bars = []
    for i, month in enumerate(months):
        c = by_month[month]
        share = c.share or 0.0
        height = round(share * (CHART_HEIGHT - 45))
        # Coordinates are strings: the Swedish locale would print 40.5 as "40,5" in SVG.
        bars.append(
            {
                "x": f"{40 + i * width + BAR_GAP / 2:.1f}",
                "y": str(CHART_HEIGHT - 20 - height),
                "width": f"{width - BAR_GAP:.1f}",
                "height": str(height),
                "label": f"{month:%Y-%m}",
                "short": f"{month:%m}",
                "text_x": f"{40 + i * width + width / 2:.1f}",
                "value_y": str(max(12, CHART_HEIGHT - 24 - height)),
                "percent": c.percent,
                "cell": c,
            }
        )
    return {
        "measure": measure,
        "label": label,
        "bars": bars,
        "width": str(CHART_WIDTH),
        "height": str(CHART_HEIGHT),
        "axis_y": str(CHART_HEIGHT - 20),
        "label_y": str(CHART_HEIGHT - 6),
        "zero_y": str(CHART_HEIGHT - 22),
    }


@login_required
def quality_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    units, first, last, filters = _selection(request)
    today = timezone.localdate()
    rows = compliance(units, first, last, today)
    return render(
        request,
        "oversight/quality_report.html",
        {
            "rows": rows,
            "totals": totals(rows),
            "per_unit": [(u, totals(r for r in rows if r.unit.pk == u.pk)) for u in units],
            "measures": MEASURES,
            "charts": [_chart(rows, m, label) for m, label in MEASURES],
            "query": request.GET.urlencode(),
            **filters,
        },
    )


@login_required
def quality_report_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    units, first, last, _filters = _selection(request)
    rows = compliance(units, first, last, timezone.localdate())
    name = f"foljsamhet-{first:%Y-%m}-{last:%Y-%m}"
    if fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
