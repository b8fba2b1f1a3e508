"""The unit manager's "Avsluta ärendet" page (R-CASE-4). Everyone else gets 404 (R-LIFE-8)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.archive.models import ArchiveDelivery, DeliveryStatus
from delaktig.people.models import Case
from delaktig.records.models import AccessAction, AccessLog
from tests.archive.helpers import case_with_history, end_interventions, make_archivist
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_no_personal_data_in_hrefs,
    assert_page_structure,
    assert_redirects_to_login,
    page,
    section,
    table_rows,
    text,
)
from tests.world import World


def close_url(case: Case) -> str:
    return reverse("case_close", args=[case.uuid])


def test_it_shows_the_open_interventions_and_what_will_be_archived(world: World) -> None:
    case = case_with_history(world)

    response = client_for("alice").get(close_url(case))

    html = page(response)
    assert response.status_code == 200
    assert "<h1>Avsluta ärendet – Astrid Lind</h1>" in html
    assert table_rows(section(html, "insatser-h")) == [
        ["Hemtjänst – dusch", "2026-01-12 – tills vidare", "Pågår"]
    ]
    assert "1 insats pågår fortfarande 2026-03-02" in text(html)
    assert "Planversioner som arkiveras 3" in text(html)
    assert 'value="2026-03-02"' in html
    assert_page_structure(html)
    assert_no_personal_data_in_hrefs(html, [case.person])
    log = AccessLog.objects.get()
    assert (log.user_id, log.person_id, log.case_id, log.action) == (
        world.alice.pk,
        case.person_id,
        case.pk,
        AccessAction.VIEW_PERSON,
    )


def test_it_refuses_with_a_swedish_message_while_an_intervention_is_open(world: World) -> None:
    case = case_with_history(world)

    response = client_for("alice").post(close_url(case), {"closed_on": "2026-03-02"})

    assert response.status_code == 200
    assert "Något behöver rättas" in page(response)
    assert (
        "Insatsen Hemtjänst – dusch (från 2026-01-12) pågår fortfarande – den har inget "
        "slutdatum." in text(page(response))
    )
    case.refresh_from_db()
    assert case.closed_on is None
    assert not ArchiveDelivery.objects.exists()


def test_it_closes_the_case_and_shows_the_outstanding_delivery(world: World) -> None:
    case = case_with_history(world)
    alice = client_for("alice")

    response = alice.post(
        close_url(case), {"closed_on": "2026-03-02", "end_open_interventions": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("archive_unit_list")
    case.refresh_from_db()
    assert case.closed_on is not None
    delivery = ArchiveDelivery.objects.get(case=case)
    assert delivery.status == DeliveryStatus.PENDING
    html = page(alice.get(response["Location"]))
    assert "Ärendet är avslutat. 3 planversioner skickas till arkivet" in html
    assert "Astrid Lind" in html


def test_a_case_whose_interventions_have_ended_closes_without_the_checkbox(world: World) -> None:
    case = case_with_history(world)
    end_interventions(case)

    html = page(client_for("alice").get(close_url(case)))
    response = client_for("alice").post(close_url(case), {"closed_on": "2026-03-02"})

    assert "Upphört" in html and "pågår fortfarande" not in html
    assert response.status_code == 302
    assert ArchiveDelivery.objects.filter(case=case).exists()


def test_it_refuses_a_missing_date(world: World) -> None:
    case = case_with_history(world)

    response = client_for("alice").post(close_url(case), {"closed_on": ""})

    assert response.status_code == 200
    assert "Ärendet avslutas: Detta fält måste fyllas i." in text(page(response))
    case.refresh_from_db()
    assert case.closed_on is None


@pytest.mark.parametrize("username", ["bob", "charlie", "dana", "erik"])
def test_it_404s_for_anyone_but_the_units_manager(world: World, username: str) -> None:
    make_archivist(world.administration)
    case = case_with_history(world)
    end_interventions(case)
    client = client_for(username)

    shown = client.get(close_url(case))
    posted = client.post(close_url(case), {"closed_on": "2026-03-02"})

    assert shown.status_code == posted.status_code == 404
    assert "Astrid" not in page(shown)
    case.refresh_from_db()
    assert case.closed_on is None
    assert not AccessLog.objects.exists()


def test_it_404s_for_a_case_already_closed(world: World) -> None:
    case = case_with_history(world)
    alice = client_for("alice")
    alice.post(close_url(case), {"closed_on": "2026-03-02", "end_open_interventions": "on"})

    assert alice.get(close_url(case)).status_code == 404


def test_it_redirects_anonymous_users_to_the_login_page(world: World) -> None:
    case = case_with_history(world)
    url = close_url(case)

    assert_redirects_to_login(Client().get(url), url)
    assert_redirects_to_login(Client().post(url, {"closed_on": "2026-03-02"}), url)
    case.refresh_from_db()
    assert case.closed_on is None
