"""The audit trail and the access log (R-ARC-1, R-LIFE-8).

Both are append-only: the ORM refuses updates and deletes, and database
triggers (migration 0002) refuse them too, on SQLite and PostgreSQL. Rows carry
ids, never names or personnummer, so the trail itself holds no personal data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from delaktig.core.models import AppendOnlyModel
from delaktig.organisation.models import Unit
from delaktig.people.models import Case, Person

from .audit_models import AuditEvent

__all__ = ["AccessAction", "AccessLog", "AuditEvent", "JournalEntry", "JournalKind"]


class AccessAction(models.TextChoices):
    VIEW_PERSON = "view_person", "Öppnade personen"
    VIEW_PLAN = "view_plan", "Läste plan"
    PRINT_PLAN = "print_plan", "Skrev ut plan"
    EXPORT = "export", "Exporterade uppgifter"
    VIEW_LIST = "view_list", "Såg personen i en lista"


class AccessLog(AppendOnlyModel):
    """Who opened which person's file and when (loggkontroll, R-LIFE-8)."""

    at = models.DateTimeField("tidpunkt", auto_now_add=True, db_index=True)
    municipality = models.ForeignKey(
        "organisation.Municipality",
        verbose_name="kommun",
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, null=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="enhet", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField("åtgärd", max_length=20, choices=AccessAction.choices)
    object_id = models.CharField("objekt-id", max_length=64, blank=True)

    class Meta:
        verbose_name = "åtkomstlogg"
        verbose_name_plural = "åtkomstlogg"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["person", "at"], name="access_person"),
            models.Index(fields=["unit", "at"], name="access_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class JournalKind(models.TextChoices):
    PLAN_STARTED = "plan_started", "Genomförandeplan påbörjad"
    PLAN_SENT_FOR_SIGNING = "plan_sent_for_signing", "Genomförandeplan klar för signering"
    PLAN_SIGNED = "plan_signed", "Genomförandeplan signerad"
    PLAN_ESTABLISHED = "plan_established", "Genomförandeplan fastställd"
    PLAN_UPDATED = "plan_updated", "Genomförandeplan uppdaterad"
    PLAN_COMMUNICATED = "plan_communicated", "Genomförandeplan kommunicerad"
    PLAN_FOLLOWED_UP = "plan_followed_up", "Genomförandeplan uppföljd"
    DATE_CORRECTED = "date_corrected", "Datum rättat"
    NOTE = "note", "Anteckning"


class JournalEntry(AppendOnlyModel):
    """An entry in the person's social record (social dokumentation), R-LIFE-6.

    The services write these automatically, with date and author, when a plan
    is established, updated, communicated or followed up.
    """

    municipality = models.ForeignKey(
        "organisation.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="journal_entries"
    )
    at = models.DateTimeField("tidpunkt", auto_now_add=True)
    happened_on = models.DateField("händelsedatum")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="författare",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("typ", max_length=30, choices=JournalKind.choices)
    text = models.TextField("text")
    plan_version = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name="planversion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
    )

    class Meta:
        verbose_name = "journalanteckning"
        verbose_name_plural = "journalanteckningar"
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "at"], name="journal_case")]

    def __str__(self) -> str:
        return f"{self.happened_on:%Y-%m-%d} {self.get_kind_display()}"
