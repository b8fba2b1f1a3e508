"""Archive deliveries: every plan of a closed case, sent to the administration's archive (R-ARC-4).

A closed case gets one :class:`ArchiveDelivery`. Its status moves only through
``archive.services`` (each change one transaction with an audit event)::

    pending ──build──▶ built ──receive──▶ received
       ▲                 │
       │               return (with a reason)
       │                 ▼
       └─rebuild request─ returned

The package itself is an :class:`ArchivePackage`: the ZIP's bytes, its SHA-256
and its file listing, in an append-only table (ORM and database trigger), so a
package once built never changes. Rebuilding makes a new package with a new
number, id and checksum; the old one stays. Receipts and returns are kept as
append-only :class:`ArchiveReceipt` rows; the delivery row carries the latest
of each for the lists.

Why the package bytes live in the database (``BinaryField``) and not in a
``FileField`` under ``MEDIA_ROOT``: the package, its checksum and the status
change are written in one transaction (a file written before a rollback would
be orphaned, a file lost after a commit would leave a row pointing at
nothing); the append-only trigger makes the bytes immutable, which a file on
disk is not; the package is covered by the database backup and follows the
municipality key if the data is ever distributed; and the project configures
no ``MEDIA_ROOT``. A package is small (a PDF/A plan version is tens of
kilobytes), and list queries never load the bytes (``defer("data")``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from delaktig.core.models import AppendOnlyModel, RecordedModel
from delaktig.organisation.models import Municipality, Unit
from delaktig.people.models import Case


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Väntar på arkivpaket"
    BUILT = "built", "Levererad – väntar på kvittens"
    RECEIVED = "received", "Mottagen av arkivet"
    RETURNED = "returned", "Återsänd av arkivet"


_BADGES = {
    DeliveryStatus.PENDING: "badge-draft",
    DeliveryStatus.BUILT: "badge-soon",
    DeliveryStatus.RECEIVED: "badge-ok",
    DeliveryStatus.RETURNED: "badge-late",
}

# Not yet received (pending, built or returned): what the unit manager still answers for
# (R-ARC-4, R-QA-1). The condition of the partial index "archive_delivery_outstanding" too,
# so that the outstanding count and list can use it.
OUTSTANDING = ~Q(status=DeliveryStatus.RECEIVED)


class ArchiveDeliveryQuerySet(models.QuerySet["ArchiveDelivery"]):
    def outstanding(self) -> ArchiveDeliveryQuerySet:
        """The deliveries the archive has not received yet: pending, built or returned."""
        return self.filter(OUTSTANDING)


class ArchiveDelivery(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(
        Case, verbose_name="ärende", on_delete=models.PROTECT, related_name="archive_delivery"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="enhet", on_delete=models.PROTECT, related_name="archive_deliveries"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "status", max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    closed_on = models.DateField("ärendet avslutat")
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="skapad av",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What was delivered: one {"version", "plan", "number", "state"} per plan version,
    # "state" being the version's state just before the case closed it.
    versions = models.JSONField("planversioner", default=list)
    # The current package (the newest); older ones stay in ArchivePackage.
    package = models.ForeignKey(
        "ArchivePackage",
        verbose_name="arkivpaket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    built_at = models.DateTimeField("paketet byggt", null=True, blank=True)
    package_sha256 = models.CharField("paketets SHA-256", max_length=64, blank=True)
    received_on = models.DateField("mottagen", null=True, blank=True)
    received_at = models.DateTimeField("kvittens registrerad", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mottagen av",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField("återsänd", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="återsänd av",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField("anledning till återsändning", blank=True)

    objects = ArchiveDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "arkivleverans"
        verbose_name_plural = "arkivleveranser"
        ordering = ["-closed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="archive_delivery_status_valid",
                condition=Q(status__in=[s.value for s in DeliveryStatus]),
            ),
            models.CheckConstraint(
                name="archive_delivery_package_when_built",
                condition=Q(status=DeliveryStatus.PENDING)
                | (Q(package__isnull=False, built_at__isnull=False) & ~Q(package_sha256="")),
            ),
            models.CheckConstraint(
                name="archive_delivery_receipt_recorded",
                condition=~Q(status=DeliveryStatus.RECEIVED)
                | Q(
                    received_on__isnull=False, received_at__isnull=False, received_by__isnull=False
                ),
            ),
            models.CheckConstraint(
                name="archive_delivery_return_has_reason",
                condition=~Q(status=DeliveryStatus.RETURNED)
                | (Q(returned_at__isnull=False) & ~Q(return_reason="")),
            ),
        ]
        indexes = [
            # The outstanding count and list of a unit (overview, unit manager's list).
            models.Index(
                fields=["unit", "closed_on"],
                condition=OUTSTANDING,
                name="archive_delivery_outstanding",
            ),
            # The archivist's list: the administration's units, by status.
            models.Index(fields=["unit", "status", "closed_on"], name="archive_delivery_status"),
            # The build command: everything waiting for a package.
            models.Index(
                fields=["created_at"],
                condition=Q(status=DeliveryStatus.PENDING),
                name="archive_delivery_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Arkivleverans {self.pk} ({self.get_status_display()})"

    @property
    def is_outstanding(self) -> bool:
        """``ArchiveDelivery.objects.outstanding()`` for one delivery in memory."""
        return self.status != DeliveryStatus.RECEIVED

    @property
    def badge(self) -> str:
        """The app.css badge class of the status."""
        return _BADGES[DeliveryStatus(self.status)]

    @property
    def version_ids(self) -> list[int]:
        return [int(item["version"]) for item in self.versions]


class ArchivePackage(AppendOnlyModel):
    """One built archival package (a ZIP): immutable once written (R-ARC-1)."""

    uuid = models.UUIDField("paket-id", default=uuid.uuid4, unique=True, editable=False)
    delivery = models.ForeignKey(
        ArchiveDelivery,
        verbose_name="arkivleverans",
        on_delete=models.PROTECT,
        related_name="packages",
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("paketnummer")
    built_at = models.DateTimeField("byggt")
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="byggt av",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.BinaryField("ZIP-fil")
    size = models.PositiveBigIntegerField("storlek (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    version_ids = models.JSONField("planversioner", default=list)
    # [{"path", "size", "sha256", "mimetype"}] of every file in the ZIP, sorted by path.
    files = models.JSONField("filer", default=list)

    class Meta:
        verbose_name = "arkivpaket"
        verbose_name_plural = "arkivpaket"
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="archive_package_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Arkivpaket {self.uuid}"

    @property
    def download_name(self) -> str:
        """The file name offered for download: the package id only, never personal data."""
        return f"arkivpaket-{self.uuid}.zip"


class ReceiptKind(models.TextChoices):
    RECEIVED = "received", "Mottagen"
    RETURNED = "returned", "Återsänd"


class ArchiveReceipt(RecordedModel):
    """The archive's answer to one package: received (receipt) or returned, with a reason."""

    delivery = models.ForeignKey(
        ArchiveDelivery,
        verbose_name="arkivleverans",
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    package = models.ForeignKey(
        ArchivePackage, verbose_name="arkivpaket", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("typ", max_length=20, choices=ReceiptKind.choices)
    answered_on = models.DateField("datum")
    reason = models.TextField("anledning", blank=True)

    class Meta:
        verbose_name = "arkivkvittens"
        verbose_name_plural = "arkivkvittenser"
        ordering = ["delivery", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="archive_receipt_return_has_reason",
                condition=~Q(kind=ReceiptKind.RETURNED) | ~Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.answered_on:%Y-%m-%d}"
