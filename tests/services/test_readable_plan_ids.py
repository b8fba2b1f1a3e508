"""``readable_plan_ids`` answers as ``PlanAccess.may_read`` does, for a whole list at once."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AnonymousUser

from delaktig.organisation.models import Membership, Role
from delaktig.plans.access import PlanAccess, readable_plan_ids
from delaktig.plans.models import Plan
from delaktig.plans.services import plan_start
from tests.world import World, make_user

TODAY = date(2026, 3, 2)


def test_it_agrees_with_plan_access_for_every_user(world: World, frozen_today: date) -> None:
    sam = make_user("sam", "Sam", "Planerare")
    Membership.objects.create(user=sam, role=Role.SCHEDULER, unit=world.home_care)
    inactive = make_user("ina", "Ina", "Slutat")
    Membership.objects.create(user=inactive, role=Role.SCHEDULER, unit=world.home_care)
    inactive.is_active = False
    inactive.save()
    plans = []
    for serial, roles in ((982, None), (974, ["scheduler"]), (966, ["staff", "scheduler"])):
        case = world.add_person(
            world.home_care, start=date(2026, 2, 20), contact=world.bob, serial=serial
        )
        version = plan_start(case=case, by=world.bob, on=TODAY)
        if roles is not None:
            version.content["disclosure_roles"] = roles
            version.save()
        plans.append(version.plan)
    other = world.add_person(world.housing_support, start=date(2026, 2, 20), serial=958)
    plans.append(plan_start(case=other, by=world.charlie, on=TODAY).plan)
    plans = list(Plan.objects.filter(pk__in=[p.pk for p in plans]).select_related("case"))

    for user in (sam, world.alice, world.bob, world.charlie, world.dana, inactive, AnonymousUser()):
        expected = {p.pk for p in plans if PlanAccess.load(user, p).may_read}
        assert readable_plan_ids(user, plans) == expected, user
    assert readable_plan_ids(sam, plans) == {plans[1].pk, plans[2].pk}
    assert readable_plan_ids(sam, []) == set()
