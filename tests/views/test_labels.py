"""One wording per concept (issue 8): every label comes from ``delaktig.labels``.

The table keys match the stored values; no two distinct concepts share a label
unless listed below on purpose; the editor and the read-only page, the PDF's
source and the follow-up form show the words of ``labels``; stored content and
its hash hold plain strings and never depend on the labels.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise

from delaktig import labels, rules
from delaktig.organisation.models import Role
from delaktig.plans import access, display
from delaktig.plans.content import content_hash
from delaktig.plans.editor_form import build_form, parse_post
from delaktig.plans.models import PlanVersion
from delaktig.plans.services import plan_start
from delaktig.plans.templates_text import DEFAULT_SECTIONS, merge_sections
from tests.fixtures import client_for
from tests.services.plan_helpers import complete
from tests.views.helpers import page, text
from tests.world import World

TODAY = date(2026, 3, 2)

# Texts that two concepts share on purpose: the same word, said of a different thing
# in its own context. Anything else that repeats is an accident.
SHARED_ON_PURPOSE = {
    "När",  # an intervention's "when" and an activity's "when" (read-only headings)
    "Mål",  # an intervention's goals (heading) and one goal's text (editor label)
}


def _walk(value: Any, path: str, owner: int = 0) -> list[tuple[str, int, Any]]:
    """Every label below ``value`` as (path, id of the Field/Source/Rows holding it, label)."""
    if isinstance(value, Promise | str):
        return [(path, owner, value)]
    if is_dataclass(value) and not isinstance(value, type):
        return [
            item
            for f in fields(value)
            for item in _walk(getattr(value, f.name), f"{path}.{f.name}", id(value))
        ]
    if isinstance(value, dict):
        return [item for key, sub in value.items() for item in _walk(sub, f"{path}[{key}]")]
    return []


def _all_labels() -> list[tuple[str, int, Any]]:
    tables = [name for name in dir(labels) if name.isupper()]
    return [item for name in tables for item in _walk(getattr(labels, name), name)]


def _concepts(found: list[tuple[str, int, Any]]) -> dict[int, int]:
    """Labels are one concept when they are one lazy object or forms of one Field/Source."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for _, owner, label in found:
        if owner:
            parent[root(id(label))] = root(owner)
    return {id(label): root(id(label)) for _, _, label in found}


def test_every_label_is_lazy() -> None:
    found = _all_labels()
    assert len(found) > 100
    assert all(isinstance(label, Promise) for _, _, label in found if str(label))


def test_the_keys_are_the_stored_values() -> None:
    assert set(labels.SOURCES) == {s.value for s in rules.StatementSource}
    assert set(labels.SIP) == {s.value for s in rules.SipStatus}
    assert set(labels.PARTICIPANT_ROLES) == {r.value for r in rules.ParticipantRole}
    assert set(labels.OUTCOMES) == {o.value for o in rules.GoalOutcome}
    assert set(labels.DISCLOSURE_ROLES) == {Role.STAFF.value, Role.SCHEDULER.value}
    assert list(labels.WEEKDAYS) == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert set(DEFAULT_SECTIONS) >= set(labels.SECTIONS)


def test_no_two_concepts_share_a_label_by_accident() -> None:
    found = [item for item in _all_labels() if str(item[2])]
    concept = _concepts(found)
    by_text: dict[str, set[int]] = defaultdict(set)
    paths: dict[str, list[str]] = defaultdict(list)
    for path, _, label in found:
        by_text[str(label)].add(concept[id(label)])
        paths[str(label)].append(path)
    shared = {t: paths[t] for t, ids in by_text.items() if len(ids) > 1}
    assert set(shared) == SHARED_ON_PURPOSE, shared


def test_importers_read_the_same_objects() -> None:
    assert display.SIP_LABELS is labels.SIP
    assert display.WEEKDAY_LABELS is labels.WEEKDAYS
    assert {k: s.name for k, s in labels.SOURCES.items()} == display.SOURCE_LABELS
    assert (
        dict(display.TOP_FIELDS)["participation_how"] == labels.FIELDS["participation_how"].heading
    )
    assert access.DISCLOSURE_ROLES == labels.DISCLOSURE_ROLES
    assert merge_sections(None)["schedule"]["heading"] == str(
        labels.INTERVENTION["schedule"].heading
    )


@pytest.fixture
def version(world: World, frozen_today: date) -> PlanVersion:
    case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
    draft = plan_start(case=case, by=world.bob, on=TODAY)
    draft.content = {
        **complete(draft),
        "receives_health_care": True,
        "sip_status": rules.SipStatus.PERSON_OBJECTS.value,
        "statements": [
            {"source": "legal_representative", "text": "Räkningarna sköter jag."},
        ],
    }
    draft.save()
    return draft


def test_the_editor_and_the_plan_page_show_the_labels(world: World, version: PlanVersion) -> None:
    bob = client_for("bob")
    editor = text(page(bob.get(reverse("plan_edit", kwargs={"plan_uuid": version.plan.uuid}))))
    sip, source = labels.SIP["person_objects"], labels.SOURCES["legal_representative"]
    participation = labels.FIELDS["participation_how"]
    for label in (
        labels.FIELDS["sip_status"].question,
        *labels.SIP.values(),
        source.said,
        source.name,
        participation.question,
        labels.FIELDS["disclosure_roles"].question,
        labels.ROWS["statements"].item.format(n=1),
        labels.ROWS["statements"].new,
        str(labels.WEEKDAYS["TU"]).capitalize(),
    ):
        assert str(label) in editor
    assert str(participation.heading) not in editor

    plan_page = text(page(bob.get(reverse("plan_detail", args=[version.plan.uuid]))))
    for label in (
        labels.FIELDS["sip_status"].heading,
        sip,
        source.name,
        participation.heading,
        labels.FIELDS["decision_goals"].heading,
        labels.INTERVENTION["schedule"].heading,
        f"{labels.WEEKDAYS['TU']}, kl. 09:00",
    ):
        assert str(label) in plan_page
    assert str(participation.question) not in plan_page
    assert str(source.said) not in plan_page


def test_stored_content_and_its_hash_never_depend_on_labels(
    world: World, version: PlanVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = build_form(version.content, texts=merge_sections(None))
    post = {"disclosure_roles": [Role.STAFF.value, Role.SCHEDULER.value]}
    parsed = parse_post(_post_of(form, post), version.content)
    disclosure = parsed.content["disclosure"]
    assert disclosure[:2] == [str(v) for v in labels.DISCLOSURE_ROLES.values()]
    assert all(type(entry) is str for entry in disclosure)
    before = content_hash(version.content)
    for table in (labels.SIP, labels.WEEKDAYS, labels.DISCLOSURE_ROLES):
        for key in list(table):
            monkeypatch.setitem(table, key, "något annat")
    monkeypatch.setitem(labels.FIELDS, "participation_how", labels.same("något annat"))
    assert content_hash(version.content) == before
    assert "något annat" not in str(version.content)


def _post_of(form: Any, extra: dict[str, list[str]]) -> QueryDict:
    """A POST with every widget's current value, as the browser sends it."""
    data = QueryDict(mutable=True)
    values: list[Any] = [form.top, *(part.fields for part in form.interventions)]
    while values:
        item = values.pop()
        if isinstance(item, dict):
            values.extend(item.values())
        elif isinstance(item, list):
            values.extend(getattr(row, "fields", row) for row in item)
        elif hasattr(item, "kind"):
            if item.kind == "checkbox":
                if item.checked:
                    data[item.name] = "on"
            elif item.kind == "checkboxes":
                data.setlist(item.name, [o.value for o in item.options if o.checked])
            elif item.value:
                data[item.name] = item.value
    for part in form.interventions:
        data[part.key_input] = part.key
    for key, value in extra.items():
        data.setlist(key, value)
    return data
