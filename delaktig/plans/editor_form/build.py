"""A version's content dict → the plan editor's form objects for the templates.

:func:`build_form` turns content (stored or just posted) into widgets (name,
id, label, value, error) with one blank row at the end of every list, so a row
can be added without JavaScript. Like reading a POST, it records the anchors
(rules field path → input id) the check panel links its findings to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from delaktig.labels import Label
from delaktig.rules.content import intervention_path

from ..access import DEFAULT_DISCLOSURE_ROLES, DISCLOSURE_ROLES
from ..content import MAX_TEXT, stored_visits
from .names import field_path, first_leaf, input_id, input_name
from .specs import (
    DISCLOSURE_OTHER_FIELD,
    DISCLOSURE_ROLE_FIELD,
    INTERVENTION_FIELDS,
    STATEMENT_GROUPS,
    STATEMENTS,
    TOP_FIELDS,
    Choice,
    Clock,
    Flag,
    Group,
    Number,
    Rows,
    Spec,
    Text,
)


@dataclass(frozen=True)
class Option:
    value: str
    label: Label
    id: str
    checked: bool


@dataclass
class Widget:
    """One input (or one group of checkboxes/radios) as the templates draw it."""

    kind: str  # textarea, text, number, time, checkbox, select, radios, checkboxes
    name: str
    id: str
    label: Label
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
    legend: Label
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
    heading: Label
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
        name, here = input_name(prefix, spec.key), field_path(path, spec.key)
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
    def options(name: str, choices: Mapping[str, Label], chosen: set[str]) -> list[Option]:
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
        legend: Label,
        new: bool,
    ) -> Row:
        outer, self.anchors = self.anchors, {}
        values = self.fields(spec.fields, f"{name}-{number}", path, value)
        row_anchors, self.anchors = self.anchors, outer
        if not new:
            self.anchors.update(row_anchors)
            self.anchors[path] = input_id(f"{name}-{number}-{first_leaf(spec.fields)}")
        return Row(number, legend, new, values, input_id(f"{name}-{number}"))

    def rows(self, spec: Rows, name: str, path: str, values: list[Any]) -> list[Row]:
        """The stored rows and one blank row, numbered by their place in the content."""
        stored = [v for v in values if isinstance(v, dict)]
        rows = [
            self.row(
                spec,
                name,
                f"{path}[{i}]",
                i,
                item,
                legend=str(spec.item).format(n=i + 1),
                new=False,
            )
            for i, item in enumerate(stored)
        ]
        rows.append(
            self.row(spec, name, f"{path}[new]", len(stored), {}, legend=spec.new_item, new=True)
        )
        self.anchors[path] = input_id(f"{name}-0-{first_leaf(spec.fields)}")
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
                legend = str(spec.item).format(n=len(rows) + 1)
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
                spec, "statements", "statements[new]", number, blank, legend=spec.new_item, new=True
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
        visits = [w for row in f["visits"] for w in row.fields.values()]
        link("schedule", f"{part.id}-schema-hjalp", visits)
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
                fields=builder.fields(
                    INTERVENTION_FIELDS,
                    prefix,
                    intervention_path(key),
                    {**part, "visits": stored_visits(part)},  # an old "schedule": one visit
                ),
            )
        )
    top_specs = [s for s in TOP_FIELDS if s.key != "statements"]
    top = builder.fields(top_specs, "", "", content)
    groups = _statement_groups(builder, list(content.get("statements", ())))
    roles = content.get("disclosure_roles", DEFAULT_DISCLOSURE_ROLES)
    role_widget = builder.one(DISCLOSURE_ROLE_FIELD, "", "", roles)
    role_labels = {str(label) for label in DISCLOSURE_ROLES.values()}
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
