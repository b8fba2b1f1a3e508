"""Disposal (*gallring*) of person files: settings, proposals and the disposal record (R-ARC-3).

See ``docs/disposal.md`` for the whole flow: propose
(``manage.py propose_disposal``) → approve or reject (the archivist, web UI) →
execute (``manage.py execute_disposal --execute``) → the append-only
:class:`DisposalRecord`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from delaktig import rules
from delaktig.core.models import AppendOnlyModel
from delaktig.organisation.models import Field, Municipality
from delaktig.people.models import InterventionType

DEFAULT_RETENTION_YEARS = 5


class ResearchSampleOverride(models.TextChoices):
    """A local decision that sets the research sample apart from what the kommunkod gives."""

    NONE = "", "Ingen – enligt kommunkoden"
    ALL = rules.ResearchSample.ALL.value, "Alla akter bevaras"
    BIRTH_DAYS = rules.ResearchSample.BIRTH_DAYS.value, "Bara akter om personer födda den 5, 15, 25"


class RetentionPolicy(models.Model):
    """A municipality's disposal settings (one per municipality; every change is audited).

    Without a row the defaults apply: five years after the last entry
    (12 kap. 1 § SoL (2001:453) as cited in S0/S3) and the research sample the
    municipality's kommunkod gives (7 kap. 2 § socialtjänstförordningen).
    """

    municipality = models.OneToOneField(
        Municipality,
        verbose_name="kommun",
        on_delete=models.PROTECT,
        related_name="retention_policy",
    )
    retention_years = models.PositiveSmallIntegerField(
        "gallras år efter sista anteckningen",
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Huvudregeln är fem år (12 kap. 1 § SoL (2001:453)). Enheter i enskild "
        "verksamhet gallras efter två år (23 c § LSS).",
    )
    keep_research_sample = models.BooleanField(
        "bevara forskningsurvalet",
        default=True,
        help_text="Akter om personer födda den 5, 15 och 25 i månaden gallras inte "
        "(7 kap. 2 § socialtjänstförordningen (2001:937)).",
    )
    keep_all = models.BooleanField(
        "kommunen bevarar allt",
        default=False,
        help_text="Kommunen har beslutat att inget gallras.",
    )
    research_sample_override = models.CharField(
        "forskningsurval enligt lokalt beslut",
        max_length=20,
        choices=ResearchSampleOverride.choices,
        default=ResearchSampleOverride.NONE,
        blank=True,
        help_text="Lämna tomt så gäller kommunkoden: i Östergötlands, Gotlands och "
        "Västernorrlands län och i Göteborg bevaras alla akter, annars akter om personer "
        "födda den 5, 15 och 25 (7 kap. 2 § socialtjänstförordningen (2001:937)).",
    )
    research_sample_reason = models.TextField(
        "skäl för det lokala beslutet",
        blank=True,
        max_length=2000,
        help_text="Krävs när forskningsurvalet ändras genom lokalt beslut, till exempel "
        "beslutets diarienummer. Skriv inga namn eller personnummer.",
    )
    keep_fields = models.JSONField(
        "verksamhetsområden som bevaras",
        default=list,
        blank=True,
        help_text="En akt med något ärende på en enhet inom dessa områden gallras inte.",
    )
    keep_intervention_types = models.ManyToManyField(
        InterventionType,
        verbose_name="insatstyper som bevaras",
        blank=True,
        related_name="+",
        help_text="En akt med någon beviljad insats av dessa typer gallras inte.",
    )
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    class Meta:
        verbose_name = "gallringsinställning"
        verbose_name_plural = "gallringsinställningar"
        constraints = [
            models.CheckConstraint(
                name="retention_years_at_least_one", condition=Q(retention_years__gte=1)
            ),
            models.CheckConstraint(
                name="research_sample_override_has_reason",
                condition=Q(research_sample_override="") | ~Q(research_sample_reason=""),
                violation_error_message="Skriv skälet för det lokala beslutet.",
            ),
        ]

    def __str__(self) -> str:
        return f"Gallring – {self.municipality}"

    def clean(self) -> None:
        valid = set(Field.values)
        if not isinstance(self.keep_fields, list) or not set(self.keep_fields) <= valid:
            raise ValidationError({"keep_fields": "Okänt verksamhetsområde."})
        self.research_sample_reason = (self.research_sample_reason or "").strip()
        if self.research_sample_override and not self.research_sample_reason:
            raise ValidationError(
                {"research_sample_reason": "Skriv skälet för det lokala beslutet."}
            )
        if not self.research_sample_override:
            self.research_sample_reason = ""

    def research_sample(self) -> tuple[rules.ResearchSample, str]:
        """What the research sample keeps here, and why: ``kommunkod``, ``local_decision``
        or ``invalid_kommunkod`` (then everything is kept: never dispose what we cannot place).
        """
        if self.research_sample_override:
            return rules.ResearchSample(self.research_sample_override), "local_decision"
        try:
            return rules.research_sample_scope(self.municipality.code), "kommunkod"
        except rules.InvalidKommunkod:
            return rules.ResearchSample.ALL, "invalid_kommunkod"

    def snapshot(self) -> dict[str, Any]:
        """The settings as plain data (stored on each proposal; no personal data)."""
        types = (
            sorted(self.keep_intervention_types.values_list("code", flat=True)) if self.pk else []
        )
        scope, basis = self.research_sample()
        return {
            "retention_years": self.retention_years,
            "keep_research_sample": self.keep_research_sample,
            "keep_all": self.keep_all,
            "keep_fields": sorted(self.keep_fields),
            "keep_intervention_types": types,
            "research_sample": scope.value,
            "research_sample_basis": basis,
            "research_sample_reason": self.research_sample_reason,
        }


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Föreslagen"
    APPROVED = "approved", "Godkänd"
    REJECTED = "rejected", "Avslagen"
    EXECUTED = "executed", "Verkställd"


OPEN_STATUSES = (ProposalStatus.PROPOSED, ProposalStatus.APPROVED)


class DisposalProposal(models.Model):
    """A list of person files due for disposal on ``for_date``, to be decided by the archivist."""

    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    for_date = models.DateField("gallringsdatum")
    status = models.CharField(
        "status", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    policy = models.JSONField("inställningar när förslaget skapades", default=dict)
    decided_at = models.DateTimeField("beslutad", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beslutad av",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField("motivering", blank=True)
    executed_at = models.DateTimeField("verkställd", null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="verkställd av",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "gallringsförslag"
        verbose_name_plural = "gallringsförslag"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "status"], name="disposal_prop_status")]

    def __str__(self) -> str:
        return f"Gallringsförslag {self.pk} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ItemOutcome(models.TextChoices):
    PENDING = "", "Ej verkställd"
    DISPOSED = "disposed", "Gallrad"
    SKIPPED = "skipped", "Inte gallrad (akten har ändrats)"
    NEVER_DISPOSED = (
        "never_disposed",
        "Inte gallrad (får aldrig gallras, 12 kap. 2 § SoL (2001:453))",
    )
    HAND_OVER = "hand_over", "Inte gallrad (lämnas över till nämnden, 23 d § LSS)"


class DisposalProposalItem(models.Model):
    """One person file in a proposal. ``person_id`` is a plain id (the person row goes)."""

    proposal = models.ForeignKey(
        DisposalProposal, verbose_name="förslag", on_delete=models.PROTECT, related_name="items"
    )
    person_id = models.PositiveBigIntegerField("personakt (id)", db_index=True)
    last_entry = models.DateField("sista anteckning")
    disposal_date = models.DateField("får gallras från")
    unit_ids = models.JSONField("enheter (id)", default=list)
    counts = models.JSONField("antal handlingar", default=dict)
    outcome = models.CharField(
        "utfall", max_length=20, choices=ItemOutcome.choices, default="", blank=True
    )
    hand_over = models.BooleanField(
        "lämnas över i stället för att gallras",
        default=False,
        help_text="Ett barns LSS-akt hos en enskild verksamhet lämnas till nämnden som "
        "beslutade insatsen (23 d § LSS).",
    )
    handed_over_on = models.DateField("överlämnad, datum", null=True, blank=True)
    handed_over_to = models.CharField("överlämnad till", max_length=200, blank=True)
    handed_over_at = models.DateTimeField("överlämnandet registrerat", null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerat av",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "akt i gallringsförslag"
        verbose_name_plural = "akter i gallringsförslag"
        ordering = ["proposal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person_id"], name="disposal_item_unique_person"
            ),
            models.CheckConstraint(
                name="disposal_item_handed_over_only_if_to_hand_over",
                condition=Q(handed_over_at__isnull=True) | Q(hand_over=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Personakt {self.person_id}"

    @property
    def latest_disposal_date(self) -> date:
        """The file must be disposed by this day (31 December of the next year)."""
        return rules.latest_disposal_date(self.disposal_date)

    def is_overdue(self, on: date) -> bool:
        """Not yet disposed on ``on``, after its latest date (a file to hand over never is).

        Only meaningful while the proposal is open (proposed or approved).
        """
        return (
            self.outcome == ItemOutcome.PENDING
            and not self.hand_over
            and rules.is_overdue(self.disposal_date, on)
        )


class DisposalRecord(AppendOnlyModel):
    """What a disposal removed — kinds, counts, period, who decided and executed (R-ARC-3).

    Append-only (ORM and database trigger). Holds no personal data: no names,
    no personnummer, no person ids — only counts, dates, units and the staff
    who decided and executed.
    """

    proposal = models.OneToOneField(
        DisposalProposal,
        verbose_name="förslag",
        on_delete=models.PROTECT,
        related_name="record",
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="+"
    )
    person_files = models.PositiveIntegerField("gallrade personakter")
    skipped_files = models.PositiveIntegerField("personakter som inte gallrades", default=0)
    counts = models.JSONField(
        "handlingar",
        default=dict,
        help_text='Per slag: {"count": antal, "from": "ÅÅÅÅ-MM-DD", "to": "ÅÅÅÅ-MM-DD"}.',
    )
    period_from = models.DateField("tidigaste handling", null=True)
    period_to = models.DateField("senaste handling", null=True)
    unit_ids = models.JSONField("enheter (id)", default=list)
    policy = models.JSONField("tillämpade inställningar", default=dict)
    for_date = models.DateField("gallringsdatum")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beslutad av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("beslutad")
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="verkställd av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    executed_at = models.DateTimeField("verkställd")

    class Meta:
        verbose_name = "gallringsprotokoll"
        verbose_name_plural = "gallringsprotokoll"
        ordering = ["-executed_at"]

    def __str__(self) -> str:
        return f"Gallring {self.executed_at:%Y-%m-%d} ({self.person_files} akter)"


class DisposalGate(models.Model):
    """SQLite only: a row here opens the gated triggers for the running transaction.

    Inserted and deleted by ``disposal.gate.disposal_gate()`` inside the
    disposal's transaction; empty at every commit. See ``core/triggers.py``.
    """

    proposal_id = models.PositiveBigIntegerField()
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "disposal_gate"
        verbose_name = "gallringsspärr"
        verbose_name_plural = "gallringsspärrar"

    def __str__(self) -> str:
        return f"Spärr öppen för förslag {self.proposal_id}"
