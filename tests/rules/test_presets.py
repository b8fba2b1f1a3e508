"""Presets matching the seed routines (R-ORG-3 "Ship presets")."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from delaktig.rules import (
    PRESETS,
    FollowUpParticipation,
    RoutinePreset,
    Signer,
    follow_up_due,
    plan_deadline,
)
from delaktig.rules.presets import SEED_FILES

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_preset_keys() -> None:
    assert set(PRESETS) == {"S0_S3", "S1", "S4"}
    assert all(code == preset.code for code, preset in PRESETS.items())
    with pytest.raises(TypeError):
        PRESETS["X"] = PRESETS["S1"]  # type: ignore[index]


def test_s0_s3_bjuv() -> None:
    """S0/S3: three weeks, every 6th month, person and/or relative, new plan on change."""
    preset = PRESETS["S0_S3"]
    profile = preset.profile
    assert profile.establish_within_days == 21  # "Senast tre veckor"
    assert profile.follow_up_interval_months == 6  # "minst en gång var 6:e månad"
    assert profile.follow_up_participation is FollowUpParticipation.PERSON_OR_RELATIVE
    assert profile.new_version_on_new_intervention is True
    assert profile.required_signers == frozenset({Signer.PERSON})
    assert profile.notify_scheduler is False
    assert profile.master_data_check is False
    # S3 header: document control.
    assert preset.owner == "Kvalitetscontroller"
    assert preset.decided_by == "VoO ledningsgrupp"
    assert preset.decided_on == date(2009, 6, 23)
    assert preset.revised_on == date(2015, 6, 5)
    assert "Bjuv" in preset.name
    assert plan_deadline(date(2024, 3, 1), profile) == date(2024, 3, 22)


def test_s1() -> None:
    """S1: 14 days, half-yearly, person + unit manager + contact person sign."""
    preset = PRESETS["S1"]
    profile = preset.profile
    assert profile.establish_within_days == 14
    assert profile.follow_up_interval_months == 6  # "en gång per halvår"
    assert profile.follow_up_on_change is True  # "eller vid någon förändring"
    assert profile.required_signers == frozenset(
        {Signer.PERSON, Signer.UNIT_MANAGER, Signer.CONTACT_PERSON}
    )
    assert profile.person_may_decline_signing_with_reason is True
    assert profile.notify_scheduler is True  # "Endast hemtjänst: … meddela planeraren"
    assert profile.master_data_check is True  # "Uppgifter och övrig information"
    assert profile.new_version_on_new_intervention is False
    assert (preset.owner, preset.decided_by, preset.decided_on, preset.revised_on) == (
        "",
        "",
        None,
        None,
    )


def test_s4_botkyrka_boendestod() -> None:
    """S4: 14 days, new plan at new interventions and at least yearly, staff member signs."""
    preset = PRESETS["S4"]
    profile = preset.profile
    assert profile.establish_within_days == 14
    assert profile.follow_up_interval_months == 12
    assert profile.new_version_on_new_intervention is True
    assert profile.required_signers == frozenset({Signer.STAFF_MEMBER})
    assert preset.decided_by == "Enhetschef, boendestöd"
    assert preset.decided_on == date(2023, 8, 21)
    assert preset.owner == "Verksamhetsutvecklare, övrig OF"
    assert preset.revised_on is None
    assert "Botkyrka" in preset.name
    assert follow_up_due(date(2024, 2, 29), profile) == date(2025, 2, 28)


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_presets_cite_their_seed_files(preset: RoutinePreset) -> None:
    """R-ORG-3: every preset names its seed file(s) and quotes it."""
    seeds = re.findall(r"S\d", preset.code)
    assert seeds
    for seed in seeds:
        assert SEED_FILES[seed] in preset.source
    assert "”" in preset.source
    assert preset.quotes


def _normalise(text: str) -> str:
    return " ".join(text.replace('"', "”").replace("“", "”").split())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seed files are not checked out")
@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_preset_quotes_are_verbatim_from_the_seeds(preset: RoutinePreset) -> None:
    """R-ORG-3: the quoted sentences really are in the seed routine."""
    seeds = re.findall(r"S\d", preset.code)
    corpus = " ".join(_normalise((SEEDS / SEED_FILES[seed]).read_text("utf-8")) for seed in seeds)
    for quote in preset.quotes:
        assert _normalise(quote) in corpus
    source_quote = preset.source.split("”")[1]
    assert _normalise(source_quote) in corpus
