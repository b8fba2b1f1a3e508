"""A year in the life of one person's plan under each seed routine (issue: follow-up & overview).

The clock travels day by day through 2026; ``send_reminders`` runs every day.
Every reminder, overview row and report figure is checked against dates
computed by hand from the routines:

| routine | deadline | plan established | follow-up due | follow-up held |
|---|---|---|---|---|
| S1 (home care)        | 14 d → 01-19 | 01-22 (3 days late) | +6 m → 07-22 | 07-25 (late) |
| S0/S3 (nursing home)  | 21 d → 01-26 | 01-25 (in time)     | +6 m → 07-25 | 07-20 (in time) |
| S4 (housing support)  | 14 d → 01-19 | 01-15 (in time)     | +12 m → 2027-01-15 | – |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import time_machine

from delaktig import rules
from delaktig.oversight.models import Task, TaskKind
from delaktig.oversight.queries import unit_overview
from delaktig.oversight.reminders import send_reminders
from delaktig.oversight.reports import compliance
from delaktig.plans.followups import FollowUpInput, follow_up_record, plan_goals
from delaktig.plans.models import Plan
from delaktig.plans.services import plan_start
from tests.services.plan_helpers import contact_for, establish_on, ready, sign_everything
from tests.world import World

START = date(2026, 1, 5)


@dataclass(frozen=True)
class Script:
    unit_attr: str
    deadline: date
    established: date
    follow_up_due: date
    follow_up_held: date | None
    participants: tuple[str, ...]
    # (user attribute, key) of every reminder expected during 2026, with the day it appears.
    reminders: tuple[tuple[str, str, date], ...]
    established_in_time: tuple[int, int]  # January: in time / total
    followed_up_in_time: tuple[int, int]  # July
    signed_by_person: tuple[int, int]  # January


SCRIPTS = {
    "S1": Script(
        "home_care",
        date(2026, 1, 19),
        date(2026, 1, 22),
        date(2026, 7, 22),
        date(2026, 7, 25),
        ("person", "staff"),
        (
            ("bob", "plan_due:case:{case}:2026-01-19:before", date(2026, 1, 5)),
            ("bob", "plan_due:case:{case}:2026-01-19:due", date(2026, 1, 19)),
            ("alice", "plan_overdue:case:{case}:2026-01-19", date(2026, 1, 20)),
            ("bob", "follow_up_due:plan:{plan}:2026-07-22:before", date(2026, 7, 8)),
            ("bob", "follow_up_due:plan:{plan}:2026-07-22:due", date(2026, 7, 22)),
            ("alice", "follow_up_overdue:plan:{plan}:2026-07-22", date(2026, 7, 23)),
        ),
        (0, 1),
        (0, 1),
        (1, 1),
    ),
    "S0_S3": Script(
        "nursing_home",
        date(2026, 1, 26),
        date(2026, 1, 25),
        date(2026, 7, 25),
        date(2026, 7, 20),
        ("relative", "staff"),
        (
            # Reminders start 14 days before: 01-12; the plan is established in time.
            ("alice", "plan_due:case:{case}:2026-01-26:before", date(2026, 1, 12)),
            ("alice", "follow_up_due:plan:{plan}:2026-07-25:before", date(2026, 7, 11)),
        ),
        (1, 1),
        (1, 1),
        (1, 1),
    ),
    "S4": Script(
        "housing_support",
        date(2026, 1, 19),
        date(2026, 1, 15),
        date(2027, 1, 15),
        None,
        ("staff",),
        (("charlie", "plan_due:case:{case}:2026-01-19:before", date(2026, 1, 5)),),
        (1, 1),
        (0, 0),
        (0, 0),  # S4 does not ask for the person's signature
    ),
}


def _follow_up(by: object, plan: Plan, held: date, roles: tuple[str, ...]) -> None:
    version = plan.established_version
    assert version is not None
    follow_up_record(
        plan=plan,
        data=FollowUpInput(
            held_on=held,
            how="Samtal",
            participants=[{"name": f"Deltagare {i}", "role": r} for i, r in enumerate(roles)],
            person_view="Nöjd.",
            carried_out_as_decided="Ja.",
            situation="Stabil.",
            goal_outcomes=[{**g, "outcome": "achieved"} for g in plan_goals(version)],
            outcome=rules.FollowUpOutcome.NO_CHANGE,
            need_change=rules.NeedChange.UNCHANGED,
            disclosure_reviewed=True,
            master_data_checked=True,
        ),
        by=by,  # type: ignore[arg-type]
    )


# A year of a plan per routine, day by day: seconds each; CI runs it, make test-fast not.
@pytest.mark.slow
@pytest.mark.parametrize("routine", SCRIPTS)
def test_a_year_of_reminders_overview_rows_and_report_figures(world: World, routine: str) -> None:
    script = SCRIPTS[routine]
    unit = getattr(world, script.unit_attr)
    contact = contact_for(world, script.unit_attr)
    seen: dict[tuple[int, str], date] = {}
    with time_machine.travel(START, tick=False) as clock:
        case = world.add_person(unit, start=START, contact=contact)
        version = plan_start(case=case, by=contact, on=START)
        plan = version.plan
        day = START
        while day <= date(2026, 12, 31):
            clock.move_to(day)
            if day == script.established:
                version = ready(world, version, day)
                sign_everything(world, version, day, script.unit_attr)
                establish_on(version=version, on=day, by=contact)
                plan.refresh_from_db()
                assert plan.next_follow_up_on == script.follow_up_due
            if day == script.follow_up_held:
                _follow_up(contact, plan, day, script.participants)
            for reminder in send_reminders(day):
                seen.setdefault((reminder.user_id, reminder.key), day)
            # The overview on the deadline's eve and the day after (R-QA-1).
            if day == script.deadline:
                overview = unit_overview(unit, day)
                waiting = [r.case.pk for r in overview.due_soon]
                assert (case.pk in waiting) == (script.established > day)
            if day == script.deadline + timedelta(days=1):
                overview = unit_overview(unit, day)
                assert (case.pk in [r.case.pk for r in overview.late]) == (
                    script.established > script.deadline
                )
            if day == script.follow_up_due + timedelta(days=1):
                overview = unit_overview(unit, day)
                late = [p.pk for p in overview.follow_ups_late]
                assert (plan.pk in late) == (
                    script.follow_up_held is None or script.follow_up_held > script.follow_up_due
                )
            day += timedelta(days=1)

        expected = {
            (getattr(world, who).pk, key.format(case=case.pk, plan=plan.pk)): when
            for who, key, when in script.reminders
        }
        assert seen == expected
        # Running it again on any day sends nothing twice.
        assert send_reminders(date(2026, 7, 23)) == []
        assert Task.objects.exclude(kind=TaskKind.CONTACT_PERSON).count() == len(expected)

        rows = {
            r.month: r
            for r in compliance([unit], date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1))
        }
        january, july = rows[date(2026, 1, 1)], rows[date(2026, 7, 1)]
        assert (january.established.done, january.established.total) == script.established_in_time
        assert (july.followed_up.done, july.followed_up.total) == script.followed_up_in_time
        assert (january.signed.done, january.signed.total) == script.signed_by_person
        # No other month has anything to count.
        for month, row in rows.items():
            if month not in (date(2026, 1, 1), date(2026, 7, 1)):
                assert (row.established.total, row.followed_up.total, row.signed.total) == (0, 0, 0)


def test_reminders_cost_the_same_queries_for_3_units_as_for_13(world: World) -> None:
    """The daily run reads all units at once: no query per unit (non-negotiable 7)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from delaktig.organisation.models import Field, Unit
    from delaktig.oversight.reminders import pending_reminders

    world.add_person(world.home_care, start=START, contact=world.bob)
    with CaptureQueriesContext(connection) as few:
        pending_reminders(START)
    for n in range(10):
        unit = Unit.objects.create(
            administration=world.administration,
            name=f"Enhet {n}",
            field=Field.HOME_CARE,
            routine_profile=world.profiles["S1"],
        )
        world.add_person(unit, start=START, serial=900 + n, birth=(1950, 1, 1 + n))
    with CaptureQueriesContext(connection) as many:
        pending_reminders(START)
    assert len(many.captured_queries) == len(few.captured_queries)
