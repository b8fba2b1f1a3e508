"""The follow-up form (R-FU-1..6): the five questions as a guide, per-goal outcomes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from delaktig import labels, rules
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.services import effective_profile

from .access import plan_for
from .followups import OUTCOME_LABELS, follow_up_record, plan_goals
from .forms import PARTICIPANT_ROLES, FollowUpForm, form_errors, participant_formset

# (field, question shown as label, required) — R-FU-4, in the order of S2.
TEXT_FIELDS = [
    ("person_view", labels.FOLLOW_UP["person_view"], True),
    ("assessment_methods", labels.FOLLOW_UP["assessment_methods"], False),
    ("carried_out_as_decided", labels.FOLLOW_UP["carried_out_as_decided"], True),
    ("situation", labels.FOLLOW_UP["situation"], True),
    ("action_needs", labels.FOLLOW_UP["action_needs"], False),
]


def agreed_follow_up(content: Any) -> dict[str, Any]:
    """What the plan says about its follow-up: for the whole plan and each part (R-PLAN-7).

    Shown on the follow-up form, so whoever records the follow-up sees what was agreed.
    Content made before interventions had their own text simply has none.
    """
    content = content if isinstance(content, dict) else {}

    def text(value: Any) -> str:
        return value.strip() if isinstance(value, str) else ""

    parts = [
        (text(part.get("name")) or "Insats", text(part.get("follow_up_how")))
        for part in content.get("interventions") or ()
        if isinstance(part, dict)
    ]
    return {"plan": text(content.get("follow_up_how")), "parts": [p for p in parts if p[1]]}


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_create(request: AuthenticatedHttpRequest, plan_uuid: UUID) -> HttpResponse:
    access = plan_for(request.user, plan_uuid)
    plan, version = access.plan, access.plan.established_version
    if version is None or not access.may_follow_up:
        raise Http404("Planen har ingen fastställd version som du kan följa upp.")
    today = timezone.localdate()
    profile = effective_profile(plan.unit, today)
    goals = plan_goals(version)
    errors: list[str] = []
    person = plan.case.person
    if request.method == "POST":
        form = FollowUpForm(request.POST, goals=goals)
        participants = participant_formset(request.POST)
        forms_valid = form.is_valid() & participants.is_valid()  # both, for every message
        errors = form_errors(form) + participants.row_errors()
        if participants.non_form_errors():
            errors.append("Deltagarlistan är ofullständig. Ladda om sidan och försök igen.")
        if forms_valid:
            try:
                result = follow_up_record(
                    plan=plan,
                    data=form.follow_up_input(participants.participants()),
                    by=request.user,
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, "Uppföljningen är registrerad och skriven i journalen.")
                if result.case_officer_notified is True:
                    messages.info(
                        request, "Handläggaren har fått ett meddelande om det ändrade behovet."
                    )
                elif result.case_officer_notified is False:
                    messages.warning(
                        request,
                        "Handläggarens e-post saknas i beslutet. Kontakta handläggaren "
                        "om det ändrade behovet på annat sätt.",
                    )
                if result.new_version is not None:
                    messages.info(
                        request, "En ny version av planen är påbörjad. Skriv in förändringarna."
                    )
                    return redirect("plan_edit", plan_uuid=plan.uuid)
                return redirect("plan_detail", plan_uuid=plan.uuid)
    else:
        participants = participant_formset(
            initial=[
                {"name": person.name, "role": rules.ParticipantRole.PERSON.value},
                {
                    "name": request.user.get_full_name() or request.user.username,
                    "role": rules.ParticipantRole.STAFF.value,
                },
            ]
        )
    post = request.POST if request.method == "POST" else None  # a POST here was refused
    participant_rows = [
        {
            "index": i,
            "prefix": row.prefix,
            "name": row["name"].value() or "",
            "role": row["role"].value() or "",
        }
        for i, row in enumerate(participants.forms)
    ]
    access.record_read(version)  # every showing: a GET, or the form again with errors
    return render(
        request,
        "plans/follow_up_form.html",
        {
            "plan": plan,
            "person": person,
            "version": version,
            "agreed": agreed_follow_up(version.content),
            "profile": profile,
            "errors": errors,
            "post": post or {},
            "today": today,
            "held_on_value": post.get("held_on", "") if post else today.isoformat(),
            "questions": [
                {"index": i, "text": q, "value": post.get(f"q{i}", "") if post else ""}
                for i, q in enumerate(rules.FOLLOW_UP_QUESTIONS)
            ],
            "text_fields": [
                {
                    "name": n,
                    "label": label,
                    "required": req,
                    "value": post.get(n, "") if post else "",
                }
                for n, label, req in TEXT_FIELDS
            ],
            "participants": participants,
            "participant_rows": participant_rows,
            "participant_roles": PARTICIPANT_ROLES,
            "goals": [
                {**g, "index": i, "value": post.get(f"goal{i}", "") if post else ""}
                for i, g in enumerate(goals)
            ],
            "outcome_labels": OUTCOME_LABELS.items(),
            "participation_rule": profile.follow_up_participation,
        },
        status=400 if errors else 200,
    )
