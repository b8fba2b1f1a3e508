"""Synthetic data shared by the demo municipality and the benchmark generator.

Everything here is synthetic: the names are common Swedish names, and the
personnummer are valid by checksum but generated, with serial numbers in the
98x range, which the Swedish Tax Agency's test numbers also use.
"""

from __future__ import annotations

import random
from datetime import date

from delaktig import rules
from delaktig.organisation.models import Field
from delaktig.people.models import InterventionType

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
DECISION_GOALS = [
    "Att kunna bo kvar hemma tryggt och självständigt.",
    "Att klara sin personliga hygien med stöd.",
    "Att bryta isolering och ha sociala kontakter.",
    "Att klara ett självständigt boende.",
    "Att ha en meningsfull sysselsättning.",
]


def ensure_intervention_types() -> dict[str, InterventionType]:
    """The shipped intervention types by code, created if missing (tests use them too)."""
    for code, name, field in INTERVENTION_TYPES:
        InterventionType.objects.get_or_create(code=code, defaults={"name": name, "field": field})
    return {t.code: t for t in InterventionType.objects.all()}


def synthetic_personnummer(
    rng: random.Random, *, born_from: int, born_to: int, used: set[str]
) -> str:
    """A checksum-valid test personnummer (98x serial) not yet in ``used``; adds it there."""
    while True:
        birth = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        value = rules.generate_personnummer(birth, rng.randint(980, 999))
        if value not in used:
            used.add(value)
            return value
