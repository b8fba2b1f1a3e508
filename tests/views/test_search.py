"""Finding a person by name or personnummer (issue 10; R-CASE-1, R-LIFE-8).

Staff find only the persons they may read (``visible_to``: an open case at a unit
where they work). The search is a POST, so what was typed is never in a URL; each
person shown is access-logged as seen in a list, marked as a search, without the
text. Bob works in home care, Charlie at housing support, Dana reads no persons.
The clock is frozen at Monday 2026-03-02.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter
from pytest_django import DjangoAssertNumQueries

from delaktig.organisation.models import Membership, Role
from delaktig.people.models import Case, Person
from delaktig.people.services import membership_end
from delaktig.plans.models import Plan, PlanVersion, VersionState
from delaktig.records.audit_models import AuditEvent
from delaktig.records.models import AccessAction, AccessLog
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_no_personal_data_in_hrefs,
    assert_page_structure,
    assert_redirects_to_login,
    hrefs,
    names_in,
    page,
    personnummer_forms,
    row_for,
    table_rows,
    text,
)
from tests.world import World

URL = "/sok/"
HTMX = {"HTTP_HX_REQUEST": "true"}
# Measured: session, user, the search (cases with person, unit, plan state), the access
# log of the persons shown, and the navigation (memberships: the header search).
SEARCH_QUERIES = 5


def find(client: Client, q: str, **extra: str) -> str:
    response = client.post(URL, {"q": q}, **extra)  # type: ignore[arg-type]
    assert response.status_code == 200
    return page(response)


@pytest.fixture
def astrid(world: World, frozen_today: date) -> Case:
    return world.add_person(world.home_care, start=date(2026, 2, 10), contact=world.bob)


@pytest.fixture
def sven(world: World, frozen_today: date) -> Case:
    return world.add_person(
        world.housing_support,
        start=date(2026, 2, 20),
        types=("boendestod",),
        contact=world.charlie,
        serial=101,
        birth=(1952, 6, 1),
        first_name="Sven",
        last_name="Öst-Åberg",
    )


def test_staff_find_a_person_of_their_unit_by_the_start_of_a_name(
    world: World, astrid: Case
) -> None:
    bob = client_for("bob")
    for typed in ("Astrid", "ast", "LIND", "li", "ast li", "  Astrid   Lind "):
        assert names_in(find(bob, typed)) == ["Astrid Lind"], typed
    assert names_in(find(bob, "strid")) == []  # prefixes of words, not any part


def test_a_row_shows_name_masked_personnummer_unit_and_plan_state(
    world: World, astrid: Case
) -> None:
    html = find(client_for("bob"), "astrid")

    assert row_for(html, "Astrid Lind") == [
        "Astrid Lind",
        "19400321-****",
        "Hemtjänst Väst",
        "Ingen plan, Försenad skulle vara klar 24 februari 2026",
    ]
    assert astrid.person.personnummer not in html
    assert_no_personal_data_in_hrefs(html, [astrid.person])


@pytest.mark.parametrize(
    "typed", ["19400321-9823", "194003219823", "400321-9823", "4003219823", "400321", "19400321"]
)
def test_staff_find_a_person_by_personnummer_in_every_common_form(
    world: World, frozen_today: date, typed: str
) -> None:
    world.add_person(world.home_care, start=date(2026, 2, 10), serial=982)  # 19400321-9823
    world.add_person(world.home_care, start=date(2026, 2, 10), serial=101, last_name="Ahl")
    birth_date_only = len(typed.replace("-", "")) < 10
    expected = ["Astrid Ahl", "Astrid Lind"] if birth_date_only else ["Astrid Lind"]
    assert names_in(find(client_for("bob"), typed)) == expected


def test_the_search_ignores_case_and_diacritics(world: World, sven: Case) -> None:
    charlie = client_for("charlie")
    for typed in ("öst", "OST", "aberg", "Åberg", "sven öst-åberg", "SVEN OST ABERG"):
        assert names_in(find(charlie, typed)) == ["Sven Öst-Åberg"], typed


def test_another_units_staff_do_not_find_the_person(world: World, astrid: Case, sven: Case) -> None:
    charlie = client_for("charlie")
    for typed in ("astrid", "lind", astrid.person.personnummer, "400321"):
        html = find(charlie, typed)
        assert "Astrid" not in html, typed
        assert "Ingen person hittades bland dem du arbetar med." in html
    assert names_in(find(client_for("bob"), "sven")) == []
    assert names_in(find(client_for("dana"), "astrid")) == []


def test_a_former_member_finds_no_one(world: World, astrid: Case) -> None:
    membership_end(
        membership=Membership.objects.get(user=world.bob, role=Role.STAFF), by=world.alice
    )
    html = find(client_for("bob"), "astrid")

    assert names_in(html) == []
    assert "Ingen person hittades" in html


def test_a_closed_case_is_not_found(world: World, astrid: Case) -> None:
    Case.objects.filter(pk=astrid.pk).update(closed_on=date(2026, 3, 1))
    assert names_in(find(client_for("bob"), "astrid")) == []


def test_anonymous_users_are_sent_to_the_login_page(world: World) -> None:
    assert_redirects_to_login(Client().get(URL), URL)
    assert_redirects_to_login(Client().post(URL, {"q": "19400321-9823"}), URL)
    expired = Client().post(URL, {"q": "19400321-9823"}, **HTMX)  # type: ignore[arg-type]
    assert expired.status_code == 200
    assert expired["HX-Redirect"] == "/accounts/login/?next=/sok/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv ett namn eller ett personnummer."),
        ("a", "Skriv minst 2 bokstäver av namnet."),
        ("x" * 500, "Sökningen får vara högst 100 tecken."),
        ("x" * 1500, "Sökningen får vara högst 100 tecken."),
        ("Ast\x00rid", "Namnet får bara innehålla bokstäver"),
        ("🙂\u202e\u0000", "Namnet får bara innehålla bokstäver"),
        ("' OR 1=1 --", "Sök antingen på namn eller på personnummer"),
        ("%_%", "Namnet får bara innehålla bokstäver"),
        ("19400321-9824", "Kontrollsiffran (sista siffran) stämmer inte"),
    ],
)
def test_bad_input_gets_a_clear_swedish_message_never_a_500(
    world: World, astrid: Case, typed: str, message: str
) -> None:
    for extra in ({}, HTMX):
        html = find(client_for("bob"), typed, **extra)
        assert message in html
        assert "Sökningen kunde inte göras." in html
        assert names_in(html) == []
    assert not AccessLog.objects.exists()


def test_the_search_is_a_post_and_puts_nothing_typed_in_a_url(world: World, astrid: Case) -> None:
    bob = client_for("bob")
    html = page(bob.get(URL))

    assert '<form method="post" action="/sok/" role="search"' in html
    assert 'hx-post="/sok/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert bob.get(URL, {"q": "19400321-9823"}).status_code == 200  # a GET searches nothing
    assert "Astrid" not in page(bob.get(URL, {"q": "astrid"}))
    found = find(bob, "19400321-9823")
    assert all("9823" not in href and "q=" not in href for href in hrefs(found))


def test_the_search_needs_the_csrf_token(world: World, astrid: Case) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bob)
    assert client.post(URL, {"q": "astrid"}).status_code == 403


def test_htmx_gets_the_results_fragment_and_the_live_region_text(
    world: World, astrid: Case
) -> None:
    html = find(client_for("bob"), "astrid", **HTMX)

    assert "<html" not in html
    assert names_in(html) == ["Astrid Lind"]
    assert '<p id="sok-antal" hx-swap-oob="innerHTML">' in html
    assert "1 person hittades." in text(html)


def test_the_page_has_a_labelled_field_and_a_live_region(world: World, astrid: Case) -> None:
    html = find(client_for("bob"), "astrid")

    assert_page_structure(html)
    assert '<label for="sok-q">Namn eller personnummer</label>' in html
    assert '<p id="sok-antal" role="status" aria-live="polite">1 person hittades.</p>' in html


def test_the_header_has_a_search_field_for_staff_only(world: World, astrid: Case) -> None:
    header = page(client_for("bob").get(reverse("my_persons")))
    assert 'class="header-search"' in header
    assert_page_structure(header)
    assert 'class="header-search"' not in page(client_for("dana").get(reverse("quality_report")))


def test_results_are_limited_with_a_note_to_narrow_the_search(
    world: World, frozen_today: date
) -> None:
    for n in range(27):
        world.add_person(world.home_care, start=date(2026, 2, 20), serial=100 + n)
    html = find(client_for("bob"), "astrid")

    assert len(table_rows(html)) == 25
    assert "Fler än 25 personer matchar. Förfina sökningen" in html
    assert "Visar de 25 första av fler än 25 personer." in html
    assert AccessLog.objects.count() == 25  # only those shown


# --- plan state


def test_the_plan_state_is_shown(world: World, frozen_today: date) -> None:
    add, unit, mun = world.add_person, world.home_care, world.municipality
    cases = {name: add(unit, start=date(2026, 2, 25), serial=s, last_name=name)
             for s, name in ((101, "Ahl"), (102, "Berg"), (103, "Dahl"), (104, "Ek"))}  # fmt: skip
    draft = Plan.objects.create(case=cases["Berg"], unit=unit, municipality=mun)
    PlanVersion.objects.create(plan=draft, municipality=mun, number=1)
    signing = Plan.objects.create(case=cases["Dahl"], unit=unit, municipality=mun)
    PlanVersion.objects.create(
        plan=signing, municipality=mun, number=1, state=VersionState.READY_FOR_SIGNING
    )
    Plan.objects.create(
        case=cases["Ek"],
        unit=unit,
        municipality=mun,
        established_on=date(2025, 8, 1),
        next_follow_up_on=date(2026, 2, 1),
    )
    html = find(client_for("bob"), "astrid")

    states = {row[0]: row[3].split(",")[0] for row in table_rows(html)}
    assert states == {
        "Astrid Ahl": "Ingen plan",
        "Astrid Berg": "Utkast",
        "Astrid Dahl": "Väntar på signatur",
        "Astrid Ek": "Uppföljning försenad skulle följas upp 1 februari 2026",
    }


# --- protected identity


def test_a_protected_person_is_found_by_name_or_birth_date_only_by_those_who_may_read_them(
    world: World, astrid: Case, sven: Case
) -> None:
    Person.objects.filter(pk=astrid.person_id).update(protected_identity=True)
    bob, charlie = client_for("bob"), client_for("charlie")
    number = astrid.person.personnummer

    html = find(bob, "astrid")
    assert row_for(html, "Astrid Lind Skyddad identitet")[1] == "19400321-****"
    assert names_in(find(bob, "400321")) == ["Astrid Lind"]
    # Its full number is shown to no one, so no search confirms it either.
    for form in personnummer_forms(astrid.person):
        assert names_in(find(bob, form)) == [], form
    for typed in ("astrid", "lind", "400321", number):
        assert "Astrid" not in find(charlie, typed)
    assert number not in html


# --- the access log and the logs


def test_each_person_shown_is_logged_as_seen_in_a_search_without_what_was_typed(
    world: World, astrid: Case, sven: Case
) -> None:
    find(client_for("bob"), "lind")
    find(client_for("bob"), "19400321-9823")

    rows = list(AccessLog.objects.values_list("user_id", "case_id", "action", "object_id"))
    assert sorted(rows) == [
        (world.bob.pk, astrid.pk, AccessAction.VIEW_LIST, "sokning:namn"),
        (world.bob.pk, astrid.pk, AccessAction.VIEW_LIST, "sokning:personnummer"),
    ]
    stored = [str(v) for v in AccessLog.objects.values_list() for v in v]
    stored += [str(v) for v in AuditEvent.objects.values_list("data", flat=True)]
    assert not [v for v in stored if "lind" in v.lower() or "9823" in v]


def test_a_search_writes_nothing_typed_to_the_logs(
    world: World, astrid: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        find(client_for("bob"), "19400321-9823")
        find(client_for("bob"), "Astrid", **HTMX)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "9823" not in logged
    assert "Astrid" not in logged


def test_an_error_report_hides_what_was_typed(
    world: World, astrid: Case, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("trasig")

    monkeypatch.setattr("delaktig.web.search_views.search_cases", broken)
    client = client_for("bob")
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert client.post(URL, {"q": "19400321-9823"}).status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is not None
    report = ExceptionReporter(record.request, *record.exc_info).get_traceback_text()  # type: ignore[attr-defined]
    assert "9823" not in report
    assert "trasig" in report


# --- constant query count


def test_its_query_count_is_the_same_for_3_and_for_30_matches(
    world: World, frozen_today: date, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    def add(first: int, last: int) -> None:
        for n in range(first, last):
            case = world.add_person(world.home_care, start=date(2026, 2, 20), serial=300 + n)
            if n % 3 == 0:
                Plan.objects.create(
                    case=case,
                    unit=world.home_care,
                    municipality=world.municipality,
                    established_on=date(2026, 2, 25),
                    next_follow_up_on=date(2026, 8, 25),
                )

    bob = client_for("bob")
    add(0, 3)
    with django_assert_max_num_queries(SEARCH_QUERIES) as three:
        few = find(bob, "astrid", **HTMX)
    add(3, 30)
    with django_assert_max_num_queries(SEARCH_QUERIES) as thirty:
        many = find(bob, "astrid", **HTMX)

    assert (len(table_rows(few)), len(table_rows(many))) == (3, 25)
    assert len(three.captured_queries) == len(thirty.captured_queries)


def test_the_log_review_shows_a_search_as_a_search(world: World, astrid: Case) -> None:
    find(client_for("bob"), "astrid")
    review = page(client_for("alice").get(reverse("access_log_review", args=[world.home_care.pk])))

    assert "Såg personen i en lista (sökning)" in text(review)
