"""Plans and their versions (R-LIFE-3).

A plan belongs to a case. Its content lives in numbered versions; a version
that is sent for signing or established never changes again (a change makes a
new version). The plan row carries the stored, indexed summary the overview
reads: which version is in force, when it was established and when the next
follow-up is due.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from delaktig import rules
from delaktig.core.models import RecordedModel
from delaktig.organisation.models import Municipality, Unit
from delaktig.people.models import Case, GrantedIntervention

# The states, the allowed changes and the frozen columns are data, in states.py;
# VersionState is re-exported, as it was defined here before.
from delaktig.plans.states import FROZEN_FIELDS, FROZEN_ONCE_SET, allowed
from delaktig.plans.states import VersionState as VersionState

from .content import to_plan_content


class FrozenVersionError(Exception):
    """A version sent for signing or established cannot change (R-LIFE-3, R-ARC-1)."""


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
    # The system's own time of establishment, beside the date the plan states (issue 9).
    established_at = models.DateTimeField("fastställd i Delaktig", null=True, blank=True)
    # Set (never empty) only when a plan established on paper earlier is registered
    # afterwards; such a plan never counts as established in time.
    registered_afterwards_reason = models.TextField(  # noqa: DJ001 — NULL: not afterwards
        "skäl till registrering i efterhand", null=True, blank=True
    )
    # Optimistic locking of drafts: every save increments it (R-LIFE-3, two editors).
    lock_version = models.PositiveIntegerField("låsversion", default=1)
    content_sha256 = models.CharField("SHA-256 av innehållet", max_length=64, blank=True)
    sent_for_signing_at = models.DateTimeField("skickad för signering", null=True, blank=True)
    sent_for_signing_by = models.ForeignKey(
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
                condition=~Q(state="established") | Q(established_on__isnull=False),
            ),
            models.CheckConstraint(
                name="plan_version_afterwards_has_reason",
                condition=Q(registered_afterwards_reason__isnull=True)
                | ~Q(registered_afterwards_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_state_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse, in the ORM too, any change to a frozen version (the trigger is the backstop).

        What is frozen and which state changes are allowed: ``plans/states.py``.
        """
        loaded: dict[str, Any] = getattr(self, "_loaded", {})
        old_state = loaded.get("state")
        if old_state is not None and old_state != VersionState.DRAFT:
            changed = [f for f in FROZEN_FIELDS if f in loaded and loaded[f] != getattr(self, f)]
            if changed:
                raise FrozenVersionError(
                    f"Version {self.number} är {VersionState(old_state).label.lower()} "
                    "och kan inte ändras – skapa en ny version."
                )
        once = [
            f
            for f in FROZEN_ONCE_SET
            if loaded.get(f) is not None and loaded.get(f) != getattr(self, f)
        ]
        if once:
            raise FrozenVersionError(
                f"Version {self.number}: {', '.join(once)} är redan satt och ändras inte."
            )
        if old_state is not None and not allowed(old_state, self.state):
            raise FrozenVersionError(
                f"Version {self.number} kan inte gå från "
                f"{VersionState(old_state).label.lower()} till "
                f"{VersionState(self.state).label.lower()}."
            )
        super().save(*args, **kwargs)
        self._loaded = {
            name: getattr(self, name) for name in ("state", *FROZEN_FIELDS, *FROZEN_ONCE_SET)
        }

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenVersionError("En planversion tas aldrig bort.")

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> PlanVersion:
        instance: PlanVersion = super().from_db(db, field_names, values)
        instance._loaded = {
            name: getattr(instance, name)
            for name in ("state", *FROZEN_FIELDS, *FROZEN_ONCE_SET)
            if name in field_names
        }
        return instance

    @property
    def is_frozen(self) -> bool:
        return self.state != VersionState.DRAFT

    def rules_content(self) -> rules.PlanContent:
        return to_plan_content(self.content)

    @property
    def registered_afterwards(self) -> bool:
        return self.registered_afterwards_reason is not None


class SignatureMethod(models.TextChoices):
    IN_SYSTEM = "in_system", "I systemet"
    ON_PAPER = "on_paper", "På papper vid besök"


class SignerRole(models.TextChoices):
    PERSON = rules.Signer.PERSON.value, "Den enskilde"
    CONTACT_PERSON = rules.Signer.CONTACT_PERSON.value, "Kontaktman"
    UNIT_MANAGER = rules.Signer.UNIT_MANAGER.value, "Enhetschef"
    STAFF_MEMBER = rules.Signer.STAFF_MEMBER.value, "Medarbetare"


class Signature(RecordedModel):
    """One required signature on one exact version (R-LIFE-4).

    ``content_sha256`` is the hash of the canonical content that was signed; a
    signature whose hash differs from the version's is void. For the person,
    ``signed=False`` records that they did not sign, with the reason (S1).
    """

    version = models.ForeignKey(
        PlanVersion, verbose_name="version", on_delete=models.PROTECT, related_name="signatures"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("roll", max_length=20, choices=SignerRole.choices)
    signed = models.BooleanField("signerad", default=True)
    not_signed_reason = models.TextField("anledning till att planen inte signerats", blank=True)
    signer_name = models.CharField("namn", max_length=150)
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField("hur", max_length=20, choices=SignatureMethod.choices)
    signed_on = models.DateField("datum")
    content_sha256 = models.CharField("SHA-256 av signerat innehåll", max_length=64)

    class Meta:
        verbose_name = "signatur"
        verbose_name_plural = "signaturer"
        ordering = ["version", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="signature_one_per_role"),
            models.CheckConstraint(
                name="signature_or_reason",
                condition=Q(signed=True) | ~Q(not_signed_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.signer_name}"


class Handover(RecordedModel):
    """The contact person went through the plan with the person and handed it over (R-LIFE-5)."""

    version = models.ForeignKey(
        PlanVersion, verbose_name="version", on_delete=models.PROTECT, related_name="handovers"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    gone_through_on = models.DateField("genomgången med den enskilde")
    communicated_on = models.DateField("kommunicerad/överlämnad")
    how = models.CharField("hur", max_length=200)

    class Meta:
        verbose_name = "överlämnande"
        verbose_name_plural = "överlämnanden"
        constraints = [
            models.CheckConstraint(
                name="handover_dates_in_order",
                condition=Q(communicated_on__gte=models.F("gone_through_on")),
                violation_error_message="Planen kan inte lämnas över innan den gåtts igenom.",
            )
        ]

    def __str__(self) -> str:
        return f"Överlämnad {self.communicated_on:%Y-%m-%d}"


class PlanTemplate(models.Model):
    """Headings, help texts and example wordings of the plan form (R-PLAN-13).

    ``sections`` overrides the built-in texts per section key (see
    ``plans.templates_text.DEFAULT_SECTIONS``); a routine profile names the
    template by ``code``.
    """

    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField("kod", max_length=50)
    name = models.CharField("namn", max_length=150)
    sections = models.JSONField("avsnitt", default=dict, blank=True)

    class Meta:
        verbose_name = "planmall"
        verbose_name_plural = "planmallar"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="template_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class FollowUp(RecordedModel):
    """A follow-up of the whole plan (R-FU-1..6), recorded on the version in force.

    Outcome "no change" moves the next due date on; "change" starts a new plan
    version (R-FU-3). ``goal_outcomes`` is a list of ``{"intervention", "goal",
    "outcome"}`` with ``outcome`` a ``rules.GoalOutcome`` value.
    """

    plan = models.ForeignKey(
        Plan, verbose_name="plan", on_delete=models.PROTECT, related_name="follow_ups"
    )
    version = models.ForeignKey(
        PlanVersion,
        verbose_name="uppföljd version",
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("uppföljningen gjordes")
    due_on = models.DateField("skulle göras senast", null=True, blank=True)
    how = models.CharField("på vilket sätt", max_length=300)
    participants = models.JSONField("deltagare", default=list)
    person_view = models.TextField("hur den enskilde uppfattar insatserna")
    assessment_methods = models.TextField("standardiserade bedömningsmetoder", blank=True)
    carried_out_as_decided = models.TextField(
        "har insatsen genomförts enligt beslut och författningar"
    )
    situation = models.TextField("bedömning av den enskildes situation")
    action_needs = models.TextField("behov av åtgärder", blank=True)
    goal_outcomes = models.JSONField("måluppfyllelse", default=list)
    answers = models.JSONField("svar på uppföljningsfrågorna", default=list, blank=True)
    outcome = models.CharField(
        "resultat",
        max_length=20,
        choices=[
            (rules.FollowUpOutcome.NO_CHANGE.value, "Ingen förändring – planen gäller"),
            (rules.FollowUpOutcome.CHANGE.value, "Förändring – ny version av planen"),
        ],
    )
    need_change = models.CharField(
        "behovet av stöd",
        max_length=20,
        choices=[
            (rules.NeedChange.UNCHANGED.value, "Oförändrat"),
            (rules.NeedChange.INCREASED.value, "Har ökat"),
            (rules.NeedChange.DECREASED.value, "Har minskat"),
        ],
    )
    disclosure_reviewed = models.BooleanField("vem som får ta del av planen är omprövat")
    master_data_checked = models.BooleanField("personuppgifterna är kontrollerade", default=False)

    class Meta:
        verbose_name = "uppföljning"
        verbose_name_plural = "uppföljningar"
        ordering = ["plan", "-held_on"]
        indexes = [models.Index(fields=["unit", "held_on"], name="follow_up_unit_held")]

    def __str__(self) -> str:
        return f"Uppföljning {self.held_on:%Y-%m-%d}"


class HslConfirmation(RecordedModel):
    """The author confirmed that one flagged text is not health-care documentation (R-PLAN-11).

    S0/S3: HSL measures "får inte dokumenteras och blandas in i
    genomförandeplanen". A version whose text the detector flags is sent for
    signing only when its author has confirmed each hit (a field and a word) or
    removed it; the confirmations are bound to the content sent and shown to the
    signers.
    """

    version = models.ForeignKey(
        PlanVersion,
        verbose_name="version",
        on_delete=models.PROTECT,
        related_name="hsl_confirmations",
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    field = models.CharField("fält", max_length=300)
    term = models.CharField("ord", max_length=200)
    category = models.CharField("kategori", max_length=200, blank=True)
    content_sha256 = models.CharField("SHA-256 av innehållet", max_length=64)

    class Meta:
        verbose_name = "bekräftelse: inte hälso- och sjukvård"
        verbose_name_plural = "bekräftelser: inte hälso- och sjukvård"
        ordering = ["version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "field", "term"], name="hsl_confirmation_once"
            )
        ]

    def __str__(self) -> str:
        return f"”{self.term}” i {self.field}"


class Approver(models.TextChoices):
    PERSON = rules.Approver.PERSON.value, "Den enskilde"
    RELATIVE = rules.Approver.RELATIVE.value, "Anhörig"


class ChangeApproval(RecordedModel):
    """The person or a relative approved the changes in a new version (S0/S3).

    "Den enskilde och/eller anhörig ska godkänna ändringar i
    genomförandeplanen." A relative here is a *närstående* of the person, never
    a legal representative or staff. The person's own signature on the version
    approves it too; this records an approval given otherwise (e.g. a relative
    by telephone).
    """

    version = models.ForeignKey(
        PlanVersion, verbose_name="version", on_delete=models.PROTECT, related_name="approvals"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    approver = models.CharField("vem", max_length=20, choices=Approver.choices)
    relative = models.ForeignKey(
        "people.Relative",
        verbose_name="anhörig",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approver_name = models.CharField("namn", max_length=150)
    approved_on = models.DateField("godkänd")
    how = models.CharField("hur", max_length=200)
    content_sha256 = models.CharField("SHA-256 av godkänt innehåll", max_length=64)

    class Meta:
        verbose_name = "godkännande av ändringar"
        verbose_name_plural = "godkännanden av ändringar"
        ordering = ["version", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                name="approval_relative_named",
                condition=Q(approver="person", relative__isnull=True)
                | Q(approver="relative", relative__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_approver_display()}: {self.approver_name}"


class CorrectedDate(models.TextChoices):
    SIGNED_ON = "signed_on", "datum för signaturen på papper"
    GONE_THROUGH_ON = "gone_through_on", "datum då planen gicks igenom"
    COMMUNICATED_ON = "communicated_on", "datum då planen lämnades över"
    HELD_ON = "held_on", "datum för uppföljningen"


class DateCorrection(RecordedModel):
    """A wrongly entered date, corrected: a new event that points to what it corrects (issue 9).

    The record it corrects (a paper signature, a handover or a follow-up) never
    changes; the old value stays, this row says what it should have been, why,
    who and when.
    A later correction of the same date points to this one (``corrects``), so
    the history reads as a chain; the newest is the date that counts.
    """

    version = models.ForeignKey(
        PlanVersion, verbose_name="version", on_delete=models.PROTECT, related_name="corrections"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    signature = models.ForeignKey(
        Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    handover = models.ForeignKey(
        Handover, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    follow_up = models.ForeignKey(
        "FollowUp", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name="rättar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField("datum", max_length=30, choices=CorrectedDate.choices)
    old_value = models.DateField("tidigare datum")
    new_value = models.DateField("rätt datum")
    reason = models.TextField("skäl")

    class Meta:
        verbose_name = "rättat datum"
        verbose_name_plural = "rättade datum"
        ordering = ["version", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="date_correction_one_target",
                condition=Q(signature__isnull=False, handover__isnull=True, follow_up__isnull=True)
                | Q(signature__isnull=True, handover__isnull=False, follow_up__isnull=True)
                | Q(signature__isnull=True, handover__isnull=True, follow_up__isnull=False),
            ),
            models.CheckConstraint(name="date_correction_has_reason", condition=~Q(reason="")),
            models.UniqueConstraint(fields=["corrects"], name="date_correction_one_successor"),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.old_value} → {self.new_value}"

    @property
    def record(self) -> str:
        """What it corrects: ``"signature-<id>"``, ``"handover-<id>"`` or ``"follow_up-<id>"``."""
        if self.signature_id:
            return f"signature-{self.signature_id}"
        if self.handover_id:
            return f"handover-{self.handover_id}"
        return f"follow_up-{self.follow_up_id}"


def newest_corrections(
    corrections: Iterable[DateCorrection],
) -> dict[tuple[str, str], DateCorrection]:
    """The correction that counts, per (record, field): the newest (issue 9)."""
    newest: dict[tuple[str, str], DateCorrection] = {}
    for c in sorted(corrections, key=lambda c: (c.recorded_at, c.pk)):
        newest[(c.record, c.field)] = c
    return newest
