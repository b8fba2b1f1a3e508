"""Tasks shown in a staff member's inbox (R-LIFE-2; reminders come in R-FU-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from delaktig.organisation.models import Municipality
from delaktig.people.models import Case


class TaskKind(models.TextChoices):
    CONTACT_PERSON = "contact_person", "Kontakta den enskilde"


class Task(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mottagare",
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("typ", max_length=30, choices=TaskKind.choices)
    due_on = models.DateField("senast")
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    done_at = models.DateTimeField("klar", null=True, blank=True)

    class Meta:
        verbose_name = "uppgift"
        verbose_name_plural = "uppgifter"
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["user", "due_on"], condition=Q(done_at__isnull=True), name="task_open"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
