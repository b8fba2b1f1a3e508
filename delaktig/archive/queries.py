"""Reads of archive deliveries for the lists and the unit overview (R-ARC-4, R-QA-1)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from delaktig.core.types import User

from .access import deliveries_for_archivist, managed_unit_ids
from .models import ArchiveDelivery


def outstanding_for_units(unit_ids: Iterable[int]) -> int:
    """How many deliveries of these units the archive has not received yet. One query.

    For the unit manager's overview (R-QA-1): ``outstanding_for_units([unit.pk])``;
    a queryset of ids is used as a subquery.
    """
    ids: Iterable[int] = unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)
    return ArchiveDelivery.objects.outstanding().filter(unit_id__in=ids).count()


def outstanding_for_manager(user: User) -> QuerySet[ArchiveDelivery]:
    """The deliveries of the user's units not yet received: oldest closure first."""
    return (
        ArchiveDelivery.objects.outstanding()
        .filter(unit_id__in=managed_unit_ids(user))
        .select_related("case__person", "unit")
        .order_by("closed_on", "pk")
    )


def archivist_deliveries(user: User, status: str | None) -> QuerySet[ArchiveDelivery]:
    """The deliveries of the archivist's administrations, newest closure first."""
    deliveries = deliveries_for_archivist(user)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.select_related("case__person", "unit").order_by("-closed_on", "-pk")
