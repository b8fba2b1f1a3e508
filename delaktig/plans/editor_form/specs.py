"""The field specs of the plan editor and the spec tree of a plan's sections (R-PLAN-1…14).

One table (:data:`INTERVENTION_FIELDS`, :data:`TOP_FIELDS`, the disclosure
fields) drives both directions, so reading a POST (:mod:`.parse`), building the
form (:mod:`.build`) and naming a field in words (:mod:`.labels`) cannot drift
apart: a spec says what a value is (text, number, clock time, flag, choice, a
set of choices, a list of rows, a group), its key and its Swedish label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from delaktig import rules

from ..access import DISCLOSURE_ROLES
from ..display import SOURCE_LABELS, WEEKDAY_LABELS

WEEKDAYS: Mapping[str, str] = {code: day.capitalize() for code, day in WEEKDAY_LABELS.items()}
STATEMENT_SOURCES: Mapping[str, str] = SOURCE_LABELS
# Group headings of the statements, so the sources are visibly kept apart (R-PLAN-4).
STATEMENT_GROUPS: Mapping[str, str] = {
    rules.StatementSource.PERSON.value: "Det den enskilde själv har sagt",
    rules.StatementSource.STAFF.value: "Det personalen har sagt",
    rules.StatementSource.LEGAL_REPRESENTATIVE.value: "Det god man eller förvaltare har sagt",
    rules.StatementSource.RELATIVE.value: "Det närstående har sagt",
}
SIP_LABELS: Mapping[str, str] = {
    rules.SipStatus.UNANSWERED.value: "Inte besvarat än",
    rules.SipStatus.NOT_APPLICABLE.value: (
        "Inte aktuellt – den enskilde får ingen hälso- och sjukvård"
    ),
    rules.SipStatus.NEEDED.value: "En SIP behövs",
    rules.SipStatus.EXISTS.value: "Det finns redan en SIP",
    rules.SipStatus.NOT_NEEDED.value: "En SIP behövs inte",
    rules.SipStatus.PERSON_OBJECTS.value: "Den enskilde vill inte ha en SIP",
}
MAX_MINUTES = 24 * 60
MAX_TIMES_PER_WEEK = 100


@dataclass(frozen=True)
class Text:
    key: str
    label: str
    multiline: bool = True  # textarea; False: one-line input
    lines: bool = False  # stored as a list, one item per line (sub-goals)
    help: str = ""  # key of templates_text.DEFAULT_SECTIONS shown under the label


@dataclass(frozen=True)
class Number:
    key: str
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class Clock:
    key: str
    label: str


@dataclass(frozen=True)
class Flag:
    key: str
    label: str


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    choices: Mapping[str, str]
    default: str
    radios: bool = False


@dataclass(frozen=True)
class Many:
    key: str
    label: str
    choices: Mapping[str, str]


@dataclass(frozen=True)
class Rows:
    key: str
    label: str
    item: str  # legend of an existing row, "{n}" is its number
    new_item: str  # legend of the blank row
    fields: tuple[Spec, ...]
    extra: tuple[tuple[str, Any], ...] = ()  # keys every row gets without an input: (key, value)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    fields: tuple[Spec, ...]


Spec = Text | Number | Clock | Flag | Choice | Many | Rows | Group

GOAL_FIELDS: tuple[Spec, ...] = (
    Text("text", "Mål", multiline=False),
    Text("sub_goals", "Delmål – skriv ett delmål på varje rad", lines=True),
)
ACTIVITY_FIELDS: tuple[Spec, ...] = (
    Text("description", "Vad ska göras?", multiline=False),
    Text("responsible", "Vem ansvarar?", multiline=False),
    Text("when", "När?", multiline=False),
    Rows("goals", "Mål med aktiviteten", "Mål {n}", "Nytt mål", GOAL_FIELDS),
)
SCHEDULE_FIELDS: tuple[Spec, ...] = (
    Many("weekdays", "Veckodagar", WEEKDAYS),
    Clock("time_of_day", "Klockslag"),
    Number("duration_minutes", "Längd i minuter", 1, MAX_MINUTES),
    Number("times_per_week", "Gånger per vecka", 1, MAX_TIMES_PER_WEEK),
)
INTERVENTION_FIELDS: tuple[Spec, ...] = (
    Text("when", "När ska insatsen göras?", help="when"),
    Text("where", "Var ska insatsen göras?", help="where"),
    Text("how", "Hur ska insatsen göras?", help="how"),
    Rows("goals", "Mål för insatsen", "Mål {n}", "Nytt mål", GOAL_FIELDS),
    Rows(
        "activities",
        "Aktiviteter",
        "Aktivitet {n}",
        "Ny aktivitet",
        ACTIVITY_FIELDS,
    ),
    Group("schedule", "Schemaläggning", SCHEDULE_FIELDS),
)
STATEMENT_FIELDS: tuple[Spec, ...] = (
    Text("text", "Vad har sagts?"),
    Choice("source", "Vem har sagt det?", STATEMENT_SOURCES, rules.StatementSource.PERSON.value),
)
STATEMENTS = Rows("statements", "Synpunkter", "Synpunkt {n}", "Ny synpunkt", STATEMENT_FIELDS)
PARTICIPANT_FIELDS: tuple[Spec, ...] = (
    Text("name", "Namn", multiline=False),
    Text("role", "Roll", multiline=False),
)
TOP_FIELDS: tuple[Spec, ...] = (
    Text("decision_goals", "Målen i biståndsbeslutet", help="decision_goals"),
    Text("participation_how", "Hur har den enskilde varit med i planeringen?"),
    Text("wishes_weight", "Hur har ni tagit hänsyn till den enskildes synpunkter och önskemål?"),
    Text(
        "interests_how_found",
        "Hur har ni tagit reda på den enskildes intressen och mål?",
        help="interests_how_found",
    ),
    STATEMENTS,
    Rows("participants", "Deltagare", "Deltagare {n}", "Ny deltagare", PARTICIPANT_FIELDS),
    Text("other_information", "Vad mer behöver personalen veta?", help="other_information"),
    Text("cooperation", "Med vem samverkar ni, och hur?", help="cooperation"),
    Text("follow_up_how", "När och hur ska planen följas upp?", help="follow_up"),
    Flag("receives_health_care", "Den enskilde får också hälso- och sjukvård"),
    Choice(
        "sip_status",
        "Samordnad individuell plan (SIP)",
        SIP_LABELS,
        rules.SipStatus.UNANSWERED.value,
        radios=True,
    ),
    Flag("declined", "Den enskilde vill inte ha en genomförandeplan"),
    Flag("declined_purpose_explained", "Vi har förklarat varför planen görs"),
    Text("declined_reason", "Vad säger den enskilde om varför hen inte vill ha en plan?"),
    Flag(
        "master_data_checked",
        "Jag har kontrollerat att personens uppgifter och övrig information stämmer",
    ),
)
DISCLOSURE_ROLE_FIELD = Many("disclosure_roles", "Grupper som får läsa planen", DISCLOSURE_ROLES)
DISCLOSURE_OTHER_FIELD = Rows(
    "disclosure_other",
    "Andra som får läsa planen",
    "Person eller roll {n}",
    "Annan person eller roll",
    (Text("text", "Person eller roll", multiline=False),),
)
