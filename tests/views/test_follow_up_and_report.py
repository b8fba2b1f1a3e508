"""Follow-up form (R-FU-1..6), the extended overview (R-QA-1) and the quality report (R-QA-2)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delaktig.organisation.models import Membership, Role
from delaktig.plans.models import FollowUp, Plan, PlanVersion, VersionState
from delaktig.plans.services import plan_start
from delaktig.records.models import AccessAction, AccessLog
from tests.fixtures import client_for
from tests.services.plan_helpers import establish_on, ready, sign_everything
from tests.views.helpers import assert_page_structure, assert_redirects_to_login, page, text
from tests.world import World

TODAY = date(2026, 3, 2)


def _established(world: World, serial: int = 982, on: date = date(2026, 2, 25)) -> Plan:
    case = world.add_person(
        world.home_care,
        start=date(2026, 2, 16),
        contact=world.bob,
        serial=serial,
        birth=(1940, 3, 1 + serial % 28),
        first_name=f"Person{serial}",
    )
    version = ready(world, plan_start(case=case, by=world.bob, on=on), on)
    sign_everything(world, version, on, "home_care")
    establish_on(version=version, on=on, by=world.bob)
    return Plan.objects.get(pk=version.plan_id)


@pytest.fixture
def plan(world: World, frozen_today: date) -> Plan:
    return _established(world)


def _form(plan: Plan, **changes: str) -> dict[str, str]:
    version = plan.established_version
    assert version is not None
    data = {
        "held_on": "2026-03-02",
        "how": "Samtal hemma",
        "p-TOTAL_FORMS": "5",
        "p-INITIAL_FORMS": "0",
        "p-0-name": "Astrid Lind",
        "p-0-role": "person",
        "p-1-name": "Bob",
        "p-1-role": "staff",
        "q0": "Ja, det har gått bra.",
        "person_view": "Nöjd.",
        "carried_out_as_decided": "Ja.",
        "situation": "Stabil.",
        "goal0": "achieved",
        "need_change": "unchanged",
        "outcome": "no_change",
        "disclosure_reviewed": "on",
        "master_data_checked": "on",
    }
    data.update(changes)
    return data


def test_the_form_shows_the_five_questions_and_every_goal(world: World, plan: Plan) -> None:
    response = client_for("bob").get(reverse("follow_up_create", args=[plan.uuid]))
    html = page(response)
    assert_page_structure(html)
    for question in ("Har det gått som vi planerat?", "Har något förändrats i din situation?"):
        assert question in html
    assert "Att känna mig ren och fräsch" in html
    assert "Person982" in html
    assert AccessLog.objects.filter(action=AccessAction.VIEW_PLAN).count() == 1


@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_others_get_404(world: World, plan: Plan, who: str) -> None:
    url = reverse("follow_up_create", args=[plan.uuid])
    assert client_for(who).get(url).status_code == 404
    assert client_for(who).post(url, _form(plan)).status_code == 404
    assert not FollowUp.objects.exists()


def test_anonymous_is_sent_to_login(world: World, plan: Plan) -> None:
    url = reverse("follow_up_create", args=[plan.uuid])
    assert_redirects_to_login(Client().get(url), url)


def test_no_change_records_and_returns_to_the_plan(world: World, plan: Plan) -> None:
    response = client_for("bob").post(reverse("follow_up_create", args=[plan.uuid]), _form(plan))
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_detail", args=[plan.uuid])
    follow_up = FollowUp.objects.get()
    assert follow_up.answers[0] == "Ja, det har gått bra."
    assert follow_up.goal_outcomes[0]["outcome"] == "achieved"
    plan.refresh_from_db()
    assert plan.next_follow_up_on == date(2026, 9, 2)
    detail = page(client_for("bob").get(reverse("plan_detail", args=[plan.uuid])))
    assert "Ingen förändring – planen gäller" in detail


def test_change_opens_the_editor_on_a_new_version(world: World, plan: Plan) -> None:
    response = client_for("bob").post(
        reverse("follow_up_create", args=[plan.uuid]), _form(plan, outcome="change")
    )
    assert response["Location"] == reverse("plan_edit", args=[plan.uuid])
    assert PlanVersion.objects.get(plan=plan, number=2).state == VersionState.DRAFT


def test_bad_input_gives_swedish_errors_and_saves_nothing(world: World, plan: Plan) -> None:
    response = client_for("bob").post(
        reverse("follow_up_create", args=[plan.uuid]),
        _form(plan, held_on="2026-13-40", goal0=""),
    )
    assert response.status_code == 400
    assert "Skriv datumet för uppföljningen som ÅÅÅÅ-MM-DD." in text(page(response))
    response = client_for("bob").post(
        reverse("follow_up_create", args=[plan.uuid]), _form(plan, goal0="", person_view="")
    )
    body = text(page(response))
    assert "Bedöm målet" in body and "hur den enskilde uppfattar" in body
    assert 'value="Samtal hemma"' in page(response)  # what was typed is kept
    assert not FollowUp.objects.exists()


# --- overview sections


def test_the_overview_lists_signatures_and_follow_ups_and_filters_by_contact(
    world: World, frozen_today: date
) -> None:
    late = _established(world, serial=981, on=date(2025, 8, 20))  # due 2026-02-20: late
    soon = _established(world, serial=983, on=date(2025, 9, 20))  # due 2026-03-20: soon
    waiting_case = world.add_person(
        world.home_care,
        start=date(2026, 2, 20),
        contact=world.bob,
        serial=985,
        birth=(1941, 1, 1),
        first_name="Väntande",
    )
    ready(world, plan_start(case=waiting_case, by=world.bob, on=TODAY), TODAY)
    html = page(client_for("alice").get(reverse("unit_overview", args=[world.home_care.pk])))
    assert_page_structure(html)
    sections = {
        key: html.split(f'id="{key}"')[1].split("</section>")[0]
        for key in ("sign-h", "fu-late-h", "fu-soon-h")
    }
    assert waiting_case.person.name in sections["sign-h"]
    assert late.case.person.name in sections["fu-late-h"]
    assert soon.case.person.name in sections["fu-soon-h"]
    assert soon.case.person.name not in sections["fu-late-h"]
    # Filter on a contact person who has none of them.
    eve = Membership.objects.create(user=world.alice, role=Role.STAFF, unit=world.home_care)
    assert eve
    filtered = page(
        client_for("alice").get(
            reverse("unit_overview", args=[world.home_care.pk]) + f"?kontaktman={world.alice.pk}"
        )
    )
    assert late.case.person.name not in filtered


def test_the_overview_query_count_is_constant(world: World, frozen_today: date) -> None:
    url = reverse("unit_overview", args=[world.home_care.pk])
    alice = client_for("alice")
    _established(world, serial=981, on=date(2025, 8, 20))
    with CaptureQueriesContext(connection) as few:
        alice.get(url)
    for serial in range(984, 996):
        _established(world, serial=serial, on=date(2025, 8, 20))
    with CaptureQueriesContext(connection) as many:
        alice.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


# --- quality report


def test_the_quality_controller_sees_the_report_with_counts(
    world: World, frozen_today: date
) -> None:
    _established(world)
    html = page(client_for("dana").get(reverse("quality_report") + "?fran=2026-01&till=2026-03"))
    assert_page_structure(html)
    assert "Hemtjänst Väst" in html and "Solbacken" in html
    assert '<svg role="img"' in html
    # The plan's deadline (2026-03-02) has not passed "today" yet: nothing counted in March.
    assert "signerade av den enskilde (1 av 1)" in text(html)


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_staff_without_a_reporting_role_get_404(world: World, frozen_today: date, who: str) -> None:
    assert client_for(who).get(reverse("quality_report")).status_code == 404
    assert client_for(who).get(reverse("quality_report_export", args=["csv"])).status_code == 404


def test_a_unit_manager_sees_only_their_units(world: World, frozen_today: date) -> None:
    html = page(client_for("alice").get(reverse("quality_report")))
    assert "Hemtjänst Väst" in html and "Boendestöd Öst" not in html


def test_the_exports_hold_the_same_figures(world: World, frozen_today: date) -> None:
    from openpyxl import load_workbook

    _established(world)
    query = "?fran=2026-02&till=2026-02&enhet=" + str(world.home_care.pk)
    csv_body = client_for("dana").get(reverse("quality_report_export", args=["csv"]) + query)
    lines = csv_body.content.decode("utf-8-sig").strip().splitlines()
    assert lines[1].startswith("Hemtjänst Väst;2026-02;")
    assert lines[1].split(";")[-3:] == ["1", "1", "100,0"]  # signed by the person: 1 of 1
    xlsx = client_for("dana").get(reverse("quality_report_export", args=["xlsx"]) + query)
    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:2] == ["Hemtjänst Väst", "2026-02"]
    assert [c.value for c in sheet[2]][-3:] == [1, 1, 100]
    assert client_for("dana").get(reverse("quality_report_export", args=["pdf"])).status_code == 404


def test_the_report_query_count_is_constant(world: World, frozen_today: date) -> None:
    url = reverse("quality_report") + "?fran=2025-04&till=2026-03"
    dana = client_for("dana")
    _established(world, serial=981)
    with CaptureQueriesContext(connection) as few:
        dana.get(url)
    for serial in range(984, 994):
        _established(world, serial=serial)
    with CaptureQueriesContext(connection) as many:
        dana.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_a_participant_without_a_role_is_refused_in_swedish(world: World, plan: Plan) -> None:
    """R-FU-2: every participant has a role; the participant rows are a formset (issue 8)."""
    url = reverse("follow_up_create", args=[plan.uuid])
    response = client_for("bob").post(url, _form(plan, **{"p-2-name": "Greta", "p-2-role": "x"}))
    assert response.status_code == 400
    html = page(response)
    assert "Välj roll för Greta." in text(html)
    assert 'value="Greta"' in html  # what was typed is kept
    assert not FollowUp.objects.exists()


def test_a_broken_participant_list_is_a_swedish_error_not_a_crash(world: World, plan: Plan) -> None:
    url = reverse("follow_up_create", args=[plan.uuid])
    data = _form(plan)
    del data["p-TOTAL_FORMS"]
    response = client_for("bob").post(url, data)
    assert response.status_code == 400
    assert "Deltagarlistan är ofullständig" in text(page(response))
    assert not FollowUp.objects.exists()


def test_the_participants_are_saved_in_order(world: World, plan: Plan) -> None:
    url = reverse("follow_up_create", args=[plan.uuid])
    data = _form(plan, **{"p-4-name": "Greta Lind", "p-4-role": "relative"})
    assert client_for("bob").post(url, data).status_code == 302
    assert FollowUp.objects.get().participants == [
        {"name": "Astrid Lind", "role": "person"},
        {"name": "Bob", "role": "staff"},
        {"name": "Greta Lind", "role": "relative"},
    ]


def test_too_long_input_names_the_field_and_keeps_what_was_typed(world: World, plan: Plan) -> None:
    """Nothing typed is lost when the form comes back (non-negotiable 5)."""
    url = reverse("follow_up_create", args=[plan.uuid])
    data = _form(plan, **{"p-2-name": "G" * 151, "p-2-role": "relative", "how": "x" * 301})
    response = client_for("bob").post(url, data)
    assert response.status_code == 400
    body = text(page(response))
    assert "Deltagare 3: Namn: skriv högst 150 tecken." in body
    assert "På vilket sätt planen följdes upp: skriv högst 300 tecken." in body
    assert "Nöjd." in page(response)  # the assessment typed is still there
    assert not FollowUp.objects.exists()
    assert AccessLog.objects.filter(action=AccessAction.VIEW_PLAN).count() == 1
