"""Starting and establishing a plan (R-PLAN-6, R-PLAN-15, R-LIFE-1, R-FU-1)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from delaktig.people.models import Case, GrantedIntervention
from delaktig.plans.models import Plan, PlanVersion, VersionState
from delaktig.plans.services import plan_establish, plan_start
from tests.world import World

START = date(2026, 1, 12)


def complete(version: PlanVersion) -> dict[str, Any]:
    content = dict(version.content)
    content["interventions"] = [
        {
            **part,
            "when": "Tisdagar kl. 9",
            "where": "Hemma",
            "how": "Astrid duschar själv, personalen hjälper med ryggen.",
            "goals": [{"text": "Att känna mig ren och fräsch", "sub_goals": []}],
            "activities": [
                {"description": "Dusch", "responsible": "Bob", "when": "Tisdag", "goals": []}
            ],
        }
        for part in content["interventions"]
    ]
    content.update(
        participation_how="Astrid var med i samtalet och valde tider.",
        wishes_weight="Tiderna följer Astrids önskemål.",
        statements=[{"source": "person", "text": "Jag vill duscha på förmiddagen."}],
        participants=[{"name": "Astrid Lind", "role": "Den enskilde"}],
        follow_up_how="Samtal med Astrid.",
        disclosure=["Arbetslaget"],
        sip_status="not_applicable",
        master_data_checked=True,
    )
    return content


def _started(world: World, unit_attr: str = "home_care") -> tuple[Case, PlanVersion]:
    contact = world.charlie if unit_attr == "housing_support" else world.bob
    case = world.add_person(getattr(world, unit_attr), start=START, contact=contact)
    return case, plan_start(case=case, by=world.bob, on=START)


def test_a_plan_starts_from_the_order(world: World) -> None:
    """R-CASE-3 / R-PLAN-2: every granted intervention and the decision's goals are pre-filled."""
    case = world.add_person(
        world.home_care, start=START, types=("hemtjanst-dusch", "hemtjanst-inkop")
    )
    version = plan_start(case=case, by=world.bob, on=START)
    assert version.number == 1 and version.state == VersionState.DRAFT
    names = [part["name"] for part in version.content["interventions"]]
    assert names == ["Hemtjänst – dusch", "Hemtjänst – inköp"]
    assert version.content["decision_goals"] == "Att kunna bo kvar hemma."
    assert set(version.interventions.values_list("case_id", flat=True)) == {case.pk}


def test_an_incomplete_plan_cannot_be_established_and_nothing_changes(world: World) -> None:
    case, version = _started(world)
    with pytest.raises(ValidationError) as info:
        plan_establish(version=version, on=START + timedelta(days=5), by=world.bob)
    # Every missing mandatory item is named, in Swedish.
    assert len(info.value.messages) >= 5
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT
    assert not GrantedIntervention.objects.filter(case=case, plan_established_on__isnull=False)
    assert Plan.objects.get(case=case).established_on is None


@pytest.mark.parametrize(
    ("unit_attr", "months", "expected_follow_up"),
    [("home_care", 6, date(2026, 7, 31)), ("housing_support", 12, date(2027, 1, 31))],
    ids=["S1-halvår", "S4-år"],
)
def test_establishing_closes_the_deadline_and_sets_the_next_follow_up(
    world: World, unit_attr: str, months: int, expected_follow_up: date
) -> None:
    case, version = _started(world, unit_attr)
    version.content = complete(version)
    version.save()
    on = date(2026, 1, 31)  # month-end: the follow-up date is clamped, not overflowed
    plan_establish(version=version, on=on, by=world.bob)
    plan = Plan.objects.get(case=case)
    assert plan.established_on == on
    assert plan.next_follow_up_on == expected_follow_up
    assert plan.established_version_id == version.pk
    assert set(
        GrantedIntervention.objects.filter(case=case).values_list("plan_established_on", flat=True)
    ) == {on}


def test_a_new_established_version_supersedes_the_old_one(world: World) -> None:
    case, first = _started(world)
    first.content = complete(first)
    first.save()
    plan_establish(version=first, on=START, by=world.bob)
    second = PlanVersion.objects.create(
        plan=first.plan, municipality=first.municipality, number=2, content=first.content
    )
    plan_establish(version=second, on=START + timedelta(days=40), by=world.bob)
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED
    assert Plan.objects.get(case=case).established_version_id == second.pk
    with pytest.raises(ValidationError):
        plan_establish(version=first, on=START, by=world.bob)


def test_plan_start_needs_an_ongoing_intervention(world: World) -> None:
    case = world.add_person(world.home_care, start=START)
    GrantedIntervention.objects.filter(case=case).update(end_date=START)
    with pytest.raises(ValidationError, match="inga pågående"):
        plan_start(case=case, by=world.bob, on=START + timedelta(days=1))
