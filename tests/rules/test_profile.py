"""RoutineProfile, overrides and validation (R-ORG-3)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import (
    FollowUpParticipation,
    InterventionOverride,
    OverrideMap,
    RoutineProfile,
    Signer,
    plan_deadline,
)

SHORT_STAY = InterventionOverride(establish_within_days=2)


def test_defaults() -> None:
    """R-ORG-3: defaults are the documented ones."""
    profile = RoutineProfile()
    assert profile.establish_within_days == 14
    assert profile.follow_up_interval_months == 6
    assert profile.follow_up_on_change is True
    assert profile.new_version_on_new_intervention is False
    assert profile.required_signers == frozenset({Signer.PERSON})
    assert profile.person_may_decline_signing_with_reason is True
    assert profile.follow_up_participation is FollowUpParticipation.NONE_REQUIRED
    assert profile.notify_scheduler is False
    assert profile.master_data_check is False
    assert profile.template_code == "standard"
    assert profile.reminder_days_before == 14
    assert profile.due_soon_days == 7
    assert len(profile.intervention_overrides) == 0


def test_enum_values_are_stable_strings() -> None:
    """The stored values of the StrEnums must not change (the database keeps them)."""
    assert [s.value for s in Signer] == [
        "person",
        "contact_person",
        "unit_manager",
        "staff_member",
    ]
    assert FollowUpParticipation.PERSON_OR_RELATIVE.value == "person_or_relative"


def test_profile_is_frozen_hashable_and_comparable() -> None:
    """R-ORG-3: profiles are immutable values."""
    first = RoutineProfile(intervention_overrides={"korttidsvistelse": SHORT_STAY})
    pairs = [("korttidsvistelse", SHORT_STAY)]
    second = RoutineProfile(intervention_overrides=pairs)  # type: ignore[arg-type]
    assert first == second
    assert hash(first) == hash(second)
    assert first != RoutineProfile()
    assert len({first, second, RoutineProfile()}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.establish_within_days = 3  # type: ignore[misc]


def test_strings_are_converted_to_enums() -> None:
    """The Django side may pass stored string values."""
    profile = RoutineProfile(
        required_signers=frozenset({"person", "unit_manager"}),  # type: ignore[arg-type]
        follow_up_participation="person_or_relative",  # type: ignore[arg-type]
    )
    assert profile.required_signers == frozenset({Signer.PERSON, Signer.UNIT_MANAGER})
    assert profile.follow_up_participation is FollowUpParticipation.PERSON_OR_RELATIVE
    assert profile.person_must_sign
    assert not RoutineProfile(required_signers=frozenset({Signer.STAFF_MEMBER})).person_must_sign


def test_profile_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        RoutineProfile(14, 6)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"establish_within_days": 0}, "Tidsfristen"),
        ({"establish_within_days": 366}, "mellan 1 och 365"),
        ({"establish_within_days": 1.5}, "heltal"),
        ({"establish_within_days": True}, "heltal"),
        ({"follow_up_interval_months": 0}, "Intervallet"),
        ({"follow_up_interval_months": 37}, "mellan 1 och 36"),
        ({"reminder_days_before": -1}, "Påminnelsetiden"),
        ({"due_soon_days": -1}, "snart"),
        ({"required_signers": frozenset()}, "Minst en roll"),
        ({"required_signers": frozenset({"chef"})}, "Okänd roll"),
        ({"follow_up_participation": "alla"}, "Okänd roll"),
        ({"template_code": "  "}, "Mallens kod"),
        ({"template_code": None}, "Mallens kod"),
        ({"intervention_overrides": {"": SHORT_STAY}}, "icke-tom text"),
        ({"intervention_overrides": {3: SHORT_STAY}}, "icke-tom text"),
        ({"intervention_overrides": {"x": 2}}, "fel typ"),
    ],
)
def test_invalid_profiles_raise_swedish_value_error(changes: dict[str, Any], message: str) -> None:
    """R-ORG-3: validation with Swedish messages."""
    with pytest.raises(ValueError, match=message):
        RoutineProfile(**changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "minst en inställning"),
        ({"establish_within_days": 0}, "Tidsfristen"),
        ({"follow_up_interval_months": 40}, "Intervallet"),
    ],
)
def test_invalid_overrides_raise(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        InterventionOverride(**changes)


def test_zero_notice_periods_are_allowed() -> None:
    profile = RoutineProfile(reminder_days_before=0, due_soon_days=0)
    assert (profile.reminder_days_before, profile.due_soon_days) == (0, 0)


def test_for_intervention_applies_override() -> None:
    """R-ORG-3: e.g. a 2-day deadline for korttidsvistelse."""
    profile = RoutineProfile(
        establish_within_days=21,
        follow_up_interval_months=6,
        intervention_overrides={
            "korttidsvistelse": SHORT_STAY,
            "boendestod": InterventionOverride(follow_up_interval_months=12),
        },
    )
    short = profile.for_intervention("korttidsvistelse")
    assert (short.establish_within_days, short.follow_up_interval_months) == (2, 6)
    assert plan_deadline(date(2024, 5, 1), short) == date(2024, 5, 3)
    support = profile.for_intervention("boendestod")
    assert (support.establish_within_days, support.follow_up_interval_months) == (21, 12)
    assert short.intervention_overrides == profile.intervention_overrides


def test_for_intervention_without_override_returns_itself() -> None:
    profile = RoutineProfile(intervention_overrides={"korttidsvistelse": SHORT_STAY})
    assert profile.for_intervention(None) is profile
    assert profile.for_intervention("hemtjanst") is profile


@given(
    st.integers(1, 365),
    st.integers(1, 36),
    st.one_of(st.none(), st.integers(1, 365)),
    st.one_of(st.none(), st.integers(1, 36)),
)
def test_for_intervention_properties(
    days: int, months: int, override_days: int | None, override_months: int | None
) -> None:
    """R-ORG-3: an override replaces exactly the values it sets; applying is idempotent."""
    if override_days is None and override_months is None:
        override_days = days
    override = InterventionOverride(
        establish_within_days=override_days, follow_up_interval_months=override_months
    )
    profile = RoutineProfile(
        establish_within_days=days,
        follow_up_interval_months=months,
        intervention_overrides={"typ": override},
    )
    applied = profile.for_intervention("typ")
    assert applied.establish_within_days == (days if override_days is None else override_days)
    assert applied.follow_up_interval_months == (
        months if override_months is None else override_months
    )
    assert applied.for_intervention("typ") == applied


def test_override_map_behaves_like_an_immutable_mapping() -> None:
    overrides = OverrideMap({"b": SHORT_STAY, "a": InterventionOverride(establish_within_days=5)})
    assert list(overrides) == ["a", "b"]
    assert len(overrides) == 2
    assert overrides["b"] is SHORT_STAY
    assert "c" not in overrides
    assert overrides == {"a": InterventionOverride(establish_within_days=5), "b": SHORT_STAY}
    assert hash(overrides) == hash(OverrideMap(list(overrides.items())))
    assert repr(OverrideMap()) == "OverrideMap({})"
    with pytest.raises(TypeError):
        overrides["c"] = SHORT_STAY  # type: ignore[index]


def test_override_map_instance_is_kept() -> None:
    overrides = OverrideMap({"a": SHORT_STAY})
    assert RoutineProfile(intervention_overrides=overrides).intervention_overrides is overrides
