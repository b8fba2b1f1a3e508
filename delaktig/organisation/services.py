"""Routine profiles: which rules apply where, and keeping stored deadlines true.

R-ORG-3: a unit uses its own routine profile, else its administration's, else
its municipality's; the version in force on a date is the newest whose
``valid_from`` is on or before that date.
"""

from __future__ import annotations

from dataclasses import fields as dc_fields
from datetime import date
from typing import Any

from django.db import models, transaction

from delaktig import rules
from delaktig.core.types import User
from delaktig.records.audit import audit_append
from delaktig.rules.presets import PRESETS

from .models import (
    Municipality,
    RoutineProfile,
    RoutineProfileVersion,
    Unit,
)


class NoRoutineProfile(Exception):
    """The unit has no routine profile in force: an administrator must choose one."""


def _profile_id_for_unit(unit: Unit) -> int:
    profile_id = unit.effective_profile_id()
    if profile_id is None:
        raise NoRoutineProfile(f"Enheten {unit.pk} saknar rutinprofil.")
    return profile_id


def profile_version_for(profile_id: int, on: date) -> RoutineProfileVersion:
    """The version in force on ``on``; before the first version, the first version."""
    versions = RoutineProfileVersion.objects.filter(profile_id=profile_id)
    version = versions.filter(valid_from__lte=on).order_by("-valid_from", "-number").first()
    if version is None:
        version = versions.order_by("valid_from", "number").first()
    if version is None:
        raise NoRoutineProfile(f"Rutinprofil {profile_id} har ingen version.")
    return version


class ProfileResolver:
    """Resolves units to rules profiles with a per-instance cache (no query per row)."""

    def __init__(self) -> None:
        self._versions: dict[int, list[RoutineProfileVersion]] = {}

    def _load(self, profile_id: int) -> list[RoutineProfileVersion]:
        if profile_id not in self._versions:
            self._versions[profile_id] = list(
                RoutineProfileVersion.objects.filter(profile_id=profile_id)
                .prefetch_related("overrides__intervention_type")
                .order_by("valid_from", "number")
            )
            if not self._versions[profile_id]:
                raise NoRoutineProfile(f"Rutinprofil {profile_id} har ingen version.")
        return self._versions[profile_id]

    def version(self, unit: Unit, on: date) -> RoutineProfileVersion:
        versions = self._load(_profile_id_for_unit(unit))
        chosen = versions[0]
        for version in versions:
            if version.valid_from <= on:
                chosen = version
        return chosen

    def profile(self, unit: Unit, on: date) -> rules.RoutineProfile:
        version = self.version(unit, on)
        return version.to_rules(list(version.overrides.all()))


def effective_profile(unit: Unit, on: date) -> rules.RoutineProfile:
    return ProfileResolver().profile(unit, on)


_PROFILE_FIELDS = {
    "establish_within_days",
    "follow_up_interval_months",
    "follow_up_on_change",
    "new_version_on_new_intervention",
    "new_version_at_follow_up",
    "activities_required",
    "other_information_required",
    "person_may_decline_signing_with_reason",
    "notify_scheduler",
    "master_data_check",
    "template_code",
    "reminder_days_before",
    "due_soon_days",
}


def _version_values(profile: rules.RoutineProfile) -> dict[str, Any]:
    names = {f.name for f in dc_fields(profile)}
    values: dict[str, Any] = {name: getattr(profile, name) for name in _PROFILE_FIELDS & names}
    values["follow_up_participation"] = profile.follow_up_participation.value
    values["change_approval"] = profile.change_approval.value
    signers = profile.required_signers
    values["signer_person"] = rules.Signer.PERSON in signers
    values["signer_contact_person"] = rules.Signer.CONTACT_PERSON in signers
    values["signer_unit_manager"] = rules.Signer.UNIT_MANAGER in signers
    values["signer_staff_member"] = rules.Signer.STAFF_MEMBER in signers
    return values


@transaction.atomic
def routine_profile_from_preset(
    *,
    municipality: Municipality,
    preset_code: str,
    valid_from: date,
    name: str | None = None,
    by: User | None = None,
) -> RoutineProfile:
    """Create a routine profile with version 1 taken from a shipped preset."""
    preset = PRESETS[preset_code]
    profile = RoutineProfile.objects.create(
        municipality=municipality, name=name or preset.name, preset_code=preset_code
    )
    version = RoutineProfileVersion.objects.create(
        profile=profile,
        number=1,
        valid_from=valid_from,
        owner=preset.owner,
        decided_by=preset.decided_by,
        decided_on=preset.decided_on,
        revised_on=preset.revised_on,
        source=preset.source,
        **_version_values(preset.profile),
    )
    audit_append(
        action="routine_profile.created",
        obj=profile,
        actor=by,
        data={"preset": preset_code, "version": version.number},
    )
    return profile


#: The fields whose change the admin audits, per model: they decide disposal (R-ARC-3).
AUDITED_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Municipality: ("name", "code"),
    Unit: ("name", "field", "provider"),
}


def organisation_values(obj: models.Model) -> dict[str, Any]:
    """The audited fields of a municipality or unit as plain data (no personal data)."""
    return {name: getattr(obj, name) for name in AUDITED_FIELDS[type(obj)]}


@transaction.atomic
def organisation_changed(*, obj: models.Model, before: dict[str, Any] | None, by: Any) -> None:
    """Audit a saved change of a municipality's kommunkod or a unit's field or provider."""
    after = organisation_values(obj)
    if before == after:
        return
    audit_append(
        action=f"{obj._meta.model_name}.changed",
        obj=obj,
        actor=by,
        municipality_id=obj.pk if isinstance(obj, Municipality) else obj.municipality_id,  # type: ignore[attr-defined]
        data={"before": before, "after": after},
    )
