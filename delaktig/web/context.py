"""Template context shared by every page (one query: the user's memberships)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from delaktig import labels
from delaktig.organisation.models import PERSON_READER_ROLES, Membership, Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = list(
        Membership.objects.filter(user_id=user.pk).select_related("unit").order_by("unit__name")
    )
    return {
        "nav_managed_units": [
            m.unit for m in memberships if m.role == Role.UNIT_MANAGER and m.unit is not None
        ],
        "nav_is_scheduler": any(m.role == Role.SCHEDULER for m in memberships),
        "nav_is_archivist": any(m.role == Role.ARCHIVIST for m in memberships),
        # Staff, unit managers and schedulers work with persons: the header's search.
        "nav_reads_persons": any(
            m.role in PERSON_READER_ROLES and m.unit is not None for m in memberships
        ),
        "nav_reports": any(
            m.role in (Role.QUALITY_CONTROLLER, Role.UNIT_MANAGER) for m in memberships
        ),
    }


def plan_labels(request: HttpRequest) -> dict[str, Any]:
    """``labels`` in every template: the one wording of each plan field (delaktig.labels)."""
    return {"labels": labels}
