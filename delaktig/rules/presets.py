"""Routine profiles matching the seed routines (R-ORG-3: "Ship presets").

* ``"S0_S3"`` – Bjuvs kommun, Vård och omsorg (seeds S0 and S3, the same
  routine; S3 carries the document-control header).
* ``"S1"`` – routine based on SOSFS 2014:5 6 kap. 2 § (seed S1, home care and
  other units; the scheduler is notified, "Endast hemtjänst").
* ``"S4"`` – Botkyrka kommun, boendestöd (seed S4).

S2 is a knowledge-support page, not a routine; its content rules are in
:mod:`delaktig.rules.completeness`. The plan template code stays
``"standard"``: which template an organisation uses is chosen per
organisation (R-PLAN-13).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from .profile import ChangeApproval, FollowUpParticipation, RoutineProfile, Signer

__all__ = ["PRESETS", "RoutinePreset"]

SEED_FILES = MappingProxyType(
    {
        "S0": "000_0217a22a1162d71d.txt",
        "S1": "001_c593e58ffd097402.txt",
        "S2": "002_daaca901b3402128.txt",
        "S3": "003_b7e13cbb97448681.txt",
        "S4": "004_0d39b8292a9c9a7a.txt",
    }
)


@dataclass(frozen=True, kw_only=True)
class RoutinePreset:
    """A seed routine: its profile plus document control (R-ORG-3).

    ``source`` names the seed file(s) and quotes the key sentence; ``quotes``
    holds every sentence (verbatim from the seed) that a setting is based on.
    Empty strings/``None`` mean the seed does not say.
    """

    code: str
    name: str
    source: str
    quotes: tuple[str, ...]
    owner: str  # dokumentansvarig / ansvarig för rutin
    decided_by: str  # fastställd/beslutad av
    decided_on: date | None
    revised_on: date | None
    profile: RoutineProfile


_S0_S3 = RoutinePreset(
    code="S0_S3",
    name="Bjuvs kommun, Vård och omsorg – Genomförandeplan",
    source=(
        f"S0 ({SEED_FILES['S0']}), S3 ({SEED_FILES['S3']}): ”Senast tre veckor efter det att "
        "insatser har påbörjats ska din genomförandeplan vara klar”"
    ),
    quotes=(
        "Senast tre veckor efter det att insatser har påbörjats ska din genomförandeplan vara klar",
        "Uppföljning av hela genomförandeplanen ska ske minst en gång var 6:e månad.",
        "Vid uppföljning ska den enskilde och/eller anhörig delta.",
        "Om förändringar har skett skall istället ny genomförandeplan upprättas.",
        "den enskilde och/eller anhörig ska godkänna ändringar i genomförandeplanen",
    ),
    owner="Kvalitetscontroller",
    decided_by="VoO ledningsgrupp",
    decided_on=date(2009, 6, 23),
    revised_on=date(2015, 6, 5),
    profile=RoutineProfile(
        establish_within_days=21,
        follow_up_interval_months=6,
        new_version_on_new_intervention=True,
        required_signers=frozenset({Signer.PERSON}),
        follow_up_participation=FollowUpParticipation.PERSON_OR_RELATIVE,
        change_approval=ChangeApproval.PERSON_OR_RELATIVE,
    ),
)

_S1 = RoutinePreset(
    code="S1",
    name="Genomförandeplan – rutin baserad på SOSFS 2014:5 6 kap. 2 § (Procapita/Lifecare)",
    source=(
        f"S1 ({SEED_FILES['S1']}): ”Genomförandeplan ska upprättas i Procapita alternativt "
        "Lifecare för alla brukare inom 14 dagar.”"
    ),
    quotes=(
        "för alla brukare inom 14 dagar",
        "Genomförandeplanen ska godkännas och signeras av den enskilde, om den enskilde inte "
        "skrivit under ska anledning till detta framgå.",
        "En genomförandeplan upprättad ska även signeras av enhetschef och en "
        "genomförandeplan upprättad i Lifecare ska signeras av kontaktman.",
        "Genomförandeplanen ska följas upp en gång per halvår, eller vid någon förändring.",
        "Endast hemtjänst: När kontaktmannen skrivit färdigt genomförandeplanen så ska även "
        "kontaktmannen meddela planeraren hur insatserna ska kopplas.",
        "Uppgifter och övrig information",
        "annan information som är av vikt vid utförandet",
    ),
    owner="",
    decided_by="",
    decided_on=None,
    revised_on=None,
    profile=RoutineProfile(
        establish_within_days=14,
        follow_up_interval_months=6,
        new_version_on_new_intervention=False,
        required_signers=frozenset({Signer.PERSON, Signer.UNIT_MANAGER, Signer.CONTACT_PERSON}),
        person_may_decline_signing_with_reason=True,
        notify_scheduler=True,
        master_data_check=True,
        other_information_required=True,
    ),
)

_S4 = RoutinePreset(
    code="S4",
    name="Botkyrka kommun, boendestöd – Att upprätta genomförandeplan",
    source=(
        f"S4 ({SEED_FILES['S4']}): ”En ny genomförandeplanen upprättas alltid vid nya insatser "
        "och minst en gång per år.”"
    ),
    quotes=(
        "upprättas alltid en genomförandeplan inom 14 dagar",
        "Genomförandeplanen skall upprättas i LifeCare och signeras av medarbetare.",
        "En ny genomförandeplanen upprättas alltid vid nya insatser och minst en gång per år.",
        "vem som ska göra vad och när insatserna skall utföras",
        "Det är viktigt att genomförandeplanen alltid följs upp vart efter nya behov uppstår "
        "eller förändras.",
    ),
    owner="Verksamhetsutvecklare, övrig OF",
    decided_by="Enhetschef, boendestöd",
    decided_on=date(2023, 8, 21),
    revised_on=None,
    profile=RoutineProfile(
        establish_within_days=14,
        follow_up_interval_months=12,
        new_version_on_new_intervention=True,
        new_version_at_follow_up=True,
        activities_required=True,
        required_signers=frozenset({Signer.STAFF_MEMBER}),
    ),
)

#: The presets by code.
PRESETS: Mapping[str, RoutinePreset] = MappingProxyType(
    {preset.code: preset for preset in (_S0_S3, _S1, _S4)}
)
