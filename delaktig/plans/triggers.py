# ruff: noqa: S608 — DDL built from constant names and states.py, never from input.
"""The plan-version triggers, rendered from ``plans/states.py`` (R-LIFE-3, R-ARC-1).

A version that has left the draft state refuses changes to its frozen
columns, state changes outside ``states.TRANSITIONS``, deletion, and linking
or unlinking interventions — in the database, for raw SQL too. The triggers
are gated (``core/triggers.py``, "the disposal gate"): a lawful disposal may
remove the versions of a disposed file.

Migrations never import this module: they keep a frozen copy of what it
rendered when they were written. ``manage.py trigger_migration`` writes a new
one when the rendering differs from the latest; the suite fails until then.
"""

from __future__ import annotations

from django.db import models

from delaktig.core.triggers import (
    PG_FUNCTION,
    PG_GATE_CLOSED,
    SQLITE_GATE_CLOSED,
    TriggerSet,
    append_only_sets,
)
from delaktig.plans import states

TABLE = "plans_planversion"
LINK_TABLE = "plans_planversion_interventions"
_DRAFT = states.VersionState.DRAFT.value
_FROZEN_MSG = "delaktig: a plan version sent for signing or established cannot change"


def allowed_sql() -> str:
    """The SQL condition of ``states.allowed(OLD.state, NEW.state)``."""
    parts = ["(OLD.state = NEW.state)"]
    for old in states.VersionState.values:
        new = states.targets(old)
        if len(new) == 1:
            parts.append(f"(OLD.state = '{old}' AND NEW.state = '{new[0]}')")
        elif new:
            listed = ", ".join(f"'{state}'" for state in new)
            parts.append(f"(OLD.state = '{old}' AND NEW.state IN ({listed}))")
    return " OR ".join(parts)


def _plain(column: str) -> bool:
    """NOT NULL integer columns compare with ``<>``; every other column null-safely."""
    from delaktig.plans.models import PlanVersion

    field = PlanVersion._meta.get_field(column)
    return isinstance(field, models.IntegerField | models.ForeignKey) and not field.null


def frozen_changed_sql(distinct: str) -> str:
    """True when a frozen column of a version that has left the draft state changes.

    ``distinct`` is the vendor's null-safe "differs": ``IS NOT`` on SQLite,
    ``IS DISTINCT FROM`` on PostgreSQL.
    """
    changes = [
        f"NEW.{column} <> OLD.{column}"
        if _plain(column)
        else f"NEW.{column} {distinct} OLD.{column}"
        for column in states.FROZEN_FIELDS
    ] + [
        f"(OLD.{column} IS NOT NULL AND NEW.{column} {distinct} OLD.{column})"
        for column in states.FROZEN_ONCE_SET
    ]
    return f"OLD.state <> '{_DRAFT}' AND ({' OR '.join(changes)})"


def guard_statements(vendor: str, *, gated: bool = True) -> list[str]:
    """The frozen-version triggers; ``gated``: they stand aside during a disposal."""
    table, link, msg = TABLE, LINK_TABLE, _FROZEN_MSG
    if vendor == "sqlite":
        gate = f"{SQLITE_GATE_CLOSED} AND " if gated else ""
        delete_when = f"WHEN {SQLITE_GATE_CLOSED} " if gated else ""
        return [
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
            f"WHEN {gate}({frozen_changed_sql('IS NOT')}) BEGIN SELECT RAISE(ABORT, '{msg}'); END",
            f"CREATE TRIGGER {table}_transition BEFORE UPDATE OF state ON {table} "
            f"WHEN {gate}NOT ({allowed_sql()}) "
            "BEGIN SELECT RAISE(ABORT, 'delaktig: plan version state change not allowed'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {delete_when}"
            "BEGIN SELECT RAISE(ABORT, 'delaktig: plan versions are never deleted'); END",
            f"CREATE TRIGGER {link}_frozen_insert BEFORE INSERT ON {link} "
            f"WHEN {gate}(SELECT state FROM {table} WHERE id = NEW.planversion_id) <> '{_DRAFT}' "
            f"BEGIN SELECT RAISE(ABORT, '{msg}'); END",
            f"CREATE TRIGGER {link}_frozen_delete BEFORE DELETE ON {link} "
            f"WHEN {gate}(SELECT state FROM {table} WHERE id = OLD.planversion_id) <> '{_DRAFT}' "
            f"BEGIN SELECT RAISE(ABORT, '{msg}'); END",
        ]
    if vendor == "postgresql":
        when = f"WHEN ({PG_GATE_CLOSED}) " if gated else ""
        return [
            PG_FUNCTION,
            f"""
CREATE OR REPLACE FUNCTION delaktig_planversion_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'delaktig: plan versions are never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF {frozen_changed_sql("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{msg}'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT ({allowed_sql()}) THEN
        RAISE EXCEPTION 'delaktig: plan version state change % -> % not allowed',
            OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
            f"""
CREATE OR REPLACE FUNCTION delaktig_planversion_link_guard() RETURNS trigger AS $$
DECLARE
    version_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN version_id := OLD.planversion_id;
    ELSE version_id := NEW.planversion_id; END IF;
    IF (SELECT state FROM {table} WHERE id = version_id) <> '{_DRAFT}' THEN
        RAISE EXCEPTION '{msg}'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
            f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW {when}EXECUTE FUNCTION delaktig_planversion_guard()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
            f"CREATE TRIGGER {link}_guard BEFORE INSERT OR UPDATE OR DELETE ON {link} "
            f"FOR EACH ROW {when}EXECUTE FUNCTION delaktig_planversion_link_guard()",
        ]
    raise NotImplementedError(f"Plan version triggers are not written for {vendor}.")


def drop_guard_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {TABLE}_frozen",
            f"DROP TRIGGER IF EXISTS {TABLE}_transition",
            f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
            f"DROP TRIGGER IF EXISTS {LINK_TABLE}_frozen_insert",
            f"DROP TRIGGER IF EXISTS {LINK_TABLE}_frozen_delete",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {TABLE}_guard ON {TABLE}",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
        f"DROP TRIGGER IF EXISTS {LINK_TABLE}_guard ON {LINK_TABLE}",
    ]


#: The plan-version guard, gated since ``disposal/0002_disposal_gate_triggers``.
PLAN_VERSION_GUARD = TriggerSet(
    name="plans_planversion (frozen versions, allowed transitions)",
    app_label="plans",
    create=guard_statements,
    drop=drop_guard_statements,
)


def all_trigger_sets() -> list[TriggerSet]:
    """Every set of triggers the database must have, as generated today."""
    return [*append_only_sets(), PLAN_VERSION_GUARD]
