"""The follow-up form (R-FU-1..6): the five questions as a guide, per-goal outcomes."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from delaktig import labels, rules
from delaktig.core.types import AuthenticatedHttpRequest
from delaktig.organisation.services import effective_profile

from .access import plan_for
from .followups import OUTCOME_LABELS, FollowUpInput, follow_up_record, plan_goals

PARTICIPANT_ROLES = [
    (role.value, labels.PARTICIPANT_ROLES[role.value]) for role in rules.ParticipantRole
]
PARTICIPANT_ROWS = 5
# (field, question shown as label, required) — R-FU-4, in the order of S2.
TEXT_FIELDS = [
    ("person_view", labels.FOLLOW_UP["person_view"], True),
    ("assessment_methods", labels.FOLLOW_UP["assessment_methods"], False),
    ("carried_out_as_decided", labels.FOLLOW_UP["carried_out_as_decided"], True),
    ("situation", labels.FOLLOW_UP["situation"], True),
    ("action_needs", labels.FOLLOW_UP["action_needs"], False),
]


def _input_from_post(post: QueryDict, goals: list[dict[str, str]]) -> FollowUpInput:
    get = post.get
    try:
        held_on = date.fromisoformat(get("held_on", ""))
    except ValueError as exc:
        raise ValidationError("Skriv datumet för uppföljningen som ÅÅÅÅ-MM-DD.") from exc
    participants = []
    for i in range(PARTICIPANT_ROWS):
        name, role = get(f"p{i}-name", "").strip(), get(f"p{i}-role", "")
        if name:
            if role not in dict(PARTICIPANT_ROLES):
                raise ValidationError(f"Välj roll för {name}.")
            participants.append({"name": name[:150], "role": role})
    try:
        outcome = rules.FollowUpOutcome(get("outcome", ""))
        need = rules.NeedChange(get("need_change", ""))
    except ValueError as exc:
        raise ValidationError("Välj resultat av uppföljningen och om behovet har ändrats.") from exc
    return FollowUpInput(
        held_on=held_on,
        how=get("how", "")[:300],
        participants=participants,
        person_view=get("person_view", ""),
        assessment_methods=get("assessment_methods", ""),
        carried_out_as_decided=get("carried_out_as_decided", ""),
        situation=get("situation", ""),
        action_needs=get("action_needs", ""),
        answers=[get(f"q{i}", "") for i in range(len(rules.FOLLOW_UP_QUESTIONS))],
        goal_outcomes=[
            {"intervention": g["intervention"], "goal": g["goal"], "outcome": get(f"goal{i}", "")}
            for i, g in enumerate(goals)
        ],
        outcome=outcome,
        need_change=need,
        disclosure_reviewed=get("disclosure_reviewed") == "on",
        master_data_checked=get("master_data_checked") == "on",
    )


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
    if request.method == "POST":
        try:
            result = follow_up_record(
                plan=plan, data=_input_from_post(request.POST, goals), by=request.user
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
        access.record_read(version)
    post = request.POST if errors else None
    person = plan.case.person
    default_participants = [
        {"name": person.name, "role": rules.ParticipantRole.PERSON.value},
        {
            "name": request.user.get_full_name() or request.user.username,
            "role": rules.ParticipantRole.STAFF.value,
        },
    ]
    participant_rows = []
    for i in range(PARTICIPANT_ROWS):
        if post is not None:
            row = {"name": post.get(f"p{i}-name", ""), "role": post.get(f"p{i}-role", "")}
        else:
            row = (
                default_participants[i]
                if i < len(default_participants)
                else {"name": "", "role": ""}
            )
        participant_rows.append({"index": i, **row})
    return render(
        request,
        "plans/follow_up_form.html",
        {
            "plan": plan,
            "person": person,
            "version": version,
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
