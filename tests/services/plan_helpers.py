"""Helpers for plan tests: complete content and the full signing flow."""

from __future__ import annotations

from datetime import date
from typing import Any

from delaktig.core import clock
from delaktig.plans.models import PlanVersion, SignatureMethod, SignerRole
from delaktig.plans.services import (
    SignatureInput,
    plan_establish,
    plan_send_for_signing,
    required_roles,
    signature_record,
)
from tests.world import World


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
            "schedule": {
                "weekdays": ["TU"],
                "time_of_day": "09:00",
                "duration_minutes": 45,
                "times_per_week": 1,
            },
        }
        for part in content["interventions"]
    ]
    content.update(
        participation_how="Astrid var med i samtalet och valde tider.",
        wishes_weight="Tiderna följer Astrids önskemål.",
        statements=[{"source": "person", "text": "Jag vill duscha på förmiddagen."}],
        participants=[{"name": "Astrid Lind", "role": "Den enskilde"}],
        follow_up_how="Samtal med Astrid.",
        other_information="Astrid hör dåligt på vänster öra.",
        disclosure=["Arbetslaget"],
        sip_status="not_applicable",
        master_data_checked=True,
    )
    return content


def fill(version: PlanVersion) -> PlanVersion:
    version.content = complete(version)
    version.save()
    return version


def contact_for(world: World, unit_attr: str) -> Any:
    """Who works at the unit: Bob in home care, Charlie at housing support, Alice at the home."""
    return {"housing_support": world.charlie, "nursing_home": world.alice}.get(unit_attr, world.bob)


def signer_for(world: World, role: SignerRole, unit_attr: str) -> Any:
    if role == SignerRole.UNIT_MANAGER:
        return world.alice
    return contact_for(world, unit_attr)


def establish_on(*, version: PlanVersion, on: date, by: Any) -> PlanVersion:
    """Establish ``version`` as on the day ``on``: Delaktig establishes on the day itself."""
    with clock.history(on):
        return plan_establish(version=version, by=by)


def sign_everything(world: World, version: PlanVersion, on: date, unit_attr: str) -> None:
    with clock.history(on):
        _sign_everything(world, version, on, unit_attr)


def _sign_everything(world: World, version: PlanVersion, on: date, unit_attr: str) -> None:
    for role in required_roles(version, on):
        method = (
            SignatureMethod.ON_PAPER if role == SignerRole.PERSON else SignatureMethod.IN_SYSTEM
        )
        signature_record(
            version=version,
            data=SignatureInput(role=role, method=method, signed_on=on),
            by=signer_for(world, role, unit_attr),
        )


def unit_attr_of(world: World, unit_id: int) -> str:
    return next(
        attr
        for attr in ("home_care", "nursing_home", "housing_support")
        if getattr(world, attr).pk == unit_id
    )


def ready(world: World, version: PlanVersion, on: date) -> PlanVersion:
    """Fill the draft and send it for signing, by someone who may write it."""
    fill(version)
    writer = contact_for(world, unit_attr_of(world, version.plan.unit_id))
    with clock.history(on):
        return plan_send_for_signing(version=version, by=writer, on=on)
