"""The plan editor's form ⇄ a version's content dict (R-PLAN-1…14).

A small form framework of its own, because the plan's content is a nested
dict (interventions with goals and activities, statements by source …) that
Django forms do not model well. One spec tree drives every direction:

* :mod:`.specs` — the field specs and the spec tree of the plan's sections;
* :mod:`.names` — input names, ids and the first input of a block;
* :mod:`.parse` — a POST → the content dict, with Swedish error messages;
* :mod:`.build` — the content dict → widgets and rows for the templates;
* :mod:`.labels` — a rules field path in words, and the id of its input.
"""

from __future__ import annotations

from .build import EditorForm, InterventionForm, Option, Row, StatementGroup, Widget, build_form
from .labels import anchor_for, field_label
from .names import input_id
from .parse import CONTENT_KEYS, ParsedPost, content_from_post, parse_post

__all__ = [
    "CONTENT_KEYS",
    "EditorForm",
    "InterventionForm",
    "Option",
    "ParsedPost",
    "Row",
    "StatementGroup",
    "Widget",
    "anchor_for",
    "build_form",
    "content_from_post",
    "field_label",
    "input_id",
    "parse_post",
]
