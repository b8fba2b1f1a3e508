"""State changes of plans: one service per transition, one transaction each.

The foundation has starting a draft and establishing it; signing (R-LIFE-4) and
handover come with the plan-writing capability.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q

from delaktig import rules
from delaktig.core.types import User
from delaktig.organisation.services import effective_profile
from delaktig.people.models import Case, GrantedIntervention
from delaktig.records.audit import audit_append

from .content import initial_content, to_plan_content
from .models import Plan, PlanVersion, VersionState


@transaction.atomic
def plan_start(*, case: Case, by: User | None, on: date) -> PlanVersion:
    """Start a plan (version 1, draft) from the case's current granted interventions."""
    interventions = list(
        GrantedIntervention.objects.filter(case=case)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("decision", "type")
        .order_by("start_date", "pk")
    )
    if not interventions:
        raise ValidationError("Det finns inga pågående beviljade insatser att planera.")
    plan = Plan.objects.create(
        case=case, unit_id=case.unit_id, municipality_id=case.municipality_id
    )
    version = PlanVersion.objects.create(
        plan=plan,
        municipality_id=case.municipality_id,
        number=1,
        content=initial_content(interventions),
        created_by=by,
    )
    version.interventions.set(interventions)
    audit_append(action="plan.started", obj=plan, actor=by, data={"version": 1})
    return version


@transaction.atomic
def plan_establish(*, version: PlanVersion, on: date, by: User | None) -> PlanVersion:
    """Establish a version: refuse while a mandatory item is missing (R-PLAN-15).

    Sets the date established (R-PLAN-6), closes the plan deadline of its
    interventions and stores the next follow-up date from the routine (R-FU-1).
    """
    version = (
        PlanVersion.objects.select_for_update().select_related("plan__unit").get(pk=version.pk)
    )
    if version.state not in (VersionState.DRAFT, VersionState.READY_FOR_SIGNING):
        raise ValidationError("Bara ett utkast eller en plan klar för signering kan fastställas.")
    plan = version.plan
    profile = effective_profile(plan.unit, on)
    findings = rules.check_completeness(to_plan_content(version.content), profile)
    missing = [f for f in findings if f.mandatory]
    if missing:
        raise ValidationError([f.message for f in missing])
    previous = plan.established_version
    if previous is not None:
        PlanVersion.objects.filter(pk=previous.pk).update(state=VersionState.SUPERSEDED)
    version.state = VersionState.ESTABLISHED
    version.established_on = on
    version.established_by = by
    version.save(update_fields=["state", "established_on", "established_by", "updated_at"])
    plan.established_version = version
    plan.established_on = on
    plan.next_follow_up_on = rules.follow_up_due(on, profile)
    plan.save(update_fields=["established_version", "established_on", "next_follow_up_on"])
    version.interventions.filter(plan_established_on__isnull=True).update(plan_established_on=on)
    audit_append(
        action="plan.established",
        obj=plan,
        actor=by,
        data={"version": version.number, "on": on, "next_follow_up_on": plan.next_follow_up_on},
    )
    return version


def next_version_number(plan: Plan) -> int:
    return (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
