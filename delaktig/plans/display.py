"""Plain-text views of a plan's content: labels, lines for diffs, statements by source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from delaktig import labels
from delaktig.labels import Label

from .content import part_visits

# The words come from delaktig.labels (one wording per concept); these names stay for importers.
SOURCE_LABELS = {key: source.name for key, source in labels.SOURCES.items()}
SIP_LABELS = labels.SIP
WEEKDAY_LABELS = labels.WEEKDAYS
# The top-level fields in reading order, with their read-only headings.
TOP_FIELDS = [
    (key, labels.FIELDS[key].heading)
    for key in (
        "decision_goals",
        "participation_how",
        "wishes_weight",
        "interests_how_found",
        "other_information",
        "cooperation",
        "follow_up_how",
    )
]


def statements_by_source(content: dict[str, Any]) -> list[tuple[Label, list[str]]]:
    """Statements kept apart by who said them (R-PLAN-4), in a fixed order."""
    grouped: dict[str, list[str]] = {key: [] for key in SOURCE_LABELS}
    for item in content.get("statements", []):
        grouped.setdefault(str(item.get("source")), []).append(str(item.get("text", "")))
    return [(SOURCE_LABELS.get(k, k), v) for k, v in grouped.items() if v]


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def schedule_text(schedule: Any) -> str:
    """``{"weekdays": ["TU"], "time_of_day": "09:00", …}`` → "tisdag, kl. 09:00, 45 minuter".

    The one wording of a schedule: pages, the PDF and the scheduler's inbox use it.
    """
    if not isinstance(schedule, dict):
        return ""
    order = list(WEEKDAY_LABELS)
    codes = sorted(
        (str(d) for d in schedule.get("weekdays") or ()),
        key=lambda d: order.index(d) if d in order else len(order),
    )
    days = [str(WEEKDAY_LABELS.get(d, d)) for d in codes]
    parts = []
    if days:
        parts.append(", ".join(days[:-1]) + (" och " if len(days) > 1 else "") + days[-1])
    if str(schedule.get("time_of_day") or "").strip():
        parts.append(f"kl. {str(schedule['time_of_day']).strip()}")
    if minutes := _positive_int(schedule.get("duration_minutes")):
        parts.append(f"{minutes} minuter")
    if times := _positive_int(schedule.get("times_per_week")):
        parts.append(f"{times} {'gång' if times == 1 else 'gånger'} i veckan")
    return ", ".join(parts)


def visits_text(part: Any) -> str:
    """Every visit of an intervention part (or notice item), one wording each, "; " between."""
    if not isinstance(part, dict):
        return ""
    return "; ".join(text for visit in part_visits(part) if (text := schedule_text(visit)))


def content_lines(content: dict[str, Any]) -> Iterator[str]:
    """Every piece of the content as 'Rubrik: text' lines, in reading order (for diffs)."""
    for key, label in TOP_FIELDS[:1]:
        if content.get(key):
            yield f"{label}: {content[key]}"
    for part in content.get("interventions", []):
        name = part.get("name", "")
        for key in ("when", "where", "how"):
            if part.get(key):
                yield f"{name} – {labels.INTERVENTION[key].heading}: {part[key]}"
        for goal in part.get("goals", []):
            yield f"{name} – {labels.GOAL['text'].heading}: {goal.get('text', '')}"
            for sub in goal.get("sub_goals", []):
                yield f"{name} – {labels.GOAL['sub_goals'].heading}: {sub}"
        for activity in part.get("activities", []):
            yield (
                f"{name} – {labels.ACTIVITY['description'].heading}:"
                f" {activity.get('description', '')}"
                f" ({labels.LINES['responsible']}: {activity.get('responsible', '')};"
                f" {labels.LINES['when']}: {activity.get('when', '')})"
            )
        if part.get("follow_up_how"):  # R-PLAN-7; absent in versions made before it
            follow_up = labels.INTERVENTION["follow_up_how"].heading
            yield f"{name} – {follow_up}: {part['follow_up_how']}"
        if text := visits_text(part):
            yield f"{name} – {labels.INTERVENTION['schedule'].heading}: {text}"
    for key, label in TOP_FIELDS[1:]:
        if content.get(key):
            yield f"{label}: {content[key]}"
    for source, texts in statements_by_source(content):
        for text in texts:
            yield f"{labels.LINES['statement']} ({source}): {text}"
    for person in content.get("participants", []):
        yield (
            f"{labels.FIELDS['participants'].heading}:"
            f" {person.get('name', '')} ({person.get('role', '')})"
        )
    for entry in content.get("disclosure", []):
        yield f"{labels.FIELDS['disclosure'].heading}: {entry}"
    if content.get("receives_health_care"):
        sip = SIP_LABELS.get(content.get("sip_status", ""), "")
        yield f"{labels.FIELDS['sip_status'].heading}: {sip}"
    if content.get("declined"):
        yield f"{labels.FIELDS['declined'].heading}: {content.get('declined_reason', '')}"
