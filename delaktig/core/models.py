"""Abstract base models shared by the feature apps (no tables of their own).

Append-only rows (the audit trail, the access log, the journal, signatures,
handovers, follow-ups, archive packages and receipts, disposal records) are
refused updates and deletes here, in the ORM; database triggers
(``core.triggers``) refuse them too, for raw SQL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an append-only row."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} kan inte ändras.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} kan inte tas bort.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} kan inte ändras.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} kan inte tas bort.")


class RecordedModel(AppendOnlyModel):
    """An append-only record that says when it was recorded and by whom."""

    recorded_at = models.DateTimeField("registrerad", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerad av",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
