"""The archivist's disposal pages: proposals, their person files, approve or reject (R-ARC-3).

Only an archivist of the proposal's municipality sees anything (404 for
everyone else: that a proposal exists is itself information). The detail
page shows name and personnummer of each file on the page — the archivist is
authorised to see the person file and must be able to identify it to decide
(e.g. against a legal hold or a research request); each file shown is
written to the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from delaktig import rules
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Unit
from delaktig.people.models import Person
from delaktig.records.models import AccessAction, AccessLog

from .contents import kind_labels
from .forms import DecisionForm, HandOverForm
from .models import (
    OPEN_STATUSES,
    DisposalProposal,
    DisposalRecord,
    ItemOutcome,
    ProposalStatus,
)
from .services import archivist_municipality_ids, item_hand_over, proposal_decide

PAGE_SIZE = 50


def _proposal(request: AuthenticatedHttpRequest, proposal_id: int) -> DisposalProposal:
    proposal = (
        DisposalProposal.objects.filter(
            pk=proposal_id, municipality_id__in=archivist_municipality_ids(request.user)
        )
        .select_related("municipality", "decided_by", "executed_by")
        .first()
    )
    if proposal is None:
        raise Http404("Förslaget finns inte eller så saknar du behörighet.")
    return proposal


@login_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality_ids = archivist_municipality_ids(request.user)
    if not municipality_ids:
        raise Http404
    # Overdue: still waiting in an open proposal after 31 December of the year after the
    # earliest date ("avslutad senast kalenderåret efter", rules.latest_disposal_date).
    before = rules.overdue_if_earliest_before(timezone.localdate())
    proposals = (
        DisposalProposal.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality")
        .annotate(
            item_count=Count("items"),
            overdue_count=Count(
                "items",
                filter=Q(
                    status__in=OPEN_STATUSES,
                    items__outcome=ItemOutcome.PENDING,
                    items__hand_over=False,
                    items__disposal_date__lt=before,
                ),
            ),
            hand_over_count=Count(
                "items",
                filter=Q(items__hand_over=True, items__handed_over_at__isnull=True)
                & ~Q(status=ProposalStatus.REJECTED),
            ),
        )
        .order_by("-created_at", "-pk")[:200]
    )
    return render(request, "disposal/proposal_list.html", {"proposals": proposals})


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    page = Paginator(proposal.items.order_by("pk"), PAGE_SIZE).get_page(request.GET.get("sida"))
    items = list(page.object_list)
    persons = Person.objects.in_bulk([item.person_id for item in items])
    unit_names = dict(
        Unit.objects.filter(pk__in={u for item in items for u in item.unit_ids}).values_list(
            "pk", "name"
        )
    )
    labels = kind_labels()
    today = timezone.localdate()
    may_hand_over = proposal.status != ProposalStatus.REJECTED
    rows = []
    for item in items:
        rows.append(
            {
                "item": item,
                "overdue": proposal.is_open and item.is_overdue(today),
                "hand_over_form": HandOverForm(prefix=f"a{item.pk}")
                if item.hand_over and item.handed_over_at is None and may_hand_over
                else None,
                "person": persons.get(item.person_id),
                "units": [unit_names.get(u, f"Enhet {u}") for u in item.unit_ids],
                "counts": [
                    (label, item.counts[key])
                    for key, label in labels.items()
                    if item.counts.get(key)
                ],
            }
        )
    # Every person file shown by name is an access to it (R-LIFE-8).
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                municipality_id=person.municipality_id,
                user=request.user,
                person=person,
                action=AccessAction.VIEW_PERSON,
                object_id=f"gallring:{proposal.pk}",
            )
            for person in persons.values()
        ]
    )
    record = DisposalRecord.objects.filter(proposal=proposal).first()
    record_counts = []
    if record is not None:
        record_counts = [
            (label, record.counts[key]) for key, label in labels.items() if key in record.counts
        ]
    return render(
        request,
        "disposal/proposal_detail.html",
        {
            "proposal": proposal,
            "page": page,
            "rows": rows,
            "record": record,
            "record_counts": record_counts,
            "form": DecisionForm() if proposal.status == ProposalStatus.PROPOSED else None,
        },
    )


@login_required
@require_POST
def proposal_decision(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal(request, proposal_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("disposal_proposal_detail", proposal_id=proposal.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        proposal_decide(
            proposal=proposal, by=request.user, approve=approve, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            "Gallringen är godkänd. Den verkställs av systemförvaltningen."
            if approve
            else "Förslaget är avslaget.",
        )
    return redirect("disposal_proposal_detail", proposal_id=proposal.pk)


@login_required
@require_POST
def item_hand_over_view(
    request: AuthenticatedHttpRequest, proposal_id: int, item_id: int
) -> HttpResponse:
    """Record that a child's LSS file was handed over to the deciding board (23 d § LSS)."""
    proposal = _proposal(request, proposal_id)
    item = proposal.items.filter(pk=item_id).first()
    if item is None:
        raise Http404("Akten finns inte i förslaget.")
    form = HandOverForm(request.POST, prefix=f"a{item.pk}")
    if not form.is_valid():
        for field_name, errors in form.errors.items():
            label = form.fields[field_name].label if field_name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect("disposal_proposal_detail", proposal_id=proposal.pk)
    try:
        item_hand_over(
            item=item, by=request.user, to=form.cleaned_data["to"], on=form.cleaned_data["on"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"Överlämnandet av akt {item.person_id} är registrerat.")
    return redirect("disposal_proposal_detail", proposal_id=proposal.pk)
