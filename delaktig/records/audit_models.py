"""The audit trail's model, on its own: every app writes to it, so it depends on no app.

Django finds it through ``records.models``, which imports it; code that only
writes or reads the trail imports it from here (``records.audit`` does).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from delaktig.core.models import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One link of a hash chain; one chain per municipality (0 = system-wide).

    ``hash = sha256(prev_hash + canonical JSON of the event)``; see
    ``records.audit`` for the writer and the verifier.
    """

    chain = models.PositiveIntegerField("kedja")
    seq = models.PositiveBigIntegerField("löpnummer")
    at = models.DateTimeField("tidpunkt")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utförd av",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    action = models.CharField("händelse", max_length=60)
    object_type = models.CharField("objekttyp", max_length=60)
    object_id = models.CharField("objekt-id", max_length=64)
    data = models.JSONField("uppgifter", default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "granskningshändelse"
        verbose_name_plural = "granskningshändelser"
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.chain}/{self.seq} {self.action}"
