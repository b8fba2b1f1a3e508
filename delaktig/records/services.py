"""Writes to the access log (R-LIFE-8)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from delaktig.core.types import User
from delaktig.people.models import Case, Person

from .models import AccessAction, AccessLog


def access_log_record(
    *,
    user: User,
    person: Person,
    action: AccessAction,
    case: Case | None = None,
    object_id: str = "",
) -> AccessLog:
    """Record that ``user`` opened ``person``'s file (every read is logged)."""
    return AccessLog.objects.create(
        municipality_id=person.municipality_id,
        user=user,
        person=person,
        case=case,
        unit_id=case.unit_id if case else None,
        action=action,
        object_id=object_id,
    )


def access_log_cases(
    *,
    user: User,
    reads: Iterable[Case | tuple[Case, str]],
    action: AccessAction,
) -> int:
    """Record that ``user`` saw each case's person in a list or an export (R-LIFE-8).

    A list page names persons too, so it is a read of their files. ``reads`` are
    cases, or (case, what was shown: a plan version, a delivery); each pair counts
    once however often the page shows it. One ``INSERT … SELECT`` over a JSON
    array of case ids, so a page's query count does not grow with its rows.
    """
    seen: dict[tuple[int, str], list[int | str]] = {}
    for read in reads:
        case, object_id = read if isinstance(read, tuple) else (read, "")
        seen.setdefault((case.pk, object_id), [case.pk, object_id])
    pairs = list(seen.values())
    if not pairs:
        return 0
    log, case_table = AccessLog._meta, Case._meta.db_table
    names = ("at", "municipality", "user", "person", "case", "unit", "action", "object_id")
    columns = ", ".join(str(log.get_field(name).column) for name in names)  # type: ignore[union-attr]
    if connection.vendor == "postgresql":
        source = "jsonb_array_elements(%s::jsonb) AS j"
        case_id, object_id = "(j.value->>0)::bigint", "j.value->>1"
    else:
        source = "json_each(%s) AS j"
        case_id, object_id = "json_extract(j.value, '$[0]')", "json_extract(j.value, '$[1]')"
    sql = (
        f"INSERT INTO {log.db_table} ({columns}) "  # noqa: S608 — names from the models
        f"SELECT %s, c.municipality_id, %s, c.person_id, c.id, c.unit_id, %s, {object_id} "
        f"FROM {source} JOIN {case_table} c ON c.id = {case_id}"
    )
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [at, user.pk, action.value, json.dumps(pairs)])
    return len(pairs)
