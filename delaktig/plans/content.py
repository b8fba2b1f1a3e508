"""A plan version's content: stored as JSON, checked as ``rules.PlanContent``.

The JSON keys are the field names of the pure dataclasses in
``delaktig.rules.completeness``, so the rules engine checks exactly what is stored.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ValidationError

from delaktig import rules
from delaktig.people.models import GrantedIntervention


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


def _goals(items: Any) -> tuple[rules.Goal, ...]:
    return tuple(
        rules.Goal(text=_text(g, "text"), sub_goals=tuple(g.get("sub_goals", ())))
        for g in items or ()
    )


def to_plan_content(data: dict[str, Any]) -> rules.PlanContent:
    interventions = tuple(
        rules.InterventionPart(
            key=str(i.get("key", "")),
            name=_text(i, "name"),
            when=_text(i, "when"),
            where=_text(i, "where"),
            how=_text(i, "how"),
            follow_up_how=_text(i, "follow_up_how"),  # absent in older content: blank
            visits=tuple(
                rules.Visit(
                    weekdays=tuple(v["weekdays"]),
                    time_of_day=v["time_of_day"],
                    duration_minutes=v["duration_minutes"],
                )
                for v in part_visits(i)
            ),
            goals=_goals(i.get("goals")),
            activities=tuple(
                rules.Activity(
                    description=_text(a, "description"),
                    responsible=_text(a, "responsible"),
                    when=_text(a, "when"),
                    goals=_goals(a.get("goals")),
                )
                for a in i.get("activities", ())
            ),
        )
        for i in data.get("interventions", ())
    )
    return rules.PlanContent(
        interventions=interventions,
        decision_goals=_text(data, "decision_goals"),
        other_information=_text(data, "other_information"),
        participation_how=_text(data, "participation_how"),
        wishes_weight=_text(data, "wishes_weight"),
        interests_how_found=_text(data, "interests_how_found"),
        statements=tuple(
            rules.Statement(source=rules.StatementSource(s["source"]), text=_text(s, "text"))
            for s in data.get("statements", ())
        ),
        participants=tuple(
            rules.Participant(name=_text(p, "name"), role=_text(p, "role"))
            for p in data.get("participants", ())
        ),
        cooperation=_text(data, "cooperation"),
        follow_up_how=_text(data, "follow_up_how"),
        disclosure=tuple(str(d) for d in data.get("disclosure", ())),
        receives_health_care=bool(data.get("receives_health_care", False)),
        sip_status=rules.SipStatus(data.get("sip_status", rules.SipStatus.UNANSWERED.value)),
        declined=bool(data.get("declined", False)),
        declined_purpose_explained=bool(data.get("declined_purpose_explained", False)),
        declined_reason=_text(data, "declined_reason"),
        master_data_checked=bool(data.get("master_data_checked", False)),
    )


MAX_TEXT = 4000  # characters in one text field
MAX_ROWS = 50  # rows in one list (goals, activities, statements …)
MAX_CONTENT = 200_000  # characters of the whole canonical content


# The fields of an intervention's part, empty: a new part starts from them, and the
# editor keeps a part's stored values for those a POST has no block for. Only drafts
# are built from them: a frozen version's content is never filled up with new keys
# (its SHA-256 would change), so readers take a missing key as its default.
PART_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "when": "",
        "where": "",
        "how": "",
        "follow_up_how": "",  # R-PLAN-7; versions made before it have no such key
        "goals": [],
        "activities": [],
        # Home care's visits (R-LIFE-7); content made before them has one "schedule".
        "visits": [],
    }
)
VISIT_KEYS = ("weekdays", "time_of_day", "duration_minutes", "times_per_week")


def _blank_visit(visit: Mapping[str, Any]) -> bool:
    return all(visit.get(key) in (None, "", []) for key in VISIT_KEYS)


def stored_visits(part: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An intervention part's visits as stored (R-LIFE-7), never rewritten.

    Content written before visits has one ``schedule`` dict per part: it reads
    as one visit (none if blank). A scheduler notice's item written before
    visits holds the schedule's keys itself: it reads the same way. Frozen
    versions keep their ``schedule``; only a draft saved again gets ``visits``.
    """
    visits = part.get("visits")
    if isinstance(visits, list) and (visits or "schedule" not in part):
        return [v for v in visits if isinstance(v, dict)]
    old = part.get("schedule")
    if not isinstance(old, dict):
        old = {key: part[key] for key in VISIT_KEYS if key in part}
    return [] if _blank_visit(old) else [dict(old)]


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def visit_values(visit: Mapping[str, Any]) -> dict[str, Any]:
    """A stored visit with every key and sane types (unknown days and bad numbers dropped)."""
    weekdays = visit.get("weekdays")
    return {
        "weekdays": [
            d for d in rules.WEEKDAY_CODES if isinstance(weekdays, list) and d in weekdays
        ],
        "time_of_day": str(visit.get("time_of_day") or "").strip(),
        "duration_minutes": _count(visit.get("duration_minutes")),
        "times_per_week": _count(visit.get("times_per_week")),
    }


def part_visits(part: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The visits of a part (or notice item) to show, schedule or check; blank ones left out."""
    visits = [visit_values(v) for v in stored_visits(part)]
    return [v for v in visits if not _blank_visit(v)]


def intervention_part(item: GrantedIntervention) -> dict[str, Any]:
    """A new plan part for one granted intervention, pre-filled from the order."""
    return {
        "key": str(item.pk),
        "name": item.type.name,
        **copy.deepcopy(dict(PART_DEFAULTS)),
        "when": item.scope,
    }


def _walk(value: Any, path: str, errors: list[str], depth: int = 0) -> None:
    if depth > 8:  # an activity's sub-goal sits at depth 8
        errors.append(f"{path}: för djup struktur.")
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            errors.append(f"{path}: texten är för lång (högst {MAX_TEXT} tecken).")
    elif isinstance(value, list):
        if len(value) > MAX_ROWS:
            errors.append(f"{path}: för många rader (högst {MAX_ROWS}).")
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", errors, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), errors, depth + 1)
    elif value is not None and not isinstance(value, bool | int):
        errors.append(f"{path}: otillåtet värde.")


def canonical_json(content: dict[str, Any]) -> str:
    """The exact text a signature's SHA-256 covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def validate_content(content: dict[str, Any]) -> None:
    """Refuse content that is too large or malformed, with Swedish messages (non-negotiable 5)."""
    errors: list[str] = []
    if len(canonical_json(content)) > MAX_CONTENT:
        errors.append("Planen är för stor för att sparas.")
    _walk(content, "", errors)
    try:
        to_plan_content(content)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        errors.append(f"Planens innehåll har fel form: {exc}")
    if errors:
        raise ValidationError(errors)


def initial_content(interventions: list[GrantedIntervention]) -> dict[str, Any]:
    """A new plan starts from the order: every granted intervention, and the decision's goals."""
    goals = []
    for item in interventions:
        text = item.decision.goals.strip()
        if text and text not in goals:
            goals.append(text)
    return {
        "decision_goals": "\n".join(goals),
        "interventions": [intervention_part(item) for item in interventions],
    }
