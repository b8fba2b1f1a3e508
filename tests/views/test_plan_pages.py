"""Plan pages: reading, versions and diff, PDF, signing, establishing (R-LIFE-3..8).

Allowed: Bob (contact person), Alice (unit manager). Denied: Charlie (another
unit), Dana (quality controller) → 404. Every read writes an access-log row.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.oversight.models import SchedulerNotice
from delaktig.plans.models import Plan, PlanVersion, Signature, SignerRole, VersionState
from delaktig.plans.services import plan_new_version, plan_start
from delaktig.records.audit_models import AuditEvent
from delaktig.records.models import AccessAction, AccessLog, JournalEntry, JournalKind
from tests.fixtures import client_for
from tests.services.plan_helpers import establish_on, ready, sign_everything
from tests.views.helpers import assert_page_structure, assert_redirects_to_login, page, text
from tests.world import World

TODAY = date(2026, 3, 2)


@pytest.fixture
def draft(world: World, frozen_today: date) -> PlanVersion:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    return plan_start(case=case, by=world.bob, on=TODAY)


@pytest.fixture
def waiting(world: World, draft: PlanVersion) -> PlanVersion:
    return ready(world, draft, TODAY)


def _logs(action: AccessAction) -> int:
    return AccessLog.objects.filter(action=action).count()


# --- reading


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_the_contact_person_and_the_unit_manager_read_the_plan(
    world: World, waiting: PlanVersion, who: str
) -> None:
    response = client_for(who).get(reverse("plan_detail", args=[waiting.plan.uuid]))
    html = page(response)
    assert_page_structure(html)
    assert "Genomförandeplan – version 1" in html
    assert "Klar för signering" in html
    assert "Astrid duschar själv" in html
    assert "Väntar på signatur: den enskilde, kontaktman, enhetschef." in text(html)
    assert _logs(AccessAction.VIEW_PLAN) == 1


@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_others_get_404_and_nothing_is_logged(world: World, waiting: PlanVersion, who: str) -> None:
    plan = waiting.plan
    for url in (
        reverse("plan_detail", args=[plan.uuid]),
        reverse("version_detail", args=[plan.uuid, 1]),
        reverse("version_pdf", args=[plan.uuid, 1]),
        reverse("plan_signing", args=[plan.uuid]),
    ):
        assert client_for(who).get(url).status_code == 404, url
    assert client_for(who).post(reverse("plan_new_version", args=[plan.uuid])).status_code == 404
    assert not AccessLog.objects.exists()


def test_anonymous_users_are_sent_to_the_login_page(world: World, waiting: PlanVersion) -> None:
    url = reverse("plan_detail", args=[waiting.plan.uuid])
    assert_redirects_to_login(Client().get(url), url)


def test_staff_not_named_in_the_disclosure_list_cannot_read(
    world: World, waiting: PlanVersion
) -> None:
    """R-PLAN-9: the unit's other staff read the plan only if the disclosure list says so."""
    from delaktig.organisation.models import Membership, Role
    from tests.world import make_user

    eve = make_user("eve")
    Membership.objects.create(user=eve, role=Role.STAFF, unit=world.home_care)
    url = reverse("plan_detail", args=[waiting.plan.uuid])
    assert client_for("eve").get(url).status_code == 200  # "staff" is in the list by default
    draft = plan_new_version(plan=waiting.plan, by=world.bob, on=TODAY)
    PlanVersion.objects.filter(pk=draft.pk).update(content=dict(draft.content, disclosure_roles=[]))
    assert client_for("eve").get(url).status_code == 404


def test_the_pdf_is_a_logged_pdf_without_personal_data_in_its_name(
    world: World, waiting: PlanVersion
) -> None:
    for variant in ("", "?variant=lattlast"):
        response = client_for("bob").get(
            reverse("version_pdf", args=[waiting.plan.uuid, 1]) + variant
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        disposition = response["Content-Disposition"]
        assert disposition.startswith('attachment; filename="genomforandeplan-v1')
        assert "Astrid" not in disposition and "Lind" not in disposition
    assert _logs(AccessAction.PRINT_PLAN) == 2


# --- signing and establishing through the pages


def test_the_whole_signing_flow_through_the_page(world: World, waiting: PlanVersion) -> None:
    url = reverse("plan_signing", args=[waiting.plan.uuid])
    uuid = waiting.plan.uuid
    handover, person = (
        reverse("plan_handover", args=[uuid]),
        reverse("plan_sign_person", args=[uuid]),
    )
    sign, establish = reverse("plan_sign_role", args=[uuid]), reverse("plan_establish", args=[uuid])
    bob, alice = client_for("bob"), client_for("alice")
    html = page(bob.get(url))
    assert_page_structure(html)
    assert "Signera som kontaktman" in html and "Signera som enhetschef" not in html

    response = bob.post(
        handover,
        {
            "gone_through_on": "2026-03-02",
            "communicated_on": "2026-03-02",
            "how": "Personligen vid hembesök",
        },
    )
    assert response.status_code == 302
    assert JournalEntry.objects.filter(kind=JournalKind.PLAN_COMMUNICATED).count() == 1
    # Issue 10: the handover form is gone once recorded; the person's choice starts empty.
    html = page(bob.get(url))
    assert 'action="' + handover + '"' not in html
    assert re.search(r'<input type="radio" id="signed_yes"[^>]*\bchecked', html) is None
    chosen = bob.post(person, {"method": "on_paper", "signed_on": "2026-03-02"})
    assert chosen.status_code == 400
    assert "Välj om den enskilde har signerat planen eller inte." in text(page(chosen))
    assert not Signature.objects.filter(version=waiting).exists()

    bob.post(person, {"signed": "yes", "method": "on_paper", "signed_on": "2026-03-02"})
    bob.post(sign, {"role": "contact_person"})
    early = bob.post(establish, {})
    assert early.status_code == 400
    assert "Signatur saknas: enhetschef." in text(page(early))

    alice.post(sign, {"role": "unit_manager"})
    assert Signature.objects.filter(version=waiting).count() == 3
    done = bob.post(establish, {})
    assert done.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == VersionState.ESTABLISHED
    assert Plan.objects.get(pk=waiting.plan_id).next_follow_up_on == date(2026, 9, 2)
    assert SchedulerNotice.objects.filter(plan_version=waiting).exists()


def test_a_signature_for_a_role_one_does_not_hold_is_refused(
    world: World, waiting: PlanVersion
) -> None:
    url = reverse("plan_sign_role", args=[waiting.plan.uuid])
    response = client_for("bob").post(url, {"role": "unit_manager"})
    assert response.status_code == 400
    assert "Du kan inte signera som enhetschef" in text(page(response))
    assert not Signature.objects.exists()


def test_a_person_who_does_not_sign_needs_a_reason(world: World, waiting: PlanVersion) -> None:
    url = reverse("plan_sign_person", args=[waiting.plan.uuid])
    data = {
        "signed": "no",
        "method": "on_paper",
        "signed_on": "2026-03-02",
    }
    response = client_for("bob").post(url, data)
    assert response.status_code == 400
    assert "Skriv varför den enskilde inte har signerat planen." in text(page(response))
    client_for("bob").post(url, {**data, "reason": "Vill läsa den med sin dotter först."})
    signature = Signature.objects.get(role=SignerRole.PERSON)
    assert not signature.signed and signature.not_signed_reason.startswith("Vill läsa")


def test_bad_dates_give_a_swedish_error_and_change_nothing(
    world: World, waiting: PlanVersion
) -> None:
    url = reverse("plan_handover", args=[waiting.plan.uuid])
    response = client_for("bob").post(
        url,
        {
            "gone_through_on": "igår",
            "communicated_on": "2026-03-02",
            "how": "x",
        },
    )
    assert response.status_code == 400
    assert "skriv ett datum som ÅÅÅÅ-MM-DD" in text(page(response))
    assert not JournalEntry.objects.exists()


def test_a_unit_manager_signs_several_plans_from_the_list(world: World, frozen_today: date) -> None:
    versions = []
    for serial in (981, 983):
        case = world.add_person(
            world.home_care,
            start=date(2026, 2, 20),
            contact=world.bob,
            serial=serial,
            birth=(1939, 5, serial - 970),
        )
        versions.append(ready(world, plan_start(case=case, by=world.bob, on=TODAY), TODAY))
    alice = client_for("alice")
    html = page(alice.get(reverse("sign_list")))
    assert_page_structure(html)
    assert html.count('name="version"') == 2
    response = alice.post(reverse("sign_list"), {"version": [str(v.pk) for v in versions]})
    assert response.status_code == 302
    assert Signature.objects.filter(role=SignerRole.UNIT_MANAGER).count() == 2
    assert 'name="version"' not in page(alice.get(reverse("sign_list")))
    # Bob is no unit manager: the list is empty for him and posting signs nothing.
    client_for("bob").post(reverse("sign_list"), {"version": [str(versions[0].pk)]})
    assert Signature.objects.filter(role=SignerRole.UNIT_MANAGER).count() == 2


# --- versions and diff


def test_a_new_version_shows_what_changed(world: World, waiting: PlanVersion) -> None:
    sign_everything(world, waiting, TODAY, "home_care")

    establish_on(version=waiting, on=TODAY, by=world.bob)
    response = client_for("bob").post(reverse("plan_new_version", args=[waiting.plan.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_edit", args=[waiting.plan.uuid])
    draft = PlanVersion.objects.get(plan=waiting.plan, number=2)
    content = dict(draft.content)
    content["interventions"][0]["how"] = "Astrid duschar helt själv nu."
    PlanVersion.objects.filter(pk=draft.pk).update(content=content)
    html = page(client_for("bob").get(reverse("version_diff", args=[waiting.plan.uuid, 1])))
    assert_page_structure(html)
    assert (
        "<del>Hemtjänst – dusch – Hur: Astrid duschar själv, personalen hjälper med ryggen.</del>"
        in html
    )
    assert "<ins>Hemtjänst – dusch – Hur: Astrid duschar helt själv nu.</ins>" in html
    # Issue 10: the plan page shows the version in force, the new draft as a banner.
    in_force = page(client_for("bob").get(reverse("plan_detail", args=[waiting.plan.uuid])))
    assert "Genomförandeplan – version 1" in in_force
    assert "Ny version 2 under arbete – version 1 gäller." in in_force
    assert "Det här är en äldre version." not in in_force
    assert reverse("follow_up_create", args=[waiting.plan.uuid]) in in_force
    newer = page(client_for("bob").get(reverse("version_detail", args=[waiting.plan.uuid, 2])))
    assert reverse("follow_up_create", args=[waiting.plan.uuid]) not in newer  # in force only


def test_starting_a_plan_from_the_person_page(world: World, frozen_today: date) -> None:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    response = client_for("bob").post(reverse("plan_start", args=[case.uuid]))
    plan = Plan.objects.get(case=case)
    assert response["Location"] == reverse("plan_edit", args=[plan.uuid])
    # A second start leads to the same plan, never a duplicate.
    again = client_for("bob").post(reverse("plan_start", args=[case.uuid]))
    assert again["Location"] == reverse("plan_detail", args=[plan.uuid])
    assert Plan.objects.filter(case=case).count() == 1
    assert client_for("charlie").post(reverse("plan_start", args=[case.uuid])).status_code == 404


def test_a_scheduler_cannot_start_a_plan(world: World, frozen_today: date) -> None:
    from delaktig.organisation.models import Membership, Role
    from tests.world import make_user

    sam = make_user("sam")
    Membership.objects.create(user=sam, role=Role.SCHEDULER, unit=world.home_care)
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    assert client_for("sam").post(reverse("plan_start", args=[case.uuid])).status_code == 404
    assert not Plan.objects.filter(case=case).exists()


# --- no backdating, no dates from the future (issue 9)


def _person_signature(client: Client, version: PlanVersion, **data: str) -> object:
    url = reverse("plan_sign_person", args=[version.plan.uuid])
    return client.post(url, {"signed": "yes", "method": "on_paper", **data})


@pytest.mark.parametrize(
    ("signed_on", "method", "message"),
    [
        # The plan was sent for signing on 2 March: nobody signed it on paper before.
        ("2026-03-01", "on_paper", "kan inte ligga före den dag planen skickades för signering"),
        ("2026-02-01", "on_paper", "(2026-03-02)"),
        ("2026-03-03", "on_paper", "Signeringsdatumet kan inte ligga i framtiden."),
        ("2026-03-01", "in_system", "En signatur i systemet får dagens datum."),
    ],
)
def test_a_signature_dated_before_the_plan_existed_or_after_today_is_refused(
    world: World, waiting: PlanVersion, signed_on: str, method: str, message: str
) -> None:
    """R-LIFE-4 (issue 9): refused with a Swedish message, nothing saved."""
    events = AuditEvent.objects.count()
    response = _person_signature(client_for("bob"), waiting, signed_on=signed_on, method=method)
    assert response.status_code == 400
    assert message in text(page(response))
    assert not Signature.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_paper_signature_entered_later_shows_both_dates(world: World, draft: PlanVersion) -> None:
    """R-LIFE-4 (issue 9): "signerad på papper 28 feb, registrerad 2 mar"."""
    waiting = ready(world, draft, date(2026, 2, 27))
    response = _person_signature(client_for("bob"), waiting, signed_on="2026-02-28")
    assert response.status_code == 302
    shown = text(page(client_for("bob").get(reverse("plan_signing", args=[waiting.plan.uuid]))))
    assert "28 februari 2026 (på papper vid besök), registrerad 2 mars 2026" in shown


def test_a_handover_before_the_plan_was_sent_for_signing_is_refused(
    world: World, waiting: PlanVersion
) -> None:
    """R-LIFE-5 (issue 9): the plan gone through is the frozen one."""
    response = client_for("bob").post(
        reverse("plan_handover", args=[waiting.plan.uuid]),
        {"gone_through_on": "2026-03-01", "communicated_on": "2026-03-02", "how": "Hembesök"},
    )
    assert response.status_code == 400
    assert "Datumet då planen gicks igenom kan inte ligga före" in text(page(response))
    assert not JournalEntry.objects.exists()


def test_the_establish_form_has_no_date_and_a_posted_date_is_ignored(
    world: World, waiting: PlanVersion
) -> None:
    """R-PLAN-6 (issue 9): a plan is established on the day it is established."""
    sign_everything(world, waiting, TODAY, "home_care")
    signing = page(client_for("bob").get(reverse("plan_signing", args=[waiting.plan.uuid])))
    assert 'name="on"' not in signing
    assert "Planen fastställs i dag, 2 mars 2026." in text(signing)
    establish = reverse("plan_establish", args=[waiting.plan.uuid])
    assert client_for("bob").post(establish, {"on": "2026-02-01"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.established_on == TODAY and waiting.registered_afterwards is False
    assert waiting.established_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"established_on": "2026-02-25", "reason": " "},
            "Skriv varför planen registreras i efterhand.",
        ),
        ({"established_on": "2026-02-19", "reason": "Pappersrutin"}, "före den dag insatsen"),
        ({"established_on": "2026-03-03", "reason": "Pappersrutin"}, "framtiden"),
        ({"established_on": "2026-03-02", "reason": "Pappersrutin"}, "fastställ den som vanligt"),
        ({"established_on": "", "reason": "Pappersrutin"}, "ÅÅÅÅ-MM-DD"),
    ],
)
def test_registering_afterwards_refuses_what_cannot_be_true(
    world: World, waiting: PlanVersion, data: dict[str, str], message: str
) -> None:
    events = AuditEvent.objects.count()
    url = reverse("plan_register_afterwards", args=[waiting.plan.uuid])
    response = client_for("bob").post(url, data)
    assert response.status_code == 400
    assert message in text(page(response))
    waiting.refresh_from_db()
    assert waiting.state == VersionState.READY_FOR_SIGNING
    assert AuditEvent.objects.count() == events


def test_a_plan_established_on_paper_is_registered_afterwards_with_its_reason(
    world: World, waiting: PlanVersion
) -> None:
    """Issue 9: a separate, audited action; the paper date beside the system's own."""
    url = reverse("plan_register_afterwards", args=[waiting.plan.uuid])
    reason = "Planen fastställdes på papper innan enheten började använda Delaktig."
    response = client_for("bob").post(url, {"established_on": "2026-02-25", "reason": reason})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == VersionState.ESTABLISHED
    assert waiting.established_on == date(2026, 2, 25)
    assert waiting.registered_afterwards_reason == reason
    assert waiting.established_at is not None and waiting.established_at.date() == TODAY
    journal = JournalEntry.objects.get(kind=JournalKind.PLAN_ESTABLISHED)
    assert "fastställd på papper 2026-02-25, är registrerad i efterhand 2026-03-02" in journal.text
    assert journal.happened_on == TODAY
    assert AuditEvent.objects.filter(action="plan.registered_afterwards").count() == 1
    # The interventions' plan date is the day of the registration, not the paper's.
    assert set(waiting.interventions.values_list("plan_established_on", flat=True)) == {TODAY}
    shown = text(
        page(client_for("bob").get(reverse("version_detail", args=[waiting.plan.uuid, 1])))
    )
    assert "Fastställd på papper 25 februari 2026, registrerad i efterhand 2 mars 2026" in shown
    assert reason in shown
