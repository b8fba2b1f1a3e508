"""A plan from draft to established and on to a new version (R-LIFE-3..7, R-PLAN-6, R-PLAN-15)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from delaktig.oversight.models import SchedulerNotice
from delaktig.people.models import Case, GrantedIntervention
from delaktig.people.services import InterventionInput, decision_register
from delaktig.plans.content import content_hash
from delaktig.plans.models import (
    FrozenVersionError,
    Plan,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
    VersionState,
)
from delaktig.plans.services import (
    SignatureInput,
    StaleDraft,
    handover_record,
    missing_roles,
    plan_new_version,
    plan_save_draft,
    plan_send_for_signing,
    plan_start,
    sign_many,
    signature_record,
)
from delaktig.records.models import JournalEntry, JournalKind
from tests.services.plan_helpers import complete, contact_for, establish_on, ready, sign_everything
from tests.world import World

START = date(2026, 1, 12)
TODAY = date(2026, 2, 2)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


def _case(world: World, unit_attr: str = "home_care", **kwargs: object) -> Case:
    return world.add_person(
        getattr(world, unit_attr), start=START, contact=contact_for(world, unit_attr), **kwargs
    )  # type: ignore[arg-type]


def _established(world: World, unit_attr: str = "home_care", on: date = TODAY) -> PlanVersion:
    case = _case(world, unit_attr)
    contact = contact_for(world, unit_attr)
    version = ready(world, plan_start(case=case, by=contact, on=START), on)
    sign_everything(world, version, on, unit_attr)
    return establish_on(version=version, on=on, by=contact)


def test_a_plan_starts_from_the_order(world: World) -> None:
    """R-CASE-3 / R-PLAN-2: every granted intervention and the decision's goals are pre-filled."""
    case = _case(world, types=("hemtjanst-dusch", "hemtjanst-inkop"))
    version = plan_start(case=case, by=world.bob, on=START)
    assert version.number == 1 and version.state == VersionState.DRAFT
    assert [p["name"] for p in version.content["interventions"]] == [
        "Hemtjänst – dusch",
        "Hemtjänst – inköp",
    ]
    assert version.content["decision_goals"] == "Att kunna bo kvar hemma."
    assert version.interventions.count() == 2


def test_plan_start_needs_an_ongoing_intervention(world: World) -> None:
    case = _case(world)
    GrantedIntervention.objects.filter(case=case).update(end_date=START)
    with pytest.raises(ValidationError, match="inga pågående"):
        plan_start(case=case, by=world.bob, on=START + timedelta(days=1))


def test_two_editors_never_overwrite_each_other_silently(world: World) -> None:
    version = plan_start(case=_case(world), by=world.bob, on=START)
    opened = version.lock_version
    first = dict(version.content, other_information="Bob skrev detta.")
    plan_save_draft(version=version, content=first, lock_version=opened, by=world.bob)
    second = dict(version.content, other_information="Alice skrev detta.")
    with pytest.raises(StaleDraft):
        plan_save_draft(version=version, content=second, lock_version=opened, by=world.alice)
    version.refresh_from_db()
    assert version.content["other_information"] == "Bob skrev detta."
    assert version.lock_version == opened + 1


def test_oversized_content_is_refused_and_nothing_saved(world: World) -> None:
    version = plan_start(case=_case(world), by=world.bob, on=START)
    before = version.content
    too_long = dict(before, other_information="x" * 5000)
    with pytest.raises(ValidationError, match="för lång"):
        plan_save_draft(version=version, content=too_long, lock_version=1, by=world.bob)
    version.refresh_from_db()
    assert version.content == before and version.lock_version == 1


def test_an_incomplete_draft_cannot_be_sent_for_signing(world: World) -> None:
    version = plan_start(case=_case(world), by=world.bob, on=START)
    with pytest.raises(ValidationError) as info:
        plan_send_for_signing(version=version, by=world.bob, on=TODAY)
    assert len(info.value.messages) >= 5  # every missing item named
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT and version.content_sha256 == ""


def test_sending_for_signing_freezes_the_exact_content(world: World) -> None:
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    assert version.state == VersionState.READY_FOR_SIGNING
    assert version.content_sha256 == content_hash(complete(version))
    version.content = dict(version.content, other_information="ändrat i efterhand")
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(ValidationError, match="inte längre ett utkast"):
        plan_save_draft(version=version, content=version.content, lock_version=99, by=world.bob)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE plans_planversion SET content = '{}' WHERE id = %s",
        "UPDATE plans_planversion SET content_sha256 = 'x' WHERE id = %s",
        "UPDATE plans_planversion SET state = 'draft' WHERE id = %s",
        "DELETE FROM plans_planversion WHERE id = %s",
        "DELETE FROM plans_planversion_interventions WHERE planversion_id = %s",
    ],
    ids=["content", "hash", "back-to-draft", "delete", "unlink-intervention"],
)
def test_the_database_refuses_changes_to_a_frozen_version(world: World, sql: str) -> None:
    """Non-negotiable 3: enforced in the database too, on SQLite and PostgreSQL."""
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [version.pk])
    version.refresh_from_db()
    assert version.state == VersionState.READY_FOR_SIGNING
    assert version.content_sha256 == content_hash(version.content)


def test_the_database_allows_editing_a_draft(world: World) -> None:
    version = plan_start(case=_case(world), by=world.bob, on=START)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_planversion SET lock_version = lock_version + 1 WHERE id = %s",
            [version.pk],
        )
    version.refresh_from_db()
    assert version.lock_version == 2


@pytest.mark.parametrize(
    ("unit_attr", "roles"),
    [
        ("home_care", [SignerRole.PERSON, SignerRole.CONTACT_PERSON, SignerRole.UNIT_MANAGER]),
        ("housing_support", [SignerRole.STAFF_MEMBER]),
        ("nursing_home", [SignerRole.PERSON]),
    ],
    ids=["S1", "S4", "S0_S3"],
)
def test_the_routine_decides_who_signs(
    world: World, unit_attr: str, roles: list[SignerRole]
) -> None:
    version = ready(
        world,
        plan_start(case=_case(world, unit_attr), by=contact_for(world, unit_attr), on=START),
        TODAY,
    )
    assert missing_roles(version, TODAY) == roles


def test_establishing_waits_for_every_signature(world: World) -> None:
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON, method=SignatureMethod.ON_PAPER, signed_on=TODAY
        ),
        by=world.bob,
    )
    with pytest.raises(ValidationError) as info:
        establish_on(version=version, on=TODAY, by=world.bob)
    assert "Signatur saknas: kontaktman." in info.value.messages
    assert "Signatur saknas: enhetschef." in info.value.messages
    version.refresh_from_db()
    assert version.state == VersionState.READY_FOR_SIGNING


def test_a_signature_binds_the_exact_content(world: World) -> None:
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    sign_everything(world, version, TODAY, "home_care")
    hashes = set(Signature.objects.filter(version=version).values_list("content_sha256", flat=True))
    assert hashes == {version.content_sha256}
    person = Signature.objects.get(version=version, role=SignerRole.PERSON)
    assert person.signer_name == "Astrid Lind" and person.signer_user is None
    assert person.method == SignatureMethod.ON_PAPER and person.recorded_by == world.bob


def test_the_person_may_decline_to_sign_with_a_reason(world: World) -> None:
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    data = SignatureInput(
        role=SignerRole.PERSON, method=SignatureMethod.ON_PAPER, signed_on=TODAY, signed=False
    )
    with pytest.raises(ValidationError, match="Skriv varför"):
        signature_record(version=version, data=data, by=world.bob)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON,
            method=SignatureMethod.ON_PAPER,
            signed_on=TODAY,
            signed=False,
            not_signed_reason="Vill inte skriva under, men godkänner planen muntligt.",
        ),
        by=world.bob,
    )
    assert SignerRole.PERSON not in missing_roles(version, TODAY)


@pytest.mark.parametrize(
    ("role", "who"),
    [
        (SignerRole.UNIT_MANAGER, "bob"),
        (SignerRole.CONTACT_PERSON, "alice"),
        (SignerRole.PERSON, "charlie"),
    ],
)
def test_only_the_right_person_can_sign_each_role(world: World, role: SignerRole, who: str) -> None:
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    with pytest.raises(ValidationError, match="Du kan inte signera"):
        signature_record(
            version=version,
            data=SignatureInput(role=role, method=SignatureMethod.IN_SYSTEM, signed_on=TODAY),
            by=getattr(world, who),
        )
    assert not Signature.objects.filter(version=version).exists()


def test_a_role_the_routine_does_not_ask_for_is_refused(world: World) -> None:
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    with pytest.raises(ValidationError, match="kräver ingen signatur"):
        signature_record(
            version=version,
            data=SignatureInput(
                role=SignerRole.STAFF_MEMBER, method=SignatureMethod.IN_SYSTEM, signed_on=TODAY
            ),
            by=world.bob,
        )


@pytest.mark.parametrize(
    ("unit_attr", "expected_follow_up"),
    [("home_care", date(2026, 8, 2)), ("housing_support", date(2027, 2, 2))],
    ids=["S1-halvår", "S4-år"],
)
def test_establishing_closes_the_deadline_and_sets_the_next_follow_up(
    world: World, unit_attr: str, expected_follow_up: date
) -> None:
    version = _established(world, unit_attr)
    plan = Plan.objects.get(pk=version.plan_id)
    assert (plan.established_on, plan.next_follow_up_on) == (TODAY, expected_follow_up)
    assert plan.established_version_id == version.pk
    assert set(
        GrantedIntervention.objects.filter(case=plan.case).values_list(
            "plan_established_on", flat=True
        )
    ) == {TODAY}
    entry = JournalEntry.objects.get(case=plan.case, kind=JournalKind.PLAN_ESTABLISHED)
    assert entry.happened_on == TODAY and entry.plan_version_id == version.pk
    assert "fastställd 2026-02-02" in entry.text


def test_home_care_under_s1_tells_the_scheduler(world: World) -> None:
    version = _established(world, "home_care")
    notice = SchedulerNotice.objects.get(plan_version=version)
    assert notice.items == [
        {
            "intervention": "Hemtjänst – dusch",
            "when": "Tisdagar kl. 9",
            "where": "Hemma",
            "visits": [
                {
                    "weekdays": ["TU"],
                    "time_of_day": "09:00",
                    "duration_minutes": 45,
                    "times_per_week": 1,
                }
            ],
        }
    ]
    assert "Astrid" not in str(notice.items)


def test_units_whose_routine_says_no_do_not_tell_the_scheduler(world: World) -> None:
    _established(world, "nursing_home")
    _established(world, "housing_support")
    assert not SchedulerNotice.objects.exists()


def test_a_change_makes_a_new_version_that_supersedes_the_old_one(world: World) -> None:
    """R-FU-3: the old version stays readable; a new intervention joins the new version."""
    first = _established(world)
    case = first.plan.case
    decision_register(
        case=case,
        decided_on=TODAY,
        interventions=[InterventionInput(type=world.types["hemtjanst-inkop"], start_date=TODAY)],
        by=world.alice,
    )
    draft = plan_new_version(plan=first.plan, by=world.bob, on=TODAY)
    assert draft.number == 2 and draft.state == VersionState.DRAFT
    assert [p["name"] for p in draft.content["interventions"]] == [
        "Hemtjänst – dusch",
        "Hemtjänst – inköp",
    ]
    assert plan_new_version(plan=first.plan, by=world.bob, on=TODAY).pk == draft.pk
    draft = ready(world, draft, TODAY)
    sign_everything(world, draft, TODAY, "home_care")
    establish_on(version=draft, on=TODAY, by=world.bob)
    first.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED
    assert first.content["interventions"][0]["how"]  # still readable
    assert JournalEntry.objects.filter(case=case, kind=JournalKind.PLAN_UPDATED).count() == 1


def test_a_version_waiting_for_signatures_is_withdrawn_by_a_new_draft(world: World) -> None:
    waiting = ready(world, plan_start(case=_case(world), by=world.bob, on=START), TODAY)
    draft = plan_new_version(plan=waiting.plan, by=world.bob, on=TODAY)
    waiting.refresh_from_db()
    assert waiting.state == VersionState.SUPERSEDED
    assert draft.content == waiting.content and draft.number == 2


def test_handover_is_recorded_in_the_journal(world: World) -> None:
    yesterday = TODAY - timedelta(days=1)
    version = ready(world, plan_start(case=_case(world), by=world.bob, on=START), yesterday)
    with pytest.raises(ValidationError, match="innan den gåtts igenom"):
        handover_record(
            version=version,
            gone_through_on=TODAY,
            communicated_on=TODAY - timedelta(days=1),
            how="Personligen vid hembesök",
            by=world.bob,
        )
    handover_record(
        version=version,
        gone_through_on=TODAY - timedelta(days=1),
        communicated_on=TODAY,
        how="Personligen vid hembesök",
        by=world.bob,
    )
    entry = JournalEntry.objects.get(kind=JournalKind.PLAN_COMMUNICATED)
    assert "gicks igenom med den enskilde 2026-02-01" in entry.text
    assert entry.author == world.bob


def test_a_unit_manager_signs_several_plans_in_a_row(world: World) -> None:
    versions = []
    for serial in (981, 983, 985):
        case = _case(world, serial=serial, birth=(1941, 4, serial - 970))
        versions.append(ready(world, plan_start(case=case, by=world.bob, on=START), TODAY))
    signed = sign_many(versions=versions, by=world.alice, on=TODAY)
    assert [s.version_id for s in signed] == [v.pk for v in versions]
    assert all(SignerRole.UNIT_MANAGER not in missing_roles(v, TODAY) for v in versions)


def test_the_date_established_is_set_once_the_orm_refuses_a_change(world: World) -> None:
    """R-LIFE-6 / R-ARC-1: the ORM refuses it with a clear error, before the trigger would."""
    version = _established(world)
    version.refresh_from_db()
    version.established_on = date(2026, 1, 1)
    with pytest.raises(FrozenVersionError, match="established_on är redan satt"):
        version.save()
    version.refresh_from_db()
    assert version.established_on == TODAY
