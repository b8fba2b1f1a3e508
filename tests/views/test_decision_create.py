"""Registering a decision and its granted interventions by hand (R-CASE-3, R-LIFE-1).

Each granted intervention gets its plan deadline from the unit's routine
profile. Bad input gives a Swedish error and saves nothing ("nothing partial is
saved"). Only the manager of the person's unit may register; others get 404
(R-LIFE-8). The clock is frozen at Monday 2026-03-02.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.organisation.models import Membership, Role, Unit
from delaktig.people.models import Case, Decision, GrantedIntervention, InterventionType
from delaktig.people.services import person_create
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_page_structure,
    assert_redirects_to_login,
    hrefs,
    page,
    select_options,
    text,
)
from tests.world import World, make_user, pnr


def open_case(world: World, unit: Unit) -> Case:
    """Greta with an open case at ``unit`` and no decision yet."""
    return person_create(
        unit=unit,
        personnummer=pnr(1941, 3, 21),
        first_name="Greta",
        last_name="Holm",
        opened_on=date(2026, 2, 20),
        by=world.alice,
    )


@pytest.fixture
def greta(world: World, frozen_today: date) -> Case:
    return open_case(world, world.home_care)


def url_for(case: Case) -> str:
    return reverse("decision_create", args=[case.uuid])


def decision_data(*interventions: dict[str, object], **decision: str) -> dict[str, str]:
    """POST data: the decision (prefix ``beslut``) and three intervention forms (``insats``)."""
    data = {
        "beslut-decided_on": "2026-02-27",
        "beslut-reference": "SN 2026/123",
        "beslut-case_officer": "Hanna Handläggare",
        "beslut-goals": "Att klara vardagen själv.",
        "insats-TOTAL_FORMS": "3",
        "insats-INITIAL_FORMS": "0",
        "insats-MIN_NUM_FORMS": "0",
        "insats-MAX_NUM_FORMS": "20",
    }
    data.update({f"beslut-{key}": value for key, value in decision.items()})
    for index in range(3):
        for name in ("type", "scope", "start_date", "end_date"):
            data[f"insats-{index}-{name}"] = ""
    for index, item in enumerate(interventions):
        for name, value in item.items():
            data[f"insats-{index}-{name}"] = str(value)
    return data


def intervention(type_: InterventionType, start: str, **extra: str) -> dict[str, object]:
    return {"type": type_.pk, "start_date": start, **extra}


def counts() -> tuple[int, int]:
    return Decision.objects.count(), GrantedIntervention.objects.count()


def test_it_shows_the_form_naming_the_person_and_the_units_routine(
    world: World, greta: Case
) -> None:
    html = page(client_for("alice").get(url_for(greta)))

    assert "<h1>Registrera beslut för Greta Holm</h1>" in html
    assert "räknas ut från Hemtjänst Västs rutin" in html
    assert re.findall(r"<legend>(Beviljad insats \d)</legend>", html) == [
        "Beviljad insats 1",
        "Beviljad insats 2",
        "Beviljad insats 3",
    ]
    options = select_options(html, "id_insats-0-type")
    assert options[""] == "Välj insats"
    assert options[str(world.types["hemtjanst-dusch"].pk)] == "Hemtjänst – dusch"
    assert len(options) == InterventionType.objects.count() + 1
    assert_page_structure(html)


def test_it_registers_the_decision_and_its_intervention_and_shows_the_person(
    world: World, greta: Case
) -> None:
    dusch = world.types["hemtjanst-dusch"]
    response = client_for("alice").post(
        url_for(greta),
        decision_data(intervention(dusch, "2026-03-01", scope="2 gånger per vecka")),
    )

    decision = Decision.objects.get()
    assert (
        decision.case_id,
        decision.decided_on,
        decision.reference,
        decision.case_officer,
        decision.goals,
        decision.created_by_id,
    ) == (
        greta.pk,
        date(2026, 2, 27),
        "SN 2026/123",
        "Hanna Handläggare",
        "Att klara vardagen själv.",
        world.alice.pk,
    )
    item = GrantedIntervention.objects.get()
    assert (
        item.decision_id,
        item.case_id,
        item.unit_id,
        item.type_id,
        item.scope,
        item.start_date,
        item.end_date,
        item.plan_deadline,
    ) == (
        decision.pk,
        greta.pk,
        world.home_care.pk,
        dusch.pk,
        "2 gånger per vecka",
        date(2026, 3, 1),
        None,
        date(2026, 3, 15),  # S1: 14 days
    )
    assert response.status_code == 302
    assert response["Location"] == f"/person/{greta.person.uuid}/"


def test_after_registering_the_person_page_shows_the_decision_and_deadline(
    world: World, greta: Case
) -> None:
    response = client_for("alice").post(
        url_for(greta),
        decision_data(intervention(world.types["hemtjanst-dusch"], "2026-03-01")),
        follow=True,
    )
    visible = text(page(response))

    assert "Beslutet är registrerat. Planens sista datum är beräknat." in visible
    assert "Beslut 27 februari 2026, dnr SN 2026/123, handläggare Hanna Handläggare" in visible
    assert "Hemtjänst – dusch – 2026-03-01 – tills vidare Senast 2026-03-15" in visible


@pytest.mark.parametrize(
    ("unit_attr", "type_code", "deadline"),
    [
        ("home_care", "hemtjanst-dusch", date(2026, 3, 15)),  # S1: 14 days
        ("nursing_home", "sarskilt-boende", date(2026, 3, 22)),  # S0_S3, inherited: 21 days
        ("housing_support", "boendestod", date(2026, 3, 15)),  # S4: 14 days
    ],
)
def test_the_plan_deadline_follows_the_units_routine(
    world: World, frozen_today: date, unit_attr: str, type_code: str, deadline: date
) -> None:
    unit: Unit = getattr(world, unit_attr)
    manager = make_user("erik", "Erik", "Chef")
    Membership.objects.create(user=manager, role=Role.UNIT_MANAGER, unit=unit)
    case = open_case(world, unit)

    client_for("erik").post(
        url_for(case), decision_data(intervention(world.types[type_code], "2026-03-01"))
    )

    assert GrantedIntervention.objects.get().plan_deadline == deadline


def test_it_registers_several_interventions_and_ignores_blank_rows(
    world: World, greta: Case
) -> None:
    client_for("alice").post(
        url_for(greta),
        decision_data(
            intervention(world.types["hemtjanst-dusch"], "2026-03-01"),
            intervention(world.types["trygghetslarm"], "2026-02-25", end_date="2026-12-31"),
        ),
    )

    assert list(
        GrantedIntervention.objects.order_by("start_date").values_list(
            "type__code", "start_date", "end_date", "plan_deadline"
        )
    ) == [
        ("trygghetslarm", date(2026, 2, 25), date(2026, 12, 31), date(2026, 3, 11)),
        ("hemtjanst-dusch", date(2026, 3, 1), None, date(2026, 3, 15)),
    ]
    assert Decision.objects.count() == 1


# --- bad input: a Swedish error and nothing saved (R-CASE-3)


def test_an_end_date_before_the_start_date_is_refused(world: World, greta: Case) -> None:
    response = client_for("alice").post(
        url_for(greta),
        decision_data(
            intervention(world.types["hemtjanst-dusch"], "2026-03-01"),
            intervention(world.types["trygghetslarm"], "2026-03-01", end_date="2026-02-28"),
        ),
    )
    html = page(response)

    assert response.status_code == 200
    assert '<p class="error" id="id_insats-1-end_date_error">' in html
    assert "Slutdatum kan inte vara före startdatum." in html
    assert counts() == (0, 0)
    assert_page_structure(html)


def test_a_decision_without_interventions_is_refused(world: World, greta: Case) -> None:
    html = page(client_for("alice").post(url_for(greta), decision_data()))

    assert "Ange minst en beviljad insats." in html
    assert counts() == (0, 0)


def test_an_intervention_type_that_does_not_exist_is_refused(world: World, greta: Case) -> None:
    missing = InterventionType.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    data = decision_data({"type": missing, "start_date": "2026-03-01"})

    html = page(client_for("alice").post(url_for(greta), data))

    assert '<p class="error" id="id_insats-0-type_error">' in html
    assert "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ." in (
        html
    )
    assert counts() == (0, 0)


def test_a_decision_date_in_the_future_is_refused(world: World, greta: Case) -> None:
    data = decision_data(
        intervention(world.types["hemtjanst-dusch"], "2026-03-01"), decided_on="2026-03-03"
    )
    html = page(client_for("alice").post(url_for(greta), data))

    assert "Beslutsdatum: Beslutsdatum kan inte ligga i framtiden." in text(html)
    assert counts() == (0, 0)


def test_a_start_date_is_required_for_a_chosen_intervention(world: World, greta: Case) -> None:
    data = decision_data({"type": world.types["hemtjanst-dusch"].pk})
    html = page(client_for("alice").post(url_for(greta), data))

    assert '<p class="error" id="id_insats-0-start_date_error">Detta fält måste fyllas i.</p>' in (
        html
    )
    assert counts() == (0, 0)


# --- access (R-LIFE-8)


@pytest.mark.parametrize(
    "username",
    [
        "bob",  # staff at the unit: may read the person, not register decisions
        "charlie",  # staff of another unit
        "dana",  # quality controller
    ],
)
def test_it_404s_and_saves_nothing_for_anyone_but_the_units_manager(
    world: World, greta: Case, username: str
) -> None:
    client = client_for(username)
    data = decision_data(intervention(world.types["hemtjanst-dusch"], "2026-03-01"))

    assert client.get(url_for(greta)).status_code == 404
    assert client.post(url_for(greta), data).status_code == 404
    assert counts() == (0, 0)


def test_it_404s_once_the_case_is_closed(world: World, greta: Case) -> None:
    Case.objects.filter(pk=greta.pk).update(closed_on=date(2026, 3, 1))

    assert client_for("alice").get(url_for(greta)).status_code == 404


def test_it_redirects_anonymous_users_to_the_login_page_and_saves_nothing(
    world: World, greta: Case
) -> None:
    url = url_for(greta)
    data = decision_data(intervention(world.types["hemtjanst-dusch"], "2026-03-01"))

    assert_redirects_to_login(Client().get(url), f"/arende/{greta.uuid}/nytt-beslut/")
    assert_redirects_to_login(Client().post(url, data), url)
    assert counts() == (0, 0)


def test_each_units_panel_links_to_registering_a_decision_for_that_units_case(
    world: World, greta: Case
) -> None:
    open_case(world, world.nursing_home)  # same personnummer: Greta's second case
    html = page(client_for("alice").get(reverse("person_detail", args=[greta.person.uuid])))

    for suffix in ("/nytt-beslut/", "/kontaktman/"):
        links = [h for h in hrefs(html) if h.endswith(suffix)]
        assert len(links) == 2, links  # one per unit panel
        assert len(set(links)) == 2, links
