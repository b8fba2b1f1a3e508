"""The scheduler's inbox and downloads (R-LIFE-7): allowed for the unit's scheduler only."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from delaktig.organisation.models import Membership, Role
from delaktig.oversight.models import SchedulerNotice
from delaktig.plans.services import plan_start
from delaktig.records.models import AccessAction, AccessLog, AuditEvent
from tests.fixtures import client_for
from tests.services.plan_helpers import establish_on, ready, sign_everything
from tests.views.helpers import assert_page_structure, page
from tests.world import World, make_user

TODAY = date(2026, 3, 2)


@pytest.fixture
def notice(world: World, frozen_today: date) -> SchedulerNotice:
    sam = make_user("sam", "Sam", "Planerare")
    Membership.objects.create(user=sam, role=Role.SCHEDULER, unit=world.home_care)
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    version = ready(world, plan_start(case=case, by=world.bob, on=TODAY), TODAY)
    sign_everything(world, version, TODAY, "home_care")
    establish_on(version=version, on=TODAY, by=world.bob)
    return SchedulerNotice.objects.get()


def test_the_scheduler_sees_what_to_schedule(world: World, notice: SchedulerNotice) -> None:
    html = page(client_for("sam").get(reverse("scheduler_inbox")))
    assert_page_structure(html)
    assert "Astrid Lind" in html
    assert "tisdag, kl. 09:00, 45 minuter, 1 gång i veckan" in html


@pytest.mark.parametrize("who", ["bob", "alice", "charlie"])
def test_others_get_404(world: World, notice: SchedulerNotice, who: str) -> None:
    client = client_for(who)
    assert client.get(reverse("scheduler_inbox")).status_code == 404
    assert client.get(reverse("scheduler_csv")).status_code == 404
    assert client.get(reverse("scheduler_ical", args=[notice.pk])).status_code == 404
    assert client.post(reverse("scheduler_handled", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.handled_at is None


def test_the_calendar_file_repeats_weekly_and_names_nobody(
    world: World, notice: SchedulerNotice
) -> None:
    response = client_for("sam").get(reverse("scheduler_ical", args=[notice.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event["rrule"]["BYDAY"] == ["TU"] and event["rrule"]["FREQ"] == ["WEEKLY"]
    start = event.decoded("dtstart")
    assert (start.date(), start.hour, start.minute) == (date(2026, 3, 3), 9, 0)  # first Tuesday
    assert event.decoded("duration").total_seconds() == 45 * 60
    assert b"Astrid" not in response.content and b"Lind" not in response.content


def test_the_csv_export_is_logged(world: World, notice: SchedulerNotice) -> None:
    response = client_for("sam").get(reverse("scheduler_csv"))
    body = response.content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Ärende;Person;Enhet;Insats")
    assert "Astrid Lind;Hemtjänst Väst;Hemtjänst – dusch;TU;09:00;45;1" in lines[1]
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 1


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
