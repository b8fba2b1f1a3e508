"""Plan pages: reading versions, signing, handover, establishing, new versions (R-LIFE-3..8).

Every GET that shows plan content writes an access-log row (R-LIFE-8). The
editor for drafts lives in ``editor.py``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delaktig import rules
from delaktig.core import clock
from delaktig.core.access import denied_is_not_found
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.services import ProfileResolver
from delaktig.people.access import managed_units
from delaktig.people.models import Case
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_cases

from .access import PlanAccess, plan_for
from .display import SIP_LABELS, content_lines, statements_by_source, visits_text
from .editor_form import field_label
from .forms import (
    ApprovalForm,
    DateCorrectionForm,
    EstablishForm,
    HandoverForm,
    PersonSignatureForm,
    RegisterAfterwardsForm,
    RoleSignatureForm,
    form_errors,
)
from .models import (
    CorrectedDate,
    DateCorrection,
    FollowUp,
    HslConfirmation,
    Plan,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
    VersionState,
    newest_corrections,
)
from .services import (
    SignatureInput,
    approval_record,
    approvers,
    date_correct,
    handover_record,
    is_change,
    may_start_plan,
    missing_roles,
    plan_establish,
    plan_new_version,
    plan_register_established_afterwards,
    plan_start,
    required_roles,
    sign_many,
    signature_record,
)


def _today() -> date:
    return clock.today()


def _version(plan: Plan, number: int) -> PlanVersion:
    version = (
        plan.versions.filter(number=number)
        .prefetch_related(
            "signatures",
            "handovers",
            "approvals",
            Prefetch(
                "corrections",
                queryset=DateCorrection.objects.select_related("recorded_by"),
            ),
            Prefetch(
                "hsl_confirmations",
                queryset=HslConfirmation.objects.select_related("recorded_by"),
            ),
        )
        .select_related("established_by")
        .first()
    )
    if version is None:
        raise Http404("Versionen finns inte.")
    return version


def _content_context(version: PlanVersion) -> dict[str, object]:
    content = version.content
    return {
        "content": content,
        "statements": statements_by_source(content),
        "sip_label": SIP_LABELS.get(content.get("sip_status", ""), ""),
        "schedules": {
            part.get("key"): visits_text(part) for part in content.get("interventions", [])
        },
    }


@login_required
@require_POST
def plan_start_view(request: AuthenticatedHttpRequest, case_uuid: UUID) -> HttpResponse:
    """Start a plan for a case: the person's contact person or the unit's staff."""
    case = (
        Case.objects.visible_to(request.user)
        .filter(uuid=case_uuid)
        .select_related("person")
        .first()
    )
    if case is None or not may_start_plan(request.user, case):
        raise Http404
    existing = Plan.objects.filter(case=case).order_by("-pk").first()
    if existing is not None:
        return redirect("plan_detail", plan_uuid=existing.uuid)
    try:
        version = plan_start(case=case, by=request.user, on=_today())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("person_detail", person_uuid=case.person.uuid)
    return redirect("plan_edit", plan_uuid=version.plan.uuid)


@login_required
def plan_detail(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    """The version in force, if there is one (a new draft is a banner on it), else the latest."""
    access = plan_for(request.user, plan_uuid)
    in_force = access.plan.established_version
    number = in_force.number if in_force is not None else access.latest.number
    return version_detail(request, plan_uuid, number, _access=access)


@login_required
def version_detail(
    request: AuthenticatedHttpRequest,
    plan_uuid: UUID,
    number: int,
    _access: PlanAccess | None = None,
    _errors: Sequence[str] = (),
) -> HttpResponse:
    access = _access or plan_for(request.user, plan_uuid)
    plan = access.plan
    version = _version(plan, number)
    access.record_read(version)
    follow_ups = list(plan.follow_ups.order_by("-held_on")[:50])
    # The follow-ups listed are the plan's (any version): their corrections too.
    corrections = [c for c in version.corrections.all() if c.follow_up_id is None] + list(
        DateCorrection.objects.filter(follow_up__in=follow_ups)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
    newest = newest_corrections(corrections)
    for f in follow_ups:  # the date that counts: the newest correction, else the one entered
        fix = newest.get((f"follow_up-{f.pk}", CorrectedDate.HELD_ON.value))
        f.held = fix.new_value if fix else f.held_on
    versions = list(
        plan.versions.order_by("-number").only(
            "number", "state", "established_on", "created_at", "plan_id"
        )
    )
    latest = versions[0]
    day = _today()
    context = {
        "plan": plan,
        "person": plan.case.person,
        "version": version,
        "versions": versions,
        "is_latest": version.number == latest.number,
        "latest": latest,
        "in_force": version.pk == plan.established_version_id,
        "access": access,
        "missing": missing_roles(version, day)
        if version.state == VersionState.READY_FOR_SIGNING
        else [],
        "required": required_roles(version, day),
        "signatures": {s.role: s for s in version.signatures.all()},
        "approvals": list(version.approvals.all()),
        "hsl_confirmations": _hsl_confirmations(version),
        "handovers": list(version.handovers.all()),
        "corrections": _corrections_by_record(corrections),
        "may_correct": access.may_correct_dates and version.state != VersionState.DRAFT,
        "today": day,
        "errors": list(_errors),
        "follow_ups": follow_ups,
        **_content_context(version),
    }
    return render(request, "plans/version_detail.html", context, status=400 if _errors else 200)


@login_required
@require_POST
@denied_is_not_found
def date_correct_view(
    request: AuthenticatedHttpRequest, plan_uuid: UUID, number: int
) -> HttpResponse:
    """Correct a wrongly entered paper date: a new, audited event (issue 9)."""
    access = plan_for(request.user, plan_uuid)
    version = _version(access.plan, number)
    form = DateCorrectionForm(request.POST)
    if not form.is_valid():
        return version_detail(request, plan_uuid, number, access, form_errors(form))
    data = form.cleaned_data
    signature = handover = follow_up = None
    if data["record"] == "signature":
        signature = next((s for s in version.signatures.all() if s.pk == data["record_id"]), None)
    elif data["record"] == "handover":
        handover = next((h for h in version.handovers.all() if h.pk == data["record_id"]), None)
    else:
        follow_up = FollowUp.objects.filter(plan=access.plan, pk=data["record_id"]).first()
    if signature is None and handover is None and follow_up is None:
        return version_detail(
            request, plan_uuid, number, access, ["Uppgiften finns inte i den här versionen."]
        )
    try:
        date_correct(
            field=CorrectedDate(data["field"]),
            new_value=data["new_value"],
            reason=data["reason"],
            by=request.user,
            signature=signature,
            handover=handover,
            follow_up=follow_up,
        )
    except ValidationError as exc:
        return version_detail(request, plan_uuid, number, access, exc.messages)
    messages.success(request, "Datumet är rättat. Det tidigare datumet finns kvar i historiken.")
    return redirect("version_detail", plan_uuid=access.plan.uuid, number=number)


@login_required
def version_diff(request: AuthenticatedHttpRequest, plan_uuid: UUID, number: int) -> HttpResponse:
    """What changed from version ``number`` to the next one (R-ARC-1: changes are visible)."""
    access = plan_for(request.user, plan_uuid)
    plan = access.plan
    older = _version(plan, number)
    newer = _version(plan, number + 1)
    access.record_read(newer)
    rows = []
    for line in difflib.ndiff(
        list(content_lines(older.content)), list(content_lines(newer.content))
    ):
        tag, text = line[:2], line[2:]
        if tag == "? ":
            continue
        rows.append({"kind": {"- ": "removed", "+ ": "added"}.get(tag, "same"), "text": text})
    return render(
        request,
        "plans/version_diff.html",
        {"plan": plan, "person": plan.case.person, "older": older, "newer": newer, "rows": rows},
    )


@login_required
def version_pdf(request: AuthenticatedHttpRequest, plan_uuid: UUID, number: int) -> HttpResponse:
    from .pdf import PdfVariant, render_plan_pdf

    access = plan_for(request.user, plan_uuid)
    version = _version(access.plan, number)
    variant = (
        PdfVariant.EASY
        if request.GET.get("variant") == PdfVariant.EASY.value
        else PdfVariant.STANDARD
    )
    access.record_read(version, AccessAction.PRINT_PLAN)
    data = render_plan_pdf(
        version, variant=variant, printed_by=request.user.get_full_name() or request.user.username
    )
    response = HttpResponse(data, content_type="application/pdf")
    # The file name carries no personal data, only the version.
    suffix = "-lattlast" if variant == PdfVariant.EASY else ""
    response["Content-Disposition"] = (
        f'attachment; filename="genomforandeplan-v{version.number}{suffix}.pdf"'
    )
    return response


def _signing_page(
    request: AuthenticatedHttpRequest,
    access: PlanAccess,
    *,
    errors: Sequence[str] = (),
    post: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The signing page: handover, signatures and establishing of the waiting version."""
    plan = access.plan
    version = _version(plan, access.latest.number)
    access.record_read(version)  # every showing: a GET, or the page again with errors
    day = _today()
    required = required_roles(version, day)
    missing = missing_roles(version, day)
    signatures = {s.role: s for s in version.signatures.all()}
    rows = [
        {
            "role": role,
            "signature": signatures.get(role),
            "can_sign": role != SignerRole.PERSON and access.may_sign(role),
        }
        for role in required
    ]
    profile = ProfileResolver().profile(plan.unit, day)
    approval_needed = is_change(version) and profile.change_approval.value != "none_required"
    return render(
        request,
        "plans/signing.html",
        {
            "hsl_confirmations": _hsl_confirmations(version),
            "approval_needed": approval_needed,
            "approval_rule": profile.change_approval.value,
            "approved": approval_needed
            and rules.approval_problem(profile, is_change=True, approvers=approvers(version))
            is None,
            "approvals": list(version.approvals.all()),
            "relatives": [
                r for r in plan.case.person.relatives.all() if not r.is_legal_representative
            ]
            if approval_needed
            else [],
            "plan": plan,
            "person": plan.case.person,
            "version": version,
            "access": access,
            "rows": rows,
            "missing": missing,
            "person_required": SignerRole.PERSON in required,
            "person_pending": SignerRole.PERSON in missing,
            "handovers": list(version.handovers.all()),
            "errors": list(errors),
            "today": day,
            "methods": SignatureMethod.choices,
            "post": post or {},
        },
        status=400 if errors else 200,
    )


def _corrections_by_record(
    corrections: Sequence[DateCorrection],
) -> dict[str, list[DateCorrection]]:
    """The corrections of each record (``DateCorrection.record``), oldest first."""
    groups: dict[str, list[DateCorrection]] = {}
    for c in corrections:
        groups.setdefault(c.record, []).append(c)
    return groups


def _hsl_confirmations(version: PlanVersion) -> list[dict[str, str]]:
    """What the author confirmed is not health-care documentation, in words (R-PLAN-11)."""
    return [
        {
            "term": c.term,
            "where": field_label(c.field, version.content),
            "by": c.recorded_by.get_full_name() or c.recorded_by.get_username(),
            "on": f"{c.recorded_at:%Y-%m-%d}",
        }
        for c in version.hsl_confirmations.all()
    ]


def _waiting_for_signatures(
    request: AuthenticatedHttpRequest, plan_uuid: UUID
) -> PlanAccess | HttpResponse:
    access = plan_for(request.user, plan_uuid)
    if access.latest.state != VersionState.READY_FOR_SIGNING:
        messages.info(request, "Det finns ingen version som väntar på signering.")
        return redirect("plan_detail", plan_uuid=access.plan.uuid)
    return access


@login_required
@require_GET
def plan_signing(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    """Signatures, handover and establishing of the version waiting for signatures."""
    access = _waiting_for_signatures(request, plan_uuid)
    if isinstance(access, HttpResponse):
        return access
    return _signing_page(request, access)


def _signing_action(
    form_class: type[forms.Form],
    act: Callable[[AuthenticatedHttpRequest, PlanAccess, dict[str, Any]], str],
    *,
    done: str = "plan_signing",
) -> Callable[..., HttpResponse]:
    """A POST-only view for one action of the signing page: its form, its service."""

    @login_required
    @require_POST
    @denied_is_not_found
    def view(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
        access = _waiting_for_signatures(request, plan_uuid)
        if isinstance(access, HttpResponse):
            return access
        form = form_class(request.POST)
        if not form.is_valid():
            return _signing_page(request, access, errors=form_errors(form), post=request.POST)
        try:
            message = act(request, access, form.cleaned_data)
        except ValidationError as exc:  # Refused included: the reason is shown
            return _signing_page(request, access, errors=exc.messages, post=request.POST)
        messages.success(request, message)
        return redirect(done, plan_uuid=access.plan.uuid)

    view.__name__ = view.__qualname__ = act.__name__.lstrip("_") + "_view"
    return view


def _hand_over(request: AuthenticatedHttpRequest, access: PlanAccess, data: dict[str, Any]) -> str:
    handover_record(
        version=access.latest,
        gone_through_on=data["gone_through_on"],
        communicated_on=data["communicated_on"],
        how=data["how"],
        by=request.user,
    )
    return "Överlämnandet är registrerat i journalen."


def _sign_person(
    request: AuthenticatedHttpRequest, access: PlanAccess, data: dict[str, Any]
) -> str:
    signature_record(
        version=access.latest,
        data=SignatureInput(
            role=SignerRole.PERSON,
            method=SignatureMethod(data["method"]),
            signed_on=data["signed_on"],
            signed=data["signed"],
            not_signed_reason=data["reason"],
            signer_name=data["signer_name"],
        ),
        by=request.user,
    )
    return (
        "Den enskildes signatur är registrerad."
        if data["signed"]
        else "Anledningen är registrerad."
    )


def _sign_role(request: AuthenticatedHttpRequest, access: PlanAccess, data: dict[str, Any]) -> str:
    role = SignerRole(data["role"])
    signature_record(
        version=access.latest,
        data=SignatureInput(role=role, method=SignatureMethod.IN_SYSTEM, signed_on=_today()),
        by=request.user,
    )
    return f"Du har signerat som {role.label.lower()}."


def _establish(request: AuthenticatedHttpRequest, access: PlanAccess, data: dict[str, Any]) -> str:
    plan_establish(version=access.latest, by=request.user)
    return "Planen är fastställd. Journalanteckning är skriven."


def _register_afterwards(
    request: AuthenticatedHttpRequest, access: PlanAccess, data: dict[str, Any]
) -> str:
    plan_register_established_afterwards(
        version=access.latest,
        established_on=data["established_on"],
        reason=data["reason"],
        by=request.user,
    )
    return "Planen är registrerad som fastställd i efterhand. Journalanteckning är skriven."


def _approve(request: AuthenticatedHttpRequest, access: PlanAccess, data: dict[str, Any]) -> str:
    approval_record(
        version=access.latest,
        approver=rules.Approver(data["approver"]),
        relative_id=data["relative"],
        approved_on=data["approved_on"],
        how=data["how"],
        by=request.user,
    )
    return "Godkännandet av ändringarna är registrerat."


handover_create = _signing_action(HandoverForm, _hand_over)
approval_create = _signing_action(ApprovalForm, _approve)
person_signature_create = _signing_action(PersonSignatureForm, _sign_person)
role_signature_create = _signing_action(RoleSignatureForm, _sign_role)
plan_establish_view = _signing_action(EstablishForm, _establish, done="plan_detail")
plan_register_afterwards_view = _signing_action(
    RegisterAfterwardsForm, _register_afterwards, done="plan_detail"
)


@login_required
@require_POST
@denied_is_not_found
def plan_new_version_view(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    access = plan_for(request.user, plan_uuid)
    plan = access.plan
    if not access.may_start_new_version:
        raise Http404
    try:
        plan_new_version(plan=plan, by=request.user, on=_today())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("plan_detail", plan_uuid=plan.uuid)
    messages.success(
        request, "En ny version är skapad. Den gällande planen gäller tills den nya fastställs."
    )
    return redirect("plan_edit", plan_uuid=plan.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def sign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A unit manager's plans waiting for their signature; sign several in a row (R-LIFE-4)."""
    units = list(managed_units(request.user).select_related("administration__municipality"))
    day = _today()
    resolver = ProfileResolver()
    candidates = (
        PlanVersion.objects.filter(
            state=VersionState.READY_FOR_SIGNING,
            plan__unit__in=units,
            plan__case__closed_on__isnull=True,
        )
        .exclude(signatures__role=SignerRole.UNIT_MANAGER)
        .select_related("plan__case__person", "plan__unit__administration__municipality")
        .prefetch_related(
            Prefetch(
                "signatures",
                queryset=Signature.objects.only("role", "version_id", "content_sha256"),
            )
        )
        .order_by("sent_for_signing_at")
    )
    waiting = [
        v
        for v in candidates
        if SignerRole.UNIT_MANAGER.value
        in {s.value for s in resolver.profile(v.plan.unit, day).required_signers}
    ]
    if request.method == "POST":
        chosen_ids = {int(x) for x in request.POST.getlist("version") if x.isdigit()}
        chosen = [v for v in waiting if v.pk in chosen_ids]
        if not chosen:
            messages.error(request, "Välj minst en plan att signera.")
        else:
            try:
                sign_many(versions=chosen, by=request.user, on=day)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, f"Du har signerat {len(chosen)} plan{'er' if len(chosen) > 1 else ''}."
                )
            return redirect("sign_list")
    access_log_cases(
        user=request.user,
        reads=[(v.plan.case, str(v.pk)) for v in waiting],
        action=AccessAction.VIEW_LIST,
    )
    return render(
        request, "plans/sign_list.html", {"waiting": waiting, "units": units, "today": day}
    )
