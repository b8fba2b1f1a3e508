"""Follow-ups (R-FU-1..6): recorded on the plan, or a new version; the case officer is told."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from pytest_django import DjangoCaptureOnCommitCallbacks

from delaktig import rules
from delaktig.oversight.models import Notification
from delaktig.people.models import Decision
from delaktig.plans.followups import FollowUpInput, follow_up_record, plan_goals
from delaktig.plans.models import FollowUp, Plan, PlanVersion, VersionState
from delaktig.plans.services import plan_start
from delaktig.records.models import JournalEntry, JournalKind
from tests.services.plan_helpers import contact_for, establish_on, ready, sign_everything
from tests.world import World

START = date(2026, 1, 12)
ESTABLISHED = date(2026, 1, 20)
TODAY = date(2026, 7, 1)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


def established(world: World, unit_attr: str = "home_care") -> Plan:
    case = world.add_person(
        getattr(world, unit_attr), start=START, contact=contact_for(world, unit_attr)
    )
    writer = contact_for(world, unit_attr)
    version = ready(world, plan_start(case=case, by=writer, on=START), ESTABLISHED)
    sign_everything(world, version, ESTABLISHED, unit_attr)
    establish_on(version=version, on=ESTABLISHED, by=contact_for(world, unit_attr))
    return Plan.objects.get(pk=version.plan_id)


def data(plan: Plan, **changes: object) -> FollowUpInput:
    version = plan.established_version
    assert version is not None
    values: dict[str, object] = {
        "held_on": date(2026, 6, 30),
        "how": "Samtal hemma hos Astrid",
        "participants": [
            {"name": "Astrid Lind", "role": "person"},
            {"name": "Bob", "role": "staff"},
        ],
        "person_view": "Astrid är nöjd med tiderna.",
        "carried_out_as_decided": "Ja, enligt beslutet.",
        "situation": "Stabil.",
        "goal_outcomes": [
            {**g, "outcome": rules.GoalOutcome.PARTLY.value} for g in plan_goals(version)
        ],
        "outcome": rules.FollowUpOutcome.NO_CHANGE,
        "need_change": rules.NeedChange.UNCHANGED,
        "disclosure_reviewed": True,
        "master_data_checked": True,
    }
    values.update(changes)
    return FollowUpInput(**values)  # type: ignore[arg-type]


def test_no_change_is_recorded_on_the_plan_and_moves_the_due_date(world: World) -> None:
    """R-FU-3 (no change) and R-FU-1: the next follow-up is counted from this one."""
    plan = established(world)
    assert plan.next_follow_up_on == date(2026, 7, 20)
    result = follow_up_record(plan=plan, data=data(plan), by=world.bob)
    plan.refresh_from_db()
    assert result.new_version is None
    assert plan.next_follow_up_on == date(2026, 12, 30)  # S1: every 6 months
    assert result.follow_up.due_on == date(2026, 7, 20)
    assert plan.versions.count() == 1
    entry = JournalEntry.objects.get(kind=JournalKind.PLAN_FOLLOWED_UP)
    assert "följdes upp 2026-06-30" in entry.text and "Ingen förändring" in entry.text


def test_a_change_starts_a_new_version_and_the_old_one_stays(world: World) -> None:
    plan = established(world)
    result = follow_up_record(
        plan=plan, data=data(plan, outcome=rules.FollowUpOutcome.CHANGE), by=world.bob
    )
    assert result.new_version is not None and result.new_version.state == VersionState.DRAFT
    first = PlanVersion.objects.get(plan=plan, number=1)
    assert first.state == VersionState.ESTABLISHED  # in force until the new one is established


def test_every_goal_needs_an_outcome(world: World) -> None:
    """R-FU-4: per goal achieved / partly / not / no longer relevant."""
    plan = established(world)
    with pytest.raises(ValidationError, match="Bedöm målet"):
        follow_up_record(plan=plan, data=data(plan, goal_outcomes=[]), by=world.bob)
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("unit_attr", "roles", "ok"),
    [
        ("nursing_home", ["staff"], False),  # S0/S3: the person and/or a relative must take part
        ("nursing_home", ["relative", "staff"], True),
        ("home_care", ["staff"], True),  # S1 sets no participation rule
    ],
)
def test_participation_follows_the_routine(
    world: World, unit_attr: str, roles: list[str], ok: bool
) -> None:
    """R-FU-2."""
    plan = established(world, unit_attr)
    participants = [{"name": f"N{i}", "role": r} for i, r in enumerate(roles)]
    if ok:
        follow_up_record(plan=plan, data=data(plan, participants=participants), by=world.alice)
        assert FollowUp.objects.count() == 1
    else:
        with pytest.raises(ValidationError, match="anhörig"):
            follow_up_record(plan=plan, data=data(plan, participants=participants), by=world.alice)


def test_required_texts_dates_and_disclosure_are_checked(world: World) -> None:
    plan = established(world)
    bad = data(
        plan,
        person_view=" ",
        held_on=date(2026, 7, 2),
        disclosure_reviewed=False,
        master_data_checked=False,
    )
    with pytest.raises(ValidationError) as info:
        follow_up_record(plan=plan, data=bad, by=world.bob)
    messages = " ".join(info.value.messages)
    assert "framtiden" in messages
    assert "hur den enskilde uppfattar" in messages
    assert "vem som får ta del av planen" in messages
    assert "personens uppgifter" in messages  # S1's master-data check (R-PLAN-14)


def test_a_changed_need_mails_the_case_officer_without_personal_data(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """R-FU-6 and R-LIFE-8: an outbox record and an e-mail with only a link (after commit)."""
    plan = established(world)
    Decision.objects.filter(case=plan.case).update(case_officer_email="handlaggare@kommun.se")
    with django_capture_on_commit_callbacks(execute=True):
        result = follow_up_record(
            plan=plan, data=data(plan, need_change=rules.NeedChange.INCREASED), by=world.bob
        )
    assert result.case_officer_notified is True
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["handlaggare@kommun.se"]
    assert "ökat" in message.body
    assert str(plan.case.person.uuid) in message.body
    for secret in (
        "Astrid",
        "Lind",
        plan.case.person.personnummer,
        plan.case.person.personnummer[:8],
    ):
        assert secret not in message.body and secret not in message.subject
    notification = Notification.objects.get()
    assert notification.sent_at is not None and notification.body == message.body


def test_without_an_address_the_notice_is_kept_and_reported(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    plan = established(world)
    with django_capture_on_commit_callbacks(execute=True):
        result = follow_up_record(
            plan=plan, data=data(plan, need_change=rules.NeedChange.DECREASED), by=world.bob
        )
    assert result.case_officer_notified is False
    assert not mail.outbox
    assert Notification.objects.get().sent_at is None


def test_follow_ups_are_append_only(world: World) -> None:
    from django.db import DatabaseError, IntegrityError, connection, transaction

    plan = established(world)
    follow_up_record(plan=plan, data=data(plan), by=world.bob)
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE plans_followup SET situation = 'x'")
