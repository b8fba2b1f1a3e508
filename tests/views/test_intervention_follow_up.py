"""Each intervention says when and how it is followed up (R-PLAN-7, S2).

The editor has a field for it in every intervention, saved like the other
per-intervention texts, by those who may write the plan only. The plan page,
the diff between versions and the follow-up form show it. Versions stored
before the field existed have no such key: they still read, and their frozen
content and its SHA-256 are never filled up.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from delaktig.plans.content import content_hash
from delaktig.plans.models import PlanVersion, VersionState
from delaktig.plans.services import plan_new_version, plan_send_for_signing, plan_start
from tests.fixtures import client_for
from tests.services.plan_helpers import complete, establish_on, sign_everything
from tests.views.helpers import assert_page_structure, page, text
from tests.views.test_plan_editor import autosave, base_post, edit_url, fresh, post_editor
from tests.world import World

TODAY = date(2026, 3, 2)
AGREED = "Efter en månad frågar Bob Astrid hur duschen går."


@pytest.fixture
def draft(world: World, frozen_today: date) -> PlanVersion:
    """Astrid at home care (routine S1), Bob her contact person, a fresh plan draft."""
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    return plan_start(case=case, by=world.bob, on=frozen_today)


def _old_style(content: dict[str, Any]) -> dict[str, Any]:
    """Content as stored before interventions had their own follow-up text."""
    for part in content["interventions"]:
        part.pop("follow_up_how", None)
    return content


def _established(world: World, version: PlanVersion, content: dict[str, Any]) -> PlanVersion:
    version.content = content
    version.save()
    ready = plan_send_for_signing(version=version, by=world.bob, on=TODAY)
    sign_everything(world, ready, TODAY, "home_care")
    return establish_on(version=ready, on=TODAY, by=world.bob)


# --------------------------------------------------------------------------- the editor


def test_every_intervention_has_its_own_field_with_help(draft: PlanVersion) -> None:
    """R-PLAN-7: "När och hur ska insatsen följas upp?" in each intervention, with help text."""
    html = page(client_for("bob").get(edit_url(draft)))

    assert_page_structure(html)
    assert '<label for="id_interventions-0-follow_up_how">När och hur ska insatsen följas upp?' in (
        html
    )
    assert 'aria-describedby="id_interventions-0-follow_up_how-help"' in html
    assert "När ska ni se om insatsen fungerar?" in html
    assert "Uppföljning av insatsen" in html  # the block's heading


@pytest.mark.parametrize("username", ["bob", "alice"])
def test_the_contact_person_and_the_unit_manager_save_it(draft: PlanVersion, username: str) -> None:
    """R-PLAN-7: saved with the form and with autosave, like when/where/how."""
    client = client_for(username)
    response = post_editor(
        client, draft, base_post(draft, **{"interventions-0-follow_up_how": f"  {AGREED}\r\n"})
    )

    assert response.status_code == 302
    assert fresh(draft).content["interventions"][0]["follow_up_how"] == AGREED
    saved = fresh(draft)
    data = base_post(saved, **{"interventions-0-follow_up_how": "Samtal i maj."})
    assert autosave(client, saved, data).status_code == 200
    assert fresh(draft).content["interventions"][0]["follow_up_how"] == "Samtal i maj."
    # The form shows what is stored.
    html = page(client.get(edit_url(draft)))
    assert "Samtal i maj.</textarea>" in html


@pytest.mark.parametrize("username", ["charlie", "dana"])
def test_others_get_404_and_change_nothing(draft: PlanVersion, username: str) -> None:
    """R-PLAN-7 with R-LIFE-8: only those who may write the plan set the intervention's text."""
    client = client_for(username)
    data = base_post(draft, **{"interventions-0-follow_up_how": AGREED})

    assert post_editor(client, draft, data).status_code == 404
    assert autosave(client, draft, data).status_code == 404
    assert fresh(draft).lock_version == 1
    assert fresh(draft).content["interventions"][0]["follow_up_how"] == ""


def test_the_panel_asks_for_the_plans_text_until_every_intervention_has_its_own(
    draft: PlanVersion,
) -> None:
    """R-PLAN-7: the plan's text, or every intervention's own, satisfies the check."""
    client = client_for("bob")
    missing = "Beskriv när och hur planen ska följas upp"

    blank = autosave(client, draft, base_post(draft))
    assert missing in page(blank)
    own = autosave(
        client, fresh(draft), base_post(fresh(draft), **{"interventions-0-follow_up_how": AGREED})
    )
    assert missing not in page(own)


def test_health_care_words_in_it_are_named_in_the_panel(draft: PlanVersion) -> None:
    """R-PLAN-7, R-PLAN-11: the HSL check reads the intervention's follow-up text."""
    data = base_post(draft, **{"interventions-0-follow_up_how": "Vi följer upp insulinet."})

    html = page(autosave(client_for("bob"), draft, data))

    assert "”När och hur ska insatsen följas upp?” för Hemtjänst – dusch" in html
    assert 'href="#id_interventions-0-follow_up_how"' in html


def test_a_plan_is_sent_for_signing_with_only_the_interventions_texts(
    world: World, draft: PlanVersion
) -> None:
    """R-PLAN-7: no plan-level text is needed when every intervention has its own."""
    content = complete(draft)
    content["follow_up_how"] = ""
    content["interventions"][0]["follow_up_how"] = AGREED
    draft.content = content
    draft.save()

    version = plan_send_for_signing(version=draft, by=world.bob, on=TODAY)

    assert version.state == VersionState.READY_FOR_SIGNING


# --------------------------------------------------------------------------- showing it


def test_the_plan_page_the_diff_and_the_follow_up_form_show_it(
    world: World, draft: PlanVersion
) -> None:
    """R-PLAN-7: whoever reads the plan or records its follow-up sees what was agreed."""
    content = complete(draft)
    content["interventions"][0]["follow_up_how"] = AGREED
    version = _established(world, draft, content)
    plan = version.plan
    client = client_for("bob")

    detail = page(client.get(reverse("version_detail", args=[plan.uuid, 1])))
    assert "<h3>Uppföljning av insatsen</h3>" in detail
    assert AGREED in detail

    follow_up = page(client.get(reverse("follow_up_create", args=[plan.uuid])))
    assert_page_structure(follow_up)
    assert "Det här står i planen om uppföljningen" in follow_up
    assert f"Insats: Hemtjänst – dusch {AGREED}" in text(follow_up)
    assert "Hela planen Samtal med Astrid." in text(follow_up)

    new = plan_new_version(plan=plan, by=world.bob, on=TODAY)
    changed = dict(new.content)
    changed["interventions"] = [dict(p) for p in changed["interventions"]]
    changed["interventions"][0]["follow_up_how"] = "Samtal varannan vecka."
    PlanVersion.objects.filter(pk=new.pk).update(content=changed)
    diff = page(client.get(reverse("version_diff", args=[plan.uuid, 1])))
    assert f"<del>Hemtjänst – dusch – Uppföljning av insatsen: {AGREED}</del>" in diff
    assert "<ins>Hemtjänst – dusch – Uppföljning av insatsen: Samtal varannan vecka.</ins>" in diff


def test_the_follow_up_form_leaves_the_section_out_when_nothing_was_written(
    world: World, draft: PlanVersion
) -> None:
    content = complete(draft)
    content["follow_up_how"] = ""
    content["interventions"][0]["follow_up_how"] = AGREED
    plan = _established(world, draft, content).plan

    html = page(client_for("bob").get(reverse("follow_up_create", args=[plan.uuid])))

    assert "Hela planen" not in html
    assert AGREED in html


# --------------------------------------------------------------------------- older versions


def test_a_version_stored_without_the_key_reads_and_keeps_its_hash(
    world: World, draft: PlanVersion
) -> None:
    """R-PLAN-7: old content keeps working; nothing is added to frozen content (R-LIFE-4)."""
    version = _established(world, draft, _old_style(complete(draft)))
    frozen = PlanVersion.objects.get(pk=version.pk)
    assert "follow_up_how" not in frozen.content["interventions"][0]
    assert frozen.content_sha256 == content_hash(frozen.content)
    plan = frozen.plan
    client = client_for("bob")

    assert client.get(reverse("version_detail", args=[plan.uuid, 1])).status_code == 200
    assert client.get(reverse("follow_up_create", args=[plan.uuid])).status_code == 200
    assert client.get(reverse("version_pdf", args=[plan.uuid, 1])).status_code == 200

    new = plan_new_version(plan=plan, by=world.bob, on=TODAY)
    html = page(client.get(edit_url(new)))
    assert 'name="interventions-0-follow_up_how"' in html
    post_editor(client, new, base_post(new, **{"interventions-0-follow_up_how": AGREED}))

    assert fresh(new).content["interventions"][0]["follow_up_how"] == AGREED
    after = PlanVersion.objects.get(pk=version.pk)
    assert after.content == frozen.content
    assert "follow_up_how" not in after.content["interventions"][0]
    assert after.content_sha256 == frozen.content_sha256 == content_hash(after.content)
