"""Archive pages: closing a case, the unit's outstanding deliveries, the archivist's desk (R-ARC-4).

Thin typed views over ``archive.access`` (404 for anyone without a need, R-LIFE-8),
``archive.queries`` and ``archive.services``. Every page that shows a person
writes an access-log row; downloading a package is logged as an export.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.people.access import get_managed_case, record_person_read
from delaktig.people.models import GrantedIntervention
from delaktig.plans.models import PlanVersion
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_cases, access_log_record

from .access import (
    archivist_administration_ids,
    get_archivist_delivery,
    get_managed_delivery,
    managed_unit_ids,
)
from .forms import STATUS_FILTERS, CaseCloseForm, ReceiveForm, ReturnForm
from .models import ArchiveDelivery, DeliveryStatus
from .queries import archivist_deliveries, outstanding_for_manager
from .services import (
    case_close,
    delivery_rebuild_request,
    delivery_receive,
    delivery_return,
)

PAGE_SIZE = 50


def _today() -> date:
    return timezone.localdate()


def _log_list(request: AuthenticatedHttpRequest, deliveries: list[ArchiveDelivery]) -> None:
    """A list of deliveries names their persons: each is a read (R-LIFE-8)."""
    access_log_cases(
        user=request.user,
        reads=[(d.case, str(d.uuid)) for d in deliveries],
        action=AccessAction.VIEW_LIST,
    )


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@login_required
@require_http_methods(["GET", "POST"])
def case_close_view(request: AuthenticatedHttpRequest, case_uuid: UUID) -> HttpResponse:
    """The unit manager closes a case; every plan goes to the archive (R-CASE-4)."""
    case = get_managed_case(request.user, case_uuid)
    person = case.person
    form = CaseCloseForm(request.POST or None, initial={"closed_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            delivery = case_close(
                case=case,
                on=form.cleaned_data["closed_on"],
                by=request.user,
                end_open_interventions=form.cleaned_data["end_open_interventions"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if delivery is None:
                messages.success(
                    request, "Ärendet är avslutat. Det fanns ingen genomförandeplan att arkivera."
                )
                return redirect("unit_overview", unit_id=case.unit_id)
            versions = _plural(len(delivery.versions), "planversion", "planversioner")
            messages.success(
                request,
                f"Ärendet är avslutat. {versions} skickas till arkivet – leveransen syns här "
                "tills arkivet har tagit emot den.",
            )
            return redirect("archive_unit_list")
    # The interventions' status on the day asked for (today until a valid date is posted).
    day = getattr(form, "cleaned_data", {}).get("closed_on") or _today()
    interventions = list(
        GrantedIntervention.objects.filter(case=case)
        .select_related("type")
        .order_by("start_date", "pk")
    )
    open_count = 0
    for item in interventions:
        item.still_open = item.end_date is None or item.end_date > day  # type: ignore[attr-defined]
        open_count += item.still_open  # type: ignore[attr-defined]
    record_person_read(request.user, person, case)
    return render(
        request,
        "archive/case_close.html",
        {
            "case": case,
            "person": person,
            "form": form,
            "interventions": interventions,
            "open_count": open_count,
            "version_count": PlanVersion.objects.filter(plan__case=case).count(),
            "day": day,
        },
    )


@login_required
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unit manager's deliveries not yet received by the archive (R-ARC-4, R-QA-1)."""
    if not managed_unit_ids(request.user).exists():
        raise Http404("Du är inte enhetschef.")
    deliveries = list(outstanding_for_manager(request.user))
    _log_list(request, deliveries)
    return render(
        request,
        "archive/unit_list.html",
        {
            "deliveries": deliveries,
            "returned": [d for d in deliveries if d.status == DeliveryStatus.RETURNED],
        },
    )


@login_required
@require_POST
def rebuild_request_view(request: AuthenticatedHttpRequest, delivery_uuid: UUID) -> HttpResponse:
    delivery = get_managed_delivery(request.user, delivery_uuid)
    try:
        delivery_rebuild_request(delivery=delivery, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Ett nytt arkivpaket byggs vid nästa körning och skickas till arkivet."
        )
    return redirect("archive_unit_list")


@login_required
def archivist_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The archivist's deliveries from the administration's units, by status."""
    if not archivist_administration_ids(request.user).exists():
        raise Http404("Du är inte arkivarie.")
    status = request.GET.get("status", DeliveryStatus.BUILT.value)
    if status not in STATUS_FILTERS:
        status = ""
    page = Paginator(archivist_deliveries(request.user, status or None), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    _log_list(request, list(page.object_list))
    return render(
        request,
        "archive/archivist_list.html",
        {"page": page, "status": status, "filters": STATUS_FILTERS},
    )


def _detail(
    request: AuthenticatedHttpRequest,
    delivery: ArchiveDelivery,
    receive_form: ReceiveForm,
    return_form: ReturnForm,
) -> HttpResponse:
    packages = list(delivery.packages.defer("data").order_by("-number"))
    receipts = list(delivery.receipts.select_related("recorded_by").order_by("recorded_at", "pk"))
    return render(
        request,
        "archive/detail.html",
        {
            "delivery": delivery,
            "person": delivery.case.person,
            "package": delivery.package,
            "older_packages": [p for p in packages if p.pk != delivery.package_id],
            "receipts": receipts,
            "receive_form": receive_form,
            "return_form": return_form,
            "can_answer": delivery.status == DeliveryStatus.BUILT,
        },
    )


@login_required
def archivist_detail(request: AuthenticatedHttpRequest, delivery_uuid: UUID) -> HttpResponse:
    delivery = get_archivist_delivery(request.user, delivery_uuid)
    access_log_record(
        user=request.user,
        person=delivery.case.person,
        action=AccessAction.VIEW_PERSON,
        case=delivery.case,
        object_id=str(delivery.uuid),
    )
    return _detail(request, delivery, ReceiveForm(initial={"received_on": _today()}), ReturnForm())


@login_required
def package_download(
    request: AuthenticatedHttpRequest, delivery_uuid: UUID, number: int
) -> HttpResponse:
    """The package ZIP; logged as an export of the person's data (R-LIFE-8)."""
    delivery = get_archivist_delivery(request.user, delivery_uuid)
    package = delivery.packages.filter(number=number).first()
    if package is None:
        raise Http404("Paketet finns inte.")
    access_log_record(
        user=request.user,
        person=delivery.case.person,
        action=AccessAction.EXPORT,
        case=delivery.case,
        object_id=str(package.uuid),
    )
    response = HttpResponse(bytes(package.data), content_type="application/zip")
    # The package id only: no personal data in the file name.
    response["Content-Disposition"] = f'attachment; filename="{package.download_name}"'
    response["Content-Length"] = str(package.size)
    return response


@login_required
@require_POST
def receive_view(request: AuthenticatedHttpRequest, delivery_uuid: UUID) -> HttpResponse:
    delivery = get_archivist_delivery(request.user, delivery_uuid)
    form = ReceiveForm(request.POST)
    if form.is_valid():
        try:
            delivery_receive(
                delivery=delivery, on=form.cleaned_data["received_on"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, "Kvittensen är registrerad. Enhetschefen ser att leveransen är mottagen."
            )
            return redirect("archive_detail", delivery_uuid=delivery.uuid)
    return _detail(request, delivery, form, ReturnForm())


@login_required
@require_POST
def return_view(request: AuthenticatedHttpRequest, delivery_uuid: UUID) -> HttpResponse:
    delivery = get_archivist_delivery(request.user, delivery_uuid)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            delivery_return(delivery=delivery, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Paketet är skickat tillbaka. Enhetschefen ser anledningen.")
            return redirect("archive_detail", delivery_uuid=delivery.uuid)
    return _detail(request, delivery, ReceiveForm(initial={"received_on": _today()}), form)
