"""Plans and their versions (R-LIFE-3).

A plan belongs to a case. Its content lives in numbered versions; a version
that is sent for signing or established never changes again (a change makes a
new version). The plan row carries the stored, indexed summary the overview
reads: which version is in force, when it was established and when the next
follow-up is due.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from delaktig.organisation.models import Municipality, Unit
from delaktig.people.models import Case, GrantedIntervention


class VersionState(models.TextChoices):
    DRAFT = "draft", "Utkast"
    READY_FOR_SIGNING = "ready_for_signing", "Klar för signering"
    ESTABLISHED = "established", "Fastställd"
    SUPERSEDED = "superseded", "Ersatt"
    CLOSED = "closed", "Avslutad"


FROZEN_STATES = {
    VersionState.READY_FOR_SIGNING,
    VersionState.ESTABLISHED,
    VersionState.SUPERSEDED,
    VersionState.CLOSED,
}


class Plan(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="plans"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    # Stored summary, kept by the services (plans/services.py).
    established_version = models.ForeignKey(
        "PlanVersion",
        verbose_name="gällande version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    established_on = models.DateField("fastställd", null=True, blank=True)
    next_follow_up_on = models.DateField("nästa uppföljning", null=True, blank=True)

    class Meta:
        verbose_name = "genomförandeplan"
        verbose_name_plural = "genomförandeplaner"
        indexes = [
            models.Index(
                fields=["unit", "next_follow_up_on"],
                condition=Q(next_follow_up_on__isnull=False),
                name="plan_follow_up_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Genomförandeplan {self.pk}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="plan", on_delete=models.PROTECT, related_name="versions"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("version")
    state = models.CharField(
        "status", max_length=20, choices=VersionState.choices, default=VersionState.DRAFT
    )
    content = models.JSONField("innehåll", default=dict, blank=True)
    interventions = models.ManyToManyField(
        GrantedIntervention, verbose_name="insatser", related_name="plan_versions", blank=True
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField("ändrad", auto_now=True)
    established_on = models.DateField("fastställd", null=True, blank=True)
    established_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "planversion"
        verbose_name_plural = "planversioner"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            models.CheckConstraint(
                name="plan_version_established_has_date",
                condition=~Q(state__in=["established", "superseded"])
                | Q(established_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_state_display()})"
