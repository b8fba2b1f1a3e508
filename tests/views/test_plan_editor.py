"""The plan editor: writing a draft, autosave with the live check, sending for signing.

R-PLAN-1…14: every part of the plan has an input, and what is posted is what
is stored (blank rows dropped; interventions come from the decision and cannot
be added or renamed from the form). R-PLAN-15: the panel lists what is missing
and links to the input. R-PLAN-11: health-care words are named. R-LIFE-3: only
a draft is edited, with optimistic locking. R-LIFE-8: only the contact person,
the unit manager (and staff the disclosure list names) may write; everyone else
gets 404; every opening of the editor is logged.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delaktig.organisation.models import Membership, Role
from delaktig.plans.editor_form import CONTENT_KEYS, content_from_post, parse_post
from delaktig.plans.models import PlanTemplate, PlanVersion, VersionState
from delaktig.plans.services import StaleDraft, plan_save_draft, plan_start
from delaktig.plans.templates_text import DEFAULT_SECTIONS, merge_sections
from delaktig.records.models import AccessAction, AccessLog
from tests.fixtures import client_for
from tests.services.plan_helpers import complete, ready
from tests.views.helpers import (
    assert_page_structure,
    assert_redirects_to_login,
    form_field_ids,
    page,
    text,
)
from tests.world import World, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


# --------------------------------------------------------------------------- helpers


def edit_url(version: PlanVersion) -> str:
    return reverse("plan_edit", kwargs={"plan_uuid": version.plan.uuid})


def autosave_url(version: PlanVersion) -> str:
    return reverse("plan_autosave", kwargs={"plan_uuid": version.plan.uuid})


class _FormReader(HTMLParser):
    """What a browser would post for the form ``#plan-form`` (no submit button)."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "plan-form":
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._buffer = a["name"], []
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and "selected" in a and self._select:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            value = "".join(self._buffer)
            self.fields.append((self._textarea, value.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(html: str) -> QueryDict:
    reader = _FormReader()
    reader.feed(html)
    data = QueryDict(mutable=True)
    for name, value in reader.fields:
        data.appendlist(name, html_lib.unescape(value))
    return data


def fresh(version: PlanVersion) -> PlanVersion:
    return PlanVersion.objects.get(pk=version.pk)


def _lists(data: dict[str, Any] | QueryDict) -> dict[str, Any]:
    """The test client posts only a QueryDict's last value per key: pass it the lists."""
    return dict(data.lists()) if isinstance(data, QueryDict) else data


def post_editor(client: Client, version: PlanVersion, data: dict[str, Any] | QueryDict) -> Any:
    return client.post(edit_url(version), _lists(data))


def autosave(client: Client, version: PlanVersion, data: dict[str, Any] | QueryDict) -> Any:
    return client.post(autosave_url(version), _lists(data), **HTMX)


def query_dict(data: dict[str, Any]) -> QueryDict:
    result = QueryDict(mutable=True)
    for key, value in data.items():
        result[key] = str(value)
    return result


def panel_of(response: HttpResponse) -> str:
    match = re.search(r'<div id="check-panel".*', page(response), re.S)
    assert match is not None
    return match.group(0)


def base_post(version: PlanVersion, **values: Any) -> dict[str, Any]:
    """A minimal editor POST: the lock, the intervention's key, plus ``values``."""
    key = version.content["interventions"][0]["key"]
    return {"lock_version": version.lock_version, "interventions-0-key": key, **values}


@pytest.fixture
def draft(world: World, frozen_today: date) -> PlanVersion:
    """Astrid at home care (routine S1), Bob her contact person, a fresh plan draft."""
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    return plan_start(case=case, by=world.bob, on=frozen_today)


# --------------------------------------------------------------------------- the page


def test_it_shows_the_form_prefilled_from_the_order(draft: PlanVersion) -> None:
    response = client_for("bob").get(edit_url(draft))
    html = page(response)

    assert response.status_code == 200
    assert_page_structure(html)
    assert len(form_field_ids(html)) > 40
    assert "<h1>Genomförandeplan för Astrid Lind</h1>" in html
    assert re.search(r'<textarea name="decision_goals"[^>]*>\s*Att kunna bo kvar hemma\.<', html)
    assert '<h3 class="ed-part-name">Hemtjänst – dusch</h3>' in html
    key = draft.content["interventions"][0]["key"]
    assert f'<input type="hidden" name="interventions-0-key" value="{key}">' in html
    assert '<input type="hidden" name="lock_version" id="lock-version" value="1">' in html
    # A real form for the plain save, htmx on top of it for autosave.
    assert f'action="{edit_url(draft)}"' in html
    assert f'hx-post="{autosave_url(draft)}"' in html
    assert 'hx-target="#check-panel"' in html
    # One blank row in each list, so a row can be added without JavaScript.
    assert 'name="interventions-0-goals-0-text"' in html
    assert 'name="interventions-0-activities-0-description"' in html
    assert 'name="participants-0-name"' in html
    # Help linked to the input, the example behind "Exempel".
    assert 'aria-describedby="id_interventions-0-how-help"' in html
    assert '<details class="ed-example"><summary>Exempel</summary>' in html
    # The panel: an aside with a heading, a polite status line and the missing items.
    assert '<aside class="check-aside" id="kontroll" aria-labelledby="check-heading"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "Det här saknas innan planen kan skickas för signering" in html
    assert '<a href="#id_interventions-0-how">Beskriv hur insatsen ”Hemtjänst – dusch”' in html


def test_it_links_its_stylesheet(draft: PlanVersion) -> None:
    html = page(client_for("bob").get(edit_url(draft)))

    assert "delaktig/editor.css" in html


def test_statements_are_grouped_by_who_said_them(draft: PlanVersion) -> None:
    draft.content["statements"] = [
        {"source": "relative", "text": "Mamma vill ha fler promenader."},
        {"source": "person", "text": "Jag vill sova länge."},
    ]
    draft.save()

    html = page(client_for("bob").get(edit_url(draft)))
    groups = re.findall(r'<fieldset class="ed-statement-group source-(\w+)"', html)
    visible = text(html)

    assert groups == ["person", "staff", "legal_representative", "relative"]
    assert visible.index("Det den enskilde själv har sagt") < visible.index("Jag vill sova länge.")
    assert visible.index("Det närstående har sagt") < visible.index("Mamma vill ha fler")
    # A row keeps its place in the stored list as its number.
    assert 'name="statements-1-text"' in html.split("source-person")[1].split("source-staff")[0]


def test_the_master_data_check_is_shown_only_when_the_routine_asks_for_it(
    world: World, frozen_today: date, draft: PlanVersion
) -> None:
    case = world.add_person(
        world.housing_support,
        start=date(2026, 2, 20),
        contact=world.charlie,
        types=("boendestod",),
        birth=(1980, 5, 5),
    )
    other = plan_start(case=case, by=world.charlie, on=frozen_today)

    s1_html = page(client_for("bob").get(edit_url(draft)))
    s4_html = page(client_for("charlie").get(edit_url(other)))

    assert 'name="master_data_checked"' in s1_html
    assert "Jag har kontrollerat att personens uppgifter och övrig information stämmer" in s1_html
    assert 'name="master_data_checked"' not in s4_html


def test_the_municipalitys_template_overrides_headings_and_help(
    world: World, draft: PlanVersion
) -> None:
    PlanTemplate.objects.create(
        municipality=world.municipality,
        code="standard",
        name="Testkommunens mall",
        sections={
            "how": {"help": "Skriv stegen i den ordning de görs."},
            "participation": {"heading": "Så var den enskilde med"},
            "unknown": {"heading": "ignoreras"},
        },
    )

    html = page(client_for("bob").get(edit_url(draft)))

    assert "Skriv stegen i den ordning de görs." in html
    assert '<h2 id="rubrik-delaktighet">Så var den enskilde med</h2>' in html
    assert DEFAULT_SECTIONS["where"]["help"] in html  # not overridden: the default
    assert "ignoreras" not in html


def test_merge_sections_ignores_what_is_not_text() -> None:
    merged = merge_sections({"how": {"help": 3, "example": " Så här. "}, "goals": "fel"})

    assert merged["how"]["help"] == DEFAULT_SECTIONS["how"]["help"]
    assert merged["how"]["example"] == "Så här."
    assert merged["goals"] == dict(DEFAULT_SECTIONS["goals"])
    assert merge_sections(None) == {k: dict(v) for k, v in DEFAULT_SECTIONS.items()}


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("username", ["bob", "alice"])
def test_the_contact_person_and_the_unit_manager_may_write(
    draft: PlanVersion, username: str
) -> None:
    client = client_for(username)

    assert client.get(edit_url(draft)).status_code == 200
    response = autosave(client, draft, base_post(draft, **{"interventions-0-where": "Hemma"}))
    assert response.status_code == 200
    assert fresh(draft).content["interventions"][0]["where"] == "Hemma"


@pytest.mark.parametrize("username", ["charlie", "dana"])
def test_others_get_404_and_change_nothing(draft: PlanVersion, username: str) -> None:
    client = client_for(username)
    data = base_post(draft, **{"interventions-0-where": "Hemma"})

    assert client.get(edit_url(draft)).status_code == 404
    assert post_editor(client, draft, data).status_code == 404
    assert autosave(client, draft, data).status_code == 404
    assert fresh(draft).lock_version == 1
    assert not AccessLog.objects.filter(action=AccessAction.VIEW_PLAN).exists()


def test_a_scheduler_who_may_read_the_plan_may_not_write_it(
    world: World, draft: PlanVersion
) -> None:
    sara = make_user("sara", "Sara", "Planerare")
    Membership.objects.create(user=sara, role=Role.SCHEDULER, unit=world.home_care)
    draft.content["disclosure_roles"] = ["staff", "scheduler"]
    draft.save()

    assert client_for("sara").get(edit_url(draft)).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(draft: PlanVersion) -> None:
    client = Client()

    assert_redirects_to_login(client.get(edit_url(draft)), edit_url(draft))
    assert_redirects_to_login(client.post(autosave_url(draft), {}), autosave_url(draft))
    assert fresh(draft).lock_version == 1


def test_the_views_accept_only_their_methods(draft: PlanVersion) -> None:
    client = client_for("bob")

    assert client.get(autosave_url(draft)).status_code == 405
    assert client.put(edit_url(draft)).status_code == 405


def test_every_opening_of_the_editor_is_logged(world: World, draft: PlanVersion) -> None:
    client = client_for("bob")
    client.get(edit_url(draft))
    autosave(client, draft, base_post(draft))

    log = AccessLog.objects.get()
    assert log.action == AccessAction.VIEW_PLAN
    assert log.user == world.bob
    assert log.person == draft.plan.case.person
    assert log.case == draft.plan.case
    assert log.object_id == str(draft.pk)


# --------------------------------------------------------------------------- saving


def full_post(version: PlanVersion) -> QueryDict:
    """Every field of the form filled, blank rows in between, and some forged input."""
    key = version.content["interventions"][0]["key"]
    data = QueryDict(mutable=True)
    data.update(
        {
            "lock_version": str(version.lock_version),
            "action": "save",
            "decision_goals": "  Att kunna bo kvar hemma.\r\nAtt känna sig trygg.  ",
            "interventions-0-key": key,
            "interventions-0-name": "Omdöpt insats",  # ignored: the name comes from the decision
            "interventions-0-when": "Tisdagar kl. 9",
            "interventions-0-where": "Hemma, i badrummet",
            "interventions-0-how": "Astrid duschar själv.",
            "interventions-0-goals-0-text": "Att känna mig fräsch",
            "interventions-0-goals-0-sub_goals": "Tvätta håret själv\r\n\r\n  Kliva in själv  ",
            "interventions-0-goals-1-text": "",  # blank row: dropped
            "interventions-0-goals-1-sub_goals": "",
            "interventions-0-goals-2-text": "Att välja tid själv",
            "interventions-0-goals-2-sub_goals": "",
            "interventions-0-activities-0-description": "",  # blank row: dropped
            "interventions-0-activities-0-responsible": "",
            "interventions-0-activities-0-when": "",
            "interventions-0-activities-1-description": "Dusch",
            "interventions-0-activities-1-responsible": "Bob",
            "interventions-0-activities-1-when": "Tisdag",
            "interventions-0-activities-1-goals-0-text": "Att tvätta håret själv",
            "interventions-0-activities-1-goals-0-sub_goals": "Schampo\nSköljning",
            "interventions-0-follow_up_how": "  Bob frågar Astrid efter en månad.\r\n",
            "interventions-0-visits-0-time_of_day": "9:30",
            "interventions-0-visits-0-duration_minutes": " 45 ",
            "interventions-0-visits-0-times_per_week": "2",
            # A second intervention that is not in the plan: ignored.
            "interventions-7-key": "999",
            "interventions-7-how": "Smugglad insats",
            "participation_how": "Astrid var med på mötet.",
            "wishes_weight": "Tiderna följer hennes önskemål.",
            "interests_how_found": "",
            "statements-0-source": "relative",
            "statements-0-text": "Dottern vill bli uppringd.",
            "statements-1-source": "person",
            "statements-1-text": "",  # blank: dropped, its source does not count
            "statements-5-source": "person",
            "statements-5-text": "Jag vill duscha på förmiddagen.",
            "statements-6-source": "legal_representative",
            "statements-6-text": "God man sköter räkningarna.",
            "statements-7-source": "staff",
            "statements-7-text": "Astrid blir trött efter duschen.",
            "participants-0-name": "Astrid Lind",
            "participants-0-role": "Den enskilde",
            "participants-1-name": "",
            "participants-1-role": "",
            "participants-2-name": "Karin Lind",
            "participants-2-role": "Dotter",
            "other_information": "Hör dåligt på vänster öra.",
            "cooperation": "Med arbetsterapeuten om hjälpmedel.",
            "follow_up_how": "Samtal hemma i september.",
            "disclosure_other-0-text": "Dottern Karin Lind",
            "disclosure_other-1-text": "",
            "receives_health_care": "1",
            "sip_status": "needed",
            "declined": "1",
            "declined_purpose_explained": "1",
            "declined_reason": "Vill inte ha papper hemma.",
            "master_data_checked": "1",
        }
    )
    data.setlist("interventions-0-visits-0-weekdays", ["FR", "TU", "XX"])
    data.setlist("disclosure_roles", ["scheduler", "staff", "admin"])
    return data


def expected_content(version: PlanVersion) -> dict[str, Any]:
    part = version.content["interventions"][0]
    return {
        "interventions": [
            {
                "key": part["key"],
                "name": "Hemtjänst – dusch",
                "when": "Tisdagar kl. 9",
                "where": "Hemma, i badrummet",
                "how": "Astrid duschar själv.",
                "goals": [
                    {
                        "text": "Att känna mig fräsch",
                        "sub_goals": ["Tvätta håret själv", "Kliva in själv"],
                    },
                    {"text": "Att välja tid själv", "sub_goals": []},
                ],
                "activities": [
                    {
                        "description": "Dusch",
                        "responsible": "Bob",
                        "when": "Tisdag",
                        "goals": [
                            {
                                "text": "Att tvätta håret själv",
                                "sub_goals": ["Schampo", "Sköljning"],
                            }
                        ],
                    }
                ],
                "follow_up_how": "Bob frågar Astrid efter en månad.",
                "visits": [
                    {
                        "weekdays": ["TU", "FR"],
                        "time_of_day": "09:30",
                        "duration_minutes": 45,
                        "times_per_week": 2,
                    }
                ],
            }
        ],
        "decision_goals": "Att kunna bo kvar hemma.\nAtt känna sig trygg.",
        "other_information": "Hör dåligt på vänster öra.",
        "participation_how": "Astrid var med på mötet.",
        "wishes_weight": "Tiderna följer hennes önskemål.",
        "interests_how_found": "",
        "statements": [
            {"text": "Dottern vill bli uppringd.", "source": "relative"},
            {"text": "Jag vill duscha på förmiddagen.", "source": "person"},
            {"text": "God man sköter räkningarna.", "source": "legal_representative"},
            {"text": "Astrid blir trött efter duschen.", "source": "staff"},
        ],
        "participants": [
            {"name": "Astrid Lind", "role": "Den enskilde"},
            {"name": "Karin Lind", "role": "Dotter"},
        ],
        "cooperation": "Med arbetsterapeuten om hjälpmedel.",
        "follow_up_how": "Samtal hemma i september.",
        "disclosure": ["Personalen i arbetslaget", "Planeraren", "Dottern Karin Lind"],
        "receives_health_care": True,
        "sip_status": "needed",
        "declined": True,
        "declined_purpose_explained": True,
        "declined_reason": "Vill inte ha papper hemma.",
        "master_data_checked": True,
        "disclosure_roles": ["staff", "scheduler"],
    }


def test_saving_stores_every_field(draft: PlanVersion) -> None:
    client = client_for("bob")
    response = post_editor(client, draft, full_post(draft))

    assert response.status_code == 302
    assert response["Location"] == edit_url(draft)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Utkastet är sparat."]
    saved = fresh(draft)
    assert saved.content == expected_content(draft)
    assert saved.lock_version == 2
    assert saved.state == VersionState.DRAFT


def test_what_the_form_shows_is_what_it_saves(draft: PlanVersion) -> None:
    """Round trip: the rendered form, posted back unchanged, stores the same content."""
    client = client_for("bob")
    post_editor(client, draft, full_post(draft))
    stored = fresh(draft).content

    html = page(client.get(edit_url(draft)))
    data = form_data(html)
    assert data["lock_version"] == "2"
    assert data["interventions-0-goals-2-text"] == ""  # the blank row after two goals
    response = post_editor(client, draft, data)

    assert response.status_code == 302
    assert fresh(draft).content == stored
    assert fresh(draft).lock_version == 3


def test_interventions_cannot_be_added_or_renamed_from_the_form(draft: PlanVersion) -> None:
    key = draft.content["interventions"][0]["key"]
    data = base_post(
        draft,
        **{
            "interventions-0-name": "Något annat",
            "interventions-0-where": "Hemma",
            "interventions-1-key": "999",
            "interventions-1-name": "Ny insats",
            "interventions-1-how": "Smuggel",
        },
    )

    post_editor(client_for("bob"), draft, data)

    parts = fresh(draft).content["interventions"]
    assert [(p["key"], p["name"], p["where"]) for p in parts] == [
        (key, "Hemtjänst – dusch", "Hemma")
    ]


def test_an_intervention_missing_from_the_post_is_kept_as_stored(draft: PlanVersion) -> None:
    draft.content["interventions"][0]["how"] = "Som förut"
    draft.save()

    post_editor(client_for("bob"), draft, {"lock_version": 1, "decision_goals": "Nytt mål"})

    saved = fresh(draft).content
    assert saved["interventions"][0]["how"] == "Som förut"
    assert saved["decision_goals"] == "Nytt mål"


def test_content_from_post_has_exactly_the_keys_of_the_plan_content(draft: PlanVersion) -> None:
    content = content_from_post(QueryDict(), draft.content)

    assert set(content) == set(CONTENT_KEYS)
    assert "disclosure_roles" in content
    assert set(content["interventions"][0]) == {
        "key",
        "name",
        "when",
        "where",
        "how",
        "goals",
        "activities",
        "follow_up_how",
        "visits",
    }


def test_the_master_data_check_is_kept_when_it_is_not_shown(draft: PlanVersion) -> None:
    previous = {**draft.content, "master_data_checked": True}

    kept = content_from_post(QueryDict(), previous, master_data_check=False)
    shown = content_from_post(QueryDict(), previous, master_data_check=True)

    assert kept["master_data_checked"] is True
    assert shown["master_data_checked"] is False


SCHEDULE = "interventions-0-visits-0-"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (f"{SCHEDULE}duration_minutes", "fyrtio", "Längd i minuter måste vara ett heltal."),
        (f"{SCHEDULE}duration_minutes", "0", "Längd i minuter måste vara mellan 1 och 1440."),
        (f"{SCHEDULE}times_per_week", "2,5", "Gånger per vecka måste vara ett heltal."),
        (f"{SCHEDULE}times_per_week", "1_0", "Gånger per vecka måste vara ett heltal."),
        (f"{SCHEDULE}times_per_week", "-1", "Gånger per vecka måste vara mellan 1 och 100."),
        (f"{SCHEDULE}time_of_day", "25:00", "Skriv klockslaget som tt:mm, till exempel 09:30."),
        ("sip_status", "kanske", "Välj ett av svaren för ”Samordnad individuell plan (SIP)”."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(
    draft: PlanVersion, name: str, value: str, message: str
) -> None:
    data = base_post(draft, **{name: value, "interventions-0-where": "Hemma"})

    response = post_editor(client_for("bob"), draft, data)
    html = page(response)

    assert response.status_code == 400
    assert message in text(html)
    assert f'<p class="error" id="id_{name}' in html  # next to the input
    assert 'role="alert"' in html
    assert fresh(draft).lock_version == 1
    assert fresh(draft).content == draft.content
    with pytest.raises(ValidationError):
        content_from_post(query_dict(data), draft.content)


def test_too_long_text_is_refused_and_nothing_is_saved(draft: PlanVersion) -> None:
    data = base_post(draft, **{"interventions-0-how": "x" * 5000})
    client = client_for("bob")

    response = post_editor(client, draft, data)
    html = page(response)

    assert response.status_code == 400
    assert (
        "Hemtjänst – dusch: Texten i ”Hur ska insatsen göras?” är för lång. Den får vara högst "
        "4000 tecken, men är 5000 tecken." in text(html)
    )
    assert "x" * 5000 in html  # the input is still there, to shorten
    assert autosave(client, draft, data).status_code == 400
    assert fresh(draft).lock_version == 1
    assert fresh(draft).content == draft.content


def test_null_characters_are_removed_before_saving(draft: PlanVersion) -> None:
    """PostgreSQL cannot store U+0000 in JSON text; the form never sends one on purpose."""
    data = base_post(draft, **{"interventions-0-how": "Hej\x00då"})

    assert post_editor(client_for("bob"), draft, data).status_code == 302
    assert fresh(draft).content["interventions"][0]["how"] == "Hejdå"


def test_a_post_without_lock_version_is_refused(draft: PlanVersion) -> None:
    response = post_editor(client_for("bob"), draft, {"decision_goals": "x"})

    assert response.status_code == 400
    assert "Ladda om sidan och försök igen." in text(page(response))
    assert fresh(draft).lock_version == 1


def test_a_stale_lock_version_gives_409_with_the_message_and_changes_nothing(
    world: World, draft: PlanVersion
) -> None:
    # Alice saves first; Bob still has version 1 of the form.
    theirs = {**draft.content, "other_information": "Alices text"}
    plan_save_draft(version=draft, content=theirs, lock_version=1, by=world.alice)
    data = base_post(draft, other_information="Bobs text")
    data["lock_version"] = 1

    response = post_editor(client_for("bob"), draft, data)
    html = page(response)

    assert response.status_code == 409
    alert = re.search(
        r'<div class="error-summary ed-conflict" id="form-alert" role="alert".*?</div>', html, re.S
    )
    assert alert is not None
    assert html_lib.unescape(StaleDraft.message) in html_lib.unescape(alert.group(0))
    assert re.search(r'<textarea name="other_information"[^>]*>\s*Bobs text<', html)
    saved = fresh(draft)
    assert saved.content["other_information"] == "Alices text"
    assert saved.lock_version == 2


def test_the_same_content_saved_twice_with_one_lock_is_no_conflict(draft: PlanVersion) -> None:
    """Autosave and "Spara utkast" can cross in flight: nothing is lost, so no conflict."""
    client = client_for("bob")
    data = full_post(draft)

    assert autosave(client, draft, data).status_code == 200
    response = post_editor(client, draft, data)

    assert response.status_code == 302
    assert fresh(draft).lock_version == 2


def test_save_and_add_more_returns_to_the_list(draft: PlanVersion) -> None:
    client = client_for("bob")
    data = base_post(draft, action="more:insats-0-mal", **{"interventions-0-goals-0-text": "Mål"})

    response = post_editor(client, draft, data)
    assert response["Location"] == edit_url(draft) + "#insats-0-mal"
    html = page(client.get(edit_url(draft)))
    assert 'name="interventions-0-goals-1-text"' in html  # a new blank row

    data = base_post(fresh(draft), action="more:<script>")
    assert post_editor(client, draft, data)["Location"] == edit_url(draft)


# --------------------------------------------------------------------------- autosave


def test_autosave_saves_and_answers_with_the_panel(draft: PlanVersion) -> None:
    client = client_for("bob")

    response = autosave(client, draft, base_post(draft, **{"interventions-0-when": "Tisdagar"}))
    body = page(response)
    saved = fresh(draft)

    assert response.status_code == 200
    assert saved.content["interventions"][0]["when"] == "Tisdagar"
    assert saved.lock_version == 2
    assert (
        '<input type="hidden" name="lock_version" id="lock-version" value="2" hx-swap-oob="true">'
        in body
    )
    at = timezone.localtime(saved.updated_at).strftime("%H:%M")
    assert re.search(
        rf'<p id="save-status" role="status" aria-live="polite"[^>]*>Sparat kl\. {at}</p>', body
    )
    assert "<html" not in body  # a partial, not a page


def test_a_missing_item_disappears_from_the_panel_once_filled(draft: PlanVersion) -> None:
    client = client_for("bob")
    missing = "Beskriv var insatsen ”Hemtjänst – dusch” ska utföras."

    first = panel_of(autosave(client, draft, base_post(draft)))
    assert f'<a href="#id_interventions-0-where">{missing}</a>' in first
    assert "R-PLAN-1" in first
    assert "SOSFS 2014:5 6 kap. 2 § (allmänt råd)" in first

    second = panel_of(
        autosave(client, draft, base_post(fresh(draft), **{"interventions-0-where": "Hemma"}))
    )
    assert missing not in second


def test_the_panel_names_health_care_words_until_they_are_gone(draft: PlanVersion) -> None:
    client = client_for("bob")
    how = "Personalen ger insulin före frukost."

    first = panel_of(autosave(client, draft, base_post(draft, **{"interventions-0-how": how})))
    assert (
        "Det här ser ut som hälso- och sjukvård: <strong>insulin</strong> (Injektion/insulin) i "
        '<a href="#id_interventions-0-how">”Hur ska insatsen göras?” för Hemtjänst – dusch</a>. '
        "”insulin” ser ut som en injektion" in first
    )

    fixed = "Personalen hjälper Astrid att duscha."
    second = panel_of(
        autosave(client, draft, base_post(fresh(draft), **{"interventions-0-how": fixed}))
    )
    assert "insulin" not in second
    assert "hälso- och sjukvård:" not in second


def test_the_panel_says_when_nothing_mandatory_is_missing(draft: PlanVersion) -> None:
    client = client_for("bob")
    draft.content = complete(draft)
    draft.save()
    data = form_data(page(client.get(edit_url(draft))))

    body = page(autosave(client, draft, data))

    assert "Allt som krävs är ifyllt." in body
    assert '<ul class="ed-findings" aria-labelledby="saknas-rubrik">' not in body


def test_an_autosave_conflict_reaches_the_user(world: World, draft: PlanVersion) -> None:
    client = client_for("bob")
    editor = page(client.get(edit_url(draft)))
    plan_save_draft(version=draft, content=draft.content, lock_version=1, by=world.alice)

    data = base_post(draft, other_information="Bobs text")
    data["lock_version"] = 1  # what Bob's page still has
    response = autosave(client, draft, data)
    body = page(response)

    assert response.status_code == 409
    alert = re.search(
        r'<div id="save-alert" role="alert".*?hx-swap-oob="innerHTML">(.*?)</div>'
        r'\s*<div id="check-panel"',
        body,
        re.S,
    )
    assert alert is not None
    assert html_lib.unescape(StaleDraft.message) in html_lib.unescape(alert.group(1))
    assert "Inte sparat." in body
    assert 'id="lock-version"' not in body  # the lock is not moved on: nothing was saved
    assert fresh(draft).content.get("other_information", "") == ""
    # htmx 2 swaps 4xx answers only when told to: the aside does that for 400, 401 and 409.
    aside = re.search(r"<aside[^>]*>", editor)
    assert aside is not None
    assert "hx-on::before-swap=" in aside.group(0)
    assert "[400, 401, 409].includes(event.detail.xhr.status)" in aside.group(0)
    assert "event.detail.shouldSwap = true" in aside.group(0)
    assert '<div id="save-alert" class="ed-save-alert" role="alert">' in editor


def test_autosave_lists_errors_and_saves_nothing(draft: PlanVersion) -> None:
    data = base_post(draft, **{"interventions-0-visits-0-duration_minutes": "lång"})

    response = autosave(client_for("bob"), draft, data)
    body = page(response)

    assert response.status_code == 400
    assert "Hemtjänst – dusch, besök 1: Längd i minuter måste vara ett heltal." in body
    assert 'href="#id_interventions-0-visits-0-duration_minutes"' in body
    assert fresh(draft).lock_version == 1


# --------------------------------------------------------------------------- sending for signing


def test_sending_an_incomplete_plan_is_refused_with_the_missing_items(draft: PlanVersion) -> None:
    data = base_post(draft, action="send", **{"interventions-0-where": "Hemma"})

    response = post_editor(client_for("bob"), draft, data)
    html = page(response)
    alert = re.search(
        r'<div class="error-summary" id="form-alert" role="alert".*?</div>', html, re.S
    )

    assert response.status_code == 400
    assert alert is not None
    assert "Planen kan inte skickas för signering än" in alert.group(0)
    how = "Beskriv hur insatsen ”Hemtjänst – dusch” ska utföras."
    assert f'<a href="#id_interventions-0-how">{how}</a>' in alert.group(0)
    saved = fresh(draft)
    assert saved.state == VersionState.DRAFT
    assert saved.content["interventions"][0]["where"] == "Hemma"  # the draft itself is saved
    assert 'name="lock_version" id="lock-version" value="2"' in html


def test_sending_a_complete_plan_makes_it_ready_for_signing(draft: PlanVersion) -> None:
    client = client_for("bob")
    draft.content = complete(draft)
    draft.save()
    data = form_data(page(client.get(edit_url(draft))))
    data["action"] = "send"

    response = post_editor(client, draft, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("plan_signing", kwargs={"plan_uuid": draft.plan.uuid})
    assert "Planen är klar för signering." in [str(m) for m in get_messages(response.wsgi_request)]
    saved = fresh(draft)
    assert saved.state == VersionState.READY_FOR_SIGNING
    assert saved.content_sha256
    assert saved.content["interventions"][0]["visits"][0]["weekdays"] == ["TU"]
    assert "schedule" not in saved.content["interventions"][0]  # the old form: one visit


def test_a_version_that_is_not_a_draft_is_not_edited(
    world: World, frozen_today: date, draft: PlanVersion
) -> None:
    ready(world, draft, frozen_today)
    client = client_for("bob")
    detail = reverse("plan_detail", kwargs={"plan_uuid": draft.plan.uuid})

    response = client.get(edit_url(draft))
    assert response.status_code == 302
    assert response["Location"] == detail
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Planen är skickad för signering och kan inte ändras – skapa en ny version."
    ]
    assert post_editor(client, draft, base_post(draft))["Location"] == detail
    htmx_response = autosave(client, draft, base_post(draft))
    assert htmx_response["HX-Redirect"] == detail
    assert fresh(draft).state == VersionState.READY_FOR_SIGNING


# --------------------------------------------------------------------------- queries


def _queries(client: Client, url: str) -> Iterator[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return (q["sql"] for q in queries.captured_queries)


def test_the_editor_needs_as_many_queries_for_five_interventions_as_for_one(
    world: World, frozen_today: date, draft: PlanVersion
) -> None:
    types = (
        "hemtjanst-dusch",
        "hemtjanst-inkop",
        "hemtjanst-promenad",
        "hemtjanst-stadning",
        "hemtjanst-personlig-omvardnad",
    )
    case = world.add_person(
        world.home_care, start=date(2026, 2, 20), contact=world.bob, types=types, birth=(1950, 1, 2)
    )
    five = plan_start(case=case, by=world.bob, on=frozen_today)
    assert len(five.content["interventions"]) == 5
    client = client_for("bob")
    client.get(edit_url(draft))  # warm up the session

    one_queries = list(_queries(client, edit_url(draft)))
    five_queries = list(_queries(client, edit_url(five)))

    assert len(one_queries) == len(five_queries), (one_queries, five_queries)


def test_parse_post_points_findings_at_the_posted_inputs(draft: PlanVersion) -> None:
    """A goal after a blank row is goals[0] in the content but row 1 in the form."""
    data = QueryDict(mutable=True)
    data.update(
        {
            "interventions-0-key": draft.content["interventions"][0]["key"],
            "interventions-0-goals-0-text": "",
            "interventions-0-goals-1-text": "Mål",
        }
    )
    key = draft.content["interventions"][0]["key"]

    parsed = parse_post(data, draft.content)

    assert parsed.content["interventions"][0]["goals"] == [{"text": "Mål", "sub_goals": []}]
    anchor = parsed.anchors[f"interventions[{key}].goals[0].text"]
    assert anchor == "id_interventions-0-goals-1-text"


def test_an_expired_session_during_autosave_says_so_and_saves_nothing(draft: PlanVersion) -> None:
    response = Client().post(
        autosave_url(draft),
        base_post(draft, **{"interventions-0-where": "Hemma"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 401
    assert "Du är utloggad" in response.content.decode()
    assert fresh(draft).lock_version == 1
