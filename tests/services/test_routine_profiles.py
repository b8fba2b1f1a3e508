"""Routine profiles: inheritance, versions, per-type overrides, recomputed deadlines (R-ORG-3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from delaktig import rules
from delaktig.organisation.models import InterventionOverride, RoutineProfileVersion, Unit
from delaktig.organisation.services import (
    NoRoutineProfile,
    ProfileResolver,
    effective_profile,
)
from delaktig.people.models import GrantedIntervention
from delaktig.people.services import routine_profile_version_publish
from delaktig.rules.presets import PRESETS
from tests.world import World

ON = date(2026, 3, 2)


def test_each_unit_uses_its_own_or_the_inherited_profile(world: World) -> None:
    assert effective_profile(world.home_care, ON) == PRESETS["S1"].profile
    assert effective_profile(world.housing_support, ON) == PRESETS["S4"].profile
    # The nursing home has none of its own: the municipality's (S0/S3) applies.
    assert effective_profile(world.nursing_home, ON) == PRESETS["S0_S3"].profile


def test_the_administration_profile_comes_before_the_municipality(world: World) -> None:
    world.administration.routine_profile = world.profiles["S4"]
    world.administration.save()
    unit = Unit.objects.select_related("administration__municipality").get(pk=world.nursing_home.pk)
    assert effective_profile(unit, ON).follow_up_interval_months == 12


def test_a_unit_without_any_profile_is_reported(world: World) -> None:
    world.municipality.routine_profile = None
    world.municipality.save()
    unit = Unit.objects.select_related("administration__municipality").get(pk=world.nursing_home.pk)
    with pytest.raises(NoRoutineProfile):
        effective_profile(unit, ON)


def test_presets_carry_the_seed_numbers(world: World) -> None:
    s0 = world.profiles["S0_S3"].versions.get()
    assert (s0.establish_within_days, s0.follow_up_interval_months) == (21, 6)
    assert s0.follow_up_participation == rules.FollowUpParticipation.PERSON_OR_RELATIVE
    assert (s0.decided_on, s0.revised_on) == (date(2009, 6, 23), date(2015, 6, 5))
    s1 = world.profiles["S1"].versions.get()
    assert (s1.establish_within_days, s1.follow_up_interval_months) == (14, 6)
    assert s1.signers() == {
        rules.Signer.PERSON,
        rules.Signer.UNIT_MANAGER,
        rules.Signer.CONTACT_PERSON,
    }
    assert s1.notify_scheduler and s1.master_data_check
    s4 = world.profiles["S4"].versions.get()
    assert (s4.establish_within_days, s4.follow_up_interval_months) == (14, 12)
    assert s4.signers() == {rules.Signer.STAFF_MEMBER}
    assert s4.new_version_on_new_intervention


def _new_version(world: World, code: str, *, valid_from: date, days: int) -> RoutineProfileVersion:
    first = world.profiles[code].versions.get()
    first.pk = None
    first.number = 2
    first.valid_from = valid_from
    first.establish_within_days = days
    first.save()
    return first


def test_the_version_in_force_on_a_date_is_used(world: World) -> None:
    _new_version(world, "S1", valid_from=date(2026, 6, 1), days=10)
    resolver = ProfileResolver()
    assert resolver.profile(world.home_care, date(2026, 5, 31)).establish_within_days == 14
    assert resolver.profile(world.home_care, date(2026, 6, 1)).establish_within_days == 10
    # Before the first version: the first version.
    assert resolver.profile(world.home_care, date(2019, 1, 1)).establish_within_days == 14


def test_publishing_a_version_recomputes_open_deadlines_only(world: World) -> None:
    start = date(2026, 6, 10)
    waiting = world.add_person(world.home_care, start=start, serial=981)
    done = world.add_person(world.home_care, start=start, serial=983, birth=(1950, 1, 2))
    other_unit = world.add_person(world.housing_support, start=start, serial=984)
    GrantedIntervention.objects.filter(case=done).update(plan_established_on=start)
    version = _new_version(world, "S1", valid_from=date(2026, 6, 1), days=10)

    changed = routine_profile_version_publish(version=version, by=world.alice)

    assert changed == 1
    deadline = {
        c.pk: GrantedIntervention.objects.get(case=c).plan_deadline
        for c in (waiting, done, other_unit)
    }
    assert deadline[waiting.pk] == start + timedelta(days=10)
    assert deadline[done.pk] == start + timedelta(days=14)  # established: left alone
    assert deadline[other_unit.pk] == start + timedelta(days=14)  # S4 unit: untouched


def test_an_override_gives_short_term_stays_their_own_deadline(world: World) -> None:
    InterventionOverride.objects.create(
        version=world.profiles["S0_S3"].versions.get(),
        intervention_type=world.types["korttidsvistelse"],
        establish_within_days=2,
    )
    start = date(2026, 3, 2)
    case = world.add_person(
        world.nursing_home, start=start, types=("korttidsvistelse", "sarskilt-boende")
    )
    deadlines = {
        gi.type.code: gi.plan_deadline
        for gi in GrantedIntervention.objects.filter(case=case).select_related("type")
    }
    assert deadlines == {
        "korttidsvistelse": start + timedelta(days=2),
        "sarskilt-boende": start + timedelta(days=21),
    }
