"""Calendar arithmetic shared by deadlines, follow-ups and disposal.

Month arithmetic is *clamped*: adding months keeps the day of month when it
exists and otherwise falls back to the last day of the target month, so
``2024-01-31 + 1 month = 2024-02-29`` and ``2024-02-29 + 12 months =
2025-02-28``. This is how "var 6:e månad" (S0/S3), "en gång per halvår" (S1)
and "fem år efter" (SoL 12 kap. 1 §) are counted.
"""

from __future__ import annotations

import calendar
import enum
from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "SWEDISH_TIME",
    "DateProblem",
    "add_months",
    "add_years",
    "event_date_problem",
    "swedish_today",
]

#: The time zone in which Swedish dates ("today") are reckoned.
SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


def add_months(d: date, months: int) -> date:
    """Return ``d`` moved ``months`` calendar months (may be negative), clamped.

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)

    Raises ``ValueError`` if the result falls outside ``date.min..date.max``.
    """
    index = d.year * 12 + (d.month - 1) + months
    year, month_index = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError("Datumet hamnar utanför kalenderns giltiga intervall.")
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def add_years(d: date, years: int) -> date:
    """Return ``d`` moved ``years`` years, with February 29 clamped to February 28."""
    return add_months(d, years * 12)


def swedish_today() -> date:
    """Today's date in Sweden (Europe/Stockholm), independent of the server's zone."""
    return datetime.now(SWEDISH_TIME).date()


class DateProblem(enum.Enum):
    """Why a date a user gave for an event cannot be true."""

    FUTURE = "future"  #: after today
    TOO_EARLY = "too_early"  #: before what it refers to existed


def event_date_problem(day: date, *, earliest: date, today: date) -> DateProblem | None:
    """What is wrong with ``day`` as the date of an event, or None if it can be true.

    An event (a signature on paper, a handover, a follow-up meeting) happens no
    earlier than the thing it refers to existed (``earliest``: the version's freeze,
    the plan's establishment) and no later than today. When ``earliest`` is after
    ``today`` (it cannot be, but a clock may be wrong), every day is refused.

    >>> event_date_problem(date(2026, 11, 28), earliest=date(2026, 11, 27), today=date(2026, 12, 1))
    >>> event_date_problem(date(2026, 11, 1), earliest=date(2026, 11, 27), today=date(2026, 12, 1))
    <DateProblem.TOO_EARLY: 'too_early'>
    """
    if day > today:
        return DateProblem.FUTURE
    if day < earliest:
        return DateProblem.TOO_EARLY
    return None
