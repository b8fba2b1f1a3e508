"""Deadlines: establishing a plan (R-LIFE-1), follow-ups (R-FU-1), reminders.

All periods come from the :class:`~delaktig.rules.profile.RoutineProfile`;
use ``profile.for_intervention(type_code)`` first when the intervention type
may have its own settings.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from .dates import add_months
from .profile import RoutineProfile

__all__ = [
    "DeadlineStatus",
    "NewIntervention",
    "deadline_status",
    "follow_up_due",
    "new_intervention_deadline",
    "plan_deadline",
    "reminder_due",
    "reminder_start",
]


class DeadlineStatus(StrEnum):
    """Traffic light for a deadline in the unit manager's overview (R-QA-1)."""

    LATE = "late"  # försenad
    DUE_SOON = "due_soon"  # snart
    ON_TRACK = "on_track"  # i tid


def plan_deadline(intervention_start: date, profile: RoutineProfile) -> date:
    """Last day on which the plan may be established (R-LIFE-1).

    "Senast tre veckor efter det att insatser har påbörjats" (S0/S3) and
    "inom 14 dagar" (S1, S4): the start date plus ``establish_within_days``.
    """
    return intervention_start + timedelta(days=profile.establish_within_days)


class NewIntervention(StrEnum):
    """What a new intervention of a person whose plan is established calls for (S0/S3, S1, S4)."""

    NEW_VERSION = "new_version"  # a new plan version by the deadline (S4 "alltid vid nya insatser")
    FOLLOW_UP = "follow_up"  # a follow-up by the deadline, brought forward (S1 "vid förändring")
    NEXT_FOLLOW_UP = "next_follow_up"  # taken up at the next regular follow-up


def new_intervention_deadline(
    intervention_start: date, profile: RoutineProfile, next_follow_up: date
) -> tuple[date, NewIntervention]:
    """Deadline and action for a new intervention of a person with an established plan.

    ``new_version_on_new_intervention``: a new version within the routine's days
    of the start, as for a first plan. Otherwise ``follow_up_on_change``: the plan
    is followed up within those days (the next follow-up is brought forward, never
    pushed back). Neither: the intervention waits for the next regular follow-up.
    """
    own = plan_deadline(intervention_start, profile)
    if profile.new_version_on_new_intervention:
        return own, NewIntervention.NEW_VERSION
    if profile.follow_up_on_change:
        return min(own, next_follow_up), NewIntervention.FOLLOW_UP
    return max(own, next_follow_up), NewIntervention.NEXT_FOLLOW_UP


def follow_up_due(last_review: date, profile: RoutineProfile) -> date:
    """Date by which the whole plan must next be followed up (R-FU-1).

    ``last_review`` is the date the plan was established or last followed up;
    the interval is counted in calendar months, clamped to the month's end.
    """
    return add_months(last_review, profile.follow_up_interval_months)


def deadline_status(deadline: date, today: date, profile: RoutineProfile) -> DeadlineStatus:
    """LATE if ``deadline < today``; DUE_SOON within ``profile.due_soon_days``; else ON_TRACK."""
    if deadline < today:
        return DeadlineStatus.LATE
    if deadline <= today + timedelta(days=profile.due_soon_days):
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.ON_TRACK


def reminder_start(due: date, profile: RoutineProfile) -> date:
    """First day on which reminders about ``due`` are sent (R-FU-1)."""
    return due - timedelta(days=profile.reminder_days_before)


def reminder_due(due: date, today: date, profile: RoutineProfile) -> bool:
    """True from :func:`reminder_start` onwards, also on and after the due date (R-FU-1)."""
    return today >= reminder_start(due, profile)
