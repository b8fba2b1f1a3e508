"""Append-only, hash-chained audit trail (R-ARC-1).

Each municipality has its own chain (chain 0 is the system's), so chains never
contend across municipalities and can later live on the municipality's shard.
A link's hash covers the previous link's hash and the canonical JSON of the
event; changing, removing or reordering any row breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .audit_models import AuditEvent

GENESIS = "0" * 64
SYSTEM_CHAIN = 0
_LOCK_NAMESPACE = 7_301_001  # pg_advisory_xact_lock(namespace, chain)


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def link_hash(prev_hash: str, event: dict[str, Any]) -> str:
    payload = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _event_dict(row: AuditEvent) -> dict[str, Any]:
    return {
        "chain": row.chain,
        "seq": row.seq,
        "at": row.at.astimezone(UTC).isoformat(),
        "actor": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "data": row.data,
    }


def audit_append(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    actor: AbstractBaseUser | AnonymousUser | None = None,
    municipality_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction.

    ``data`` must hold ids and codes only — never names or personnummer.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if municipality_id is None:
            municipality_id = getattr(obj, "municipality_id", None)
    chain = municipality_id or SYSTEM_CHAIN
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, chain])
        # SQLite: transactions are IMMEDIATE (settings), so writers are serialised already.
        last = AuditEvent.objects.filter(chain=chain).order_by("-seq").only("seq", "hash").first()
        row = AuditEvent(
            chain=chain,
            seq=(last.seq + 1) if last else 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=_normalise(data or {}),
            prev_hash=last.hash if last else GENESIS,
        )
        row.hash = link_hash(row.prev_hash, _event_dict(row))
        row.save()
    return row


@dataclass(frozen=True)
class ChainBreak:
    chain: int
    seq: int
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    breaks: list[ChainBreak]

    @property
    def ok(self) -> bool:
        return not self.breaks


def _rows(chain: int | None) -> Iterator[AuditEvent]:
    qs = AuditEvent.objects.order_by("chain", "seq")
    if chain is not None:
        qs = qs.filter(chain=chain)
    return qs.iterator(chunk_size=5000)


def verify_chain(chain: int | None = None) -> VerifyResult:
    """Walk every chain (or one) and report the first broken link of each."""
    checked = 0
    breaks: list[ChainBreak] = []
    current: int | None = None
    prev_hash = GENESIS
    expected_seq = 1
    broken = False
    for row in _rows(chain):
        if row.chain != current:
            current, prev_hash, expected_seq, broken = row.chain, GENESIS, 1, False
        checked += 1
        if broken:
            continue
        reason = ""
        if row.seq != expected_seq:
            reason = f"löpnummer {row.seq} där {expected_seq} väntades (rad saknas eller flyttad)"
        elif row.prev_hash != prev_hash:
            reason = "föregående hash stämmer inte"
        elif row.hash != link_hash(row.prev_hash, _event_dict(row)):
            reason = "raden har ändrats efter att den skrevs"
        if reason:
            breaks.append(ChainBreak(chain=row.chain, seq=row.seq, reason=reason))
            broken = True
            continue
        prev_hash = row.hash
        expected_seq += 1
    return VerifyResult(checked=checked, breaks=breaks)
