"""Let a database made with Django's ``auth.User`` adopt ``accounts.User``; run before migrate.

Such a database has the other apps' migrations applied, and they depend on the
user model's first migration — now ``accounts.0001_initial``, which it has never
recorded, so ``migrate`` would stop with InconsistentMigrationHistory. That
migration only creates the tables auth.User already made (same names, same
columns), so it is recorded as applied here and nothing else is touched. Safe to
run again, and on a fresh database, where it does nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

TABLE = "auth_user"
LINK_TABLES = ("auth_user_groups", "auth_user_user_permissions")
COLUMNS = {
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
}
ADOPTED = ("accounts", "0001_initial")
# The last auth migration that changes auth_user: the shape accounts.0001 describes.
AUTH_LATEST = ("auth", "0012_alter_user_first_name_max_length")


class Command(BaseCommand):
    help = (
        "Låter en databas som skapades med Djangos auth.User ta över accounts.User "
        "(kör före migrate). Gör ingenting på en ny databas eller om det redan är gjort."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Databasalias.")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        tables = set(connection.introspection.table_names())
        quiet = options["verbosity"] < 1  # `make run`: only the demo's own lines
        if TABLE not in tables:
            if not quiet:
                self.stdout.write("Ny databas: ingenting att ta över, migrate skapar tabellerna.")
            return
        recorder = MigrationRecorder(connection)
        applied = recorder.applied_migrations() if recorder.has_table() else {}
        if ADOPTED in applied:
            if not quiet:
                self.stdout.write("Användarmodellen är redan övertagen: ingenting att göra.")
            return
        if AUTH_LATEST not in applied:
            raise CommandError(
                f"{TABLE} finns men {AUTH_LATEST[0]}.{AUTH_LATEST[1]} är inte körd. Kör först "
                "migrate med den tidigare versionen av Delaktig, sedan det här kommandot."
            )
        missing_tables = [name for name in LINK_TABLES if name not in tables]
        with connection.cursor() as cursor:
            columns = {
                column.name
                for column in connection.introspection.get_table_description(cursor, TABLE)
            }
        missing_columns = sorted(COLUMNS - columns)
        if missing_tables or missing_columns:
            raise CommandError(
                f"{TABLE} ser inte ut som Djangos användartabell (saknar "
                f"{', '.join(missing_tables + missing_columns)}); ingenting ändrat."
            )
        recorder.record_applied(*ADOPTED)
        count = self._count(connection)
        self.stdout.write(
            f"Användarmodellen övertagen: {ADOPTED[0]}.{ADOPTED[1]} markerad som körd, "
            f"{count} användare oförändrade. Kör nu migrate."
        )

    @staticmethod
    def _count(connection: Any) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")  # noqa: S608
            row = cursor.fetchone()
        return int(row[0])
