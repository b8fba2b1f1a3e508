"""Routine settings that were stored but not applied, now applied (issue 9 part 4; R-ORG-3).

Home care runs S1, housing support S4 and the nursing home S0/S3 (tests/world.py).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from delaktig import rules
from delaktig.core import clock
from delaktig.oversight.queries import unit_overview
from delaktig.people.models import GrantedIntervention
from delaktig.people.services import InterventionInput, decision_register, relative_add
from delaktig.plans.followups import follow_up_record
from delaktig.plans.models import (
    ChangeApproval,
    Plan,
    PlanVersion,
    SignatureMethod,
    SignerRole,
    VersionState,
)
from delaktig.plans.services import (
    SignatureInput,
    approval_record,
    plan_establish,
    plan_new_version,
    plan_send_for_signing,
    plan_start,
    signature_record,
)
from delaktig.records.audit_models import AuditEvent
from tests.services.plan_helpers import complete, contact_for, fill, ready
from tests.services.test_follow_ups import data, established
from tests.world import World

TODAY = date(2026, 7, 1)


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


# --- S4: "En ny genomförandeplanen upprättas alltid vid nya insatser och minst en gång per år."


def test_an_s4_follow_up_cannot_end_in_no_change(world: World) -> None:
    """R-FU-3, S4: the yearly follow-up requires a new version; nothing is recorded otherwise."""
    plan = established(world, "housing_support")
    with pytest.raises(ValidationError) as refused:
        follow_up_record(plan=plan, data=data(plan), by=world.charlie)
    assert "ny genomförandeplan vid varje uppföljning" in " ".join(refused.value.messages)
    assert not plan.follow_ups.exists()
    result = follow_up_record(
        plan=plan, data=data(plan, outcome=rules.FollowUpOutcome.CHANGE), by=world.charlie
    )
    assert result.new_version is not None


def test_s1_still_records_a_follow_up_without_change(world: World) -> None:
    """The setting is off in S1: "no change" stays possible (R-FU-3)."""
    plan = established(world, "home_care")
    assert follow_up_record(plan=plan, data=data(plan), by=world.bob).new_version is None


def _new_intervention(world: World, plan: Plan, start: date) -> GrantedIntervention:
    decision_register(
        case=plan.case,
        decided_on=start,
        interventions=[InterventionInput(type=world.types["hemtjanst-inkop"], start_date=start)],
        by=world.alice,
    )
    return GrantedIntervention.objects.filter(case=plan.case).latest("pk")


def test_a_new_s4_intervention_opens_a_deadline_for_a_new_version(world: World) -> None:
    """S4 "alltid vid nya insatser": a new version within 14 days, shown on the overview."""
    plan = established(world, "housing_support")
    before = plan.next_follow_up_on
    item = _new_intervention(world, plan, TODAY)
    assert item.plan_deadline == TODAY + timedelta(days=14)
    plan.refresh_from_db()
    assert plan.next_follow_up_on == before  # the follow-up is not what S4 asks for
    overview = unit_overview(world.housing_support, TODAY)
    (row,) = [r for r in (*overview.late, *overview.due_soon, *overview.later)]
    assert row.case.pk == plan.case_id
    assert row.needs == "ny version av planen"


def test_a_new_s1_intervention_brings_the_follow_up_forward(world: World) -> None:
    """S1 "följas upp … vid någon förändring": the follow-up is due by the new deadline."""
    plan = established(world, "home_care")
    assert plan.next_follow_up_on == date(2026, 7, 20)
    item = _new_intervention(world, plan, TODAY)
    assert item.plan_deadline == TODAY + timedelta(days=14)
    plan.refresh_from_db()
    assert plan.next_follow_up_on == TODAY + timedelta(days=14)
    event = AuditEvent.objects.filter(action="plan.follow_up_brought_forward").get()
    assert event.data["from"] == "2026-07-20"
    overview = unit_overview(world.home_care, TODAY)
    (row,) = [r for r in (*overview.late, *overview.due_soon, *overview.later)]
    assert row.needs == "uppföljning av planen"


def test_a_follow_up_is_never_pushed_back_by_a_new_intervention(world: World) -> None:
    """S1: a new intervention starting later does not move an earlier follow-up."""
    plan = established(world, "home_care")
    item = _new_intervention(world, plan, date(2026, 8, 1))
    plan.refresh_from_db()
    assert item.plan_deadline == date(2026, 7, 20)
    assert plan.next_follow_up_on == date(2026, 7, 20)
    assert not AuditEvent.objects.filter(action="plan.follow_up_brought_forward").exists()


def test_a_first_plan_keeps_its_own_deadline(world: World) -> None:
    """R-LIFE-1: without a plan in force the deadline is the routine's days after the start."""
    case = world.add_person(world.home_care, start=TODAY, contact=world.bob)
    (item,) = GrantedIntervention.objects.filter(case=case)
    assert item.plan_deadline == TODAY + timedelta(days=14)
    overview = unit_overview(world.home_care, TODAY)
    (row,) = [r for r in (*overview.late, *overview.due_soon, *overview.later)]
    assert row.needs == ""


# --- S4 "vem ska göra vad"; S1 "annan information som är av vikt"


def _draft(world: World, unit_attr: str, serial: int = 982) -> PlanVersion:
    case = world.add_person(
        getattr(world, unit_attr),
        start=TODAY,
        contact=contact_for(world, unit_attr),
        serial=serial,
        first_name="Berit" if serial != 982 else "Astrid",
    )
    return plan_start(case=case, by=contact_for(world, unit_attr), on=TODAY)


def test_s4_needs_an_activity_with_who_does_it_for_every_intervention(world: World) -> None:
    """R-PLAN-1, S4: a draft whose intervention has no activity is not sent; S1 sends it."""
    for unit_attr, refused in (("housing_support", True), ("home_care", False)):
        version = _draft(world, unit_attr)
        content = complete(version)
        for part in content["interventions"]:
            part["activities"] = []
        version.content = content
        version.save()
        writer = contact_for(world, unit_attr)
        if refused:
            with pytest.raises(ValidationError) as error:
                plan_send_for_signing(version=version, by=writer, on=TODAY)
            assert "vem som gör vad" in " ".join(error.value.messages)
            version.refresh_from_db()
            assert version.state == VersionState.DRAFT
        else:
            plan_send_for_signing(version=version, by=writer, on=TODAY)


def test_s1_needs_the_other_information(world: World) -> None:
    """R-PLAN-3, S1 "Av genomförandeplanen ska det framgå … annan information som är av vikt"."""
    version = _draft(world, "home_care")
    version.content = {**complete(version), "other_information": " "}
    version.save()
    with pytest.raises(ValidationError) as error:
        plan_send_for_signing(version=version, by=world.bob, on=TODAY)
    assert "annan information" in " ".join(error.value.messages)
    s4 = _draft(world, "housing_support")  # S4 does not demand it
    s4.content = {**complete(s4), "other_information": ""}
    s4.save()
    plan_send_for_signing(version=s4, by=world.charlie, on=TODAY)


# --- S0/S3: "den enskilde och/eller anhörig" — a legal representative is not the relative


def test_a_legal_representative_alone_is_not_the_relatives_part_of_a_follow_up(
    world: World,
) -> None:
    """R-FU-2, S0/S3 "Vid uppföljning ska den enskilde och/eller anhörig delta"."""
    plan = established(world, "nursing_home")
    participants = [
        {"name": "Gunnar God", "role": "legal_representative"},
        {"name": "Alice", "role": "staff"},
    ]
    with pytest.raises(ValidationError) as refused:
        follow_up_record(plan=plan, data=data(plan, participants=participants), by=world.alice)
    assert "anhörig" in " ".join(refused.value.messages)
    with_relative = [*participants, {"name": "Sara Lind", "role": "relative"}]
    follow_up_record(plan=plan, data=data(plan, participants=with_relative), by=world.alice)


def _changed_version(world: World) -> PlanVersion:
    """Version 2 of a nursing-home plan (S0/S3), sent for signing; the person declined."""
    plan = established(world, "nursing_home")
    version = plan_new_version(plan=plan, by=world.alice, on=TODAY)
    fill(version)
    version = plan_send_for_signing(version=version, by=world.alice, on=TODAY)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON,
            method=SignatureMethod.ON_PAPER,
            signed_on=TODAY,
            signed=False,
            not_signed_reason="Vill inte skriva under, men är nöjd med planen.",
        ),
        by=world.alice,
    )
    return version


def test_changes_need_the_persons_or_a_relatives_approval_under_s0_s3(world: World) -> None:
    """S0/S3 "den enskilde och/eller anhörig ska godkänna ändringar i genomförandeplanen"."""
    version = _changed_version(world)
    with pytest.raises(ValidationError) as refused:
        plan_establish(version=version, by=world.alice)
    assert "godkänna ändringarna" in " ".join(refused.value.messages)
    person = version.plan.case.person
    god_man = relative_add(person=person, name="Gunnar God", kind="god_man", by=world.alice)
    daughter = relative_add(person=person, name="Sara Lind", kind="relative", by=world.alice)
    with pytest.raises(ValidationError) as not_a_relative:
        approval_record(
            version=version,
            approver=rules.Approver.RELATIVE,
            relative_id=god_man.pk,
            approved_on=TODAY,
            how="Per telefon",
            by=world.alice,
        )
    assert "inte anhörig" in " ".join(not_a_relative.value.messages)
    with pytest.raises(ValidationError):  # before the version existed
        approval_record(
            version=version,
            approver=rules.Approver.RELATIVE,
            relative_id=daughter.pk,
            approved_on=TODAY - timedelta(days=1),
            how="Per telefon",
            by=world.alice,
        )
    assert not ChangeApproval.objects.exists()
    approval_record(
        version=version,
        approver=rules.Approver.RELATIVE,
        relative_id=daughter.pk,
        approved_on=TODAY,
        how="Per telefon",
        by=world.alice,
    )
    established_version = plan_establish(version=version, by=world.alice)
    assert established_version.state == VersionState.ESTABLISHED
    assert AuditEvent.objects.filter(action="plan.change_approved").count() == 1


def test_a_relative_of_someone_else_cannot_approve(world: World) -> None:
    version = _changed_version(world)
    other = world.add_person(world.nursing_home, start=TODAY, serial=123, first_name="Olle")
    stranger = relative_add(person=other.person, name="Eva Annan", kind="relative", by=world.alice)
    with pytest.raises(ValidationError):
        approval_record(
            version=version,
            approver=rules.Approver.RELATIVE,
            relative_id=stranger.pk,
            approved_on=TODAY,
            how="Per telefon",
            by=world.alice,
        )


def test_the_persons_signature_approves_and_the_first_plan_needs_no_approval(
    world: World,
) -> None:
    """The person's own signature is an approval; version 1 is approved by its signatures."""
    plan = established(world, "nursing_home")  # version 1 established with the signature
    version = plan_new_version(plan=plan, by=world.alice, on=TODAY)
    ready(world, version, TODAY)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON, method=SignatureMethod.ON_PAPER, signed_on=TODAY
        ),
        by=world.alice,
    )
    with clock.history(TODAY):
        assert plan_establish(version=version, by=world.alice).number == 2


def test_a_new_intervention_cannot_be_followed_up_as_no_change(world: World) -> None:
    """R-FU-3, S1: the brought-forward follow-up must take the new intervention into the plan."""
    plan = established(world, "home_care")
    _new_intervention(world, plan, TODAY)
    with pytest.raises(ValidationError) as refused:
        follow_up_record(plan=plan, data=data(plan, held_on=TODAY), by=world.bob)
    assert "Hemtjänst – inköp" in " ".join(refused.value.messages)
    result = follow_up_record(
        plan=plan,
        data=data(plan, held_on=TODAY, outcome=rules.FollowUpOutcome.CHANGE),
        by=world.bob,
    )
    assert result.new_version is not None
    names = [part["name"] for part in result.new_version.content["interventions"]]
    assert "Hemtjänst – inköp" in names


def test_an_approval_follows_the_routine(world: World) -> None:
    """S0/S3: approvals are for changes; under "the person" a relative's is refused."""
    version = ready(world, _draft(world, "nursing_home", serial=123), TODAY)  # a first plan
    with pytest.raises(ValidationError) as first:  # version 1: no change to approve
        approval_record(
            version=version,
            approver=rules.Approver.PERSON,
            approved_on=TODAY,
            how="Muntligt",
            by=world.alice,
        )
    assert "kräver inget godkännande" in " ".join(first.value.messages)
    changed = _changed_version(world)
    version_profile = world.profiles["S0_S3"].versions.get()
    version_profile.change_approval = "person"
    version_profile.save()
    daughter = relative_add(
        person=changed.plan.case.person, name="Sara Lind", kind="relative", by=world.alice
    )
    with pytest.raises(ValidationError) as person_only:
        approval_record(
            version=changed,
            approver=rules.Approver.RELATIVE,
            relative_id=daughter.pk,
            approved_on=TODAY,
            how="Per telefon",
            by=world.alice,
        )
    assert "den enskilde som godkänner" in " ".join(person_only.value.messages)
