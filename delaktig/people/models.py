"""Persons, relatives, cases, decisions and granted interventions (R-CASE-1..3).

Personal data never appears in URLs: pages address persons, cases and
decisions by random UUIDs (R-LIFE-8).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import Expression, Func
from django.db.models.functions import Concat, Lower, Replace

from delaktig import rules
from delaktig.organisation.models import (
    PERSON_READER_ROLES,
    Field,
    Membership,
    Municipality,
    Unit,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from delaktig.accounts.models import User


def reader_unit_ids(user_id: int) -> QuerySet[Membership, int]:
    """Unit ids whose persons the user works with (staff, unit manager, scheduler)."""
    return Membership.objects.filter(
        user_id=user_id, unit__isnull=False, role__in=PERSON_READER_ROLES
    ).values_list("unit_id", flat=True)


def folded(expression: Expression) -> Func:
    """``expression`` with ``rules.FOLDED_LETTERS`` folded and lower-cased, in SQL.

    The same as ``rules.fold_name`` does in Python, so a stored name and a query agree.
    """
    result: Expression = expression
    for letter, plain in rules.FOLDED_LETTERS:
        result = Replace(result, Value(letter), Value(plain))
    return Lower(result)


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User | AnonymousUser) -> PersonQuerySet:
        """Persons with an open case at one of the user's units (R-LIFE-8).

        Closed cases are not enough: when a case closes, the file goes to the
        archive and the unit's staff no longer need to read it.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Exists(
                Case.objects.filter(
                    person_id=OuterRef("pk"),
                    closed_on__isnull=True,
                    unit_id__in=reader_unit_ids(user.pk),
                )
            )
        )


class Person(models.Model):
    """The person who receives support (den enskilde / brukare)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="persons"
    )
    personnummer = models.CharField(
        "personnummer",
        max_length=13,
        help_text="Personnummer eller samordningsnummer, ÅÅÅÅMMDD-NNNN.",
    )
    first_name = models.CharField("förnamn", max_length=100)
    last_name = models.CharField("efternamn", max_length=100)
    phone = models.CharField("telefon", max_length=30, blank=True)
    email = models.EmailField("e-post", blank=True)
    address = models.CharField("adress", max_length=200, blank=True)
    protected_identity = models.BooleanField(
        "skyddad identitet",
        default=False,
        help_text="Sekretessmarkering eller skyddad folkbokföring: visa inte kontaktuppgifter.",
    )
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    # " förnamn efternamn", folded (lower case, å/ä/ö → a/a/o …, hyphens as spaces), kept by
    # the database itself, so bulk inserts and imports are searchable too (issue 10).
    search_name = models.GeneratedField(
        expression=folded(
            Concat(
                Value(" "), "first_name", Value(" "), "last_name",
                output_field=models.CharField(max_length=220),
            )
        ),
        output_field=models.CharField(max_length=220),
        db_persist=True,
        verbose_name="söknamn",
    )  # fmt: skip

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "personnummer"], name="person_unique_pnr_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_personnummer(self) -> str:
        """Birth date only: enough to tell two persons apart on a list."""
        return self.personnummer[:8] + "-****"


class RelativeKind(models.TextChoices):
    RELATIVE = "relative", "Närstående"
    GOOD_MAN = "god_man", "God man"
    ADMINISTRATOR = "forvaltare", "Förvaltare"
    GUARDIAN = "vardnadshavare", "Vårdnadshavare"


class Relative(models.Model):
    """A relative or a legal representative (R-CASE-1)."""

    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.PROTECT, related_name="relatives"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("namn", max_length=150)
    kind = models.CharField("typ", max_length=20, choices=RelativeKind.choices)
    relation = models.CharField("relation", max_length=100, blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    person_wants_involved = models.BooleanField(
        "den enskilde vill att hen deltar i planeringen", default=False
    )

    class Meta:
        verbose_name = "närstående eller företrädare"
        verbose_name_plural = "närstående och företrädare"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_legal_representative(self) -> bool:
        return self.kind != RelativeKind.RELATIVE


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(closed_on__isnull=True)

    def visible_to(self, user: User | AnonymousUser) -> CaseQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(closed_on__isnull=True, unit_id__in=reader_unit_ids(user.pk))


class Case(models.Model):
    """A person's case at a unit (ärende), holding the person file (personakt) — R-CASE-2."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, verbose_name="person", on_delete=models.PROTECT, related_name="cases"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="enhet", on_delete=models.PROTECT, related_name="cases"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("öppnat")
    closed_on = models.DateField("avslutat", null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "ärenden"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"],
                condition=Q(closed_on__isnull=True),
                name="case_one_open_per_person_and_unit",
            ),
            models.CheckConstraint(
                name="case_closed_after_opened",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
            ),
        ]
        indexes = [models.Index(fields=["unit", "closed_on"], name="case_unit_open")]

    def __str__(self) -> str:
        return f"Ärende {self.pk} ({self.unit})"

    @property
    def main_contact(self) -> ContactAssignment | None:
        """The current contact person (not the deputy), from ``current_contacts_prefetch``."""
        contacts: list[ContactAssignment] = getattr(self, "current_contacts", [])
        return next((c for c in contacts if not c.is_deputy), None)


def current_contacts_prefetch(path: str = "contact_assignments") -> Prefetch[str]:
    """Prefetch a case's current contact person and deputy into ``case.current_contacts``.

    ``path`` leads from the queried model to the case's assignments, e.g.
    ``"case__contact_assignments"``. One query, whatever the number of cases.
    """
    return Prefetch(
        path,
        queryset=ContactAssignment.objects.current().select_related("user"),
        to_attr="current_contacts",
    )


class ContactAssignmentQuerySet(models.QuerySet["ContactAssignment"]):
    def current(self) -> ContactAssignmentQuerySet:
        """Assignments not yet ended: the case's contact person and deputy today."""
        return self.filter(ended_on__isnull=True)


class ContactAssignment(models.Model):
    """Contact person (kontaktman) or deputy for a case (R-ORG-2, R-LIFE-2)."""

    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="contact_assignments"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="kontaktman",
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )
    is_deputy = models.BooleanField("vice kontaktman", default=False)
    assigned_on = models.DateField("från")
    ended_on = models.DateField("till", null=True, blank=True)

    objects = ContactAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "kontaktmannaskap"
        verbose_name_plural = "kontaktmannaskap"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "is_deputy"],
                condition=Q(ended_on__isnull=True),
                name="contact_one_current_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="contact_user_current")]

    def __str__(self) -> str:
        kind = "Vice kontaktman" if self.is_deputy else "Kontaktman"
        return f"{kind}: {self.user}"


class NeverDisposed(models.TextChoices):
    """Files never disposed of (12 kap. 2 § SoL (2001:453)), see ``rules.NeverDisposed``."""

    NO = "", "Nej – de vanliga gallringsreglerna gäller"
    PATERNITY = rules.NeverDisposed.PATERNITY.value, "Faderskap eller föräldraskap"
    ADOPTION = rules.NeverDisposed.ADOPTION.value, "Adoption"
    CHILD_IN_HVB = rules.NeverDisposed.CHILD_IN_HVB.value, "Barn placerat i HVB"
    CHILD_IN_FAMILY_HOME = (
        rules.NeverDisposed.CHILD_IN_FAMILY_HOME.value,
        "Barn placerat i familjehem eller jourhem",
    )
    CHILD_IN_PRIVATE_HOME = (
        rules.NeverDisposed.CHILD_IN_PRIVATE_HOME.value,
        "Barn placerat i ett annat enskilt hem",
    )
    SUPPORTED_HOUSING = rules.NeverDisposed.SUPPORTED_HOUSING.value, "Barn placerat i stödboende"


class InterventionType(models.Model):
    """A kind of intervention (insats), e.g. hemtjänst – dusch, boendestöd, korttidsvistelse."""

    code = models.SlugField("kod", max_length=50, unique=True)
    name = models.CharField("namn", max_length=150)
    field = models.CharField("verksamhetsområde", max_length=20, choices=Field.choices)
    never_disposed = models.CharField(
        "gallras aldrig",
        max_length=30,
        choices=NeverDisposed.choices,
        default=NeverDisposed.NO,
        blank=True,
        help_text="En akt med en insats av denna typ föreslås aldrig för gallring och kan inte "
        "gallras (12 kap. 2 § SoL (2001:453)).",
    )

    class Meta:
        verbose_name = "insatstyp"
        verbose_name_plural = "insatstyper"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """The authority's decision or order (biståndsbeslut/beställning/uppdrag), R-CASE-3."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="decisions"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("beslutets diarienummer", max_length=50, blank=True)
    decided_on = models.DateField("beslutsdatum")
    case_officer = models.CharField("handläggare", max_length=150, blank=True)
    case_officer_email = models.EmailField(
        "handläggarens e-post",
        blank=True,
        help_text="Dit går meddelanden om ändrat behov (utan personuppgifter, bara en länk).",
    )
    goals = models.TextField("mål enligt beslutet", blank=True)
    created_at = models.DateTimeField("registrerat", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="registrerat av",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "beslut"
        verbose_name_plural = "beslut"
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return f"Beslut {self.decided_on:%Y-%m-%d}"


class GrantedInterventionQuerySet(models.QuerySet["GrantedIntervention"]):
    def active(self, *, on: date) -> GrantedInterventionQuerySet:
        """Interventions not ended before ``on`` (those starting later included)."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class GrantedIntervention(models.Model):
    """One granted intervention; opens the deadline for an established plan (R-LIFE-1).

    ``plan_deadline`` is computed from the unit's routine profile when the
    intervention is registered (or the profile changes) and stored with an
    index, so the late and due-soon lists are index range scans.
    """

    decision = models.ForeignKey(
        Decision, verbose_name="beslut", on_delete=models.PROTECT, related_name="interventions"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="interventions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(InterventionType, verbose_name="insats", on_delete=models.PROTECT)
    scope = models.CharField("omfattning", max_length=200, blank=True)
    start_date = models.DateField("startdatum")
    end_date = models.DateField("slutdatum", null=True, blank=True)
    plan_deadline = models.DateField("plan senast")
    plan_established_on = models.DateField("plan fastställd", null=True, blank=True)

    objects = GrantedInterventionQuerySet.as_manager()

    class Meta:
        verbose_name = "beviljad insats"
        verbose_name_plural = "beviljade insatser"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="intervention_dates_in_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                violation_error_message="Slutdatum kan inte vara före startdatum.",
            ),
        ]
        indexes = [
            # The overview: interventions of a unit still waiting for a plan, by deadline.
            models.Index(
                fields=["unit", "plan_deadline"],
                condition=Q(plan_established_on__isnull=True),
                name="intervention_awaiting_plan",
            ),
            models.Index(fields=["case", "start_date"], name="intervention_case"),
        ]

    def __str__(self) -> str:
        return f"{self.type} från {self.start_date:%Y-%m-%d}"

    def is_active(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
