"""Write a migration with frozen trigger SQL when today's generators differ from the latest.

Migrations that install triggers never import the generators: each carries a
frozen copy of its SQL. After a change to ``plans/states.py`` (the allowed
state changes, the frozen columns) or to ``core/triggers.py`` (the
append-only tables, the SQL itself), run this command and commit the
migration it writes; ``--check`` only reports, and fails if one is due
(the suite makes the same check). See docs/architecture.md, "Records that
cannot be changed".
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.migrations.loader import MigrationLoader

from delaktig.core.triggers import (
    FrozenMigration,
    TriggerSet,
    frozen_migrations,
    migration_dependencies,
    render_migration,
    stale_sets,
)
from delaktig.plans.triggers import all_trigger_sets


def migrations_directory(app_label: str) -> Path:
    return Path(apps.get_app_config(app_label).path) / "migrations"


class Command(BaseCommand):
    help = (
        "Skriver en migrering med fryst trigger-SQL för de triggrar vars SQL i dag "
        "(plans/states.py, core/triggers.py) skiljer sig från den senaste migreringens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Skriv inget; felkod om en migrering behövs."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa migreringen i stället för att skriva den."
        )
        parser.add_argument("--name", default="triggers", help="Migreringens namn (utan nummer).")

    def handle(self, *args: Any, **options: Any) -> None:
        stale = stale_sets(all_trigger_sets(), frozen_migrations())
        if not stale:
            self.stdout.write("Inga triggrar att migrera: de senaste migreringarna är aktuella.")
            return
        names = ", ".join(trigger_set.name for trigger_set, _ in stale)
        if options["check"]:
            raise CommandError(
                f"Triggrarna för {names} har ändrats utan migrering. "
                "Kör manage.py trigger_migration och checka in migreringen."
            )
        by_app: dict[str, list[tuple[TriggerSet, FrozenMigration | None]]] = defaultdict(list)
        for trigger_set, previous in stale:
            by_app[trigger_set.app_label].append((trigger_set, previous))
        graph = MigrationLoader(None, ignore_no_migrations=True).graph
        for app_label, group in sorted(by_app.items()):
            leaf = max(name for _, name in graph.leaf_nodes(app_label))
            text = render_migration(
                group, dependencies=migration_dependencies(app_label, group, leaf)
            )
            path = migrations_directory(app_label) / f"{int(leaf[:4]) + 1:04d}_{options['name']}.py"
            if options["dry_run"]:
                self.stdout.write(f"# {path}\n{text}")
                continue
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Skrev {path}.")
