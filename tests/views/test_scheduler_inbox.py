"""The scheduler's inbox and downloads (R-LIFE-7): allowed for the unit's scheduler only.

Cast: Sam schedules for Hemtjänst Väst; Tess schedules for another home-care
unit; Bob works at Hemtjänst Väst without the scheduler role; Alice is its
unit manager; Charlie works elsewhere; and an anonymous visitor.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from delaktig.organisation.models import Field, Membership, Role, Unit
from delaktig.oversight.models import SchedulerNotice
from delaktig.plans.models import PlanVersion
from delaktig.plans.services import plan_send_for_signing, plan_start
from delaktig.records.models import AccessAction, AccessLog, AuditEvent
from tests.fixtures import client_for
from tests.services.plan_helpers import establish_on, fill, sign_everything
from tests.views.helpers import assert_page_structure, page, text
from tests.world import World, make_user

TODAY = date(2026, 3, 2)  # a Monday; summer time starts on 29 March 2026
STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
MORNING = {"weekdays": WEEKDAYS, "time_of_day": "08:00", "duration_minutes": 30}
EVENING = {
    "weekdays": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    "time_of_day": "20:00",
    "duration_minutes": 15,
}


def establish(
    world: World,
    *,
    visits: list[dict[str, Any]],
    disclosure_roles: list[str] | None = None,
    serial: int = 982,
) -> PlanVersion:
    case = world.add_person(
        world.home_care, start=date(2026, 2, 20), contact=world.bob, serial=serial
    )
    case.person.address = "Storgatan 1, 123 45 Väst"
    case.person.save(update_fields=["address"])
    version = fill(plan_start(case=case, by=world.bob, on=TODAY))
    part = version.content["interventions"][0]
    part.pop("schedule", None)
    part["visits"] = [{**v, "times_per_week": None} for v in visits]
    part["when"] = "Vardagar kl. 8 och varje kväll kl. 20."
    part["where"] = "Hemma. Nyckel i nyckelskåpet vid dörren."
    if disclosure_roles is not None:
        version.content["disclosure_roles"] = disclosure_roles
    version.save()
    version = plan_send_for_signing(version=version, by=world.bob, on=TODAY)
    sign_everything(world, version, TODAY, "home_care")
    return establish_on(version=version, on=TODAY, by=world.bob)


@pytest.fixture
def other_unit(world: World) -> Unit:
    unit = Unit.objects.create(
        administration=world.administration,
        name="Hemtjänst Öst",
        field=Field.HOME_CARE,
        routine_profile=world.profiles["S1"],
    )
    Membership.objects.create(user=world.alice, role=Role.UNIT_MANAGER, unit=unit)
    tess = make_user("tess", "Tess", "Planerare")
    Membership.objects.create(user=tess, role=Role.SCHEDULER, unit=unit)
    return unit


@pytest.fixture
def notice(world: World, frozen_today: date, other_unit: Unit) -> SchedulerNotice:
    sam = make_user("sam", "Sam", "Planerare")
    Membership.objects.create(user=sam, role=Role.SCHEDULER, unit=world.home_care)
    version = establish(world, visits=[MORNING, EVENING])
    return SchedulerNotice.objects.get(plan_version=version)


def _other_notice(world: World, unit: Unit, **values: Any) -> SchedulerNotice:
    """A notice of another unit (its plan a draft: the inbox reads only the notice)."""
    case = world.add_person(unit, start=date(2026, 2, 20), serial=990, first_name="Olle")
    version = plan_start(case=case, by=world.alice, on=TODAY)
    items = [{"intervention": "Hemtjänst – städ", "when": "", "where": "", "visits": []}]
    return SchedulerNotice.objects.create(
        municipality=world.municipality,
        unit=unit,
        case=case,
        plan_version=version,
        items=items,
        **values,
    )


# --------------------------------------------------------------------------- the inbox


def test_the_scheduler_sees_name_address_and_every_visit(
    world: World, notice: SchedulerNotice
) -> None:
    html = page(client_for("sam").get(reverse("scheduler_inbox")))
    assert_page_structure(html)
    words = text(html)
    assert "Astrid Lind" in words
    assert "Storgatan 1, 123 45 Väst" in words
    assert "Nyckel i nyckelskåpet vid dörren." in words
    assert "måndag, tisdag, onsdag, torsdag och fredag, kl. 08:00, 30 minuter" in words
    assert "kl. 20:00, 15 minuter" in words
    person_page = reverse("person_detail", args=[notice.case.person.uuid])
    assert person_page not in html  # what scheduling needs, not the person's page


def test_the_plan_is_linked_only_if_the_scheduler_may_read_it(
    world: World, notice: SchedulerNotice
) -> None:
    """The disclosure list decides (R-PLAN-9): by default it names the staff only."""
    plan_url = reverse("plan_detail", args=[notice.plan_version.plan.uuid])
    sam = client_for("sam")
    assert plan_url not in page(sam.get(reverse("scheduler_inbox")))
    assert sam.get(plan_url).status_code == 404

    shared = establish(world, visits=[MORNING], disclosure_roles=["staff", "scheduler"], serial=974)
    shared_url = reverse("plan_detail", args=[shared.plan.uuid])
    html = page(sam.get(reverse("scheduler_inbox")))
    assert shared_url in html and plan_url not in html
    assert sam.get(shared_url).status_code == 200


def test_the_inbox_takes_the_same_number_of_queries_for_more_notices(
    world: World, notice: SchedulerNotice
) -> None:
    sam = client_for("sam")
    with CaptureQueriesContext(connection) as one:
        sam.get(reverse("scheduler_inbox"))
    establish(world, visits=[MORNING], disclosure_roles=["scheduler"], serial=974)
    establish(world, visits=[EVENING], serial=966)
    with CaptureQueriesContext(connection) as three:
        html = page(sam.get(reverse("scheduler_inbox")))
    assert html.count('class="panel"') == 3
    assert len(three) == len(one)


def test_the_inbox_is_oldest_first_and_filtered(
    world: World, notice: SchedulerNotice, other_unit: Unit
) -> None:
    Membership.objects.create(
        user=Membership.objects.get(role=Role.SCHEDULER, unit=world.home_care).user,
        role=Role.SCHEDULER,
        unit=other_unit,
    )
    older = _other_notice(world, other_unit)
    SchedulerNotice.objects.filter(pk=older.pk).update(
        created_at=notice.created_at - timedelta(days=3)
    )
    sam = client_for("sam")

    html = page(sam.get(reverse("scheduler_inbox")))
    assert html.index("Olle Lind") < html.index("Astrid Lind")

    only_other = page(sam.get(reverse("scheduler_inbox"), {"enhet": other_unit.pk}))
    assert "Olle Lind" in only_other and "Astrid Lind" not in only_other

    sam.post(reverse("scheduler_handled", args=[notice.pk]))
    unhandled = page(sam.get(reverse("scheduler_inbox")))
    assert "Astrid Lind" not in unhandled and "Olle Lind" in unhandled
    handled = page(sam.get(reverse("scheduler_inbox"), {"status": "hanterade"}))
    assert "Astrid Lind" in handled and "Olle Lind" not in handled
    everything = page(sam.get(reverse("scheduler_inbox"), {"status": "alla"}))
    assert "Astrid Lind" in everything and "Olle Lind" in everything


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"enhet": "abc"}, "Välj en av de enheter du är planerare för."),
        ({"enhet": "999999"}, "Välj en av de enheter du är planerare för."),
        ({"status": "kanske"}, "Välj ej hanterade, hanterade eller alla."),
    ],
)
def test_bad_filter_values_get_a_swedish_message(
    world: World, notice: SchedulerNotice, query: dict[str, str], message: str
) -> None:
    sam = client_for("sam")
    response = sam.get(reverse("scheduler_inbox"), query)
    assert response.status_code == 400
    html = page(response)
    assert message in text(html) and 'role="alert"' in html
    assert "Astrid Lind" not in html
    csv_response = sam.get(reverse("scheduler_csv"), query)
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_a_unit_the_scheduler_does_not_schedule_for_cannot_be_chosen(
    world: World, notice: SchedulerNotice, other_unit: Unit
) -> None:
    _other_notice(world, other_unit)
    response = client_for("sam").get(reverse("scheduler_inbox"), {"enhet": other_unit.pk})
    assert response.status_code == 400
    assert "Olle Lind" not in page(response)


# --------------------------------------------------------------------------- who may


@pytest.mark.parametrize("who", ["bob", "alice", "charlie"])
def test_others_get_404(world: World, notice: SchedulerNotice, who: str) -> None:
    """Bob works at the unit but is not its scheduler; Alice manages it; Charlie is elsewhere."""
    client = client_for(who)
    assert client.get(reverse("scheduler_inbox")).status_code == 404
    assert client.get(reverse("scheduler_csv")).status_code == 404
    assert client.get(reverse("scheduler_ical", args=[notice.pk])).status_code == 404
    assert client.post(reverse("scheduler_handled", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.handled_at is None


def test_the_scheduler_of_another_unit_sees_nothing_of_this_one(
    world: World, notice: SchedulerNotice
) -> None:
    tess = client_for("tess")
    html = page(tess.get(reverse("scheduler_inbox"), {"status": "alla"}))
    assert "Astrid Lind" not in html
    assert "Astrid Lind" not in tess.get(reverse("scheduler_csv")).content.decode("utf-8-sig")
    assert tess.get(reverse("scheduler_ical", args=[notice.pk])).status_code == 404
    assert tess.post(reverse("scheduler_handled", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.handled_at is None


def test_anonymous_visitors_are_sent_to_log_in(world: World, notice: SchedulerNotice) -> None:
    client = Client()
    for response in (
        client.get(reverse("scheduler_inbox")),
        client.get(reverse("scheduler_csv")),
        client.get(reverse("scheduler_ical", args=[notice.pk])),
        client.post(reverse("scheduler_handled", args=[notice.pk])),
    ):
        assert response.status_code == 302
        assert "/login" in response["Location"] or "logga-in" in response["Location"]
    notice.refresh_from_db()
    assert notice.handled_at is None


# --------------------------------------------------------------------------- the calendar


def test_the_calendar_has_a_weekly_event_per_visit_in_stockholm_time(
    world: World, notice: SchedulerNotice
) -> None:
    response = client_for("sam").get(reverse("scheduler_ical", args=[notice.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content.decode()
    assert "DTSTART;TZID=Europe/Stockholm:20260302T080000" in raw
    assert "DTSTART;TZID=Europe/Stockholm:20260302T200000" in raw
    calendar = Calendar.from_ical(response.content)
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Stockholm"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    morning, evening = calendar.walk("VEVENT")
    assert morning["rrule"]["FREQ"] == ["WEEKLY"]
    assert morning["rrule"]["BYDAY"] == WEEKDAYS
    assert evening["rrule"]["BYDAY"] == EVENING["weekdays"]
    assert morning.decoded("duration") == timedelta(minutes=30)
    assert evening.decoded("duration") == timedelta(minutes=15)
    assert "Hemtjänst – dusch, besök 1" in str(morning["summary"])
    assert b"Astrid" not in response.content and b"Lind" not in response.content


def test_the_visits_stay_at_their_local_time_across_summer_time(
    world: World, notice: SchedulerNotice
) -> None:
    response = client_for("sam").get(reverse("scheduler_ical", args=[notice.pk]))
    morning = Calendar.from_ical(response.content).walk("VEVENT")[0]
    start = morning.decoded("dtstart")
    rule = rrulestr(morning["rrule"].to_ical().decode(), dtstart=start)
    days = rule.between(
        datetime(2026, 3, 26, tzinfo=STOCKHOLM), datetime(2026, 4, 1, tzinfo=STOCKHOLM)
    )
    assert [d.date() for d in days] == [
        date(2026, 3, 26),
        date(2026, 3, 27),
        date(2026, 3, 30),
        date(2026, 3, 31),
    ]
    assert all((d.hour, d.minute) == (8, 0) for d in days)
    assert [d.utcoffset() for d in days] == [timedelta(hours=h) for h in (1, 1, 2, 2)]


def test_a_visit_without_days_or_time_is_left_out_of_the_calendar(
    world: World, notice: SchedulerNotice
) -> None:
    notice.items = [
        {
            "intervention": "Hemtjänst – tvätt",
            "when": "",
            "visits": [
                {"weekdays": [], "time_of_day": "10:00", "duration_minutes": 60},
                {"weekdays": ["TH"], "time_of_day": "", "duration_minutes": 60},
                {"weekdays": ["TH"], "time_of_day": "13:15", "duration_minutes": None},
            ],
        }
    ]
    notice.save()
    response = client_for("sam").get(reverse("scheduler_ical", args=[notice.pk]))
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    start = event.decoded("dtstart")
    assert (start.date(), start.hour, start.minute) == (date(2026, 3, 5), 13, 15)  # Thursday
    assert event.decoded("duration") == timedelta(minutes=30)  # no length given


def test_a_notice_written_before_visits_still_reads(world: World, notice: SchedulerNotice) -> None:
    notice.items = [
        {
            "intervention": "Hemtjänst – dusch",
            "when": "Tisdagar kl. 9",
            "weekdays": ["TU"],
            "time_of_day": "09:00",
            "duration_minutes": 45,
            "times_per_week": 1,
        }
    ]
    notice.save()
    sam = client_for("sam")
    assert "tisdag, kl. 09:00, 45 minuter, 1 gång i veckan" in text(
        page(sam.get(reverse("scheduler_inbox")))
    )
    [event] = Calendar.from_ical(sam.get(reverse("scheduler_ical", args=[notice.pk])).content).walk(
        "VEVENT"
    )
    assert event.decoded("dtstart").date() == date(2026, 3, 3)  # the first Tuesday
    rows = list(
        csv.reader(
            io.StringIO(sam.get(reverse("scheduler_csv")).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[1][5:11] == ["1", "tisdag", "09:00", "45", "1", "0,75"]


# --------------------------------------------------------------------------- the CSV


def _csv_rows(client: Client, **query: Any) -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("scheduler_csv"), query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    return body, rows


def test_the_csv_opens_in_swedish_excel(world: World, notice: SchedulerNotice) -> None:
    body, rows = _csv_rows(client_for("sam"))
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert b"\r\n" in body
    header, morning, evening = rows
    assert header[:6] == ["Ärende", "Person", "Adress", "Enhet", "Insats", "Besök"]
    assert header[6:11] == [
        "Veckodagar",
        "Klockslag",
        "Längd i minuter",
        "Gånger per vecka",
        "Timmar per vecka",
    ]
    assert morning[1:6] == [
        "Astrid Lind",
        "Storgatan 1, 123 45 Väst",
        "Hemtjänst Väst",
        "Hemtjänst – dusch",
        "1",
    ]
    assert morning[6:11] == ["måndag, tisdag, onsdag, torsdag, fredag", "08:00", "30", "", "2,5"]
    assert evening[5:11] == [
        "2",
        "måndag, tisdag, onsdag, torsdag, fredag, lördag, söndag",
        "20:00",
        "15",
        "",
        "1,75",
    ]
    assert morning[-2:] == [str(notice.plan_version.number), "2026-03-02"]
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 1


def test_the_csv_cannot_carry_a_formula(world: World, notice: SchedulerNotice) -> None:
    person = notice.case.person
    person.address = '=HYPERLINK("http://example.invalid";"Klicka")'
    person.save(update_fields=["address"])
    notice.items[0]["when"] = "+46 8 123 45"
    notice.items[0]["where"] = "@SUM(A1)"
    notice.save()
    _, rows = _csv_rows(client_for("sam"))
    assert rows[1][2].startswith("'=HYPERLINK")
    assert rows[1][-4] == "'@SUM(A1)"
    assert rows[1][-3] == "'+46 8 123 45"


def test_the_csv_follows_the_filter(
    world: World, notice: SchedulerNotice, other_unit: Unit
) -> None:
    sam = client_for("sam")
    sam.post(reverse("scheduler_handled", args=[notice.pk]))
    assert len(_csv_rows(sam)[1]) == 1  # only the header: nothing unhandled
    assert len(_csv_rows(sam, status="hanterade")[1]) == 3


# --------------------------------------------------------------------------- handled, logged


def test_marking_handled(world: World, notice: SchedulerNotice) -> None:
    response = client_for("sam").post(reverse("scheduler_handled", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.handled_at is not None and notice.handled_by.username == "sam"


def test_marking_handled_is_audited_once(world: World, notice: SchedulerNotice) -> None:
    """Every change is audited (issue 8); marking again changes nothing."""
    sam = client_for("sam")
    sam.post(reverse("scheduler_handled", args=[notice.pk]))
    sam.post(reverse("scheduler_handled", args=[notice.pk]))
    [event] = AuditEvent.objects.filter(action="scheduler_notice.handled")
    assert event.actor.username == "sam"
    assert event.data == {"case": notice.case_id, "plan_version": notice.plan_version_id}


def test_the_inbox_and_each_download_are_access_logged(
    world: World, notice: SchedulerNotice
) -> None:
    """R-LIFE-8: the inbox names the person; the calendar and CSV export the plan (issue 8)."""
    sam = client_for("sam")
    sam.get(reverse("scheduler_inbox"))
    sam.get(reverse("scheduler_ical", args=[notice.pk]))
    sam.get(reverse("scheduler_csv"))
    rows = list(
        AccessLog.objects.order_by("pk").values_list(
            "user__username", "person", "case", "unit", "action", "object_id"
        )
    )
    case = notice.case
    shown = ("sam", case.person_id, case.pk, case.unit_id)
    version = str(notice.plan_version_id)
    assert rows == [
        (*shown, AccessAction.VIEW_LIST.value, version),
        (*shown, AccessAction.EXPORT.value, version),
        (*shown, AccessAction.EXPORT.value, version),
    ]
