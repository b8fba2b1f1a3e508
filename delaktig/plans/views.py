"""Plan pages: reading versions, signing, handover, establishing, new versions (R-LIFE-3..8).

Every GET that shows plan content writes an access-log row (R-LIFE-8). The
editor for drafts lives in ``editor.py``.
"""

from __future__ import annotations

import difflib
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.models import Membership, Role
from delaktig.organisation.services import ProfileResolver
from delaktig.people.models import Case
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_record
from delaktig.web.access import managed_units

from .access import get_readable_plan, latest_version, may_write
from .display import SIP_LABELS, content_lines, schedule_text, statements_by_source
from .models import Plan, PlanVersion, Signature, SignatureMethod, SignerRole, VersionState
from .services import (
    SignatureInput,
    handover_record,
    may_sign,
    missing_roles,
    plan_establish,
    plan_new_version,
    plan_start,
    required_roles,
    sign_many,
    signature_record,
)


def _today() -> date:
    return timezone.localdate()


def _log(
    request: AuthenticatedHttpRequest, plan: Plan, version: PlanVersion, action: AccessAction
) -> None:
    access_log_record(
        user=request.user,
        person=plan.case.person,
        action=action,
        case=plan.case,
        object_id=str(version.pk),
    )


def _version(plan: Plan, number: int) -> PlanVersion:
    version = (
        plan.versions.filter(number=number)
        .prefetch_related("signatures", "handovers")
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
            part.get("key"): schedule_text(part.get("schedule"))
            for part in content.get("interventions", [])
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
    if (
        case is None
        or not Membership.objects.filter(
            user_id=request.user.pk, unit_id=case.unit_id, role__in=(Role.STAFF, Role.UNIT_MANAGER)
        ).exists()
    ):
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
    plan, roles = get_readable_plan(request.user, plan_uuid)
    return version_detail(request, plan_uuid, latest_version(plan).number, _plan=(plan, roles))


@login_required
def version_detail(
    request: AuthenticatedHttpRequest,
    plan_uuid: UUID,
    number: int,
    _plan: tuple[Plan, set[str]] | None = None,
) -> HttpResponse:
    plan, roles = _plan or get_readable_plan(request.user, plan_uuid)
    version = _version(plan, number)
    _log(request, plan, version, AccessAction.VIEW_PLAN)
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
        "can_write": may_write(roles, latest),
        "missing": missing_roles(version, day)
        if version.state == VersionState.READY_FOR_SIGNING
        else [],
        "required": required_roles(version, day),
        "signatures": {s.role: s for s in version.signatures.all()},
        "follow_ups": list(plan.follow_ups.order_by("-held_on")[:50]),
        **_content_context(version),
    }
    return render(request, "plans/version_detail.html", context)


@login_required
def version_diff(request: AuthenticatedHttpRequest, plan_uuid: UUID, number: int) -> HttpResponse:
    """What changed from version ``number`` to the next one (R-ARC-1: changes are visible)."""
    plan, _roles = get_readable_plan(request.user, plan_uuid)
    older = _version(plan, number)
    newer = _version(plan, number + 1)
    _log(request, plan, newer, AccessAction.VIEW_PLAN)
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

    plan, _roles = get_readable_plan(request.user, plan_uuid)
    version = _version(plan, number)
    variant = (
        PdfVariant.EASY
        if request.GET.get("variant") == PdfVariant.EASY.value
        else PdfVariant.STANDARD
    )
    _log(request, plan, version, AccessAction.PRINT_PLAN)
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


@login_required
@require_http_methods(["GET", "POST"])
def plan_signing(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    """Signatures, handover and establishing of the version waiting for signatures."""
    plan, roles = get_readable_plan(request.user, plan_uuid)
    version = latest_version(plan)
    if version.state != VersionState.READY_FOR_SIGNING:
        messages.info(request, "Det finns ingen version som väntar på signering.")
        return redirect("plan_detail", plan_uuid=plan.uuid)
    day = _today()
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            message = _signing_action(request, version, action, day, roles)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, message)
            if action == "establish":
                return redirect("plan_detail", plan_uuid=plan.uuid)
            return redirect("plan_signing", plan_uuid=plan.uuid)
    else:
        _log(request, plan, version, AccessAction.VIEW_PLAN)
    version = _version(plan, version.number)
    required = required_roles(version, day)
    missing = missing_roles(version, day)
    signatures = {s.role: s for s in version.signatures.all()}
    rows = [
        {
            "role": role,
            "signature": signatures.get(role),
            "can_sign": role != SignerRole.PERSON and may_sign(version, role, request.user),
        }
        for role in required
    ]
    return render(
        request,
        "plans/signing.html",
        {
            "plan": plan,
            "person": plan.case.person,
            "version": version,
            "rows": rows,
            "missing": missing,
            "person_required": SignerRole.PERSON in required,
            "person_pending": SignerRole.PERSON in missing,
            "can_record_person": may_sign(version, SignerRole.PERSON, request.user),
            "handovers": list(version.handovers.all()),
            "errors": errors,
            "today": day,
            "methods": SignatureMethod.choices,
            "post": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


def _date(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(f"{label}: skriv ett datum som ÅÅÅÅ-MM-DD.") from exc


def _signing_action(
    request: AuthenticatedHttpRequest,
    version: PlanVersion,
    action: str,
    day: date,
    roles: set[str],
) -> str:
    post = request.POST
    if action == "sign_person":
        signed = post.get("signed", "yes") == "yes"
        method = post.get("method", "")
        if method not in SignatureMethod.values:
            raise ValidationError("Välj hur den enskilde signerade.")
        signature_record(
            version=version,
            data=SignatureInput(
                role=SignerRole.PERSON,
                method=SignatureMethod(method),
                signed_on=_date(post.get("signed_on", ""), "Datum"),
                signed=signed,
                not_signed_reason=post.get("reason", "")[:2000],
                signer_name=post.get("signer_name", "")[:150],
            ),
            by=request.user,
        )
        return "Den enskildes signatur är registrerad." if signed else "Anledningen är registrerad."
    if action == "sign_role":
        role = post.get("role", "")
        if role not in SignerRole.values or role == SignerRole.PERSON:
            raise ValidationError("Okänd roll.")
        signature_record(
            version=version,
            data=SignatureInput(
                role=SignerRole(role), method=SignatureMethod.IN_SYSTEM, signed_on=day
            ),
            by=request.user,
        )
        return f"Du har signerat som {SignerRole(role).label.lower()}."
    if action == "handover":
        if not may_write(roles, version):
            raise ValidationError(
                "Bara kontaktmannen eller personalen kan registrera överlämnandet."
            )
        handover_record(
            version=version,
            gone_through_on=_date(post.get("gone_through_on", ""), "Genomgången"),
            communicated_on=_date(post.get("communicated_on", ""), "Överlämnad"),
            how=post.get("how", ""),
            by=request.user,
        )
        return "Överlämnandet är registrerat i journalen."
    if action == "establish":
        if not (
            may_sign(version, SignerRole.CONTACT_PERSON, request.user)
            or may_sign(version, SignerRole.UNIT_MANAGER, request.user)
        ):
            raise ValidationError("Bara kontaktmannen eller enhetschefen kan fastställa planen.")
        plan_establish(version=version, on=_date(post.get("on", ""), "Fastställd"), by=request.user)
        return "Planen är fastställd. Journalanteckning är skriven."
    raise ValidationError("Okänd åtgärd.")


@login_required
@require_POST
def plan_new_version_view(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    plan, roles = get_readable_plan(request.user, plan_uuid)
    if not may_write(roles, latest_version(plan)):
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
    return render(
        request, "plans/sign_list.html", {"waiting": waiting, "units": units, "today": day}
    )
