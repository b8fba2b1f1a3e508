"""The migration operation that lets ``accounts.User`` take over an existing auth_user."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class CreateModelUnlessTableExists(migrations.CreateModel):
    """``CreateModel`` that leaves the tables alone when ``db_table`` is already there.

    On a fresh database it creates ``auth_user`` and its two link tables like any
    ``CreateModel``. On a database made while ``auth.User`` was the user model the
    tables exist with the same columns and rows; creating them again would fail, and
    dropping them would lose every user. The state is the same either way.
    (``adopt_custom_user`` records this migration as applied on such a database, so
    this only matters for one migrated by other means.)

    Not reversible: going back would drop the users every other table points at.
    """

    reversible = False

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.name)
        if model._meta.db_table in schema_editor.connection.introspection.table_names():
            return
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Create model {self.name} unless its table exists already"
