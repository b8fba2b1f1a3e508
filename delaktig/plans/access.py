"""Who may open a plan (R-LIFE-8, R-PLAN-9).

A plan is read by those with a need: the person's contact person and deputy,
the unit manager, and the unit's other staff roles the disclosure list names
(``content["disclosure_roles"]``: ``"staff"``, ``"scheduler"``). Everyone else
gets 404. Every read is logged by the views.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role
from delaktig.people.models import ContactAssignment

from .models import Plan, PlanVersion

# Roles a disclosure list can name, with their Swedish labels (the form's checkboxes).
DISCLOSURE_ROLES = {
    Role.STAFF.value: "Personalen i arbetslaget",
    Role.SCHEDULER.value: "Planeraren",
}
DEFAULT_DISCLOSURE_ROLES = [Role.STAFF.value]


def plan_roles(user: User | AnonymousUser, plan: Plan) -> set[str]:
    """The user's relations to the plan: "contact", "unit_manager", "staff", "scheduler"."""
    if not isinstance(user, User) or plan.case.closed_on is not None:
        return set()
    roles = set(
        Membership.objects.filter(user_id=user.pk, unit_id=plan.unit_id).values_list(
            "role", flat=True
        )
    )
    if ContactAssignment.objects.filter(
        case_id=plan.case_id, user_id=user.pk, ended_on__isnull=True
    ).exists():
        roles.add("contact")
    return roles


def disclosure_roles(version: PlanVersion) -> set[str]:
    value = version.content.get("disclosure_roles", DEFAULT_DISCLOSURE_ROLES)
    return {str(v) for v in value} & set(DISCLOSURE_ROLES)


def may_read(roles: set[str], version: PlanVersion) -> bool:
    if roles & {"contact", Role.UNIT_MANAGER.value}:
        return True
    return bool(roles & disclosure_roles(version))


def may_write(roles: set[str], version: PlanVersion) -> bool:
    """Drafts are written by the contact person, the unit manager and the unit's staff."""
    if roles & {"contact", Role.UNIT_MANAGER.value}:
        return True
    return Role.STAFF.value in roles and Role.STAFF.value in disclosure_roles(version)


def latest_version(plan: Plan) -> PlanVersion:
    version = plan.versions.order_by("-number").first()
    if version is None:  # pragma: no cover — a plan is created with its first version
        raise Http404
    return version


def get_readable_plan(user: User | AnonymousUser, plan_uuid: UUID) -> tuple[Plan, set[str]]:
    plan = (
        Plan.objects.filter(uuid=plan_uuid)
        .select_related("case__person", "unit__administration__municipality")
        .first()
    )
    if plan is None:
        raise Http404("Planen finns inte eller så saknar du behörighet.")
    roles = plan_roles(user, plan)
    if not may_read(roles, latest_version(plan)):
        raise Http404("Planen finns inte eller så saknar du behörighet.")
    return plan, roles
