"""A rules field path in words, and the input it belongs to (the check panel, R-PLAN-15)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from delaktig import labels

from .specs import INTERVENTION_FIELDS, TOP_FIELDS, Group, Rows, Spec

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
        return f"”{labels.FIELDS['disclosure'].heading}”"
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
            names.append(str(spec.item).format(n=int(segment["index"]) + 1))
            specs = spec.fields
        elif isinstance(spec, Rows | Group):
            names.append(str(spec.label))
            specs = spec.fields
        else:
            names.append(str(spec.label).split(" – ")[0])
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
