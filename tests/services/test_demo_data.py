"""The demo municipality and the benchmark generator (issue: foundation, "Demo municipality")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from delaktig import rules
from delaktig.demo.constants import DEMO_PASSWORD
from delaktig.organisation.models import Municipality, Unit
from delaktig.organisation.services import ProfileResolver
from delaktig.oversight.queries import unit_overview
from delaktig.people.models import GrantedIntervention, Person
from delaktig.plans.content import content_hash
from delaktig.plans.models import Plan, PlanVersion
from delaktig.records.audit import verify_chain
from tests.fixtures import PDF_RENDERER, placeholder_pdf
from tests.shared_db import module_transaction


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """``seed_demo`` once per module (and per xdist worker), inside a transaction.

    Seeding takes seconds; the tests below only read it, or re-run the command and
    find it present. Each test's own transaction (``db``) is a savepoint inside this
    one, so nothing a test writes outlives it, and the outer rollback at the end of
    the module leaves the database as empty as before, whatever the order.
    """
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
            # The archived demo case's package: no test here reads its PDFs (the
            # browser tests' own seed_demo renders them for real).
            patch.setattr(PDF_RENDERER, placeholder_pdf)
            out = StringIO()
            call_command("seed_demo", stdout=out)
        yield out.getvalue()


@pytest.fixture
def demo(seeded_demo: str, db: None) -> str:
    """The output of the module's one ``seed_demo`` run, with database access for the test."""
    return seeded_demo


def test_it_prints_every_demo_login(demo: str) -> None:
    for username in ("kontaktman", "enhetschef", "planerare", "kvalitet", "arkivarie", "admin"):
        assert f"  {username} " in demo
    assert DEMO_PASSWORD in demo


def test_running_it_again_changes_nothing(demo: str) -> None:
    counts = Person.objects.count(), GrantedIntervention.objects.count(), Plan.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "finns redan" in out.getvalue()
    assert (Person.objects.count(), GrantedIntervention.objects.count(), Plan.objects.count()) == (
        counts
    )


def test_it_has_about_fifty_persons_with_valid_personnummer(demo: str) -> None:
    persons = list(Person.objects.all())
    assert 40 <= len(persons) <= 60
    assert all(rules.valid_personnummer(p.personnummer) for p in persons)
    assert len({p.personnummer for p in persons}) == len(persons)
    assert any(p.protected_identity for p in persons)


def test_every_unit_shows_plans_in_each_state_with_its_routines_deadline(demo: str) -> None:
    """Done-when: the overview for each seed routine shows the deadlines that routine prescribes."""
    today = timezone.localdate()
    resolver = ProfileResolver()
    seen_routines = set()
    for unit in Unit.objects.filter(municipality__code="9901").select_related(
        "administration__municipality"
    ):
        overview = unit_overview(unit, today)
        assert overview.late, unit.name
        profile = resolver.profile(unit, today)
        seen_routines.add(profile)
        for row in overview.late + overview.due_soon + overview.later:
            for item in row.interventions:
                expected = item.start_date + timedelta(
                    days=profile.for_intervention(item.type.code).establish_within_days
                )
                assert item.plan_deadline == expected
        assert Plan.objects.filter(unit=unit, established_on__isnull=False).exists()
    assert len(seen_routines) == 3  # S0/S3, S1 and S4 are all in use


def test_the_demo_writes_an_intact_audit_trail(demo: str) -> None:
    result = verify_chain()
    assert result.ok and result.checked > 100


def test_the_generator_builds_a_consistent_municipality(db: None) -> None:
    call_command("seed_demo", persons=250, code="9950", stdout=StringIO())
    municipality = Municipality.objects.get(code="9950")
    assert Person.objects.filter(municipality=municipality).count() == 250
    resolver = ProfileResolver()
    items = GrantedIntervention.objects.filter(municipality=municipality).select_related(
        "type", "unit__administration__municipality"
    )
    assert items.count() >= 250
    for item in items:
        profile = resolver.profile(item.unit, item.start_date).for_intervention(item.type.code)
        assert item.plan_deadline == rules.plan_deadline(item.start_date, profile)
    established = Plan.objects.filter(municipality=municipality, established_on__isnull=False)
    assert established.count() > 150
    for plan in established.select_related("established_version"):
        assert plan.established_version is not None
        assert plan.established_version.established_on == plan.established_on


def test_the_demo_has_one_closed_case_delivered_to_the_archive(demo: str) -> None:
    """R-CASE-4: the archivist demo login has a package to receive."""
    from delaktig.archive.models import ArchiveDelivery, DeliveryStatus

    delivery = ArchiveDelivery.objects.select_related("case").get()
    assert delivery.status == DeliveryStatus.BUILT
    assert delivery.case.closed_on is not None
    assert delivery.packages.count() == 1


def test_demo_plans_say_how_each_intervention_is_followed_up(demo: str) -> None:
    """R-PLAN-7: the demo shows the per-intervention follow-up text; frozen hashes still hold."""
    versions = list(PlanVersion.objects.filter(municipality__code="9901"))
    filled = [
        v
        for v in versions
        if any(p.get("follow_up_how", "").strip() for p in v.content.get("interventions", ()))
    ]
    assert filled
    assert all(v.content_sha256 == content_hash(v.content) for v in filled if v.content_sha256)


def test_the_demo_report_cannot_be_raised_by_entering_past_dates(demo: str) -> None:
    """Issue 9, R-QA-2: on the demo, backdating is refused and a paper plan counts apart.

    Every first plan of the demo that waits for signatures is tried once its deadline
    has passed: establishing it on an earlier day is refused; registering it as
    established on paper on its deadline (in time, on paper) succeeds, yet the units'
    "fastställda i tid" does not rise: the plans are counted apart.
    """
    import time_machine
    from django.core.exceptions import ValidationError

    from delaktig.accounts.models import User
    from delaktig.oversight.reports import compliance, totals
    from delaktig.plans.access import PlanAccess
    from delaktig.plans.models import VersionState
    from delaktig.plans.services import plan_establish, plan_register_established_afterwards

    manager = User.objects.get(username="enhetschef")
    waiting = [
        v
        for v in PlanVersion.objects.filter(state=VersionState.READY_FOR_SIGNING)
        .select_related("plan__unit")
        .prefetch_related("interventions__decision")
        if PlanAccess.load(manager, v.plan).may_establish
        # A first plan: its interventions wait for it, so it decides the figure.
        and all(i.plan_established_on is None for i in v.interventions.all())
    ]
    assert waiting
    units = sorted({v.plan.unit for v in waiting}, key=lambda u: u.pk)
    later = max(i.plan_deadline for v in waiting for i in v.interventions.all())
    today = later + timedelta(days=10)
    first = today - timedelta(days=730)

    def figures() -> tuple[int, int, int]:
        cell = totals(compliance(units, first, today, today))["established"]
        return cell.done, cell.total, cell.afterwards

    with time_machine.travel(today, tick=False):
        before = figures()
        counted = 0
        for version in waiting:
            with pytest.raises(ValidationError):
                plan_establish(version=version, by=manager, on=today - timedelta(days=5))
            deadline = min(i.plan_deadline for i in version.interventions.all())
            decided = max(i.decision.decided_on for i in version.interventions.all())
            plan_register_established_afterwards(
                version=version,
                established_on=max(deadline, decided),
                reason="Fastställd på papper i tid.",
                by=manager,
            )
            counted += version.interventions.count()
        after = figures()
    assert counted
    assert after[0] == before[0]  # not one more "i tid", though every paper date is in time
    assert after[1] == before[1]
    assert after[2] == before[2] + counted  # counted apart, as registered afterwards
