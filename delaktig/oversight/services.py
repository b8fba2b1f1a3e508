"""State changes of the oversight records (one service per change, audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from delaktig.core.access import require
from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role
from delaktig.records.audit import audit_append

from .models import SchedulerNotice


@transaction.atomic(durable=True)
def scheduler_notice_handled(*, notice: SchedulerNotice, by: User) -> SchedulerNotice:
    """The scheduler has put the plan's visits in the schedule (R-LIFE-7).

    Marked once: marking it again changes nothing and writes no new event.
    """
    notice = SchedulerNotice.objects.select_for_update().get(pk=notice.pk)
    require(
        by.is_active
        and Membership.objects.filter(
            user_id=by.pk, unit_id=notice.unit_id, role=Role.SCHEDULER
        ).exists(),
        "Bara enhetens planerare markerar att planen är schemalagd.",
    )
    if notice.handled_at is not None:
        return notice
    notice.handled_at = timezone.now()
    notice.handled_by = by
    notice.save(update_fields=["handled_at", "handled_by"])
    audit_append(
        action="scheduler_notice.handled",
        obj=notice,
        actor=by,
        data={"case": notice.case_id, "plan_version": notice.plan_version_id},
    )
    return notice
