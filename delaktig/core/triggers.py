# ruff: noqa: S608 — DDL built from constant table names, never from input.
"""Database triggers that refuse changes to records (R-ARC-1, non-negotiable 3).

This module *generates* trigger SQL; migrations never import it. Each
migration that installs triggers carries its own frozen copy of the
statements it runs, per vendor (SQLite and PostgreSQL), so a change here can
never change what an old migration did. When what this module (or
``plans/triggers.py``, rendered from ``plans/states.py``) generates differs
from what the latest migration froze, the suite fails
(``tests/services/test_trigger_migrations.py``) until a new migration is
written: ``manage.py trigger_migration`` writes it (docs/architecture.md,
"Records that cannot be changed").

**Append-only tables.** :data:`APPEND_ONLY_TABLES` is the one list of them;
every model that subclasses ``core.models.AppendOnlyModel`` must be in it and
have its triggers in the database (the suite checks both).

**The disposal gate** (*gallring*, R-ARC-3). Lawful disposal must remove
records that are otherwise append-only. Triggers created with ``gated=True``
stand aside only while a disposal runs *inside the same transaction*:

* PostgreSQL: the transaction-local setting ``delaktig.disposal = 'on'``
  (``SET LOCAL``, read with ``current_setting('delaktig.disposal', true)`` in
  the trigger's ``WHEN`` clause). It ends with the transaction — commit,
  rollback or rollback to a savepoint — and no other session can see it.
* SQLite: a row in the table ``disposal_gate`` (model
  ``disposal.DisposalGate``), inserted at the start of the disposal
  transaction and deleted before it commits (``WHEN NOT EXISTS (SELECT 1 FROM
  disposal_gate)``). SQLite serialises writers and readers never see an
  uncommitted row, so no other connection can slip through; a rollback removes
  the row.

``delaktig.disposal.gate.disposal_gate()`` opens and closes the gate. The audit
trail (``records_auditevent``) is never gated, nor is the disposal record, and
no TRUNCATE trigger is: disposal never touches audit rows. The gate guards
against mistakes and application bugs, not against someone with database
rights: such a person can drop triggers too, which the hash-chained audit
trail then reveals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

#: The SQLite table whose row opens the gate (see the module docstring).
DISPOSAL_GATE_TABLE = "disposal_gate"
#: The PostgreSQL setting that opens the gate for one transaction.
DISPOSAL_SETTING = "delaktig.disposal"

SQLITE_GATE_CLOSED = f"NOT EXISTS (SELECT 1 FROM {DISPOSAL_GATE_TABLE})"
PG_GATE_CLOSED = f"current_setting('{DISPOSAL_SETTING}', true) IS DISTINCT FROM 'on'"

#: Every append-only table (a model subclassing ``AppendOnlyModel``), and whether
#: its triggers are gated: a disposal may remove its rows. The audit trail and
#: the disposal record refuse always.
APPEND_ONLY_TABLES: dict[str, bool] = {
    "records_auditevent": False,
    "records_accesslog": True,
    "records_journalentry": True,
    "plans_signature": True,
    "plans_handover": True,
    "plans_followup": True,
    "plans_hslconfirmation": True,
    "plans_changeapproval": True,
    "plans_datecorrection": True,
    "archive_archivepackage": True,
    "archive_archivereceipt": True,
    "disposal_disposalrecord": False,
}

#: The gated tables whose triggers ``disposal/0002_disposal_gate_triggers``
#: re-created with the gate, and those gated from the start by ``plans/0009`` (the
#: archive app's were too); ``tests/disposal/test_gate.py`` walks them.
DISPOSAL_GATED_TABLES = (
    "records_accesslog",
    "records_journalentry",
    "plans_signature",
    "plans_handover",
    "plans_followup",
    "plans_hslconfirmation",
    "plans_changeapproval",
    "plans_datecorrection",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
"""


def append_only_statements(table: str, vendor: str, *, gated: bool = False) -> list[str]:
    """SQL that makes ``table`` refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

    ``gated``: UPDATE and DELETE pass while a disposal runs in the same
    transaction (module docstring); TRUNCATE is refused always.
    """
    if vendor == "sqlite":
        when = f"WHEN {SQLITE_GATE_CLOSED} " if gated else ""
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, 'delaktig: {table} is append-only (UPDATE refused)'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, 'delaktig: {table} is append-only (DELETE refused)'); END",
        ]
    if vendor == "postgresql":
        when = f"WHEN ({PG_GATE_CLOSED}) " if gated else ""
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW {when}EXECUTE FUNCTION delaktig_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        ]
    raise NotImplementedError(f"Append-only triggers are not written for {vendor}.")


def drop_append_only_statements(table: str, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


# --- Frozen trigger migrations ------------------------------------------------

VENDORS = ("sqlite", "postgresql")

_CREATE_TRIGGER = re.compile(r"^\s*CREATE TRIGGER (\w+)")
_CREATE_FUNCTION = re.compile(r"^\s*CREATE OR REPLACE FUNCTION (\w+)\(")
_EXECUTE_FUNCTION = re.compile(r"EXECUTE FUNCTION (\w+)\(")


@dataclass(frozen=True)
class TriggerSet:
    """Triggers that are installed and replaced together, by migrations of one app.

    ``create`` and ``drop`` give the statements per vendor, as generated today.
    """

    name: str
    app_label: str
    create: Callable[[str], list[str]]
    drop: Callable[[str], list[str]]

    def trigger_names(self, vendor: str | None = None) -> set[str]:
        """The triggers it creates on ``vendor`` (default: on any vendor)."""
        return {
            match.group(1)
            for each in ([vendor] if vendor else VENDORS)
            for sql in self.create(each)
            if (match := _CREATE_TRIGGER.match(sql))
        }


def append_only_sets() -> list[TriggerSet]:
    """One set per table of :data:`APPEND_ONLY_TABLES` (app label = the table's prefix)."""

    def one(table: str, gated: bool) -> TriggerSet:
        return TriggerSet(
            name=f"{table} (append-only{', gated' if gated else ''})",
            app_label=table.split("_", 1)[0],
            create=lambda vendor: append_only_statements(table, vendor, gated=gated),
            drop=lambda vendor: drop_append_only_statements(table, vendor),
        )

    return [one(table, gated) for table, gated in APPEND_ONLY_TABLES.items()]


@dataclass(frozen=True)
class FrozenMigration:
    """A migration that runs frozen trigger SQL: its forwards statements per vendor."""

    app_label: str
    name: str
    forwards: dict[str, list[str]] = field(default_factory=dict)

    def creates_any(self, names: set[str]) -> bool:
        return any(
            (match := _CREATE_TRIGGER.match(sql)) and match.group(1) in names
            for statements in self.forwards.values()
            for sql in statements
        )

    def installs(self, trigger_set: TriggerSet) -> bool:
        """Does it run today's statements of ``trigger_set``, in order, on every vendor?"""
        return all(
            _contains(self.forwards.get(vendor, []), trigger_set.create(vendor))
            for vendor in VENDORS
        )

    def statements_of(self, trigger_set: TriggerSet, vendor: str) -> list[str]:
        """What it created of ``trigger_set``: its triggers and the functions they call."""
        names = trigger_set.trigger_names()
        triggers = [
            sql
            for sql in self.forwards.get(vendor, [])
            if (match := _CREATE_TRIGGER.match(sql)) and match.group(1) in names
        ]
        called = {name for sql in triggers for name in _EXECUTE_FUNCTION.findall(sql)}
        picked: list[str] = []
        for sql in self.forwards.get(vendor, []):
            match = _CREATE_FUNCTION.match(sql)
            if (match and match.group(1) in called and sql not in picked) or sql in triggers:
                picked.append(sql)
        return picked


def _contains(statements: list[str], part: list[str]) -> bool:
    return any(statements[i : i + len(part)] == part for i in range(len(statements)))


def frozen_migrations() -> list[FrozenMigration]:
    """Every migration with frozen trigger SQL, in the order ``migrate`` applies them.

    A frozen migration's ``RunPython`` code carries its statements as the
    attribute ``frozen_sql`` (``{vendor: [sql, ...]}``); see any of them.
    """
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for leaf in sorted(graph.leaf_nodes()):
        for key in graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(key)
    found = []
    for key in plan:
        forwards: dict[str, list[str]] = {vendor: [] for vendor in VENDORS}
        frozen = False
        for operation in graph.nodes[key].operations:
            statements = getattr(getattr(operation, "code", None), "frozen_sql", None)
            if statements:
                frozen = True
                for vendor in VENDORS:
                    forwards[vendor].extend(statements.get(vendor, []))
        if frozen:
            found.append(FrozenMigration(app_label=key[0], name=key[1], forwards=forwards))
    return found


def latest_install(
    trigger_set: TriggerSet, migrations: Iterable[FrozenMigration]
) -> FrozenMigration | None:
    """The last migration that created any of the set's triggers."""
    names = trigger_set.trigger_names()
    latest = None
    for migration in migrations:
        if migration.creates_any(names):
            latest = migration
    return latest


def stale_sets(
    trigger_sets: Iterable[TriggerSet], migrations: list[FrozenMigration]
) -> list[tuple[TriggerSet, FrozenMigration | None]]:
    """The sets whose latest migration does not run what is generated today."""
    stale = []
    for trigger_set in trigger_sets:
        latest = latest_install(trigger_set, migrations)
        if latest is None or not latest.installs(trigger_set):
            stale.append((trigger_set, latest))
    return stale


def _literal(sql: str) -> str:
    if "\n" in sql and '"""' not in sql and "\\" not in sql and not sql.endswith('"'):
        return f'"""{sql}"""'
    if '"' not in sql and "\\" not in sql:
        return f'"{sql}"'
    return repr(sql)


def _by_vendor(name: str, statements: dict[str, list[str]]) -> str:
    lines = [f"{name} = {{"]
    for vendor in VENDORS:
        lines.append(f'    "{vendor}": [')
        lines.extend(f"        {_literal(sql)}," for sql in statements[vendor])
        lines.append("    ],")
    lines.append("}")
    return "\n".join(lines)


_MIGRATION = '''"""{title}

Written by ``manage.py trigger_migration``. The SQL below is frozen: it is what
this migration runs, so that a later change to the generators cannot change what
it did. Never edit it; a change to the triggers is a new migration.
"""

from django.db import migrations

{forwards}
{backwards}


def run(statements):
    """RunPython code that executes the frozen ``statements`` of the connection's vendor."""

    def code(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"These triggers are not written for {{vendor}}.")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    code.frozen_sql = statements
    return code


class Migration(migrations.Migration):
    dependencies = {dependencies}

    operations = [
        migrations.RunPython(run(FORWARDS), run(BACKWARDS)),
    ]
'''


def render_migration(
    stale: list[tuple[TriggerSet, FrozenMigration | None]],
    *,
    dependencies: list[tuple[str, str]],
) -> str:
    """The text of a migration that (re)installs the ``stale`` sets as generated today.

    Forwards drops each set's triggers and creates them anew; backwards drops
    them and re-creates what the previous migration had created, if any.
    """
    forwards: dict[str, list[str]] = {vendor: [] for vendor in VENDORS}
    backwards: dict[str, list[str]] = {vendor: [] for vendor in VENDORS}
    for trigger_set, previous in stale:
        for vendor in VENDORS:
            forwards[vendor] += [*trigger_set.drop(vendor), *trigger_set.create(vendor)]
            backwards[vendor] += trigger_set.drop(vendor)
            if previous is not None:
                backwards[vendor] += previous.statements_of(trigger_set, vendor)
    title = "Re-create the triggers of " + ", ".join(s.name for s, _ in stale) + "."
    return _MIGRATION.format(
        title=title,
        forwards=_by_vendor("FORWARDS", forwards),
        backwards=_by_vendor("BACKWARDS", backwards),
        dependencies=repr(sorted(set(dependencies))),
    )


def migration_dependencies(
    app_label: str, stale: list[tuple[TriggerSet, FrozenMigration | None]], leaf: str
) -> list[tuple[str, str]]:
    """After the app's last migration and every migration whose triggers it replaces.

    A gated trigger reads ``disposal_gate`` on SQLite, hence the disposal app.
    """
    dependencies = [(app_label, leaf)]
    dependencies += [(prev.app_label, prev.name) for _, prev in stale if prev is not None]
    gated = any("disposal_gate" in sql for s, _ in stale for sql in s.create("sqlite"))
    if gated and all(app != "disposal" for app, _ in dependencies):
        dependencies.append(("disposal", "0001_initial"))
    return dependencies


# The outbox (oversight.Notification): what was sent never changes; a sent message
# stays sent; a message without an address is never sent. Only the delivery
# columns (status, attempts, last_error, last_attempt_at, claimed_at, sent_at)
# change. Rows may be deleted: a disposal removes them with the person file.
OUTBOX_TABLE = "oversight_notification"
_OUTBOX_CONTENT = (
    "id",
    "municipality_id",
    "case_id",
    "kind",
    "recipient",
    "subject",
    "body",
    "created_at",
    "created_by_id",
)


def _outbox_refused(distinct: str) -> str:
    content = " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in _OUTBOX_CONTENT)
    return (
        f"({content})"
        " OR (OLD.status = 'sent'"
        f" AND (NEW.status <> 'sent' OR NEW.sent_at {distinct} OLD.sent_at))"
        " OR (NEW.status = 'sent' AND NEW.sent_at IS NULL)"
        " OR (OLD.status = 'unaddressed' AND NEW.status <> 'unaddressed')"
    )


def outbox_guard_statements(vendor: str) -> list[str]:
    """The trigger that keeps an outgoing message's content immutable (see above)."""
    msg = "delaktig: what an outgoing message says, and that it was sent, cannot change"
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {OUTBOX_TABLE}_guard BEFORE UPDATE ON {OUTBOX_TABLE} "
            f"WHEN {_outbox_refused('IS NOT')} BEGIN SELECT RAISE(ABORT, '{msg}'); END",
        ]
    if vendor == "postgresql":
        return [
            f"""
CREATE OR REPLACE FUNCTION delaktig_outbox_guard() RETURNS trigger AS $$
BEGIN
    IF {_outbox_refused("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{msg}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
            f"CREATE TRIGGER {OUTBOX_TABLE}_guard BEFORE UPDATE ON {OUTBOX_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION delaktig_outbox_guard()",
        ]
    raise NotImplementedError(f"Outbox triggers are not written for {vendor}.")
