"""Recording follow-ups (R-FU-1..6) and telling the case officer about changed needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from delaktig import labels, rules
from delaktig.core.types import User
from delaktig.organisation.services import effective_profile
from delaktig.people.models import Decision, GrantedIntervention
from delaktig.records.audit import audit_append
from delaktig.records.models import JournalEntry, JournalKind

from .access import PlanAccess
from .models import FollowUp, Plan, PlanVersion
from .services import date_errors, plan_new_version

OUTCOME_LABELS = {outcome.value: labels.OUTCOMES[outcome.value] for outcome in rules.GoalOutcome}


@dataclass(frozen=True)
class FollowUpInput:
    held_on: date
    how: str
    participants: list[dict[str, str]]
    person_view: str
    carried_out_as_decided: str
    situation: str
    outcome: rules.FollowUpOutcome
    need_change: rules.NeedChange
    disclosure_reviewed: bool
    goal_outcomes: list[dict[str, str]] = field(default_factory=list)
    assessment_methods: str = ""
    action_needs: str = ""
    answers: list[str] = field(default_factory=list)
    master_data_checked: bool = False


@dataclass(frozen=True)
class FollowUpResult:
    follow_up: FollowUp
    new_version: PlanVersion | None
    case_officer_notified: bool | None  # None: no need change; False: no address on file


def plan_goals(version: PlanVersion) -> list[dict[str, str]]:
    """Every goal of the established version, as (intervention key, name, goal text)."""
    goals = []
    for part in version.content.get("interventions", []):
        for goal in part.get("goals", []):
            goals.append(
                {
                    "intervention": str(part.get("key", "")),
                    "name": part.get("name", ""),
                    "goal": goal.get("text", ""),
                }
            )
        for activity in part.get("activities", []):
            for goal in activity.get("goals", []):
                goals.append(
                    {
                        "intervention": str(part.get("key", "")),
                        "name": part.get("name", ""),
                        "goal": goal.get("text", ""),
                    }
                )
    return goals


def _validate(
    plan: Plan, version: PlanVersion, data: FollowUpInput, profile: rules.RoutineProfile
) -> list[str]:
    # The version in force is established, so it has its date (a check constraint).
    errors = date_errors(
        data.held_on,
        what="Datumet för uppföljningen",
        earliest=version.established_on or date.min,
        since="planen fastställdes",
    )
    for value, label in (
        (data.how, "på vilket sätt uppföljningen gjordes"),
        (data.person_view, "hur den enskilde uppfattar insatserna"),
        (data.carried_out_as_decided, "om insatserna genomförts enligt beslut och författningar"),
        (data.situation, "bedömningen av den enskildes situation"),
    ):
        if not value.strip():
            errors.append(f"Skriv {label}.")
    if not data.participants:
        errors.append("Ange vilka som deltog i uppföljningen.")
    else:
        try:
            problem = rules.participation_problem(
                profile, [p.get("role", "") for p in data.participants]
            )
        except ValueError:
            problem = "Okänd roll bland deltagarna."
        if problem:
            errors.append(problem)
    outcomes = {
        (g.get("intervention", ""), g.get("goal", "")): g.get("outcome", "")
        for g in data.goal_outcomes
    }
    for goal in plan_goals(version):
        value = outcomes.get((goal["intervention"], goal["goal"]), "")
        if value not in OUTCOME_LABELS:
            errors.append(f"Bedöm målet ”{goal['goal']}” ({goal['name']}).")
    problem = rules.outcome_problem(profile, data.outcome)
    if problem:
        errors.append(problem)
    elif data.outcome is rules.FollowUpOutcome.NO_CHANGE:
        # A granted intervention the plan does not have yet: the plan must change (R-FU-3).
        waiting = (
            GrantedIntervention.objects.filter(
                case_id=plan.case_id, plan_established_on__isnull=True
            )
            .active(on=data.held_on)
            .select_related("type")
        )
        for item in waiting:
            errors.append(
                f"Insatsen ”{item.type.name}” finns inte i planen: välj ”Förändring – ny "
                "version av planen” så att den kommer med."
            )
    if not data.disclosure_reviewed:
        errors.append(
            "Gå igenom vem som får ta del av planen (den ska omprövas vid varje uppföljning)."
        )
    if profile.master_data_check and not data.master_data_checked:
        errors.append("Kontrollera personens uppgifter och övrig information.")
    for text in (
        data.how,
        data.person_view,
        data.carried_out_as_decided,
        data.situation,
        data.action_needs,
        data.assessment_methods,
        *data.answers,
    ):
        if len(text) > 4000:
            errors.append("En text är för lång (högst 4000 tecken).")
            break
    return errors


def _notify_case_officer(plan: Plan, follow_up: FollowUp, need: rules.NeedChange, by: User) -> bool:
    """Queue the notice in the follow-up's transaction; it is e-mailed after the commit.

    True when there is an address to send to (a failed send is retried by
    ``send_outbox``, the follow-up stands either way); False when there is none.
    """
    from delaktig.oversight.outbox import outbox_queue

    decision = (
        Decision.objects.filter(case_id=plan.case_id)
        .exclude(case_officer_email="")
        .order_by("-decided_on", "-pk")
        .first()
    )
    recipient = decision.case_officer_email if decision else ""
    link = settings.DELAKTIG_BASE_URL.rstrip("/") + reverse(
        "person_detail", args=[plan.case.person.uuid]
    )
    word = "ökat" if need is rules.NeedChange.INCREASED else "minskat"
    # No personal data in the body: only that something changed, and a link (R-LIFE-8).
    body = (
        "Vid en uppföljning av en genomförandeplan har utföraren bedömt att behovet "
        f"av stöd har {word}.\n\n"
        f"Logga in för att läsa mer: {link}\n\n"
        "Meddelandet innehåller medvetet inga personuppgifter."
    )
    outbox_queue(
        municipality_id=plan.municipality_id,
        case_id=plan.case_id,
        kind=f"need_{need.value}",
        recipient=recipient,
        subject="Delaktig: behovet av stöd har ändrats",
        body=body,
        by=by,
    )
    return bool(recipient)


@transaction.atomic
def follow_up_record(*, plan: Plan, data: FollowUpInput, by: User) -> FollowUpResult:
    """Record a follow-up of the plan in force; "change" starts a new version (R-FU-3)."""
    plan = Plan.objects.select_for_update().select_related("unit", "case__person").get(pk=plan.pk)
    access = PlanAccess.load(by, plan)
    access.require(access.may_write, "Du kan inte följa upp den här planen.")
    version = plan.established_version
    if version is None:
        raise ValidationError("Planen har ingen fastställd version att följa upp.")
    profile = effective_profile(plan.unit, data.held_on)
    errors = _validate(plan, version, data, profile)
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        plan=plan,
        version=version,
        municipality_id=plan.municipality_id,
        unit_id=plan.unit_id,
        held_on=data.held_on,
        due_on=plan.next_follow_up_on,
        how=data.how.strip(),
        participants=data.participants,
        person_view=data.person_view.strip(),
        assessment_methods=data.assessment_methods.strip(),
        carried_out_as_decided=data.carried_out_as_decided.strip(),
        situation=data.situation.strip(),
        action_needs=data.action_needs.strip(),
        goal_outcomes=data.goal_outcomes,
        answers=data.answers,
        outcome=data.outcome.value,
        need_change=data.need_change.value,
        disclosure_reviewed=data.disclosure_reviewed,
        master_data_checked=data.master_data_checked,
        recorded_by=by,
    )
    plan.next_follow_up_on = rules.follow_up_due(data.held_on, profile)
    plan.save(update_fields=["next_follow_up_on"])
    changed = data.outcome is rules.FollowUpOutcome.CHANGE
    JournalEntry.objects.create(
        municipality_id=plan.municipality_id,
        case_id=plan.case_id,
        happened_on=data.held_on,
        author=by,
        kind=JournalKind.PLAN_FOLLOWED_UP,
        plan_version=version,
        text=(
            f"Genomförandeplanen (version {version.number}) följdes upp {data.held_on:%Y-%m-%d} "
            f"({data.how.strip()}). "
            + (
                "Förändring: en ny version av planen upprättas. "
                if changed
                else "Ingen förändring. "
            )
            + f"Nästa uppföljning senast {plan.next_follow_up_on:%Y-%m-%d}."
        ),
    )
    new_version = plan_new_version(plan=plan, by=by, on=data.held_on) if changed else None
    notified = (
        _notify_case_officer(plan, follow_up, data.need_change, by)
        if data.need_change.notify_case_officer
        else None
    )
    audit_append(
        action="plan.followed_up",
        obj=plan,
        actor=by,
        data={
            "version": version.number,
            "outcome": data.outcome.value,
            "need": data.need_change.value,
            "follow_up": follow_up.pk,
        },
    )
    return FollowUpResult(
        follow_up=follow_up, new_version=new_version, case_officer_notified=notified
    )
