"""A draft with health-care words is sent only when each hit is confirmed (R-PLAN-11; S0/S3).

"Insatser som faller under ramen för Hälso- och sjukvårdslagen får inte dokumenteras
och blandas in i genomförandeplanen": the author confirms per hit (field and word)
that the text is not health-care documentation, or removes it; the confirmation is
recorded, bound to the content sent, and cannot be changed afterwards.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from delaktig import rules
from delaktig.core.models import AppendOnlyError
from delaktig.organisation.services import effective_profile
from delaktig.plans.models import HslConfirmation, PlanVersion, VersionState
from delaktig.plans.services import hsl_hits, plan_send_for_signing, plan_start
from delaktig.records.audit_models import AuditEvent
from tests.services.plan_helpers import complete
from tests.world import World

TODAY = date(2026, 3, 2)
HOW = "interventions[{key}].how"


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def flagged(world: World) -> PlanVersion:
    case = world.add_person(world.home_care, start=TODAY, contact=world.bob)
    version = plan_start(case=case, by=world.bob, on=TODAY)
    content = complete(version)
    part = content["interventions"][0]
    part["how"] = "Bob hjälper Astrid i duschen och ger insulin efteråt."
    content["other_information"] = "Personalen kontrollerar blodsockret före lunch."
    version.content = content
    version.save()
    return version


def _keys(version: PlanVersion) -> set[tuple[str, str]]:
    return {hit.key for hit in hsl_hits(version.content, _profile(version))}


def _profile(version: PlanVersion) -> rules.RoutineProfile:
    return effective_profile(version.plan.unit, TODAY)


def test_every_hit_must_be_confirmed_and_nothing_changes_until_then(
    world: World, flagged: PlanVersion
) -> None:
    keys = _keys(flagged)
    key = HOW.format(key=flagged.content["interventions"][0]["key"])
    assert (key, "insulin") in keys
    assert len(keys) >= 2  # the other information is flagged too
    for confirmed in (set(), {(key, "insulin")}):
        with pytest.raises(ValidationError) as refused:
            plan_send_for_signing(version=flagged, by=world.bob, on=TODAY, hsl_confirmed=confirmed)
        assert "inte är hälso- och sjukvårdsdokumentation" in " ".join(refused.value.messages)
        flagged.refresh_from_db()
        assert flagged.state == VersionState.DRAFT
        assert not HslConfirmation.objects.exists()
    # Any case of the word: the author ticks what was shown.
    sent = plan_send_for_signing(
        version=flagged,
        by=world.bob,
        on=TODAY,
        hsl_confirmed={(f, t.upper()) for f, t in keys},
    )
    assert sent.state == VersionState.READY_FOR_SIGNING
    rows = list(sent.hsl_confirmations.all())
    assert {(r.field, r.term.lower()) for r in rows} == keys
    assert all(r.content_sha256 == sent.content_sha256 for r in rows)
    assert all(r.recorded_by_id == world.bob.pk for r in rows)
    event = AuditEvent.objects.get(action="plan.sent_for_signing")
    assert len(event.data["hsl_confirmed"]) == len(keys)


def test_a_draft_changed_since_it_was_read_is_not_sent(world: World, flagged: PlanVersion) -> None:
    with pytest.raises(ValidationError) as refused:
        plan_send_for_signing(
            version=flagged,
            by=world.bob,
            on=TODAY,
            hsl_confirmed=_keys(flagged),
            lock_version=flagged.lock_version - 1,
        )
    assert "har ändrats" in " ".join(refused.value.messages)


def test_a_confirmation_cannot_be_changed_or_removed(world: World, flagged: PlanVersion) -> None:
    sent = plan_send_for_signing(
        version=flagged, by=world.bob, on=TODAY, hsl_confirmed=_keys(flagged)
    )
    row = sent.hsl_confirmations.first()
    assert row is not None
    row.term = "ingenting"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(DatabaseError), transaction.atomic():  # the trigger is the backstop
        HslConfirmation.objects.filter(pk=row.pk)._raw_delete(using="default")  # type: ignore[attr-defined]


def test_a_draft_without_health_care_words_needs_no_confirmation(world: World) -> None:
    case = world.add_person(world.home_care, start=TODAY, contact=world.bob)
    version = plan_start(case=case, by=world.bob, on=TODAY)
    version.content = complete(version)
    version.save()
    assert not _keys(version)
    sent = plan_send_for_signing(version=version, by=world.bob, on=TODAY)
    assert not sent.hsl_confirmations.exists()
