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

from django.utils.text import capfirst

from delaktig import labels, rules
from delaktig.labels import Label

from ..access import DISCLOSURE_ROLES
from ..display import SOURCE_LABELS

# Checkbox labels start with a capital; capfirst keeps them lazy.
WEEKDAYS: Mapping[str, Label] = {code: capfirst(day) for code, day in labels.WEEKDAYS.items()}
STATEMENT_SOURCES: Mapping[str, Label] = SOURCE_LABELS
# Group headings of the statements, so the sources are visibly kept apart (R-PLAN-4).
STATEMENT_GROUPS: Mapping[str, Label] = {key: s.said for key, s in labels.SOURCES.items()}
SIP_LABELS: Mapping[str, Label] = labels.SIP
MAX_MINUTES = 24 * 60
MAX_TIMES_PER_WEEK = 100


@dataclass(frozen=True)
class Text:
    key: str
    label: Label
    multiline: bool = True  # textarea; False: one-line input
    lines: bool = False  # stored as a list, one item per line (sub-goals)
    help: str = ""  # key of templates_text.DEFAULT_SECTIONS shown under the label


@dataclass(frozen=True)
class Number:
    key: str
    label: Label
    low: int
    high: int


@dataclass(frozen=True)
class Clock:
    key: str
    label: Label


@dataclass(frozen=True)
class Flag:
    key: str
    label: Label


@dataclass(frozen=True)
class Choice:
    key: str
    label: Label
    choices: Mapping[str, Label]
    default: str
    radios: bool = False


@dataclass(frozen=True)
class Many:
    key: str
    label: Label
    choices: Mapping[str, Label]


@dataclass(frozen=True)
class Rows:
    key: str
    label: Label
    item: Label  # legend of an existing row, "{n}" is its number
    new_item: Label  # legend of the blank row
    fields: tuple[Spec, ...]
    extra: tuple[tuple[str, Any], ...] = ()  # keys every row gets without an input: (key, value)


@dataclass(frozen=True)
class Group:
    key: str
    label: Label
    fields: tuple[Spec, ...]


Spec = Text | Number | Clock | Flag | Choice | Many | Rows | Group

# Short names for the label tables the specs below read.
_F, _I, _G, _A, _S = (
    labels.FIELDS,
    labels.INTERVENTION,
    labels.GOAL,
    labels.ACTIVITY,
    labels.SCHEDULE,
)
_R = labels.ROWS

GOAL_FIELDS: tuple[Spec, ...] = (
    Text("text", _G["text"].question, multiline=False),
    Text("sub_goals", _G["sub_goals"].question, lines=True),
)
ACTIVITY_FIELDS: tuple[Spec, ...] = (
    Text("description", _A["description"].question, multiline=False),
    Text("responsible", _A["responsible"].question, multiline=False),
    Text("when", _A["when"].question, multiline=False),
    Rows("goals", _A["goals"].question, _R["goals"].item, _R["goals"].new, GOAL_FIELDS),
)
SCHEDULE_FIELDS: tuple[Spec, ...] = (
    Many("weekdays", _S["weekdays"].question, WEEKDAYS),
    Clock("time_of_day", _S["time_of_day"].question),
    Number("duration_minutes", _S["duration_minutes"].question, 1, MAX_MINUTES),
    Number("times_per_week", _S["times_per_week"].question, 1, MAX_TIMES_PER_WEEK),
)
INTERVENTION_FIELDS: tuple[Spec, ...] = (
    Text("when", _I["when"].question, help="when"),
    Text("where", _I["where"].question, help="where"),
    Text("how", _I["how"].question, help="how"),
    Rows("goals", _I["goals"].question, _R["goals"].item, _R["goals"].new, GOAL_FIELDS),
    Rows(
        "activities",
        _I["activities"].question,
        _R["activities"].item,
        _R["activities"].new,
        ACTIVITY_FIELDS,
    ),
    Text("follow_up_how", _I["follow_up_how"].question, help="intervention_follow_up"),
    # R-LIFE-7: a row per visit (morning and evening, other days, other lengths).
    Rows("visits", _I["schedule"].question, _R["visits"].item, _R["visits"].new, SCHEDULE_FIELDS),
)
STATEMENT_FIELDS: tuple[Spec, ...] = (
    Text("text", labels.STATEMENT["text"].question),
    Choice(
        "source",
        labels.STATEMENT["source"].question,
        STATEMENT_SOURCES,
        rules.StatementSource.PERSON.value,
    ),
)
STATEMENTS = Rows(
    "statements",
    _F["statements"].question,
    _R["statements"].item,
    _R["statements"].new,
    STATEMENT_FIELDS,
)
PARTICIPANT_FIELDS: tuple[Spec, ...] = (
    Text("name", labels.PARTICIPANT["name"].question, multiline=False),
    Text("role", labels.PARTICIPANT["role"].question, multiline=False),
)
TOP_FIELDS: tuple[Spec, ...] = (
    Text("decision_goals", _F["decision_goals"].question, help="decision_goals"),
    Text("participation_how", _F["participation_how"].question),
    Text("wishes_weight", _F["wishes_weight"].question),
    Text(
        "interests_how_found",
        _F["interests_how_found"].question,
        help="interests_how_found",
    ),
    STATEMENTS,
    Rows(
        "participants",
        _F["participants"].question,
        _R["participants"].item,
        _R["participants"].new,
        PARTICIPANT_FIELDS,
    ),
    Text("other_information", _F["other_information"].question, help="other_information"),
    Text("cooperation", _F["cooperation"].question, help="cooperation"),
    Text("follow_up_how", _F["follow_up_how"].question, help="follow_up"),
    Flag("receives_health_care", _F["receives_health_care"].question),
    Choice(
        "sip_status",
        _F["sip_status"].question,
        SIP_LABELS,
        rules.SipStatus.UNANSWERED.value,
        radios=True,
    ),
    Flag("declined", _F["declined"].question),
    Flag("declined_purpose_explained", _F["declined_purpose_explained"].question),
    Text("declined_reason", _F["declined_reason"].question),
    Flag("master_data_checked", _F["master_data_checked"].question),
)
DISCLOSURE_ROLE_FIELD = Many("disclosure_roles", _F["disclosure_roles"].question, DISCLOSURE_ROLES)
DISCLOSURE_OTHER_FIELD = Rows(
    "disclosure_other",
    _F["disclosure_other"].question,
    _R["disclosure_other"].item,
    _R["disclosure_other"].new,
    (Text("text", labels.DISCLOSURE_OTHER["text"].question, multiline=False),),
)
