"""What the scheduler is told on establishment: every visit of every intervention (R-LIFE-7).

Runs on SQLite and PostgreSQL. Content written before visits (one ``schedule``
per intervention) is read as one visit and is never rewritten: a frozen
version's content and its SHA-256 stay as they were signed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from delaktig.oversight.models import SchedulerNotice
from delaktig.plans.content import content_hash, part_visits, stored_visits
from delaktig.plans.models import PlanVersion
from delaktig.plans.services import plan_send_for_signing, plan_start, scheduler_items
from tests.services.plan_helpers import establish_on, fill, sign_everything
from tests.world import World

TODAY = date(2026, 3, 2)
OLD_SCHEDULE = {
    "weekdays": ["TU"],
    "time_of_day": "09:00",
    "duration_minutes": 45,
    "times_per_week": 1,
}


def _establish(world: World, change: Any = None) -> PlanVersion:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    version = fill(plan_start(case=case, by=world.bob, on=TODAY))
    if change:
        change(version.content["interventions"][0])
        version.save()
    version = plan_send_for_signing(version=version, by=world.bob, on=TODAY)
    sign_everything(world, version, TODAY, "home_care")
    return establish_on(version=version, on=TODAY, by=world.bob)


def test_the_notice_carries_every_visit(world: World, frozen_today: date) -> None:
    visits = [
        {"weekdays": ["MO", "FR"], "time_of_day": "08:00", "duration_minutes": 30},
        {"weekdays": ["SU"], "time_of_day": "19:30", "duration_minutes": 20, "times_per_week": 1},
    ]

    def two_visits(part: dict[str, Any]) -> None:
        part.pop("schedule", None)
        part["visits"] = visits

    version = _establish(world, two_visits)
    [item] = SchedulerNotice.objects.get(plan_version=version).items
    assert item["visits"] == [
        {
            "weekdays": ["MO", "FR"],
            "time_of_day": "08:00",
            "duration_minutes": 30,
            "times_per_week": None,
        },
        {"weekdays": ["SU"], "time_of_day": "19:30", "duration_minutes": 20, "times_per_week": 1},
    ]
    assert item["where"] == "Hemma"
    assert "Astrid" not in str(item)


def test_an_old_schedule_is_one_visit_and_the_frozen_content_is_untouched(
    world: World, frozen_today: date
) -> None:
    """Versions sent for signing are immutable (their SHA-256 must not change)."""
    version = _establish(world, lambda part: part.pop("visits"))  # the old form: one "schedule"
    part = version.content["interventions"][0]
    assert part["schedule"] == OLD_SCHEDULE
    stored = PlanVersion.objects.get(pk=version.pk)
    before = stored.content_sha256

    [item] = scheduler_items(stored)

    assert item["visits"] == [OLD_SCHEDULE]
    stored.refresh_from_db()
    assert stored.content_sha256 == before == content_hash(stored.content)
    assert "visits" not in stored.content["interventions"][0]


@pytest.mark.parametrize(
    ("part", "visits"),
    [
        ({}, []),
        ({"schedule": {"weekdays": [], "time_of_day": "", "duration_minutes": None}}, []),
        ({"schedule": "garbage"}, []),
        ({"visits": [], "schedule": OLD_SCHEDULE}, [OLD_SCHEDULE]),  # a draft mid-change
        ({"visits": [OLD_SCHEDULE], "schedule": {"weekdays": ["MO"]}}, [OLD_SCHEDULE]),
        (
            {"visits": ["x", {"weekdays": ["XX", "MO"], "duration_minutes": "45"}]},
            [
                {
                    "weekdays": ["MO"],
                    "time_of_day": "",
                    "duration_minutes": None,
                    "times_per_week": None,
                }
            ],
        ),
        ({"visits": [{"weekdays": [], "time_of_day": " ", "duration_minutes": 0}]}, []),
    ],
)
def test_visits_are_read_from_any_stored_form(
    part: dict[str, Any], visits: list[dict[str, Any]]
) -> None:
    assert part_visits(part) == visits


def test_a_notice_item_from_before_visits_reads_as_one_visit() -> None:
    item = {"intervention": "Dusch", "when": "", **OLD_SCHEDULE}
    assert stored_visits(item) == [OLD_SCHEDULE]
    assert stored_visits({"intervention": "Dusch", "when": ""}) == []
