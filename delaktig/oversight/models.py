"""Tasks shown in a staff member's inbox (R-LIFE-2; reminders come in R-FU-1)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from delaktig.core.models import AppendOnlyError
from delaktig.organisation.models import Municipality
from delaktig.people.models import Case


class TaskKind(models.TextChoices):
    CONTACT_PERSON = "contact_person", "Kontakta den enskilde"
    PLAN_DUE = "plan_due", "Genomförandeplanen ska fastställas"
    PLAN_OVERDUE = "plan_overdue", "Genomförandeplanen är försenad"
    FOLLOW_UP_DUE = "follow_up_due", "Planen ska följas upp"
    FOLLOW_UP_OVERDUE = "follow_up_overdue", "Uppföljningen är försenad"


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
    # Reminders (send_reminders) are idempotent: one task per key and user, e.g.
    # "follow_up_due:plan:12:2026-09-20:before" (R-FU-1).
    key = models.CharField("nyckel", max_length=100, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name="plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "uppgift"
        verbose_name_plural = "uppgifter"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="task_unique_key_per_user"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "due_on"], condition=Q(done_at__isnull=True), name="task_open"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SchedulerNotice(models.Model):
    """What the scheduler must schedule after a home-care plan is established (R-LIFE-7, S1).

    ``items`` is a list of ``{"intervention", "when", "duration_minutes",
    "times_per_week", "weekdays", "time_of_day"}`` taken from the established
    version; the notice itself holds no name or personnummer (the scheduler
    opens the person through the link, which is access-logged).
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name="enhet", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="+"
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion", verbose_name="planversion", on_delete=models.PROTECT, related_name="+"
    )
    items = models.JSONField("att schemalägga", default=list)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    handled_at = models.DateTimeField("hanterad", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "meddelande till planerare"
        verbose_name_plural = "meddelanden till planerare"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["unit", "created_at"],
                condition=Q(handled_at__isnull=True),
                name="scheduler_open",
            )
        ]

    def __str__(self) -> str:
        return f"Schemaläggning {self.created_at:%Y-%m-%d}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Väntar på att skickas"
    SENT = "sent", "Skickat"
    FAILED = "failed", "Misslyckades (försöks igen)"
    UNADDRESSED = "unaddressed", "Ingen adress – skickas inte"


#: The only columns of an outgoing message that change after it is written.
DELIVERY_FIELDS = frozenset(
    {"status", "attempts", "last_error", "last_attempt_at", "claimed_at", "sent_at"}
)
_CONTENT_FIXED = "Vad ett utgående meddelande säger kan inte ändras."


class NotificationQuerySet(models.QuerySet["Notification"]):
    def update(self, **kwargs: Any) -> int:
        if not kwargs.keys() <= DELIVERY_FIELDS:
            raise AppendOnlyError(_CONTENT_FIXED)
        return super().update(**kwargs)


class Notification(models.Model):
    """An outgoing message (outbox): what was sent, to whom, when (R-FU-6).

    The e-mail body never holds personal data — only a link into the system,
    where reading is access-controlled and logged (R-LIFE-8).

    The row is written inside the service's transaction and sent after commit
    (``delaktig.oversight.outbox``), so a rollback sends nothing and an SMTP
    failure loses nothing. *What* is sent (municipality, case, kind, recipient,
    subject, body, author, creation time) can never change — a database trigger
    refuses it (``core.triggers.outbox_guard_statements``) — and a sent message
    stays sent. Only the delivery columns below change, and only forwards.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("typ", max_length=40)
    recipient = models.CharField("mottagare", max_length=254)
    subject = models.CharField("ämne", max_length=200)
    body = models.TextField("meddelande")
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Delivery: changed by the outbox only.
    status = models.CharField(
        "status", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField("försök", default=0)
    # The error's kind and code only (e.g. "ConnectionRefusedError errno 111"), never
    # the server's text: SMTP replies may quote the recipient's address.
    last_error = models.CharField("senaste fel", max_length=200, blank=True)
    last_attempt_at = models.DateTimeField("senaste försök", null=True, blank=True)
    # SQLite has no SKIP LOCKED: a sender claims the row with a conditional update
    # and holds the claim until it records the outcome (a stale claim expires).
    claimed_at = models.DateTimeField("hämtat för sändning", null=True, blank=True)
    sent_at = models.DateTimeField("skickad", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "utgående meddelande"
        verbose_name_plural = "utgående meddelanden"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status"],
                condition=Q(status__in=["pending", "failed"]),
                name="notification_unsent",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new message is written whole; afterwards only its delivery columns change."""
        fields = kwargs.get("update_fields")
        if not self._state.adding and (fields is None or not set(fields) <= DELIVERY_FIELDS):
            raise AppendOnlyError(_CONTENT_FIXED)
        super().save(*args, **kwargs)
