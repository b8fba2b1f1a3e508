"""A case with a plan history to close and archive, and the cast's archivist.

Astrid's home-care case (routine S1):

| date       | what happens                                                  |
|------------|---------------------------------------------------------------|
| 2026-01-12 | intervention starts, plan version 1 started                   |
| 2026-01-20 | version 1 established                                         |
| 2026-02-02 | follow-up with change: version 2 drafted, established same day |
| 2026-02-16 | version 3 started (a draft, never sent for signing)           |
| 2026-03-02 | today: the case is closed                                     |
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

from delaktig import rules
from delaktig.archive.models import ArchiveDelivery
from delaktig.archive.services import case_close, delivery_build
from delaktig.core.types import User
from delaktig.organisation.models import Administration, Membership, Role, Unit
from delaktig.people.models import Case, GrantedIntervention
from delaktig.plans.followups import FollowUpInput, follow_up_record, plan_goals
from delaktig.plans.models import PlanVersion
from delaktig.plans.services import handover_record, plan_new_version, plan_start
from tests.services.plan_helpers import establish_on, ready, sign_everything
from tests.world import World, make_user

START = date(2026, 1, 12)
ESTABLISHED = date(2026, 1, 20)
CHANGED = date(2026, 2, 2)
DRAFTED = date(2026, 2, 16)
TODAY = date(2026, 3, 2)
INTERVENTIONS_END = date(2026, 2, 28)


def make_archivist(administration: Administration, username: str = "erik") -> User:
    user = make_user(username, "Erik", "Arkivarie")
    Membership.objects.create(user=user, role=Role.ARCHIVIST, administration=administration)
    return user


def established(world: World, version: PlanVersion, on: date) -> PlanVersion:
    version = ready(world, version, on)
    sign_everything(world, version, on, "home_care")
    return establish_on(version=version, on=on, by=world.bob)


def case_with_history(world: World, **person: object) -> Case:
    """Versions 1 (superseded), 2 (established) and 3 (draft); one follow-up; a handover."""
    case = world.add_person(world.home_care, start=START, contact=world.bob, **person)  # type: ignore[arg-type]
    first = established(world, plan_start(case=case, by=world.bob, on=START), ESTABLISHED)
    handover_record(
        version=first,
        gone_through_on=ESTABLISHED,
        communicated_on=ESTABLISHED,
        how="Genomgången vid hembesök",
        by=world.bob,
    )
    plan = first.plan
    result = follow_up_record(
        plan=plan,
        data=FollowUpInput(
            held_on=CHANGED,
            how="Samtal hemma",
            participants=[
                {"name": "Astrid Lind", "role": "person"},
                {"name": "Bob Kontaktman", "role": "staff"},
            ],
            person_view="Vill duscha på kvällen i stället.",
            carried_out_as_decided="Ja.",
            situation="Stabil.",
            goal_outcomes=[{**g, "outcome": "partly"} for g in plan_goals(first)],
            outcome=rules.FollowUpOutcome.CHANGE,
            need_change=rules.NeedChange.UNCHANGED,
            disclosure_reviewed=True,
            master_data_checked=True,
        ),
        by=world.bob,
    )
    assert result.new_version is not None
    established(world, result.new_version, CHANGED)
    plan_new_version(plan=plan, by=world.bob, on=DRAFTED)
    return case


def end_interventions(case: Case, on: date = INTERVENTIONS_END) -> None:
    """The authority's decision ends (registered outside this app)."""
    GrantedIntervention.objects.filter(case=case).update(end_date=on)


def closed(world: World, case: Case, on: date = TODAY) -> ArchiveDelivery:
    end_interventions(case)
    delivery = case_close(case=case, on=on, by=world.alice)
    assert delivery is not None
    return delivery


def zip_files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def quick_delivery(
    world: World, n: int = 0, *, unit: Unit | None = None, manager: User | None = None
) -> ArchiveDelivery:
    """A closed case with one draft plan: the cheapest delivery there is (one PDF)."""
    manager = manager or world.alice
    case = world.add_person(
        unit or world.home_care,
        start=START,
        serial=300 + n,
        first_name=f"Person{n:02d}",
        last_name="Testsson",
    )
    plan_start(case=case, by=manager, on=START)
    end_interventions(case)
    delivery = case_close(case=case, on=TODAY, by=manager)
    assert delivery is not None
    return delivery


def built(delivery: ArchiveDelivery) -> ArchiveDelivery:
    delivery_build(delivery=delivery)
    delivery.refresh_from_db()
    return delivery
