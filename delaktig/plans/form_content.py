"""The plan editor's form ⇄ a version's content dict (R-PLAN-1…14).

One table of field specs (:data:`INTERVENTION_FIELDS`, :data:`TOP_FIELDS`)
drives both directions:

* :func:`parse_post` / :func:`content_from_post` read the POST into the content
  dict (exactly the keys of ``rules.PlanContent``, plus ``schedule`` per
  intervention and ``disclosure_roles``): text is stripped, blank list rows
  are dropped, numbers and clock times are checked with Swedish messages;
* :func:`build_form` turns content into widgets (name, id, label, value) for
  the templates, with one blank row at the end of every list so a row can be
  added without JavaScript.

Input names are flat: ``decision_goals``, ``interventions-0-how``,
``interventions-0-goals-1-sub_goals``, ``statements-3-source``; an input's id
is ``id_`` + its name. Both directions also record *anchors*: the rules
engine's field path (``interventions[12].goals[0].text``) → the id of the input
that holds it, so the check panel can link each finding to its input.

Interventions are never added, removed or renamed from the POST: their
``key`` and ``name`` come from the stored content; the hidden
``interventions-N-key`` input only says which block of the POST belongs to
which stored intervention (unknown keys are ignored).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError

from delaktig import rules
from delaktig.rules.content import intervention_path

from .access import DEFAULT_DISCLOSURE_ROLES, DISCLOSURE_ROLES
from .content import MAX_ROWS, MAX_TEXT
from .display import SOURCE_LABELS, WEEKDAY_LABELS

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
_CLOCK = re.compile(r"(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?")
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
_ROW_INDEX = re.compile(r"-(\d{1,4})-")


# --------------------------------------------------------------------------- field specs


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
PART_DEFAULTS: Mapping[str, Any] = {
    "when": "",
    "where": "",
    "how": "",
    "goals": [],
    "activities": [],
    "schedule": {
        "weekdays": [],
        "time_of_day": "",
        "duration_minutes": None,
        "times_per_week": None,
    },
}
CONTENT_KEYS = (*(f.name for f in fields(rules.PlanContent)), "disclosure_roles")


def _name(prefix: str, key: str) -> str:
    return f"{prefix}-{key}" if prefix else key


def _path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def input_id(name: str) -> str:
    return f"id_{name}"


def _first_leaf(specs: Sequence[Spec]) -> str:
    """The name (below the prefix) of the first input of ``specs``."""
    spec = specs[0]
    if isinstance(spec, Rows):
        return f"{spec.key}-0-{_first_leaf(spec.fields)}"
    if isinstance(spec, Group):
        return f"{spec.key}-{_first_leaf(spec.fields)}"
    if isinstance(spec, Many) or (isinstance(spec, Choice) and spec.radios):
        return f"{spec.key}-{next(iter(spec.choices))}"
    return spec.key


# --------------------------------------------------------------------------- POST → content


@dataclass
class ParsedPost:
    """The content read from a POST, the problems found (input id, message) and the anchors."""

    content: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.errors]


class _Reader:
    def __init__(self, post: Any) -> None:
        self.post = post
        self.errors: list[tuple[str, str]] = []
        self.anchors: dict[str, str] = {}
        # "interventions-0-goals" -> {0, 1}: every list prefix with the row numbers it has.
        self.rows: dict[str, set[int]] = {}
        for key in post:
            for match in _ROW_INDEX.finditer(key):
                self.rows.setdefault(key[: match.start()], set()).add(int(match.group(1)))

    def text(self, name: str) -> str:
        value = self.post.get(name, "")
        value = value if isinstance(value, str) else ""
        return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()

    def error(self, anchor: str, message: str) -> None:
        self.errors.append((anchor, message))

    def fields(self, specs: Sequence[Spec], prefix: str, path: str, where: str) -> dict[str, Any]:
        return {spec.key: self.one(spec, prefix, path, where) for spec in specs}

    def one(self, spec: Spec, prefix: str, path: str, where: str) -> Any:
        name, here = _name(prefix, spec.key), _path(path, spec.key)
        if isinstance(spec, Rows):
            return self.rows_of(spec, name, here, where)
        if isinstance(spec, Group):
            return self.fields(spec.fields, name, here, where)
        anchor = self.anchors[here] = input_id(_name(prefix, _first_leaf([spec])))
        before = f"{where}: " if where else ""
        if isinstance(spec, Text):
            value = self.text(name)
            if len(value) > MAX_TEXT:
                self.error(
                    anchor,
                    f"{before}Texten i ”{spec.label}” är för lång. Den får vara högst "
                    f"{MAX_TEXT} tecken, men är {len(value)} tecken.",
                )
            if spec.lines:
                return [line.strip() for line in value.split("\n") if line.strip()]
            return value
        if isinstance(spec, Number):
            raw = self.text(name)
            if not raw:
                return None
            if not _INTEGER.fullmatch(raw):  # not int(): it takes "4_5" and other digits
                self.error(anchor, f"{before}{spec.label} måste vara ett heltal.")
                return raw
            number = int(raw)
            if not spec.low <= number <= spec.high:
                self.error(
                    anchor, f"{before}{spec.label} måste vara mellan {spec.low} och {spec.high}."
                )
            return number
        if isinstance(spec, Clock):
            raw = self.text(name)
            match = _CLOCK.fullmatch(raw)
            if raw and match is None:
                self.error(anchor, f"{before}Skriv klockslaget som tt:mm, till exempel 09:30.")
                return raw
            return f"{int(match['h']):02d}:{match['m']}" if match else ""
        if isinstance(spec, Flag):
            return bool(self.post.get(name))
        if isinstance(spec, Choice):
            value = self.text(name) or spec.default
            if value not in spec.choices:
                self.error(anchor, f"{before}Välj ett av svaren för ”{spec.label}”.")
                return spec.default
            return value
        chosen = set(self.post.getlist(name))  # Many: in the table's order, unknown values ignored
        return [value for value in spec.choices if value in chosen]

    def rows_of(self, spec: Rows, name: str, path: str, where: str) -> list[Any]:
        kept: list[Any] = []
        numbers = sorted(self.rows.get(name, ()))
        if numbers:
            self.anchors[path] = input_id(f"{name}-{numbers[0]}-{_first_leaf(spec.fields)}")
        for position, number in enumerate(numbers, start=1):
            outer, self.anchors = self.anchors, {}
            row_where = spec.item.format(n=position)
            row_where = f"{where}, {row_where.lower()}" if where else row_where
            row = self.fields(spec.fields, f"{name}-{number}", f"{path}[{len(kept)}]", row_where)
            row_anchors, self.anchors = self.anchors, outer
            if not all(_blank(s, row[s.key]) for s in spec.fields):
                self.anchors.update(row_anchors)
                self.anchors[f"{path}[{len(kept)}]"] = input_id(
                    f"{name}-{number}-{_first_leaf(spec.fields)}"
                )
                kept.append(row | {key: list(value) for key, value in spec.extra})
        if len(kept) > MAX_ROWS:
            before = f"{where}: " if where else ""
            self.error(
                input_id(f"{name}-{numbers[0]}-{_first_leaf(spec.fields)}"),
                f"{before}För många rader i ”{spec.label}”. Högst {MAX_ROWS} rader får finnas.",
            )
        return kept

    def interventions(self, previous: Sequence[Any]) -> list[dict[str, Any]]:
        posted = {
            self.text(f"interventions-{n}-key"): n
            for n in sorted(self.rows.get("interventions", ()))
        }
        parts = []
        for part in previous:
            key, name = str(part.get("key", "")), str(part.get("name", ""))
            number = posted.get(key)
            if number is None:  # not in this form: keep it as stored
                parts.append({"key": key, "name": name} | _stored_part(part))
                continue
            values = self.fields(
                INTERVENTION_FIELDS, f"interventions-{number}", intervention_path(key), name
            )
            parts.append({"key": key, "name": name, **values})
        return parts


def _blank(spec: Spec, value: Any) -> bool:
    if isinstance(spec, Choice):
        return True  # a select always has a value: it does not make a row worth keeping
    if isinstance(spec, Group):
        return all(_blank(s, value[s.key]) for s in spec.fields)
    return value in ("", None, False, [])


def _stored_part(part: Mapping[str, Any]) -> dict[str, Any]:
    return {key: part.get(key, copy.deepcopy(default)) for key, default in PART_DEFAULTS.items()}


def _disclosure(roles: list[str], others: list[dict[str, Any]]) -> list[str]:
    entries = [DISCLOSURE_ROLES[role] for role in roles] + [row["text"] for row in others]
    return list(dict.fromkeys(entries))


def parse_post(
    post: Any, previous: Mapping[str, Any], *, master_data_check: bool = True
) -> ParsedPost:
    """Read the editor's POST into a full content dict, collecting every problem."""
    reader = _Reader(post)
    values: dict[str, Any] = {
        "interventions": reader.interventions(previous.get("interventions", ()))
    }
    values.update(reader.fields(TOP_FIELDS, "", "", ""))
    roles = reader.one(DISCLOSURE_ROLE_FIELD, "", "", "")
    others = reader.one(DISCLOSURE_OTHER_FIELD, "", "", "")
    values["disclosure_roles"] = roles
    values["disclosure"] = _disclosure(roles, others)
    reader.anchors["disclosure"] = reader.anchors["disclosure_roles"]
    if not master_data_check:  # the checkbox is not shown: keep what is stored (R-PLAN-14)
        values["master_data_checked"] = bool(previous.get("master_data_checked", False))
    content = {key: values[key] for key in CONTENT_KEYS}
    return ParsedPost(content=content, errors=reader.errors, anchors=reader.anchors)


def content_from_post(
    post: Any, previous: Mapping[str, Any], *, master_data_check: bool = True
) -> dict[str, Any]:
    """The content dict of an editor POST; ``ValidationError`` (Swedish) on bad input."""
    parsed = parse_post(post, previous, master_data_check=master_data_check)
    if parsed.errors:
        raise ValidationError(parsed.messages)
    return parsed.content


# --------------------------------------------------------------------------- content → form


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class Widget:
    """One input (or one group of checkboxes/radios) as the templates draw it."""

    kind: str  # textarea, text, number, time, checkbox, select, radios, checkboxes
    name: str
    id: str
    label: str
    value: str = ""
    checked: bool = False
    options: list[Option] = field(default_factory=list)
    help: str = ""
    example: str = ""
    error: str = ""
    low: int | None = None
    high: int | None = None
    extra_help_id: str = ""  # a block's help text this input is also described by

    @property
    def help_id(self) -> str:
        return f"{self.id}-help"

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        ids = [self.extra_help_id] if self.extra_help_id else []
        ids += [self.help_id] if self.help else []
        ids += [self.error_id] if self.error else []
        return " ".join(ids)

    @property
    def maxlength(self) -> int:
        return MAX_TEXT


@dataclass
class Row:
    """One row of a list (a goal, an activity, a statement …); ``new`` for the blank row."""

    number: int
    legend: str
    new: bool
    fields: dict[str, Any]
    id: str


@dataclass
class InterventionForm:
    index: int
    key: str
    name: str
    key_input: str
    id: str
    fields: dict[str, Any]


@dataclass
class StatementGroup:
    source: str
    heading: str
    id: str
    rows: list[Row]


@dataclass
class EditorForm:
    top: dict[str, Any]
    interventions: list[InterventionForm]
    statement_groups: list[StatementGroup]
    disclosure_roles: Widget
    disclosure_other: list[Row]
    show_master_data: bool
    anchors: dict[str, str]


class _Builder:
    def __init__(self, texts: Mapping[str, Mapping[str, str]], errors: Mapping[str, str]) -> None:
        self.texts = texts
        self.errors = errors
        self.anchors: dict[str, str] = {}

    def fields(
        self, specs: Sequence[Spec], prefix: str, path: str, values: Mapping[str, Any]
    ) -> dict[str, Any]:
        return {spec.key: self.one(spec, prefix, path, values.get(spec.key)) for spec in specs}

    def one(self, spec: Spec, prefix: str, path: str, value: Any) -> Any:
        name, here = _name(prefix, spec.key), _path(path, spec.key)
        if isinstance(spec, Rows):
            return self.rows(spec, name, here, value if isinstance(value, list) else [])
        if isinstance(spec, Group):
            return self.fields(spec.fields, name, here, value if isinstance(value, dict) else {})
        widget = Widget(kind="text", name=name, id=input_id(name), label=spec.label)
        if isinstance(spec, Text):
            widget.kind = "textarea" if spec.multiline or spec.lines else "text"
            if spec.lines and isinstance(value, list):
                widget.value = "\n".join(str(v) for v in value)
            else:
                widget.value = "" if value is None else str(value)
            if spec.help:
                widget.help = self.texts.get(spec.help, {}).get("help", "")
                widget.example = self.texts.get(spec.help, {}).get("example", "")
        elif isinstance(spec, Number):
            widget.kind, widget.low, widget.high = "number", spec.low, spec.high
            widget.value = "" if value is None else str(value)
        elif isinstance(spec, Clock):
            widget.kind, widget.value = "time", "" if value is None else str(value)
        elif isinstance(spec, Flag):
            widget.kind, widget.checked = "checkbox", bool(value)
        elif isinstance(spec, Choice):
            widget.kind = "radios" if spec.radios else "select"
            chosen = value if value in spec.choices else spec.default
            widget.value = chosen
            widget.options = self.options(name, spec.choices, {chosen})
            if spec.radios:
                widget.id = widget.options[0].id
        else:  # Many
            widget.kind = "checkboxes"
            widget.options = self.options(name, spec.choices, set(value or ()))
            widget.id = widget.options[0].id
        widget.error = self.errors.get(widget.id, "")
        self.anchors[here] = widget.id
        return widget

    @staticmethod
    def options(name: str, choices: Mapping[str, str], chosen: set[str]) -> list[Option]:
        return [
            Option(value, label, input_id(f"{name}-{value}"), value in chosen)
            for value, label in choices.items()
        ]

    def row(
        self,
        spec: Rows,
        name: str,
        path: str,
        number: int,
        value: Mapping[str, Any],
        *,
        legend: str,
        new: bool,
    ) -> Row:
        outer, self.anchors = self.anchors, {}
        values = self.fields(spec.fields, f"{name}-{number}", path, value)
        row_anchors, self.anchors = self.anchors, outer
        if not new:
            self.anchors.update(row_anchors)
            self.anchors[path] = input_id(f"{name}-{number}-{_first_leaf(spec.fields)}")
        return Row(number, legend, new, values, input_id(f"{name}-{number}"))

    def rows(self, spec: Rows, name: str, path: str, values: list[Any]) -> list[Row]:
        """The stored rows and one blank row, numbered by their place in the content."""
        stored = [v for v in values if isinstance(v, dict)]
        rows = [
            self.row(
                spec, name, f"{path}[{i}]", i, item, legend=spec.item.format(n=i + 1), new=False
            )
            for i, item in enumerate(stored)
        ]
        rows.append(
            self.row(spec, name, f"{path}[new]", len(stored), {}, legend=spec.new_item, new=True)
        )
        self.anchors[path] = input_id(f"{name}-0-{_first_leaf(spec.fields)}")
        return rows


def _statement_groups(builder: _Builder, statements: list[Any]) -> list[StatementGroup]:
    """Statements grouped by source (R-PLAN-4), each with a blank row for that source.

    A row keeps its place in the stored list as its number, so the findings'
    paths (``statements[2].text``) still point at the right input.
    """
    spec = STATEMENTS
    stored = [s for s in statements if isinstance(s, dict)]
    groups = []
    for offset, (source, heading) in enumerate(STATEMENT_GROUPS.items()):
        rows: list[Row] = []
        for number, statement in enumerate(stored):
            if statement.get("source") == source:
                legend = f"Synpunkt {len(rows) + 1}"
                path = f"statements[{number}]"
                rows.append(
                    builder.row(
                        spec, "statements", path, number, statement, legend=legend, new=False
                    )
                )
        number = len(stored) + offset
        blank = {"source": source}
        rows.append(
            builder.row(
                spec, "statements", "statements[new]", number, blank, legend="Ny synpunkt", new=True
            )
        )
        groups.append(StatementGroup(source, heading, f"statements-{source}", rows))
    builder.anchors["statements"] = groups[0].rows[0].fields["text"].id
    return groups


def _link_section_help(
    texts: Mapping[str, Mapping[str, str]],
    interventions: list[InterventionForm],
    top: dict[str, Any],
    groups: list[StatementGroup],
    disclosure: Widget,
) -> None:
    """Describe inputs by their section's help text too (ids as in ``plans/editor.html``)."""

    def link(section: str, help_id: str, widgets: list[Widget]) -> None:
        if texts.get(section, {}).get("help"):
            for widget in widgets:
                widget.extra_help_id = help_id

    for part in interventions:
        f = part.fields
        link("goals", f"{part.id}-mal-hjalp", [row.fields["text"] for row in f["goals"]])
        activities = [row.fields["description"] for row in f["activities"]]
        link("activities", f"{part.id}-aktiviteter-hjalp", activities)
        link("schedule", f"{part.id}-schema-hjalp", list(f["schedule"].values()))
    link("participation", "hjalp-delaktighet", [top["participation_how"], top["wishes_weight"]])
    statements = [row.fields["text"] for group in groups for row in group.rows]
    link("statements", "hjalp-synpunkter", statements)
    link("participants", "hjalp-deltagare", [row.fields["name"] for row in top["participants"]])
    link("disclosure", "hjalp-lasare", [disclosure])
    link("health_care", "hjalp-hsl", [top["receives_health_care"], top["sip_status"]])
    link("declined", "hjalp-nej", [top["declined"], top["declined_reason"]])
    link("master_data", "hjalp-uppgifter", [top["master_data_checked"]])


def build_form(
    content: Mapping[str, Any],
    *,
    texts: Mapping[str, Mapping[str, str]],
    errors: Sequence[tuple[str, str]] = (),
    master_data_check: bool = True,
) -> EditorForm:
    """Widgets for every field of ``content`` (stored or just posted), with their errors."""
    builder = _Builder(texts, dict(reversed(list(errors))))
    interventions = []
    for index, part in enumerate(content.get("interventions", ())):
        key = str(part.get("key", ""))
        prefix = f"interventions-{index}"
        interventions.append(
            InterventionForm(
                index=index,
                key=key,
                name=str(part.get("name", "")),
                key_input=f"{prefix}-key",
                id=f"insats-{index}",
                fields=builder.fields(INTERVENTION_FIELDS, prefix, intervention_path(key), part),
            )
        )
    top_specs = [s for s in TOP_FIELDS if s.key != "statements"]
    top = builder.fields(top_specs, "", "", content)
    groups = _statement_groups(builder, list(content.get("statements", ())))
    roles = content.get("disclosure_roles", DEFAULT_DISCLOSURE_ROLES)
    role_widget = builder.one(DISCLOSURE_ROLE_FIELD, "", "", roles)
    role_labels = set(DISCLOSURE_ROLES.values())
    others = [{"text": d} for d in content.get("disclosure", ()) if d not in role_labels]
    other_rows = builder.one(DISCLOSURE_OTHER_FIELD, "", "", others)
    builder.anchors["disclosure"] = role_widget.id
    _link_section_help(texts, interventions, top, groups, role_widget)
    return EditorForm(
        top=top,
        interventions=interventions,
        statement_groups=groups,
        disclosure_roles=role_widget,
        disclosure_other=other_rows,
        show_master_data=master_data_check,
        anchors=builder.anchors,
    )


# --------------------------------------------------------------------------- labels of paths

_SEGMENT = re.compile(r"(?P<key>\w+)(?:\[(?P<index>[^\]]*)\])?")


def field_label(path: str, content: Mapping[str, Any]) -> str:
    """Where a rules field path is, in words: ``”Mål 1: Delmål” för Hemtjänst – dusch``."""
    segments = [m for m in (_SEGMENT.fullmatch(part) for part in path.split(".")) if m]
    if not segments or len(segments) != path.count(".") + 1:
        return path
    specs: Sequence[Spec] = TOP_FIELDS
    where = ""
    first = segments[0]
    if first["key"] == "disclosure":
        return "”Vem får ta del av planen”"
    if first["key"] == "interventions" and first["index"] is not None:
        parts = content.get("interventions", ())
        where = next((str(p.get("name", "")) for p in parts if p.get("key") == first["index"]), "")
        specs, segments = INTERVENTION_FIELDS, segments[1:]
    names: list[str] = []
    for segment in segments:
        spec = next((s for s in specs if s.key == segment["key"]), None)
        if spec is None:
            break
        if isinstance(spec, Rows) and (segment["index"] or "").isdigit():
            names.append(spec.item.format(n=int(segment["index"]) + 1))
            specs = spec.fields
        elif isinstance(spec, Rows | Group):
            names.append(spec.label)
            specs = spec.fields
        else:
            names.append(spec.label.split(" – ")[0])
            break
    label = f"”{': '.join(names)}”" if names else ""
    if label and where:
        return f"{label} för {where}"
    return label or where or path


def anchor_for(path: str, anchors: Mapping[str, str]) -> str:
    """The id of the input for a field path, or of the nearest enclosing one; "" if none."""
    while path:
        if path in anchors:
            return anchors[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return ""
