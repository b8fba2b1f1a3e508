"""One access object decides, and the services enforce it (R-LIFE-8, R-LIFE-4, issue 8).

Every action of the signing page has its own URL: each is tried by someone who may
not see the plan (404, nothing written), by a scheduler who may read it but not
write it (refused with a Swedish reason, nothing written), and by a contact person
whose membership of the unit has ended (404: access rests on the membership).
The services refuse the same actors whoever calls them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from delaktig.core.access import Refused
from delaktig.organisation.models import Membership, Role
from delaktig.people.models import ContactAssignment
from delaktig.people.services import membership_end
from delaktig.plans.access import PlanAccess
from delaktig.plans.models import Handover, PlanVersion, Signature, SignatureMethod, SignerRole
from delaktig.plans.services import (
    SignatureInput,
    handover_record,
    plan_new_version,
    plan_save_draft,
    plan_send_for_signing,
    plan_start,
    signature_record,
)
from delaktig.records.models import AuditEvent, JournalEntry
from tests.fixtures import client_for
from tests.services.plan_helpers import establish_on, ready
from tests.views.helpers import page, text
from tests.world import World, make_user

TODAY = date(2026, 3, 2)
ACTIONS = {
    "plan_handover": {
        "gone_through_on": "2026-03-02",
        "communicated_on": "2026-03-02",
        "how": "Personligen",
    },
    "plan_sign_person": {"signed": "yes", "method": "on_paper", "signed_on": "2026-03-02"},
    "plan_sign_role": {"role": "contact_person"},
    "plan_establish": {},
    "plan_register_afterwards": {"established_on": "2026-02-25", "reason": "På papper"},
}


@pytest.fixture
def scheduler(world: World) -> str:
    sara = make_user("sara", "Sara", "Planerare")
    Membership.objects.create(user=sara, role=Role.SCHEDULER, unit=world.home_care)
    return "sara"


@pytest.fixture
def waiting(world: World, frozen_today: date, scheduler: str) -> PlanVersion:
    """A plan ready for signing whose disclosure list lets the scheduler read it."""
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    draft = plan_start(case=case, by=world.bob, on=TODAY)
    draft.content["disclosure_roles"] = ["staff", "scheduler"]
    draft.save()
    return ready(world, draft, TODAY)


def _nothing_written(version: PlanVersion, events_before: int) -> None:
    assert not Signature.objects.filter(version=version).exists()
    assert not Handover.objects.filter(version=version).exists()
    assert not JournalEntry.objects.exists()
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_outsiders_get_404_from_every_signing_action(
    world: World, waiting: PlanVersion, name: str, who: str
) -> None:
    before = AuditEvent.objects.count()
    response = client_for(who).post(reverse(name, args=[waiting.plan.uuid]), ACTIONS[name])
    assert response.status_code == 404
    _nothing_written(waiting, before)


@pytest.mark.parametrize(
    "name", ["plan_handover", "plan_sign_person", "plan_establish", "plan_register_afterwards"]
)
def test_a_scheduler_who_may_read_the_plan_is_refused_in_swedish(
    world: World, waiting: PlanVersion, scheduler: str, name: str
) -> None:
    client = client_for(scheduler)
    signing = page(client.get(reverse("plan_signing", args=[waiting.plan.uuid])))
    assert "Registrera genomgång och överlämnande" not in signing
    assert "Den enskildes signatur" not in signing
    assert '<button type="submit" class="button">Fastställ planen</button>' not in signing

    before = AuditEvent.objects.count()
    response = client.post(reverse(name, args=[waiting.plan.uuid]), ACTIONS[name])
    assert response.status_code == 400
    assert "Bara" in text(page(response)) or "Du kan inte" in text(page(response))
    _nothing_written(waiting, before)


def test_a_contact_person_whose_membership_ended_loses_the_plan(
    world: World, waiting: PlanVersion
) -> None:
    membership = Membership.objects.get(user=world.bob, unit=world.home_care)
    membership_end(membership=membership, by=world.alice)

    bob = client_for("bob")
    assert bob.get(reverse("plan_detail", args=[waiting.plan.uuid])).status_code == 404
    before = AuditEvent.objects.count()
    sign = bob.post(reverse("plan_sign_role", args=[waiting.plan.uuid]), ACTIONS["plan_sign_role"])
    assert sign.status_code == 404
    _nothing_written(waiting, before)
    # The assignment itself ended with the membership, and that is audited.
    assert not ContactAssignment.objects.current().filter(user=world.bob).exists()
    assert AuditEvent.objects.filter(action="contact_person.ended").exists()
    assert client_for("bob").get(reverse("my_persons")).status_code == 200
    assert waiting.plan.case.person.name not in text(page(bob.get(reverse("my_persons"))))


def test_the_access_object_answers_every_question_per_role(
    world: World, waiting: PlanVersion, scheduler: str
) -> None:
    plan = waiting.plan
    sara = Membership.objects.get(role=Role.SCHEDULER).user
    answers = {
        who.username: (
            (access := PlanAccess.load(who, plan)).may_read,
            access.may_write,
            access.may_record_person_signature,
            access.may_sign(SignerRole.CONTACT_PERSON),
            access.may_sign(SignerRole.STAFF_MEMBER),
            access.may_sign(SignerRole.UNIT_MANAGER),
            access.may_hand_over,
            access.may_establish,
            access.may_follow_up,
        )
        for who in (world.alice, world.bob, world.charlie, world.dana, sara)
    }
    assert answers == {
        #         read   write  person contact staff  manager hand   establish follow-up
        "alice": (True, True, True, False, True, True, True, True, False),
        "bob": (True, True, True, True, True, False, True, True, False),
        "charlie": (False, False, False, False, False, False, False, False, False),
        "dana": (False, False, False, False, False, False, False, False, False),
        "sara": (True, False, False, False, False, False, False, False, False),
    }


def test_every_plan_service_refuses_an_outsider(world: World, waiting: PlanVersion) -> None:
    """Whoever calls them — view, admin, command, API — the services decide too."""
    charlie = world.charlie
    case = waiting.plan.case
    refusals = [
        lambda: plan_start(case=case, by=charlie, on=TODAY),
        lambda: plan_send_for_signing(version=waiting, by=charlie, on=TODAY),
        lambda: plan_new_version(plan=waiting.plan, by=charlie, on=TODAY),
        lambda: handover_record(
            version=waiting,
            gone_through_on=TODAY,
            communicated_on=TODAY,
            how="Personligen",
            by=charlie,
        ),
        lambda: signature_record(
            version=waiting,
            data=SignatureInput(
                role=SignerRole.PERSON, method=SignatureMethod.ON_PAPER, signed_on=TODAY
            ),
            by=charlie,
        ),
        lambda: establish_on(version=waiting, on=TODAY, by=charlie),
    ]
    before = AuditEvent.objects.count()
    for refuse in refusals:
        with pytest.raises(Refused) as refused:
            refuse()
        assert isinstance(refused.value, PermissionDenied)
        assert refused.value.messages  # a Swedish reason for a form to show
    _nothing_written(waiting, before)


def test_saving_a_draft_is_refused_to_a_reader_who_may_not_write(
    world: World, frozen_today: date, scheduler: str
) -> None:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    draft = plan_start(case=case, by=world.bob, on=TODAY)
    draft.content["disclosure_roles"] = ["staff", "scheduler"]
    draft.save()
    sara = Membership.objects.get(role=Role.SCHEDULER).user
    with pytest.raises(Refused, match="Du kan inte skriva i den här planen"):
        plan_save_draft(version=draft, content=draft.content, lock_version=1, by=sara)
    draft.refresh_from_db()
    assert draft.lock_version == 1
