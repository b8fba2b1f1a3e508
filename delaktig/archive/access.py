"""Who may see and act on archive deliveries (R-LIFE-8): the object, or 404.

- The unit manager closes cases of their units and answers for the unit's
  outstanding deliveries (R-ARC-4: "Respektive verksamhetsansvarige ansvarar
  för att så sker").
- The archivist, a member at the administration with the archivist role,
  receives or returns the deliveries of the administration's units.

Everyone else gets 404, never 403: whether a delivery exists is confidential.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role, Unit

from .models import ArchiveDelivery

AnyUser = User | AnonymousUser


def managed_unit_ids(user: AnyUser) -> QuerySet[Membership, int]:
    """Ids of the units where ``user`` is unit manager (a subquery, not a list)."""
    memberships = (
        Membership.objects.filter(user_id=user.pk)
        if isinstance(user, User)
        else Membership.objects.none()
    )
    return memberships.filter(role=Role.UNIT_MANAGER, unit__isnull=False).values_list(
        "unit_id", flat=True
    )


def archivist_administration_ids(user: AnyUser) -> QuerySet[Membership, int]:
    """Ids of the administrations where ``user`` is archivist."""
    memberships = (
        Membership.objects.filter(user_id=user.pk)
        if isinstance(user, User)
        else Membership.objects.none()
    )
    return memberships.filter(role=Role.ARCHIVIST, administration__isnull=False).values_list(
        "administration_id", flat=True
    )


def is_unit_manager_of(user: AnyUser, unit_id: int) -> bool:
    return managed_unit_ids(user).filter(unit_id=unit_id).exists()


def is_archivist_for(user: AnyUser, unit: Unit) -> bool:
    return (
        archivist_administration_ids(user).filter(administration_id=unit.administration_id).exists()
    )


def deliveries_for_archivist(user: AnyUser) -> QuerySet[ArchiveDelivery]:
    return ArchiveDelivery.objects.filter(
        unit__administration_id__in=archivist_administration_ids(user)
    )


def get_archivist_delivery(user: AnyUser, delivery_uuid: UUID) -> ArchiveDelivery:
    delivery = (
        deliveries_for_archivist(user)
        .filter(uuid=delivery_uuid)
        .select_related(
            "case__person",
            "unit__administration__municipality",
            "package",
            "received_by",
            "returned_by",
        )
        .defer("package__data")
        .first()
    )
    if delivery is None:
        raise Http404("Leveransen finns inte eller så saknar du behörighet.")
    return delivery


def get_managed_delivery(user: AnyUser, delivery_uuid: UUID) -> ArchiveDelivery:
    delivery = (
        ArchiveDelivery.objects.filter(uuid=delivery_uuid, unit_id__in=managed_unit_ids(user))
        .select_related("unit")
        .first()
    )
    if delivery is None:
        raise Http404("Leveransen finns inte eller så saknar du behörighet.")
    return delivery
