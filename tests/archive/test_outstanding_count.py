"""Deliveries not yet received: ``outstanding_for_units`` and ``objects.outstanding()`` (R-QA-1)."""

from __future__ import annotations

import pytest
from pytest_django import DjangoAssertNumQueries

from delaktig.archive.models import ArchiveDelivery
from delaktig.archive.queries import outstanding_for_units
from delaktig.archive.services import delivery_receive, delivery_return
from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role
from tests.archive.helpers import TODAY, built, quick_delivery
from tests.world import World

# No test here reads a plan's PDF: the packages get a placeholder (tests/fixtures.py).
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")


def test_it_counts_pending_built_and_returned_deliveries_of_the_units_asked_for(
    world: World, erik: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    quick_delivery(world, 0)
    built(quick_delivery(world, 1))
    returned = built(quick_delivery(world, 2))
    delivery_return(delivery=returned, reason="Fel fil.", by=erik)
    received = built(quick_delivery(world, 3))
    delivery_receive(delivery=received, on=TODAY, by=erik)
    quick_delivery(world, 4, unit=world.nursing_home)

    with django_assert_num_queries(1):
        home_care = outstanding_for_units([world.home_care.pk])
    with django_assert_num_queries(1):
        both = outstanding_for_units([world.home_care.pk, world.nursing_home.pk])

    assert (home_care, both) == (3, 4)
    assert outstanding_for_units([world.housing_support.pk]) == 0
    assert outstanding_for_units([]) == 0
    outstanding = ArchiveDelivery.objects.outstanding()
    assert sorted(outstanding.values_list("status", flat=True)) == [
        "built",
        "pending",
        "pending",
        "returned",
    ]
    assert received not in outstanding and all(d.is_outstanding for d in outstanding)


def test_it_takes_a_queryset_of_unit_ids_as_a_subquery(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    quick_delivery(world, 0)
    quick_delivery(world, 1, unit=world.nursing_home)
    managed = Membership.objects.filter(user=world.alice, role=Role.UNIT_MANAGER).values_list(
        "unit_id", flat=True
    )

    with django_assert_num_queries(1):
        assert outstanding_for_units(managed) == 2
