"""Migrations keep frozen trigger SQL; the generators and the database agree with them (R-ARC-1).

Every migration that installs triggers carries its own SQL, so a change to a
generator cannot change an old migration. The allowed state changes of a plan
version are data (``plans/states.py``); what is generated from them today must
be what the latest migration froze — else a new migration is due
(``manage.py trigger_migration``). Every append-only model is listed once
(``core.triggers.APPEND_ONLY_TABLES``) and has its triggers in the database.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction

from delaktig.core.models import AppendOnlyModel
from delaktig.core.triggers import (
    APPEND_ONLY_TABLES,
    VENDORS,
    append_only_sets,
    frozen_migrations,
    render_migration,
    stale_sets,
)
from delaktig.plans import states
from delaktig.plans.models import FrozenVersionError, PlanVersion
from delaktig.plans.services import plan_start
from delaktig.plans.triggers import PLAN_VERSION_GUARD, all_trigger_sets
from tests.services.plan_helpers import contact_for
from tests.world import World

ROOT = Path(__file__).resolve().parents[2]
GENERATORS = re.compile(
    r"delaktig\.core\.triggers|delaktig\.core import triggers|plans\.(states|triggers)"
)


def test_no_migration_imports_the_trigger_generators() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted(ROOT.glob("delaktig/*/migrations/*.py"))
        if GENERATORS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "a migration must keep its own frozen SQL, not import a generator"


def test_every_trigger_migration_is_frozen_for_both_databases() -> None:
    migrations = frozen_migrations()
    assert len(migrations) >= 7
    for migration in migrations:
        assert all(migration.forwards[vendor] for vendor in VENDORS), migration.name


def test_the_latest_migrations_run_what_is_generated_today() -> None:
    stale = stale_sets(all_trigger_sets(), frozen_migrations())
    assert stale == [], (
        "The trigger SQL generated today (plans/states.py, core/triggers.py) differs from "
        "what the latest migration froze for: "
        + ", ".join(trigger_set.name for trigger_set, _ in stale)
        + ". Write a new migration: manage.py trigger_migration"
    )


def test_a_changed_transition_without_a_migration_fails_the_suite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    changed = states.TRANSITIONS - {(states.VersionState.SUPERSEDED, states.VersionState.CLOSED)}
    monkeypatch.setattr(states, "TRANSITIONS", changed)
    migrations = frozen_migrations()
    stale = stale_sets(all_trigger_sets(), migrations)
    assert [trigger_set for trigger_set, _ in stale] == [PLAN_VERSION_GUARD]
    with pytest.raises(CommandError, match=r"manage\.py trigger_migration"):
        call_command("trigger_migration", "--check")

    # What the command would write: the new rule forwards, the frozen old one backwards.
    namespace: dict[str, object] = {}
    text = render_migration(stale, dependencies=[("plans", "0006_close_unfinished_versions")])
    exec(compile(text, "0007_triggers.py", "exec"), namespace)  # noqa: S102
    (operation,) = namespace["Migration"].operations  # type: ignore[attr-defined]
    previous = stale[0][1]
    assert previous is not None
    for vendor in VENDORS:
        forwards = operation.code.frozen_sql[vendor]
        backwards = operation.reverse_code.frozen_sql[vendor]
        assert forwards[-len(PLAN_VERSION_GUARD.create(vendor)) :] == (
            PLAN_VERSION_GUARD.create(vendor)
        )
        assert "OLD.state = 'superseded'" not in "".join(forwards)
        assert "OLD.state = 'superseded' AND NEW.state = 'closed'" in "".join(backwards)
        assert backwards[-1] == previous.statements_of(PLAN_VERSION_GUARD, vendor)[-1]


def _path(to: str) -> list[str]:
    """The allowed state changes that take a draft to ``to``."""
    queue: deque[list[str]] = deque([[states.VersionState.DRAFT]])
    while queue:
        path = queue.popleft()
        if path[-1] == to:
            return path[1:]
        queue.extend([*path, new] for new in states.targets(path[-1]) if new not in path)
    raise AssertionError(f"no way from a draft to {to}")  # pragma: no cover


def _set_state(version_id: int, state: str) -> None:
    established = date(2026, 2, 2) if state == states.VersionState.ESTABLISHED else None
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_planversion SET state = %s, "
            "established_on = COALESCE(established_on, %s) WHERE id = %s",
            [state, established, version_id],
        )


PAIRS = [(old, new) for old in states.VersionState.values for new in states.VersionState.values]


def test_the_database_and_the_orm_allow_exactly_the_transitions(world: World) -> None:
    unit = world.home_care
    case = world.add_person(unit, start=date(2026, 1, 12), contact=contact_for(world, "home_care"))  # type: ignore[arg-type]
    plan = plan_start(case=case, by=world.bob, on=date(2026, 1, 12)).plan
    number = 100
    for old, new in PAIRS:
        for how in ("sql", "orm"):
            number += 1
            version = PlanVersion.objects.create(
                plan=plan, municipality=plan.municipality, number=number
            )
            for state in _path(old):
                _set_state(version.pk, state)
            if how == "sql":
                try:
                    with transaction.atomic():
                        _set_state(version.pk, new)
                    passed = True
                except (IntegrityError, DatabaseError):
                    passed = False
            else:
                loaded = PlanVersion.objects.get(pk=version.pk)
                loaded.state = new
                if new == states.VersionState.ESTABLISHED and loaded.established_on is None:
                    loaded.established_on = date(2026, 2, 2)
                try:
                    with transaction.atomic():
                        loaded.save(update_fields=["state", "established_on"])
                    passed = True
                except FrozenVersionError:
                    passed = False
            assert passed == states.allowed(old, new), (how, old, new)
            expected = new if passed else old
            assert PlanVersion.objects.get(pk=version.pk).state == expected


def _append_only_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, AppendOnlyModel) and not model._meta.abstract
    ]


def test_every_append_only_model_is_listed_once() -> None:
    listed = {model._meta.db_table: model._meta.app_label for model in _append_only_models()}
    assert set(listed) == set(APPEND_ONLY_TABLES), (
        "List every AppendOnlyModel's table in core.triggers.APPEND_ONLY_TABLES, "
        "then write its migration: manage.py trigger_migration"
    )
    assert {s.app_label for s in append_only_sets()} <= set(listed.values())
    for trigger_set in append_only_sets():
        table = trigger_set.name.split(" ")[0]
        assert trigger_set.app_label == listed[table]


def _installed() -> dict[str, tuple[str, str]]:
    """The database's own triggers after the migrations: name -> (table, definition)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        return {name: (table, sql) for name, table, sql in cursor.fetchall()}


@pytest.mark.django_db
def test_every_append_only_model_has_its_triggers_in_the_database() -> None:
    installed = _installed()
    vendor = connection.vendor
    for model in _append_only_models():
        table = model._meta.db_table
        gated = APPEND_ONLY_TABLES[table]
        if vendor == "postgresql":
            names = {f"{table}_append_only": gated, f"{table}_no_truncate": False}
        else:
            names = {f"{table}_no_update": gated, f"{table}_no_delete": gated}
        for name, gate in names.items():
            assert name in installed, f"{model.__name__}: trigger {name} is not installed"
            on, sql = installed[name]
            assert on == table
            assert (("delaktig.disposal" in sql) or ("disposal_gate" in sql)) == gate, name


@pytest.mark.django_db
def test_the_database_has_the_triggers_generated_today() -> None:
    """On SQLite the stored SQL is the statement itself: compare it whole."""
    installed = _installed()
    for trigger_set in all_trigger_sets():
        for name in trigger_set.trigger_names(connection.vendor):
            assert name in installed, f"{trigger_set.name}: trigger {name} is not installed"
        if connection.vendor == "sqlite":
            for sql in trigger_set.create("sqlite"):
                name = sql.split()[2]
                assert installed[name][1] == sql, name


def test_the_outbox_migration_runs_the_outbox_guard_generated_today() -> None:
    """The outbox guard (oversight 0004) is frozen too, and still what is generated."""
    from importlib import import_module

    from delaktig.core.triggers import outbox_guard_statements

    migration = import_module("delaktig.oversight.migrations.0004_outbox_delivery_status")
    for vendor in VENDORS:
        assert migration.GUARD_FORWARDS[vendor] == outbox_guard_statements(vendor), vendor
