"""Date arithmetic: add_months, deadlines, follow-ups, reminders (R-LIFE-1, R-FU-1, R-QA-1)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import (
    DateProblem,
    DeadlineStatus,
    NewIntervention,
    RoutineProfile,
    add_months,
    add_years,
    deadline_status,
    event_date_problem,
    follow_up_due,
    new_intervention_deadline,
    plan_deadline,
    reminder_due,
    reminder_start,
    swedish_today,
)
from delaktig.rules.dates import SWEDISH_TIME

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
month_counts = st.integers(min_value=-1200, max_value=1200)
profiles = st.builds(
    RoutineProfile,
    establish_within_days=st.integers(1, 365),
    follow_up_interval_months=st.integers(1, 36),
    reminder_days_before=st.integers(0, 365),
    due_soon_days=st.integers(0, 365),
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: clamped to Feb 29
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # "var 6:e månad" over New Year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 15), 0, date(2024, 5, 15)),
        (date(2024, 12, 10), 1, date(2025, 1, 10)),
        (date(2025, 1, 10), -1, date(2024, 12, 10)),
    ],
)
def test_add_months_examples_clamp_to_month_end(start: date, months: int, expected: date) -> None:
    """R-FU-1: month arithmetic is clamped to the last day of the month."""
    assert add_months(start, months) == expected


@pytest.mark.parametrize(("start", "months"), [(date(9999, 12, 1), 1), (date(1, 1, 1), -1)])
def test_add_months_outside_calendar_raises(start: date, months: int) -> None:
    with pytest.raises(ValueError, match="utanför"):
        add_months(start, months)


@given(dates, month_counts)
def test_add_months_properties(start: date, months: int) -> None:
    """R-FU-1: month index moves by exactly `months`, day kept or clamped to month end."""
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


@given(dates, month_counts, month_counts)
def test_add_months_is_monotonic(start: date, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert add_months(start, low) <= add_months(start, high)


@given(dates, month_counts)
def test_add_months_round_trips_for_days_up_to_28(start: date, months: int) -> None:
    start = start.replace(day=min(start.day, 28))
    assert add_months(add_months(start, months), -months) == start


@given(dates, st.integers(0, 100))
def test_add_years_keeps_month_and_day_except_feb_29(start: date, years: int) -> None:
    """R-ARC-3: same month and day; February 29 becomes February 28."""
    result = add_years(start, years)
    assert result.year == start.year + years
    assert result.month == start.month
    if start.month == 2 and start.day == 29 and not calendar.isleap(result.year):
        assert result.day == 28
    else:
        assert result.day == start.day


def test_swedish_today_is_the_date_in_stockholm() -> None:
    before = datetime.now(SWEDISH_TIME).date()
    today = swedish_today()
    after = datetime.now(SWEDISH_TIME).date()
    assert before <= today <= after


@pytest.mark.parametrize(
    ("days", "start", "expected"),
    [
        (14, date(2024, 3, 1), date(2024, 3, 15)),  # S1, S4: "inom 14 dagar"
        (21, date(2024, 3, 1), date(2024, 3, 22)),  # S0/S3: "senast tre veckor efter"
        (21, date(2024, 12, 20), date(2025, 1, 10)),
    ],
)
def test_plan_deadline_counts_days_from_intervention_start(
    days: int, start: date, expected: date
) -> None:
    """R-LIFE-1: establish within the profile's number of days."""
    assert plan_deadline(start, RoutineProfile(establish_within_days=days)) == expected


@given(dates, profiles)
def test_plan_deadline_property(start: date, profile: RoutineProfile) -> None:
    """R-LIFE-1: deadline is exactly establish_within_days after the start."""
    deadline = plan_deadline(start, profile)
    assert (deadline - start).days == profile.establish_within_days


def test_follow_up_due_examples() -> None:
    """R-FU-1: 6 months (S0, S1, S3) or 12 months (S4), clamped."""
    six = RoutineProfile(follow_up_interval_months=6)
    twelve = RoutineProfile(follow_up_interval_months=12)
    assert follow_up_due(date(2024, 8, 31), six) == date(2025, 2, 28)
    assert follow_up_due(date(2024, 2, 29), twelve) == date(2025, 2, 28)
    assert follow_up_due(date(2024, 5, 2), twelve) == date(2025, 5, 2)


@given(dates, profiles)
def test_follow_up_due_property(last_review: date, profile: RoutineProfile) -> None:
    """R-FU-1: due date equals add_months(last, interval) and is always later."""
    due = follow_up_due(last_review, profile)
    assert due == add_months(last_review, profile.follow_up_interval_months)
    assert due > last_review


def test_deadline_status_boundaries() -> None:
    """R-QA-1: LATE after the deadline, DUE_SOON within due_soon_days, else ON_TRACK."""
    profile = RoutineProfile(due_soon_days=7)
    today = date(2024, 6, 10)
    assert deadline_status(date(2024, 6, 9), today, profile) is DeadlineStatus.LATE
    assert deadline_status(today, today, profile) is DeadlineStatus.DUE_SOON
    assert deadline_status(date(2024, 6, 17), today, profile) is DeadlineStatus.DUE_SOON
    assert deadline_status(date(2024, 6, 18), today, profile) is DeadlineStatus.ON_TRACK


@given(dates, dates, profiles)
def test_deadline_status_property(deadline: date, today: date, profile: RoutineProfile) -> None:
    """R-QA-1: the status matches the definition for any dates and window."""
    status = deadline_status(deadline, today, profile)
    days_left = (deadline - today).days
    if days_left < 0:
        assert status is DeadlineStatus.LATE
    elif days_left <= profile.due_soon_days:
        assert status is DeadlineStatus.DUE_SOON
    else:
        assert status is DeadlineStatus.ON_TRACK


def test_reminders_start_before_and_continue_after_due_date() -> None:
    """R-FU-1: reminders before and at the due date."""
    profile = RoutineProfile(reminder_days_before=14)
    due = date(2024, 6, 30)
    assert reminder_start(due, profile) == date(2024, 6, 16)
    assert not reminder_due(due, date(2024, 6, 15), profile)
    assert reminder_due(due, date(2024, 6, 16), profile)
    assert reminder_due(due, due, profile)
    assert reminder_due(due, date(2024, 7, 5), profile)


@given(dates, dates, profiles)
def test_reminder_property(due: date, today: date, profile: RoutineProfile) -> None:
    """R-FU-1: reminding iff at most reminder_days_before days remain."""
    expected = (due - today) <= timedelta(days=profile.reminder_days_before)
    assert reminder_due(due, today, profile) is expected


# --- the dates of events a user enters (issue 9: no backdating, no future) -------------

_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(_days, _days, _days)
def test_an_event_date_is_accepted_exactly_between_its_origin_and_today(
    day: date, earliest: date, today: date
) -> None:
    """R-LIFE-4/5, R-FU-3: a user's date of an event lies between when what it refers to
    existed and today, both included; otherwise the problem is named, the future first."""
    problem = event_date_problem(day, earliest=earliest, today=today)
    if day > today:
        assert problem is DateProblem.FUTURE
    elif day < earliest:
        assert problem is DateProblem.TOO_EARLY
    else:
        assert problem is None
    assert (problem is None) == (earliest <= day <= today)


@given(_days, _days)
def test_the_bounds_themselves_are_allowed(earliest: date, today: date) -> None:
    if earliest <= today:
        assert event_date_problem(earliest, earliest=earliest, today=today) is None
        assert event_date_problem(today, earliest=earliest, today=today) is None


@given(
    st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    st.booleans(),
    st.booleans(),
    st.integers(1, 365),
)
def test_a_new_intervention_gets_the_routines_deadline(
    start: date, next_follow_up: date, new_version: bool, on_change: bool, days: int
) -> None:
    """S0/S3, S4 "ny plan vid nya insatser"; S1 "uppföljning vid förändring" (issue 9)."""
    profile = RoutineProfile(
        establish_within_days=days,
        new_version_on_new_intervention=new_version,
        follow_up_on_change=on_change,
    )
    own = plan_deadline(start, profile)
    deadline, action = new_intervention_deadline(start, profile, next_follow_up)
    if new_version:
        assert (deadline, action) == (own, NewIntervention.NEW_VERSION)
    elif on_change:
        assert action is NewIntervention.FOLLOW_UP
        assert deadline == min(own, next_follow_up)  # brought forward, never pushed back
    else:
        assert action is NewIntervention.NEXT_FOLLOW_UP
        assert deadline == max(own, next_follow_up)
