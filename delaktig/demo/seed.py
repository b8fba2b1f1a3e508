"""The demo municipality, Storbacka kommun (``manage.py seed_demo``, ``make run``).

About fifty persons in six units, written through the services so that the
audit trail, deadlines, tasks and journal are exactly what real use produces.
The data is synthetic (see ``common``).
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from delaktig import rules
from delaktig.archive.services import case_close, delivery_build
from delaktig.core import clock
from delaktig.core.types import User
from delaktig.organisation.models import (
    Administration,
    Field,
    InterventionOverride,
    Membership,
    Municipality,
    Role,
    Unit,
)
from delaktig.organisation.services import ProfileResolver, routine_profile_from_preset
from delaktig.oversight.models import Task
from delaktig.people.models import Person, Relative, RelativeKind
from delaktig.people.services import (
    InterventionInput,
    contact_person_assign,
    decision_register,
    person_create,
)
from delaktig.plans.followups import FollowUpInput, follow_up_record, plan_goals
from delaktig.plans.models import Plan, PlanVersion, SignatureMethod, SignerRole
from delaktig.plans.services import (
    SignatureInput,
    plan_establish,
    plan_send_for_signing,
    plan_start,
    required_roles,
    signature_record,
)

from .common import (
    DECISION_GOALS,
    FIRST_NAMES,
    LAST_NAMES,
    TYPES_FOR_FIELD,
    ensure_intervention_types,
    synthetic_personnummer,
)
from .constants import DEMO_PASSWORD

DEMO_MUNICIPALITY_CODE = "9901"

STREETS = ["Storgatan", "Björkvägen", "Skolgatan", "Ekvägen", "Kvarnbacken"]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    sees: str


DEMO_USERS = [
    DemoUser("kontaktman", "Anna", "Lindqvist", "Mina personer i hemtjänsten, uppgifter att göra"),
    DemoUser("kontaktman2", "Johan", "Berg", "Mina personer i boendestödet"),
    DemoUser("enhetschef", "Maria", "Ek", "Översikt för Hemtjänst Centrum och Solgården"),
    DemoUser("enhetschef2", "Karim", "Haddad", "Översikt för Boendestöd Norr och Öppenvården"),
    DemoUser("planerare", "Lena", "Sjöberg", "Att schemalägga för Hemtjänst Centrum"),
    DemoUser("kvalitet", "Eva", "Holm", "Följsamhet för förvaltningen (kvalitet)"),
    DemoUser("arkivarie", "Per", "Nyström", "Arkiv och gallring för förvaltningen"),
    DemoUser("admin", "Sam", "Admin", "Administration: organisation, personal, rutiner"),
]


@functools.cache
def _demo_password_hash() -> str:
    """Every demo login has the same, printed password: hash it once (a hash costs 0.2 s)."""
    return make_password(DEMO_PASSWORD)


def _user(spec: DemoUser, *, is_admin: bool = False) -> User:
    user: User = User.objects.create(
        username=spec.username,
        password=_demo_password_hash(),
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=f"{spec.username}@demo.invalid",
    )
    if is_admin:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _complete_content(version: PlanVersion, person: Person, contact_name: str) -> dict[str, Any]:
    """Fill a started plan with content a real contact person might write."""
    content = dict(version.content)
    content["interventions"] = [
        {
            **part,
            "when": part["when"] or "Måndag, onsdag och fredag förmiddag",
            "where": "Hemma hos " + person.first_name,
            "how": (
                f"{person.first_name} vill själv välja ordning. Personalen ringer på, "
                "väntar på svar och frågar hur dagen är."
            ),
            "goals": [{"text": "Att känna mig trygg och klara mer själv", "sub_goals": []}],
            "schedule": {
                "weekdays": ["MO", "WE", "FR"],
                "time_of_day": "09:00",
                "duration_minutes": 30,
                "times_per_week": 3,
            },
            "activities": [
                {
                    "description": part["name"],
                    "responsible": "Kontaktman " + contact_name,
                    "when": "Enligt schema",
                    "goals": [],
                }
            ],
            # R-PLAN-7: when and how this intervention is followed up.
            "follow_up_how": (
                f"Efter en månad frågar kontaktmannen {person.first_name} vid ett besök "
                f"hemma hur det går med ”{part['name']}”."
            ),
        }
        for part in content["interventions"]
    ]
    content.update(
        {
            "participation_how": (
                f"{person.first_name} deltog i samtalet hemma och berättade själv."
            ),
            "wishes_weight": "Tider och ordning är anpassade efter önskemålen.",
            "statements": [
                {"source": "person", "text": "Jag vill klara så mycket som möjligt själv."},
                {"source": "staff", "text": "Stödet fungerar bäst på förmiddagen."},
            ],
            "participants": [
                {"name": person.name, "role": "Den enskilde"},
                {"name": contact_name, "role": "Kontaktman"},
            ],
            "cooperation": "Kontakt med handläggaren vid ändrade behov.",
            "other_information": "Ring på dörren och vänta: det tar en stund att komma fram.",
            "follow_up_how": "Samtal med den enskilde och kontaktmannen.",
            "disclosure": ["Personalen i arbetslaget", "Enhetschef"],
            "receives_health_care": False,
            "sip_status": "not_applicable",
            "master_data_checked": True,
        }
    )
    return content


@transaction.atomic(durable=True)
def seed_demo(*, today: date, seed: int = 2026) -> dict[str, User]:
    """Create the demo municipality. Call only when it does not exist yet."""
    rng = random.Random(seed)  # noqa: S311 — synthetic demo data, not security
    types = ensure_intervention_types()
    users = {spec.username: _user(spec, is_admin=spec.username == "admin") for spec in DEMO_USERS}

    municipality = Municipality.objects.create(name="Storbacka kommun", code=DEMO_MUNICIPALITY_CODE)
    established = date(today.year - 1, 1, 1)
    s0 = routine_profile_from_preset(
        municipality=municipality, preset_code="S0_S3", valid_from=established
    )
    s1 = routine_profile_from_preset(
        municipality=municipality, preset_code="S1", valid_from=established
    )
    s4 = routine_profile_from_preset(
        municipality=municipality, preset_code="S4", valid_from=established
    )
    # Short-term stays: the plan within 2 days (an override of the S0/S3 routine).
    InterventionOverride.objects.create(
        version=s0.versions.get(),
        intervention_type=types["korttidsvistelse"],
        establish_within_days=2,
    )
    municipality.routine_profile = s0
    municipality.save(update_fields=["routine_profile"])

    voo = Administration.objects.create(
        municipality=municipality, name="Vård- och omsorgsförvaltningen"
    )
    sof = Administration.objects.create(
        municipality=municipality, name="Socialförvaltningen", routine_profile=s4
    )
    units = {
        "hemtjanst": Unit.objects.create(
            administration=voo, name="Hemtjänst Centrum", field=Field.HOME_CARE, routine_profile=s1
        ),
        "solgarden": Unit.objects.create(
            administration=voo, name="Solgårdens vård- och omsorgsboende", field=Field.ELDERLY_CARE
        ),
        "eken": Unit.objects.create(
            administration=voo, name="Korttidsboendet Eken", field=Field.ELDERLY_CARE
        ),
        "boendestod": Unit.objects.create(
            administration=sof, name="Boendestöd Norr", field=Field.HOUSING_SUPPORT
        ),
        "oppenvard": Unit.objects.create(
            administration=sof, name="Öppenvården Storbacka", field=Field.ADDICTION
        ),
        "linden": Unit.objects.create(
            administration=voo, name="Gruppbostaden Linden (LSS)", field=Field.DISABILITY
        ),
    }
    member = Membership.objects.create
    member(user=users["kontaktman"], role=Role.STAFF, unit=units["hemtjanst"])
    member(user=users["kontaktman2"], role=Role.STAFF, unit=units["boendestod"])
    for key in ("hemtjanst", "solgarden", "eken", "linden"):
        member(user=users["enhetschef"], role=Role.UNIT_MANAGER, unit=units[key])
    for key in ("boendestod", "oppenvard"):
        member(user=users["enhetschef2"], role=Role.UNIT_MANAGER, unit=units[key])
    member(user=users["planerare"], role=Role.SCHEDULER, unit=units["hemtjanst"])
    member(user=users["kvalitet"], role=Role.QUALITY_CONTROLLER, administration=voo)
    member(user=users["arkivarie"], role=Role.ARCHIVIST, administration=voo)
    member(user=users["admin"], role=Role.ADMIN, administration=voo)

    # Who works where, to be contact person: demo users plus a few colleagues without login use.
    contacts = {
        "hemtjanst": users["kontaktman"],
        "boendestod": users["kontaktman2"],
    }
    for key, unit in units.items():
        if key not in contacts:
            colleague = _user(
                DemoUser(f"personal-{key}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), "")
            )
            member(user=colleague, role=Role.STAFF, unit=unit)
            contacts[key] = colleague

    # Persons: per unit, a spread of states relative to today.
    #   kind "late": intervention started long ago, no plan; "soon": deadline within the
    #   due-soon window; "draft": as "soon" with a draft plan; "signing": as "soon" with a
    #   plan waiting for signatures; "new": just started; "fine": plan established.
    plan_mix = {
        "hemtjanst": [
            "late",
            "late",
            "soon",
            "signing",
            "new",
            "draft",
            "fine",
            "fine",
            "fine",
            "fine",
            "fine",
            "new",
        ],
        "solgarden": ["late", "draft", "new", "fine", "fine", "fine", "fine", "fine"],
        "eken": ["late", "new", "fine", "fine"],
        "boendestod": ["late", "signing", "new", "fine", "fine", "fine", "fine", "fine", "fine"],
        "oppenvard": ["late", "soon", "fine", "fine", "fine", "new"],
        "linden": [
            "late",
            "soon",
            "fine",
            "fine",
            "fine",
            "fine",
            "fine",
            "new",
            "fine",
            "fine",
            "fine",
        ],
    }
    used: set[str] = set()
    resolver = ProfileResolver()
    for key, kinds in plan_mix.items():
        unit = units[key]
        profile = resolver.profile(unit, today)
        type_codes = TYPES_FOR_FIELD[unit.field]
        if key == "eken":
            type_codes = ["korttidsvistelse"]
        for index, kind in enumerate(kinds):
            young = unit.field in (Field.DISABILITY, Field.ADDICTION, Field.HOUSING_SUPPORT)
            pnr = synthetic_personnummer(
                rng, born_from=1960 if young else 1925, born_to=2003 if young else 1950, used=used
            )
            deadline_days = profile.for_intervention(type_codes[0]).establish_within_days
            if kind == "late":
                start = today - timedelta(days=deadline_days + rng.randint(3, 40))
            elif kind in ("soon", "draft", "signing"):
                start = today - timedelta(days=max(deadline_days - rng.randint(1, 6), 0))
            elif kind == "new":
                start = today - timedelta(days=rng.randint(0, 2))
            else:
                start = today - timedelta(days=rng.randint(60, 300))
            case = person_create(
                unit=unit,
                personnummer=pnr,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                protected_identity=(index == 3 and key == "hemtjanst"),
                opened_on=start - timedelta(days=3),
                by=users["enhetschef"],
            )
            person = case.person
            if index % 4 == 0:
                Relative.objects.create(
                    person=person,
                    municipality_id=person.municipality_id,
                    name=f"{rng.choice(FIRST_NAMES)} {person.last_name}",
                    kind=RelativeKind.RELATIVE,
                    relation=rng.choice(["Dotter", "Son", "Make", "Maka", "Syster"]),
                    person_wants_involved=True,
                )
            elif index % 7 == 1:
                Relative.objects.create(
                    person=person,
                    municipality_id=person.municipality_id,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    kind=RelativeKind.GOOD_MAN,
                )
            chosen = rng.sample(type_codes, k=min(len(type_codes), rng.randint(1, 3)))
            decision_register(
                case=case,
                decided_on=start - timedelta(days=2),
                reference=f"SN {today.year}/{rng.randint(100, 9999)}",
                case_officer=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                case_officer_email="bistand@storbacka.example",
                goals=rng.choice(DECISION_GOALS),
                interventions=[
                    InterventionInput(
                        type=types[code],
                        start_date=start,
                        scope=rng.choice(
                            ["2 gånger per vecka", "Dagligen", "1 timme per vecka", ""]
                        ),
                    )
                    for code in chosen
                ],
                by=users["enhetschef"],
            )
            contact = contacts[key]
            if not (kind == "new" and index % 2 == 0 and key != "hemtjanst"):
                contact_person_assign(case=case, user=contact, on=start, by=users["enhetschef"])
                if start < today - timedelta(days=2):
                    # Long-standing contacts have long since made the first call.
                    Task.objects.filter(case=case, done_at__isnull=True).update(
                        done_at=timezone.now()
                    )
            manager = users["enhetschef2" if unit.administration_id == sof.pk else "enhetschef"]
            if kind in ("fine", "draft", "signing"):
                version = plan_start(case=case, by=contact, on=start)
                version.content = _complete_content(version, person, contact.get_full_name())
                version.save(update_fields=["content"])
            if kind == "signing":
                version = plan_send_for_signing(version=version, by=contact, on=today)
                if SignerRole.PERSON in required_roles(version, today):
                    _sign(version, SignerRole.PERSON, by=contact, on=today)
            if kind == "fine":
                established_on = start + timedelta(days=rng.randint(1, deadline_days))
                # The demo's past happens on its own days: sent, signed and established
                # on that day, as Delaktig would have recorded it then (core.clock).
                with clock.history(established_on):
                    version = plan_send_for_signing(version=version, by=contact, on=established_on)
                    for role in required_roles(version, established_on):
                        _sign(
                            version,
                            role,
                            by=manager if role == SignerRole.UNIT_MANAGER else contact,
                            on=established_on,
                        )
                    plan_establish(version=version, by=contact)
                plan = Plan.objects.get(pk=version.plan_id)
                due = plan.next_follow_up_on
                if due is not None and due < today and index % 2 == 0:
                    # Half of the plans due for follow-up have had it, a few days early.
                    with clock.history(due - timedelta(days=3)):
                        _demo_follow_up(plan, due - timedelta(days=3), contact)
    _demo_closed_case(units["solgarden"], today, users["enhetschef"])
    return users


def _demo_closed_case(unit: Unit, today: date, manager: User) -> None:
    """One person has moved: the case is closed and its plans delivered to the archive."""
    plan = Plan.objects.filter(unit=unit, established_on__isnull=False).order_by("pk").first()
    if plan is None:  # pragma: no cover — the demo always has established plans
        return
    delivery = case_close(case=plan.case, on=today, by=manager, end_open_interventions=True)
    if delivery is not None:
        delivery_build(delivery=delivery, by=manager)


def _demo_follow_up(plan: Plan, held_on: date, by: User) -> None:
    version = plan.established_version
    assert version is not None  # noqa: S101 — just established
    follow_up_record(
        plan=plan,
        data=FollowUpInput(
            held_on=held_on,
            how="Samtal hemma hos den enskilde",
            participants=[
                {"name": plan.case.person.name, "role": "person"},
                {"name": by.get_full_name(), "role": "staff"},
            ],
            person_view="Nöjd med stödet och tiderna.",
            carried_out_as_decided="Ja, insatserna ges enligt beslutet.",
            situation="Oförändrad.",
            goal_outcomes=[{**g, "outcome": "partly"} for g in plan_goals(version)],
            answers=["Ja, i stort sett.", "", "", "", "Nej."],
            outcome=rules.FollowUpOutcome.NO_CHANGE,
            need_change=rules.NeedChange.UNCHANGED,
            disclosure_reviewed=True,
            master_data_checked=True,
        ),
        by=by,
    )


def _sign(version: PlanVersion, role: SignerRole, *, by: User, on: date) -> None:
    method = SignatureMethod.ON_PAPER if role == SignerRole.PERSON else SignatureMethod.IN_SYSTEM
    signature_record(
        version=version,
        data=SignatureInput(role=role, method=method, signed_on=on),
        by=by,
    )


def demo_exists() -> bool:
    return Municipality.objects.filter(code=DEMO_MUNICIPALITY_CODE).exists()
