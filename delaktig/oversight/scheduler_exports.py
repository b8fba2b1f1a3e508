"""The scheduler's downloads: a CSV for Swedish Excel and an iCalendar file (R-LIFE-7).

* CSV: ``;`` between columns, decimal comma, Swedish weekday names, UTF-8 with
  a BOM, one row per visit. A text cell that a spreadsheet would read as a
  formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) gets a
  leading apostrophe (OWASP "CSV injection").
* iCalendar: one recurring event per visit (``RRULE:FREQ=WEEKLY;BYDAY=…``),
  its ``DTSTART`` in local time with ``TZID=Europe/Stockholm`` and the
  ``VTIMEZONE`` that defines it, so Outlook and Google Calendar keep 08:00 at
  08:00 across the change to and from summer time. A visit without weekdays
  or a time of day cannot be put in a calendar and is left out (the inbox
  shows it). Calendars leave the system: no names, only the case number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from delaktig import labels
from delaktig.plans.content import part_visits
from delaktig.rules import WEEKDAY_CODES

from .models import SchedulerNotice

STOCKHOLM = ZoneInfo("Europe/Stockholm")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that cannot start a formula in Excel, LibreOffice or Google Sheets."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def decimal_comma(value: float) -> str:
    """``1.5`` → ``"1,5"``: what Swedish Excel reads as a number."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def weekday_names(codes: Iterable[str]) -> str:
    return ", ".join(str(labels.WEEKDAYS[d]) for d in WEEKDAY_CODES if d in set(codes))


def hours_per_week(visit: dict[str, Any]) -> str:
    times = len(visit["weekdays"]) or visit["times_per_week"] or 0
    if not (visit["duration_minutes"] and times):
        return ""
    return decimal_comma(visit["duration_minutes"] * times / 60)


CSV_HEADER = (
    "Ärende",
    "Person",
    "Adress",
    "Enhet",
    "Insats",
    "Besök",
    str(labels.SCHEDULE["weekdays"].heading),
    str(labels.SCHEDULE["time_of_day"].heading),
    str(labels.SCHEDULE["duration_minutes"].heading),
    str(labels.SCHEDULE["times_per_week"].heading),
    "Timmar per vecka",
    "Var (plan)",
    "När (plan)",
    "Planversion",
    "Fastställd",
)


def notices_csv(notices: Sequence[SchedulerNotice]) -> str:
    """Every visit of every notice as one row; an intervention without visits as one row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for notice in notices:
        person, version = notice.case.person, notice.plan_version
        for item in notice.items:
            visits: list[dict[str, Any] | None] = list(part_visits(item)) or [None]
            for number, visit in enumerate(visits, start=1):
                visit_cells = (
                    [
                        number,
                        weekday_names(visit["weekdays"]),
                        visit["time_of_day"],
                        visit["duration_minutes"] or "",
                        visit["times_per_week"] or "",
                        hours_per_week(visit),
                    ]
                    if visit
                    else ["", "", "", "", "", ""]
                )
                row = [
                    notice.case_id,
                    person.name,
                    person.address,
                    notice.unit.name,
                    item.get("intervention", ""),
                    *visit_cells,
                    item.get("where", ""),
                    item.get("when", ""),
                    version.number,
                    version.established_on.isoformat() if version.established_on else "",
                ]
                writer.writerow([safe_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def first_occurrence(start: date, weekdays: Sequence[str]) -> date:
    """The first of ``weekdays`` on or after ``start`` (a DTSTART its RRULE includes)."""
    wanted = {WEEKDAY_CODES.index(d) for d in weekdays}
    days = (start + timedelta(days=n) for n in range(7))
    return next(day for day in days if day.weekday() in wanted)


def _clock(value: str) -> time | None:
    try:
        hour, minute = (int(part) for part in value.split(":")[:2])
        return time(hour, minute)
    except ValueError:
        return None


def notice_calendar(notice: SchedulerNotice, *, start: date, now: datetime) -> bytes:
    """One weekly recurring event per visit, from the first visit day on or after ``start``."""
    calendar = Calendar()
    calendar.add("prodid", "-//Delaktig//Genomförandeplan//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Schema ärende {notice.case_id}")
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for index, item in enumerate(notice.items):
        for number, visit in enumerate(part_visits(item), start=1):
            clock = _clock(visit["time_of_day"])
            if clock is None or not visit["weekdays"]:
                continue
            first = first_occurrence(start, visit["weekdays"])
            event = Event()
            event.add("uid", f"delaktig-{notice.pk}-{index}-{number}@delaktig")
            name = item.get("intervention", "Insats")
            event.add("summary", f"{name}, besök {number} (ärende {notice.case_id})")
            event.add("dtstart", datetime.combine(first, clock, tzinfo=STOCKHOLM))
            event.add("duration", timedelta(minutes=visit["duration_minutes"] or 30))
            event.add("rrule", {"freq": "weekly", "byday": list(visit["weekdays"])})
            event.add("dtstamp", now)
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
