"""Organisation tree, staff memberships and routine profiles (R-ORG-1..3).

Every table that grows carries its municipality key, so the data can later be
distributed by municipality (DESIGN.md, "Beyond one server").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from delaktig import rules

if TYPE_CHECKING:
    from delaktig.accounts.models import User


class Field(models.TextChoices):
    """Field of activity (verksamhetsområde), R-ORG-1 / S2 "Märkning"."""

    ELDERLY_CARE = "aldreomsorg", "Äldreomsorg"
    HOME_CARE = "hemtjanst", "Hemtjänst"
    DISABILITY = "funktionshinder", "Funktionshinderomsorg/LSS"
    SOCIAL_PSYCHIATRY = "socialpsykiatri", "Socialpsykiatri"
    ADDICTION = "missbruk", "Individ- och familjeomsorg/missbruk"
    HOUSING_SUPPORT = "boendestod", "Boendestöd"


def validate_kommunkod(value: str) -> None:
    """Four digits (SCB's kommunkod); the first two are the länskod."""
    try:
        rules.parse_kommunkod(value)
    except rules.InvalidKommunkod as exc:
        raise ValidationError(str(exc), code="kommunkod") from exc


class Provider(models.TextChoices):
    """Who runs a unit: the municipality, or a private provider (*enskild verksamhet*)."""

    MUNICIPAL = "municipal", "Kommunal verksamhet"
    PRIVATE = "private", "Enskild verksamhet"


class Municipality(models.Model):
    name = models.CharField("namn", max_length=100)
    code = models.CharField(
        "kommunkod",
        max_length=4,
        unique=True,
        validators=[validate_kommunkod],
        help_text="Fyra siffror, till exempel 0180. De två första är länskoden. Koden avgör "
        "forskningsurvalet vid gallring (7 kap. 2 § socialtjänstförordningen (2001:937)).",
    )
    routine_profile = models.ForeignKey(
        "RoutineProfile",
        verbose_name="rutinprofil",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "kommun"
        verbose_name_plural = "kommuner"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Administration(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="kommun",
        on_delete=models.PROTECT,
        related_name="administrations",
    )
    name = models.CharField("namn", max_length=150)
    routine_profile = models.ForeignKey(
        "RoutineProfile",
        verbose_name="rutinprofil",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Tomt = kommunens rutinprofil gäller.",
    )

    class Meta:
        verbose_name = "förvaltning"
        verbose_name_plural = "förvaltningar"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    administration = models.ForeignKey(
        Administration, verbose_name="förvaltning", on_delete=models.PROTECT, related_name="units"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("namn", max_length=150)
    field = models.CharField("verksamhetsområde", max_length=20, choices=Field.choices)
    provider = models.CharField(
        "driftform",
        max_length=20,
        choices=Provider.choices,
        default=Provider.MUNICIPAL,
        help_text="Enskild verksamhet: personakterna gallras två år efter sista anteckningen "
        "(23 c § LSS), ett barns LSS-akt lämnas i stället till nämnden som beslutade insatsen "
        "(23 d § LSS).",
    )
    routine_profile = models.ForeignKey(
        "RoutineProfile",
        verbose_name="rutinprofil",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Tomt = förvaltningens (annars kommunens) rutinprofil gäller.",
    )

    class Meta:
        verbose_name = "enhet"
        verbose_name_plural = "enheter"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # The municipality key is derived, never chosen: keep it consistent.
        self.municipality_id = self.administration.municipality_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def effective_profile_id(self) -> int | None:
        """The routine profile in force for this unit (unit → administration → municipality)."""
        return (
            self.routine_profile_id
            or self.administration.routine_profile_id
            or self.administration.municipality.routine_profile_id
        )


class Role(models.TextChoices):
    """Staff roles, R-ORG-2. Contact person is per person (see people.ContactAssignment)."""

    STAFF = "staff", "Personal"
    UNIT_MANAGER = "unit_manager", "Enhetschef"
    SCHEDULER = "scheduler", "Planerare"
    QUALITY_CONTROLLER = "quality_controller", "Kvalitetscontroller"
    ARCHIVIST = "archivist", "Arkivarie"
    ADMIN = "admin", "Systemadministratör"


UNIT_ROLES = {Role.STAFF, Role.UNIT_MANAGER, Role.SCHEDULER}
ADMINISTRATION_ROLES = {Role.QUALITY_CONTROLLER, Role.ARCHIVIST, Role.ADMIN}
# Roles whose holders work with the persons of their unit and may open them.
PERSON_READER_ROLES = {Role.STAFF, Role.UNIT_MANAGER, Role.SCHEDULER}


class Membership(models.Model):
    """A staff member's role at a unit, or at an administration for administration roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="användare",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="enhet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    administration = models.ForeignKey(
        Administration,
        verbose_name="förvaltning",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "medlemskap"
        verbose_name_plural = "medlemskap"
        constraints = [
            models.CheckConstraint(
                name="membership_scope_unit_xor_administration",
                condition=(Q(unit__isnull=False, administration__isnull=True))
                | (Q(unit__isnull=True, administration__isnull=False)),
                violation_error_message="Ange antingen enhet eller förvaltning, inte båda.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="membership_unique_unit_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "administration"],
                condition=Q(administration__isnull=False),
                name="membership_unique_administration_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.administration
        return f"{self.user} – {self.get_role_display()} – {scope}"


class RoutineProfile(models.Model):
    """A routine (rutin) as a named, versioned set of settings (R-ORG-3).

    The values live in :class:`RoutineProfileVersion`; the version in force on a
    date is the newest one whose ``valid_from`` is on or before it.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name="kommun",
        on_delete=models.PROTECT,
        related_name="routine_profiles",
    )
    name = models.CharField("namn", max_length=150)
    preset_code = models.CharField("förinställning", max_length=20, blank=True)

    class Meta:
        verbose_name = "rutinprofil"
        verbose_name_plural = "rutinprofiler"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FollowUpParticipation(models.TextChoices):
    NONE_REQUIRED = rules.FollowUpParticipation.NONE_REQUIRED.value, "Inget krav"
    PERSON = rules.FollowUpParticipation.PERSON.value, "Den enskilde"
    PERSON_OR_RELATIVE = (
        rules.FollowUpParticipation.PERSON_OR_RELATIVE.value,
        "Den enskilde och/eller anhörig",
    )
    PERSON_AND_RELATIVE = (
        rules.FollowUpParticipation.PERSON_AND_RELATIVE.value,
        "Den enskilde och anhörig",
    )


class ChangeApproval(models.TextChoices):
    NONE_REQUIRED = rules.ChangeApproval.NONE_REQUIRED.value, "Inget krav"
    PERSON = rules.ChangeApproval.PERSON.value, "Den enskilde"
    PERSON_OR_RELATIVE = (
        rules.ChangeApproval.PERSON_OR_RELATIVE.value,
        "Den enskilde och/eller anhörig",
    )


class RoutineProfileVersion(models.Model):
    """One decided version of a routine, with document control (S3 header)."""

    profile = models.ForeignKey(
        RoutineProfile,
        verbose_name="rutinprofil",
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField("version")
    valid_from = models.DateField("gäller från")
    # Document control (S3: ansvarig, fastställd av, beslutad, reviderad).
    owner = models.CharField("ansvarig för rutinen", max_length=150, blank=True)
    decided_by = models.CharField("fastställd av", max_length=150, blank=True)
    decided_on = models.DateField("beslutad, datum", null=True, blank=True)
    revised_on = models.DateField("reviderad, datum", null=True, blank=True)
    source = models.TextField("källa", blank=True)
    # Settings — every rule that differs between routines (R-ORG-3).
    establish_within_days = models.PositiveIntegerField(
        "plan upprättad inom (dagar)", validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    follow_up_interval_months = models.PositiveIntegerField(
        "uppföljning minst var (månad)", validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    follow_up_on_change = models.BooleanField("uppföljning vid förändring", default=True)
    new_version_on_new_intervention = models.BooleanField("ny plan vid nya insatser", default=False)
    new_version_at_follow_up = models.BooleanField(
        "ny plan vid varje uppföljning",
        default=False,
        help_text="En uppföljning kan inte avslutas med ”ingen förändring” (rutin S4).",
    )
    activities_required = models.BooleanField(
        "varje insats har aktiviteter med ansvarig",
        default=False,
        help_text="Vem ska göra vad (rutin S4).",
    )
    other_information_required = models.BooleanField(
        "annan information är obligatorisk",
        default=False,
        help_text="Annan information som är av vikt vid utförandet ska framgå (rutin S1).",
    )
    change_approval = models.CharField(
        "godkännande av ändringar",
        max_length=30,
        choices=ChangeApproval.choices,
        default=ChangeApproval.NONE_REQUIRED,
        help_text="Vem som ska godkänna en ny version av en fastställd plan (rutin S0/S3).",
    )
    signer_person = models.BooleanField("den enskilde signerar", default=True)
    signer_contact_person = models.BooleanField("kontaktman signerar", default=False)
    signer_unit_manager = models.BooleanField("enhetschef signerar", default=False)
    signer_staff_member = models.BooleanField("medarbetare signerar", default=False)
    person_may_decline_signing_with_reason = models.BooleanField(
        "den enskilde kan avstå signering med angiven anledning", default=True
    )
    follow_up_participation = models.CharField(
        "deltagande vid uppföljning",
        max_length=30,
        choices=FollowUpParticipation.choices,
        default=FollowUpParticipation.PERSON,
    )
    notify_scheduler = models.BooleanField("planeraren meddelas vid fastställande", default=False)
    master_data_check = models.BooleanField(
        "kontroll av uppgifter och övrig information", default=False
    )
    template_code = models.CharField("mall", max_length=50, default="standard")
    reminder_days_before = models.PositiveIntegerField(
        "påminnelse dagar före", default=14, validators=[MaxValueValidator(365)]
    )
    due_soon_days = models.PositiveIntegerField(
        "snart förfallen (dagar)", default=7, validators=[MaxValueValidator(90)]
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)

    class Meta:
        verbose_name = "rutinprofilversion"
        verbose_name_plural = "rutinprofilversioner"
        ordering = ["profile", "-valid_from", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="routine_version_unique"),
            models.CheckConstraint(
                name="routine_version_deadline_range",
                condition=Q(establish_within_days__gte=1, establish_within_days__lte=365),
            ),
            models.CheckConstraint(
                name="routine_version_interval_range",
                condition=Q(follow_up_interval_months__gte=1, follow_up_interval_months__lte=36),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} v{self.number} (från {self.valid_from:%Y-%m-%d})"

    def signers(self) -> frozenset[rules.Signer]:
        chosen = {
            rules.Signer.PERSON: self.signer_person,
            rules.Signer.CONTACT_PERSON: self.signer_contact_person,
            rules.Signer.UNIT_MANAGER: self.signer_unit_manager,
            rules.Signer.STAFF_MEMBER: self.signer_staff_member,
        }
        return frozenset(signer for signer, on in chosen.items() if on)

    def to_rules(self, overrides: list[InterventionOverride] | None = None) -> rules.RoutineProfile:
        """The pure-rules view of this version (overrides from ``self.overrides`` if not given)."""
        if overrides is None:
            overrides = list(self.overrides.select_related("intervention_type"))
        return rules.RoutineProfile(
            establish_within_days=self.establish_within_days,
            follow_up_interval_months=self.follow_up_interval_months,
            follow_up_on_change=self.follow_up_on_change,
            new_version_on_new_intervention=self.new_version_on_new_intervention,
            new_version_at_follow_up=self.new_version_at_follow_up,
            activities_required=self.activities_required,
            other_information_required=self.other_information_required,
            change_approval=rules.ChangeApproval(self.change_approval),
            required_signers=self.signers(),
            person_may_decline_signing_with_reason=self.person_may_decline_signing_with_reason,
            follow_up_participation=rules.FollowUpParticipation(self.follow_up_participation),
            notify_scheduler=self.notify_scheduler,
            master_data_check=self.master_data_check,
            template_code=self.template_code,
            reminder_days_before=self.reminder_days_before,
            due_soon_days=self.due_soon_days,
            intervention_overrides={
                o.intervention_type.code: rules.InterventionOverride(
                    establish_within_days=o.establish_within_days,
                    follow_up_interval_months=o.follow_up_interval_months,
                )
                for o in overrides
            },
        )


class InterventionOverride(models.Model):
    """A routine's different numbers for one intervention type (e.g. short-term stays)."""

    version = models.ForeignKey(
        RoutineProfileVersion,
        verbose_name="rutinprofilversion",
        on_delete=models.PROTECT,
        related_name="overrides",
    )
    intervention_type = models.ForeignKey(
        "people.InterventionType", verbose_name="insatstyp", on_delete=models.PROTECT
    )
    establish_within_days = models.PositiveIntegerField(
        "plan upprättad inom (dagar)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    follow_up_interval_months = models.PositiveIntegerField(
        "uppföljning minst var (månad)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )

    class Meta:
        verbose_name = "undantag för insatstyp"
        verbose_name_plural = "undantag för insatstyper"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "intervention_type"], name="override_unique_type"
            ),
            models.CheckConstraint(
                name="override_changes_something",
                condition=Q(establish_within_days__isnull=False)
                | Q(follow_up_interval_months__isnull=False),
                violation_error_message="Ett undantag måste ändra minst en inställning.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention_type}"


def user_label(user: User) -> str:
    return user.get_full_name() or user.get_username()
