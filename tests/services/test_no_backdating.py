"""The record tells the truth about when (issue 9): no backdating, no dates from the future.

R-PLAN-6, R-LIFE-4/5/6, R-FU-3, R-QA-2. Services on the database (SQLite and PostgreSQL):
every caller — form, admin, import, API — gets the same refusal.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InternalError, transaction

from delaktig.oversight.reports import compliance, totals
from delaktig.plans.models import FrozenVersionError, PlanVersion, VersionState
from delaktig.plans.services import (
    plan_establish,
    plan_register_established_afterwards,
    plan_start,
)
from delaktig.records.audit_models import AuditEvent
from tests.services.plan_helpers import ready, sign_everything
from tests.world import World

TODAY = date(2026, 3, 2)
START = TODAY - timedelta(days=60)  # every plan deadline of these cases has passed


def _waiting(world: World, serial: int = 982) -> PlanVersion:
    case = world.add_person(world.home_care, start=START, contact=world.bob, serial=serial)
    return ready(world, plan_start(case=case, by=world.bob, on=START), TODAY)


def test_a_plan_cannot_be_established_on_another_day_than_today(
    world: World, frozen_today: date
) -> None:
    version = _waiting(world)
    sign_everything(world, version, TODAY, "home_care")
    events = AuditEvent.objects.count()
    for day in (TODAY - timedelta(days=30), TODAY + timedelta(days=1)):
        with pytest.raises(ValidationError, match="fastställs den dag den fastställs"):
            plan_establish(version=version, on=day, by=world.bob)
    version.refresh_from_db()
    assert version.state == VersionState.READY_FOR_SIGNING and version.established_on is None
    assert AuditEvent.objects.count() == events
    plan_establish(version=version, by=world.bob)
    version.refresh_from_db()
    assert version.established_on == TODAY
    assert version.established_at is not None


def test_the_system_time_of_establishment_never_changes(world: World, frozen_today: date) -> None:
    version = _waiting(world)
    sign_everything(world, version, TODAY, "home_care")
    version = plan_establish(version=version, by=world.bob)
    version.established_at = version.established_at - timedelta(days=40)
    with pytest.raises(FrozenVersionError, match="established_at"):
        version.save()
    # The database refuses too, whatever the caller.
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(established_at=version.established_at)


def test_a_plan_registered_afterwards_never_counts_as_established_in_time(
    world: World, frozen_today: date
) -> None:
    """R-QA-2: the paper date lies before the deadline, yet the report counts it apart."""
    late = _waiting(world, serial=982)
    sign_everything(world, late, TODAY, "home_care")
    plan_establish(version=late, by=world.bob)
    paper = _waiting(world, serial=984)
    plan_register_established_afterwards(
        version=paper,
        established_on=START + timedelta(days=3),
        reason="Fastställd på papper innan Delaktig infördes.",
        by=world.bob,
    )
    paper.refresh_from_db()
    assert paper.state == VersionState.ESTABLISHED and paper.established_on < TODAY
    figures = totals(compliance([world.home_care], START, TODAY, TODAY))["established"]
    assert (figures.done, figures.total, figures.afterwards) == (0, 2, 1)


def test_registering_afterwards_needs_a_reason_and_a_date_after_the_decision(
    world: World, frozen_today: date
) -> None:
    version = _waiting(world)
    cases = [
        (START + timedelta(days=3), "  ", "Skriv varför"),
        (START - timedelta(days=1), "Papper", "före den dag insatsen beslutades"),
        (TODAY + timedelta(days=1), "Papper", "framtiden"),
        (TODAY, "Papper", "fastställ den som vanligt"),
    ]
    for day, reason, message in cases:
        with pytest.raises(ValidationError, match=message):
            plan_register_established_afterwards(
                version=version, established_on=day, reason=reason, by=world.bob
            )
    version.refresh_from_db()
    assert version.state == VersionState.READY_FOR_SIGNING


def test_only_who_may_establish_may_register_afterwards(world: World, frozen_today: date) -> None:
    version = _waiting(world)
    with pytest.raises(ValidationError, match="Bara kontaktmannen eller enhetschefen"):
        plan_register_established_afterwards(
            version=version,
            established_on=START + timedelta(days=3),
            reason="Papper",
            by=world.charlie,
        )
