"""The editor's visits: a row per visit, added like other rows, checked against "när" (R-LIFE-7)."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from delaktig.plans.models import PlanVersion
from delaktig.plans.services import plan_start
from tests.fixtures import client_for
from tests.views.helpers import assert_page_structure, page, text
from tests.views.test_plan_editor import (
    autosave,
    base_post,
    edit_url,
    form_data,
    fresh,
    panel_of,
    post_editor,
)
from tests.world import World

VISIT = "interventions-0-visits-"


@pytest.fixture
def draft(world: World, frozen_today: date) -> PlanVersion:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    return plan_start(case=case, by=world.bob, on=frozen_today)


def test_a_new_plan_has_one_blank_visit_row(draft: PlanVersion) -> None:
    html = page(client_for("bob").get(edit_url(draft)))
    assert_page_structure(html)
    assert f'name="{VISIT}0-time_of_day"' in html
    assert f'name="{VISIT}1-time_of_day"' not in html
    assert "Nytt besök" in html
    assert 'value="more:insats-0-besok"' in html


def test_morning_and_evening_are_saved_as_two_visits(draft: PlanVersion) -> None:
    data = QueryDict(mutable=True)
    data.update(base_post(draft))
    data.setlist(f"{VISIT}0-weekdays", ["MO", "WE"])
    data[f"{VISIT}0-time_of_day"] = "8.00"
    data[f"{VISIT}0-duration_minutes"] = "30"
    data.setlist(f"{VISIT}1-weekdays", ["SA"])
    data[f"{VISIT}1-time_of_day"] = "20:15"
    data[f"{VISIT}2-time_of_day"] = ""  # the blank row: dropped

    response = post_editor(client_for("bob"), draft, data)

    assert response.status_code == 302
    assert fresh(draft).content["interventions"][0]["visits"] == [
        {
            "weekdays": ["MO", "WE"],
            "time_of_day": "08:00",
            "duration_minutes": 30,
            "times_per_week": None,
        },
        {
            "weekdays": ["SA"],
            "time_of_day": "20:15",
            "duration_minutes": None,
            "times_per_week": None,
        },
    ]
    html = page(client_for("bob").get(edit_url(draft)))
    assert "Besök 1" in html and "Besök 2" in html and f'name="{VISIT}2-time_of_day"' in html


def test_a_draft_written_before_visits_shows_its_schedule_as_the_first_visit(
    draft: PlanVersion,
) -> None:
    part = draft.content["interventions"][0]
    part.pop("visits")
    part["schedule"] = {
        "weekdays": ["TU"],
        "time_of_day": "09:00",
        "duration_minutes": 45,
        "times_per_week": 1,
    }
    draft.save()
    client = client_for("bob")
    data = form_data(page(client.get(edit_url(draft))))
    assert data[f"{VISIT}0-time_of_day"] == "09:00"
    assert data.getlist(f"{VISIT}0-weekdays") == ["TU"]

    post_editor(client, draft, data)

    saved = fresh(draft).content["interventions"][0]
    assert "schedule" not in saved
    assert saved["visits"] == [
        {"weekdays": ["TU"], "time_of_day": "09:00", "duration_minutes": 45, "times_per_week": 1}
    ]


def test_a_when_text_that_contradicts_the_visits_is_advice(draft: PlanVersion) -> None:
    data = QueryDict(mutable=True)
    data.update(base_post(draft, **{"interventions-0-when": "Tisdagar kl. 14, inte måndag"}))
    data.setlist(f"{VISIT}0-weekdays", ["MO"])
    data[f"{VISIT}0-time_of_day"] = "08:00"

    panel = panel_of(autosave(client_for("bob"), draft, data))

    message = (
        "Det som står under ”När” för ”Hemtjänst – dusch” stämmer inte med besöken: "
        "tisdag, inte måndag, kl. 14."
    )
    assert message in text(panel)
    assert 'href="#id_interventions-0-when"' in panel
    assert "R-LIFE-7" in panel


def test_a_when_text_that_agrees_gives_no_advice(draft: PlanVersion) -> None:
    data = QueryDict(mutable=True)
    data.update(base_post(draft, **{"interventions-0-when": "Måndagar kl. 8"}))
    data.setlist(f"{VISIT}0-weekdays", ["MO"])
    data[f"{VISIT}0-time_of_day"] = "08:00"

    panel = panel_of(autosave(client_for("bob"), draft, data))

    assert "stämmer inte med besöken" not in panel
