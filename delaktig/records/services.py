"""Writes to the access log (R-LIFE-8)."""

from __future__ import annotations

from delaktig.core.types import User
from delaktig.people.models import Case, Person

from .models import AccessAction, AccessLog


def access_log_record(
    *,
    user: User,
    person: Person,
    action: AccessAction,
    case: Case | None = None,
    object_id: str = "",
) -> AccessLog:
    """Record that ``user`` opened ``person``'s file (every read is logged)."""
    return AccessLog.objects.create(
        municipality_id=person.municipality_id,
        user=user,
        person=person,
        case=case,
        unit_id=case.unit_id if case else None,
        action=action,
        object_id=object_id,
    )
