"""The large generated municipality for benchmarks (``seed_demo --persons N``, ``make bench``).

Written with bulk inserts for speed; every stored date is computed with the
same ``rules`` functions as the services, which a test checks row by row.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from delaktig import rules
from delaktig.organisation.models import Administration, Field, Membership, Municipality, Role, Unit
from delaktig.organisation.services import ProfileResolver, routine_profile_from_preset
from delaktig.people.models import Case, ContactAssignment, Decision, GrantedIntervention, Person
from delaktig.plans.content import content_hash
from delaktig.plans.models import Plan, PlanVersion, VersionState
from delaktig.records.audit import audit_append

from .common import (
    DECISION_GOALS,
    FIRST_NAMES,
    LAST_NAMES,
    TYPES_FOR_FIELD,
    ensure_intervention_types,
    synthetic_personnummer,
)


@transaction.atomic(durable=True)
def generate_municipality(
    *, persons: int, today: date, code: str = "9902", units: int | None = None, seed: int = 7
) -> Municipality:
    """A large generated municipality for benchmarks, written with bulk inserts.

    Deadlines and follow-up dates are computed by the same rules as the
    services; per-row audit events are not written (one event records the run).
    """
    rng = random.Random(seed)  # noqa: S311 — synthetic demo data, not security
    types = ensure_intervention_types()
    unit_count = units or max(1, persons // 300)
    municipality = Municipality.objects.create(name=f"Genererad kommun {code}", code=code)
    profiles = [
        routine_profile_from_preset(
            municipality=municipality, preset_code=c, valid_from=date(2020, 1, 1)
        )
        for c in ("S0_S3", "S1", "S4")
    ]
    municipality.routine_profile = profiles[0]
    municipality.save(update_fields=["routine_profile"])
    administration = Administration.objects.create(
        municipality=municipality, name="Omsorgsförvaltningen"
    )
    fields = [
        Field.HOME_CARE,
        Field.ELDERLY_CARE,
        Field.HOUSING_SUPPORT,
        Field.DISABILITY,
        Field.ADDICTION,
    ]
    unit_rows = [
        Unit(
            administration=administration,
            municipality=municipality,
            name=f"Enhet {n + 1:03d}",
            field=fields[n % len(fields)],
            routine_profile=profiles[n % len(profiles)],
        )
        for n in range(unit_count)
    ]
    Unit.objects.bulk_create(unit_rows)
    unit_list = list(
        Unit.objects.filter(municipality=municipality).select_related(
            "administration__municipality"
        )
    )
    model = get_user_model()
    managers = model.objects.bulk_create(
        [
            model(username=f"chef-{code}-{u.pk}", first_name="Chef", last_name=u.name)
            for u in unit_list
        ]
    )
    staff = model.objects.bulk_create(
        [
            model(username=f"personal-{code}-{u.pk}", first_name="Personal", last_name=u.name)
            for u in unit_list
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=m, role=Role.UNIT_MANAGER, unit=u)
            for m, u in zip(managers, unit_list, strict=True)
        ]
        + [
            Membership(user=s, role=Role.STAFF, unit=u)
            for s, u in zip(staff, unit_list, strict=True)
        ]
    )
    used: set[str] = set()
    resolver = ProfileResolver()
    batch = 2000
    for start_index in range(0, persons, batch):
        count = min(batch, persons - start_index)
        people = Person.objects.bulk_create(
            [
                Person(
                    municipality=municipality,
                    personnummer=rules.parse_personnummer(
                        synthetic_personnummer(rng, born_from=1925, born_to=2003, used=used)
                    ).canonical,
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                )
                for _ in range(count)
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    person=p,
                    unit=unit_list[(start_index + i) % unit_count],
                    municipality=municipality,
                    opened_on=today - timedelta(days=rng.randint(1, 900)),
                )
                for i, p in enumerate(people)
            ]
        )
        ContactAssignment.objects.bulk_create(
            [
                ContactAssignment(
                    case=c,
                    municipality=municipality,
                    user=staff[(start_index + i) % unit_count],
                    assigned_on=c.opened_on,
                )
                for i, c in enumerate(cases)
            ]
        )
        decisions = Decision.objects.bulk_create(
            [
                Decision(
                    case=c,
                    municipality=municipality,
                    decided_on=c.opened_on,
                    goals=rng.choice(DECISION_GOALS),
                )
                for c in cases
            ]
        )
        interventions = []
        for case, decision in zip(cases, decisions, strict=True):
            code_list = TYPES_FOR_FIELD[case.unit.field]
            for type_code in rng.sample(code_list, k=min(len(code_list), rng.randint(1, 2))):
                start = case.opened_on + timedelta(days=1)
                profile = resolver.profile(case.unit, start).for_intervention(type_code)
                interventions.append(
                    GrantedIntervention(
                        decision=decision,
                        case=case,
                        unit=case.unit,
                        municipality=municipality,
                        type=types[type_code],
                        start_date=start,
                        plan_deadline=rules.plan_deadline(start, profile),
                    )
                )
        GrantedIntervention.objects.bulk_create(interventions)
        # Most persons have an established plan (two versions: the first superseded).
        by_case: dict[int, list[GrantedIntervention]] = {}
        for item in interventions:
            by_case.setdefault(item.case_id, []).append(item)
        plans, versions, links, established_ids = [], [], [], []
        for case in cases:
            items = by_case[case.pk]
            if rng.random() < 0.12 or items[0].start_date > today - timedelta(days=10):
                continue
            on = items[0].start_date + timedelta(days=rng.randint(2, 25))
            plan = Plan(case=case, unit=case.unit, municipality=municipality, established_on=on)
            profile = resolver.profile(case.unit, on)
            plan.next_follow_up_on = rules.follow_up_due(on, profile)
            plans.append((plan, items, on))
        Plan.objects.bulk_create([p for p, _, _ in plans])
        for plan, _items, on in plans:
            # Sent, established and recorded on its day, as the services would have.
            noon = timezone.make_aware(datetime.combine(on, time(12)))
            for number in (1, 2):
                versions.append(
                    PlanVersion(
                        plan=plan,
                        municipality=municipality,
                        number=number,
                        state=VersionState.DRAFT,
                        established_on=on,
                        established_at=noon,
                        sent_for_signing_at=noon,
                    )
                )
        PlanVersion.objects.bulk_create(versions)
        through = PlanVersion.interventions.through
        for index, (plan, items, on) in enumerate(plans):
            current = versions[index * 2 + 1]
            plan.established_version = current
            for item in items:
                links.append(through(planversion_id=current.pk, grantedintervention_id=item.pk))
                established_ids.append((item.pk, on))
        Plan.objects.bulk_update([p for p, _, _ in plans], ["established_version"], batch_size=1000)
        through.objects.bulk_create(links)
        # Walk the versions through the states the triggers allow, in bulk.
        version_ids = [v.pk for v in versions]
        PlanVersion.objects.filter(pk__in=version_ids).update(
            state=VersionState.READY_FOR_SIGNING, content_sha256=content_hash({})
        )
        PlanVersion.objects.filter(pk__in=version_ids[0::2]).update(state=VersionState.SUPERSEDED)
        PlanVersion.objects.filter(pk__in=version_ids[1::2]).update(state=VersionState.ESTABLISHED)
        by_date: dict[date, list[int]] = {}
        for pk, on in established_ids:
            by_date.setdefault(on, []).append(pk)
        for on, pks in by_date.items():
            GrantedIntervention.objects.filter(pk__in=pks).update(plan_established_on=on)
    audit_append(
        action="demo.generated", obj=municipality, data={"persons": persons, "units": unit_count}
    )
    return municipality
