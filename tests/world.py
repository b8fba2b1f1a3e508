"""A small municipality for database tests, built through the services.

The cast (after healthchecks' habit):
- **Alice** is unit manager of the home-care unit (routine S1);
- **Bob** works in the home-care unit and is contact person for Astrid;
- **Charlie** works at the housing-support unit (routine S4) and may see none of them;
- **Dana** is quality controller at the administration (no person access).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from delaktig import rules
from delaktig.core.types import User
from delaktig.demo.common import ensure_intervention_types
from delaktig.organisation.models import (
    Administration,
    Field,
    Membership,
    Municipality,
    Role,
    RoutineProfile,
    Unit,
)
from delaktig.organisation.services import routine_profile_from_preset
from delaktig.people.models import Case, InterventionType
from delaktig.people.services import (
    InterventionInput,
    contact_person_assign,
    decision_register,
    person_create,
)

PASSWORD = "test-password-123"


def make_user(username: str, first: str = "", last: str = "") -> User:
    user: User = User.objects.create_user(
        username=username, password=PASSWORD, first_name=first or username.title(), last_name=last
    )
    return user


def pnr(year: int, month: int, day: int, serial: int = 982) -> str:
    return rules.generate_personnummer(date(year, month, day), serial)


@dataclass
class World:
    municipality: Municipality
    administration: Administration
    profiles: dict[str, RoutineProfile]
    home_care: Unit
    nursing_home: Unit
    housing_support: Unit
    types: dict[str, InterventionType]
    alice: User
    bob: User
    charlie: User
    dana: User
    cases: list[Case] = field(default_factory=list)

    def add_person(
        self,
        unit: Unit,
        *,
        start: date,
        types: tuple[str, ...] = ("hemtjanst-dusch",),
        contact: User | None = None,
        birth: tuple[int, int, int] = (1940, 3, 21),
        serial: int = 982,
        first_name: str = "Astrid",
        last_name: str = "Lind",
    ) -> Case:
        case = person_create(
            unit=unit,
            personnummer=pnr(*birth, serial=serial),
            first_name=first_name,
            last_name=last_name,
            opened_on=start,
            by=self.alice,
        )
        decision_register(
            case=case,
            decided_on=start,
            goals="Att kunna bo kvar hemma.",
            interventions=[InterventionInput(type=self.types[t], start_date=start) for t in types],
            by=self.alice,
        )
        if contact is not None:
            contact_person_assign(case=case, user=contact, on=start, by=self.alice)
        self.cases.append(case)
        return case


def build_world() -> World:
    types = ensure_intervention_types()
    municipality = Municipality.objects.create(name="Testkommun", code="9990")
    valid = date(2020, 1, 1)
    profiles = {
        code: routine_profile_from_preset(
            municipality=municipality, preset_code=code, valid_from=valid
        )
        for code in ("S0_S3", "S1", "S4")
    }
    municipality.routine_profile = profiles["S0_S3"]
    municipality.save(update_fields=["routine_profile"])
    administration = Administration.objects.create(municipality=municipality, name="Omsorg")
    home_care = Unit.objects.create(
        administration=administration,
        name="Hemtjänst Väst",
        field=Field.HOME_CARE,
        routine_profile=profiles["S1"],
    )
    nursing_home = Unit.objects.create(
        administration=administration, name="Solbacken", field=Field.ELDERLY_CARE
    )
    housing_support = Unit.objects.create(
        administration=administration,
        name="Boendestöd Öst",
        field=Field.HOUSING_SUPPORT,
        routine_profile=profiles["S4"],
    )
    alice = make_user("alice", "Alice", "Chef")
    bob = make_user("bob", "Bob", "Kontaktman")
    charlie = make_user("charlie", "Charlie", "Annan")
    dana = make_user("dana", "Dana", "Kvalitet")
    Membership.objects.create(user=alice, role=Role.UNIT_MANAGER, unit=home_care)
    Membership.objects.create(user=alice, role=Role.UNIT_MANAGER, unit=nursing_home)
    Membership.objects.create(user=bob, role=Role.STAFF, unit=home_care)
    Membership.objects.create(user=charlie, role=Role.STAFF, unit=housing_support)
    Membership.objects.create(
        user=dana, role=Role.QUALITY_CONTROLLER, administration=administration
    )
    return World(
        municipality=municipality,
        administration=administration,
        profiles=profiles,
        home_care=home_care,
        nursing_home=nursing_home,
        housing_support=housing_support,
        types=types,
        alice=alice,
        bob=bob,
        charlie=charlie,
        dana=dana,
    )
