"""The demo municipality (``manage.py seed_demo``) and the large generated one for benchmarks.

Everything here is synthetic: the names are common Swedish names, the
personnummer are valid by checksum but generated, and the serial numbers are
in the 98x range, which the Swedish Tax Agency's test numbers also use.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from delaktig import rules
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
from delaktig.people.models import (
    Case,
    ContactAssignment,
    Decision,
    GrantedIntervention,
    InterventionType,
    Person,
    Relative,
    RelativeKind,
)
from delaktig.people.services import (
    InterventionInput,
    contact_person_assign,
    decision_register,
    person_create,
)
from delaktig.plans.models import (
    Plan,
    PlanVersion,
    SignatureMethod,
    SignerRole,
    VersionState,
    content_hash,
)
from delaktig.plans.services import (
    SignatureInput,
    plan_establish,
    plan_send_for_signing,
    plan_start,
    required_roles,
    signature_record,
)

from .demo import DEMO_PASSWORD
from .types import User

DEMO_MUNICIPALITY_CODE = "9901"

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Kristina",
    "Lena",
    "Kerstin",
    "Elisabeth",
    "Ingrid",
    "Birgitta",
    "Marianne",
    "Margareta",
    "Gunilla",
    "Ulla",
    "Astrid",
    "Sara",
    "Fatima",
    "Aisha",
    "Lars",
    "Karl",
    "Erik",
    "Anders",
    "Per",
    "Johan",
    "Nils",
    "Lennart",
    "Jan",
    "Olof",
    "Gunnar",
    "Bengt",
    "Sven",
    "Göran",
    "Mikael",
    "Ahmed",
    "Mohammed",
    "Ali",
    "Hassan",
    "Leila",
    "Zeynep",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Axelsson",
    "Berg",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Åberg",
    "Öberg",
    "Hussein",
]

INTERVENTION_TYPES: list[tuple[str, str, str]] = [
    ("hemtjanst-personlig-omvardnad", "Hemtjänst – personlig omvårdnad", Field.HOME_CARE),
    ("hemtjanst-dusch", "Hemtjänst – dusch", Field.HOME_CARE),
    ("hemtjanst-inkop", "Hemtjänst – inköp", Field.HOME_CARE),
    ("hemtjanst-promenad", "Hemtjänst – promenad", Field.HOME_CARE),
    ("hemtjanst-stadning", "Hemtjänst – städning", Field.HOME_CARE),
    ("trygghetslarm", "Trygghetslarm", Field.HOME_CARE),
    ("sarskilt-boende", "Särskilt boende", Field.ELDERLY_CARE),
    ("korttidsvistelse", "Korttidsvistelse", Field.ELDERLY_CARE),
    ("boendestod", "Boendestöd", Field.HOUSING_SUPPORT),
    ("lss-bostad", "Bostad med särskild service (LSS 9 § 9)", Field.DISABILITY),
    ("daglig-verksamhet", "Daglig verksamhet (LSS 9 § 10)", Field.DISABILITY),
    ("oppenvard-missbruk", "Öppenvård – missbruk", Field.ADDICTION),
]
TYPES_FOR_FIELD: dict[str, list[str]] = {
    Field.HOME_CARE: [
        "hemtjanst-personlig-omvardnad",
        "hemtjanst-dusch",
        "hemtjanst-inkop",
        "hemtjanst-promenad",
        "hemtjanst-stadning",
        "trygghetslarm",
    ],
    Field.ELDERLY_CARE: ["sarskilt-boende"],
    Field.HOUSING_SUPPORT: ["boendestod"],
    Field.DISABILITY: ["lss-bostad", "daglig-verksamhet"],
    Field.ADDICTION: ["oppenvard-missbruk"],
    Field.SOCIAL_PSYCHIATRY: ["boendestod"],
}
STREETS = ["Storgatan", "Björkvägen", "Skolgatan", "Ekvägen", "Kvarnbacken"]
DECISION_GOALS = [
    "Att kunna bo kvar hemma tryggt och självständigt.",
    "Att klara sin personliga hygien med stöd.",
    "Att bryta isolering och ha sociala kontakter.",
    "Att klara ett självständigt boende.",
    "Att ha en meningsfull sysselsättning.",
]


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
    DemoUser("planerare", "Lena", "Sjöberg", "Hemtjänst Centrum (planerare)"),
    DemoUser("kvalitet", "Eva", "Holm", "Kvalitetscontroller för förvaltningen"),
    DemoUser("arkivarie", "Per", "Nyström", "Arkivarie för förvaltningen"),
    DemoUser("admin", "Sam", "Admin", "Administrationen: organisation, personal, rutiner"),
]


def _user(spec: DemoUser, *, is_admin: bool = False) -> User:
    user: User = User.objects.create_user(
        username=spec.username,
        password=DEMO_PASSWORD,
        first_name=spec.first_name,
        last_name=spec.last_name,
        email=f"{spec.username}@demo.invalid",
    )
    if is_admin:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def ensure_intervention_types() -> dict[str, InterventionType]:
    for code, name, field in INTERVENTION_TYPES:
        InterventionType.objects.get_or_create(code=code, defaults={"name": name, "field": field})
    return {t.code: t for t in InterventionType.objects.all()}


def _personnummer(rng: random.Random, *, born_from: int, born_to: int, used: set[str]) -> str:
    while True:
        birth = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        value = rules.generate_personnummer(birth, rng.randint(980, 999))
        if value not in used:
            used.add(value)
            return value


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
            "follow_up_how": "Samtal med den enskilde och kontaktmannen.",
            "disclosure": ["Personalen i arbetslaget", "Enhetschef"],
            "receives_health_care": False,
            "sip_status": "not_applicable",
            "master_data_checked": True,
        }
    )
    return content


@transaction.atomic
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
            pnr = _personnummer(
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
                version = plan_send_for_signing(version=version, by=contact, on=established_on)
                for role in required_roles(version, established_on):
                    _sign(
                        version,
                        role,
                        by=manager if role == SignerRole.UNIT_MANAGER else contact,
                        on=established_on,
                    )
                plan_establish(version=version, on=established_on, by=contact)
                plan = Plan.objects.get(pk=version.plan_id)
                due = plan.next_follow_up_on
                if due is not None and due < today and index % 2 == 0:
                    # Half of the plans due for follow-up have had it, a few days early.
                    _demo_follow_up(plan, due - timedelta(days=3), contact)
    _demo_closed_case(units["solgarden"], today, users["enhetschef"])
    return users


def _demo_closed_case(unit: Unit, today: date, manager: User) -> None:
    """One person has moved: the case is closed and its plans delivered to the archive."""
    from delaktig.archive.services import case_close, delivery_build

    plan = Plan.objects.filter(unit=unit, established_on__isnull=False).order_by("pk").first()
    if plan is None:  # pragma: no cover — the demo always has established plans
        return
    delivery = case_close(case=plan.case, on=today, by=manager, end_open_interventions=True)
    if delivery is not None:
        delivery_build(delivery=delivery, by=manager)


def _demo_follow_up(plan: Plan, held_on: date, by: User) -> None:
    from delaktig.plans.followups import FollowUpInput, follow_up_record, plan_goals

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


@transaction.atomic
def generate_municipality(
    *, persons: int, today: date, code: str = "9902", units: int | None = None, seed: int = 7
) -> Municipality:
    """A large generated municipality for benchmarks, written with bulk inserts.

    Deadlines and follow-up dates are computed by the same rules as the
    services; per-row audit events are not written (one event records the run).
    """
    from delaktig.records.audit import audit_append

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
    model = User
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
                        _personnummer(rng, born_from=1925, born_to=2003, used=used)
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
            versions.append(
                PlanVersion(
                    plan=plan,
                    municipality=municipality,
                    number=1,
                    state=VersionState.DRAFT,
                    established_on=on,
                )
            )
            versions.append(
                PlanVersion(
                    plan=plan,
                    municipality=municipality,
                    number=2,
                    state=VersionState.DRAFT,
                    established_on=on,
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
