"""The plan editor's POST → a version's content dict (R-PLAN-1…14).

:func:`parse_post` / :func:`content_from_post` read the POST into the content
dict (exactly the keys of ``rules.PlanContent``, plus ``disclosure_roles``;
an intervention's ``visits`` are rows like its goals): text is stripped, blank list rows are
dropped, numbers and clock times are checked with Swedish messages. While
reading it records *anchors*: the rules engine's field path
(``interventions[12].goals[0].text``) → the id of the input that holds it, so
the check panel can link each finding to its input.

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

from ..access import DISCLOSURE_ROLES
from ..content import MAX_ROWS, MAX_TEXT, PART_DEFAULTS, stored_visits
from .names import field_path, first_leaf, input_id, input_name
from .specs import (
    DISCLOSURE_OTHER_FIELD,
    DISCLOSURE_ROLE_FIELD,
    INTERVENTION_FIELDS,
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

_CLOCK = re.compile(r"(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?")
_INTEGER = re.compile(r"[+-]?[0-9]{1,9}")
_ROW_INDEX = re.compile(r"-(\d{1,4})-")
CONTENT_KEYS = (*(f.name for f in fields(rules.PlanContent)), "disclosure_roles")


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
        name, here = input_name(prefix, spec.key), field_path(path, spec.key)
        if isinstance(spec, Rows):
            return self.rows_of(spec, name, here, where)
        if isinstance(spec, Group):
            return self.fields(spec.fields, name, here, where)
        anchor = self.anchors[here] = input_id(input_name(prefix, first_leaf([spec])))
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
            self.anchors[path] = input_id(f"{name}-{numbers[0]}-{first_leaf(spec.fields)}")
        for position, number in enumerate(numbers, start=1):
            outer, self.anchors = self.anchors, {}
            row_where = spec.item.format(n=position)
            row_where = f"{where}, {row_where.lower()}" if where else row_where
            row = self.fields(spec.fields, f"{name}-{number}", f"{path}[{len(kept)}]", row_where)
            row_anchors, self.anchors = self.anchors, outer
            if not all(_blank(s, row[s.key]) for s in spec.fields):
                self.anchors.update(row_anchors)
                self.anchors[f"{path}[{len(kept)}]"] = input_id(
                    f"{name}-{number}-{first_leaf(spec.fields)}"
                )
                kept.append(row | {key: list(value) for key, value in spec.extra})
        if len(kept) > MAX_ROWS:
            before = f"{where}: " if where else ""
            self.error(
                input_id(f"{name}-{numbers[0]}-{first_leaf(spec.fields)}"),
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
    kept = {key: part.get(key, copy.deepcopy(default)) for key, default in PART_DEFAULTS.items()}
    return kept | {"visits": copy.deepcopy(stored_visits(part))}  # an old "schedule" too


def _disclosure(roles: list[str], others: list[dict[str, Any]]) -> list[str]:
    # Stored content holds real strings, never lazy labels (JSON, the content hash).
    entries = [str(DISCLOSURE_ROLES[role]) for role in roles] + [row["text"] for row in others]
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
