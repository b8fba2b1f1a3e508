"""Health-care words are seen and confirmed; changes are approved (R-PLAN-11; S0/S3; issue 9).

The warning is at the top of the check panel and beside the field while typing
(autosave), repeated when the draft is sent: a confirmation page lists each hit,
and the draft is sent only when every one is confirmed. The confirmations are
shown to the signers. Allowed: Bob (contact person). Denied: Charlie (another
unit), Dana (quality controller) → 404, nothing changes.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from delaktig import rules
from delaktig.people.services import relative_add
from delaktig.plans.models import (
    ChangeApproval,
    HslConfirmation,
    PlanVersion,
    SignatureMethod,
    SignerRole,
    VersionState,
)
from delaktig.plans.services import (
    SignatureInput,
    plan_new_version,
    plan_start,
    signature_record,
)
from delaktig.records.models import AccessAction, AccessLog
from tests.fixtures import client_for
from tests.services.plan_helpers import complete, establish_on, fill, ready, sign_everything
from tests.views.helpers import assert_page_structure, page
from tests.views.test_plan_editor import autosave, edit_url, form_data, fresh, post_editor
from tests.world import World

TODAY = date(2026, 3, 2)
SENTENCE = "Bob hjälper Astrid i duschen och ger insulin efteråt."


@pytest.fixture
def flagged(world: World, frozen_today: date) -> PlanVersion:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    version = plan_start(case=case, by=world.bob, on=TODAY)
    content = complete(version)
    content["interventions"][0]["how"] = SENTENCE
    version.content = content
    version.save()
    return version


def confirm_url(version: PlanVersion) -> str:
    return reverse("plan_send_confirm", kwargs={"plan_uuid": version.plan.uuid})


def test_the_warning_is_first_in_the_panel_and_beside_the_field(flagged: PlanVersion) -> None:
    html = page(client_for("bob").get(edit_url(flagged)))
    panel = html[html.index('id="check-panel"') :]
    assert panel.index("hsl-rubrik") < panel.index("saknas-rubrik")
    beside = re.search(
        r'<div id="hsl-id_interventions-0-how" class="ed-hsl-inline">(.*?)</div>', html, re.S
    )
    assert beside is not None and "”insulin”" in beside.group(1)
    # Issue 10: the check in one line for narrow screens; the reasons behind "Varför?".
    summary = re.search(r'<div id="check-summary" class="ed-summary-bar">(.*?)</div>', html, re.S)
    assert summary is not None and "1 ord om hälso- och sjukvård" in summary.group(1)
    assert '<details class="ed-why"><summary>Varför?</summary>' in html
    assert html.count('value="send"') == 2  # at the top and at the foot of the form


def test_autosave_redraws_the_warning_beside_the_field(flagged: PlanVersion) -> None:
    """While the person types: the autosave answer carries the warnings out of band."""
    client = client_for("bob")
    data = form_data(page(client.get(edit_url(flagged))))
    data["interventions-0-how"] = "Bob hjälper Astrid i duschen."
    data["interventions-0-where"] = "Hemma, mät blodtrycket"
    html = page(autosave(client, flagged, data))
    how = re.search(
        r'<div id="hsl-id_interventions-0-how"[^>]*hx-swap-oob="true">(.*?)</div>', html, re.S
    )
    where = re.search(
        r'<div id="hsl-id_interventions-0-where"[^>]*hx-swap-oob="true">(.*?)</div>', html, re.S
    )
    assert how is not None and how.group(1).strip() == ""  # cleared: the word is gone
    assert where is not None and "blodtrycket" in where.group(1)
    assert re.search(r'<div id="check-summary"[^>]*hx-swap-oob="true">', html)


def test_sending_with_health_care_words_asks_for_a_confirmation_per_hit(
    flagged: PlanVersion,
) -> None:
    client = client_for("bob")
    data = form_data(page(client.get(edit_url(flagged))))
    data["action"] = "send"
    response = post_editor(client, flagged, data)
    assert response.status_code == 302
    assert response["Location"] == confirm_url(flagged)
    assert fresh(flagged).state == VersionState.DRAFT

    logs = AccessLog.objects.filter(action=AccessAction.VIEW_PLAN).count()
    html = page(client.get(confirm_url(flagged)))
    assert_page_structure(html)
    assert AccessLog.objects.filter(action=AccessAction.VIEW_PLAN).count() == logs + 1
    assert SENTENCE in html
    boxes = re.findall(r'name="hsl_confirm" value="([^"]+)"', html)
    assert boxes == [f"interventions[{flagged.content['interventions'][0]['key']}].how|insulin"]

    refused = client.post(confirm_url(flagged), {"lock_version": fresh(flagged).lock_version})
    assert refused.status_code == 400
    assert "Bekräfta att ”insulin”" in page(refused)
    assert fresh(flagged).state == VersionState.DRAFT
    assert not HslConfirmation.objects.exists()

    sent = client.post(
        confirm_url(flagged),
        {"lock_version": fresh(flagged).lock_version, "hsl_confirm": boxes},
    )
    assert sent.status_code == 302
    assert sent["Location"] == reverse("plan_signing", kwargs={"plan_uuid": flagged.plan.uuid})
    assert fresh(flagged).state == VersionState.READY_FOR_SIGNING
    signing = page(client.get(sent["Location"]))
    shown = re.search(r'<div class="notice" id="hsl-confirmed">(.*?)</div>', signing, re.S)
    assert shown is not None and "”insulin”" in shown.group(1) and "Bob" in shown.group(1)
    detail = page(
        client.get(reverse("version_detail", kwargs={"plan_uuid": flagged.plan.uuid, "number": 1}))
    )
    assert "Bekräftat: inte hälso- och sjukvård" in detail


@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_others_cannot_open_or_post_the_confirmation(flagged: PlanVersion, who: str) -> None:
    client = client_for(who)
    assert client.get(confirm_url(flagged)).status_code == 404
    response = client.post(confirm_url(flagged), {"hsl_confirm": ["x|insulin"]})
    assert response.status_code == 404
    assert fresh(flagged).state == VersionState.DRAFT


# --- approval of changes (S0/S3, the nursing home)


@pytest.fixture
def changed(world: World, frozen_today: date) -> PlanVersion:
    case = world.add_person(world.nursing_home, start=date(2026, 2, 1), contact=world.alice)
    first = ready(
        world, plan_start(case=case, by=world.alice, on=date(2026, 2, 1)), date(2026, 2, 5)
    )
    sign_everything(world, first, date(2026, 2, 5), "nursing_home")
    establish_on(version=first, on=date(2026, 2, 5), by=world.alice)
    version = plan_new_version(plan=first.plan, by=world.alice, on=TODAY)
    fill(version)
    version = ready(world, version, TODAY)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON,
            method=SignatureMethod.ON_PAPER,
            signed_on=TODAY,
            signed=False,
            not_signed_reason="Orkar inte skriva.",
        ),
        by=world.alice,
    )
    return version


def test_a_relatives_approval_is_recorded_from_the_signing_page(
    world: World, changed: PlanVersion
) -> None:
    person = changed.plan.case.person
    daughter = relative_add(person=person, name="Sara Lind", kind="relative", by=world.alice)
    relative_add(person=person, name="Gunnar God", kind="god_man", by=world.alice)
    client = client_for("alice")
    url = reverse("plan_signing", kwargs={"plan_uuid": changed.plan.uuid})
    html = page(client.get(url))
    assert_page_structure(html)
    assert "Godkännande av ändringarna" in html
    assert "Sara Lind" in html and "Gunnar God" not in html  # no legal representative offered
    establish = reverse("plan_establish", kwargs={"plan_uuid": changed.plan.uuid})
    refused = client.post(establish)
    assert refused.status_code == 400
    assert "godkänna ändringarna" in page(refused)
    approve = reverse("plan_approve_changes", kwargs={"plan_uuid": changed.plan.uuid})
    bad = client.post(approve, {"approver": "relative", "approved_on": "2026-13-01", "how": "x"})
    assert bad.status_code == 400
    assert not ChangeApproval.objects.exists()
    done = client.post(
        approve,
        {
            "approver": "relative",
            "relative": daughter.pk,
            "approved_on": "2026-03-02",
            "how": "Per telefon",
        },
    )
    assert done.status_code == 302
    assert ChangeApproval.objects.get().approver == rules.Approver.RELATIVE.value
    assert client.post(establish).status_code == 302
    assert fresh(changed).state == VersionState.ESTABLISHED


@pytest.mark.parametrize("who", ["bob", "charlie", "dana"])
def test_others_cannot_record_an_approval(world: World, changed: PlanVersion, who: str) -> None:
    approve = reverse("plan_approve_changes", kwargs={"plan_uuid": changed.plan.uuid})
    response = client_for(who).post(
        approve, {"approver": "person", "approved_on": "2026-03-02", "how": "Muntligt"}
    )
    assert response.status_code == 404
    assert not ChangeApproval.objects.exists()


def test_an_incomplete_draft_with_health_care_words_lists_what_is_missing_first(
    flagged: PlanVersion,
) -> None:
    """The confirmation comes last: first what is missing, in the editor (R-PLAN-15)."""
    client = client_for("bob")
    data = form_data(page(client.get(edit_url(flagged))))
    data["participation_how"] = ""
    data["action"] = "send"
    response = post_editor(client, flagged, data)
    assert response.status_code == 400
    assert "Planen kan inte skickas för signering än" in page(response)
    assert fresh(flagged).state == VersionState.DRAFT


def test_a_confirmation_without_the_drafts_lock_version_sends_nothing(
    flagged: PlanVersion,
) -> None:
    """Which content was confirmed must be known: no lock version, no sending (review)."""
    client = client_for("bob")
    html = page(client.get(confirm_url(flagged)))
    boxes = re.findall(r'name="hsl_confirm" value="([^"]+)"', html)
    response = client.post(confirm_url(flagged), {"hsl_confirm": boxes})
    assert response.status_code == 400
    assert fresh(flagged).state == VersionState.DRAFT
    assert not HslConfirmation.objects.exists()
