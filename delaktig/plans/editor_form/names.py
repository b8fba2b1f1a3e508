"""Input names, ids and anchors of the plan editor's form.

Input names are flat: ``decision_goals``, ``interventions-0-how``,
``interventions-0-goals-1-sub_goals``, ``statements-3-source``; an input's id
is ``id_`` + its name. Reading and building both name inputs with these
helpers, so an anchor recorded while reading a POST is the id the built form
gives that input.
"""

from __future__ import annotations

from collections.abc import Sequence

from .specs import Choice, Group, Many, Rows, Spec


def input_name(prefix: str, key: str) -> str:
    """The name of the input for ``key`` inside the block named ``prefix``."""
    return f"{prefix}-{key}" if prefix else key


def field_path(path: str, key: str) -> str:
    """The rules engine's field path of ``key`` inside ``path`` (``goals[0].text``)."""
    return f"{path}.{key}" if path else key


def input_id(name: str) -> str:
    return f"id_{name}"


def first_leaf(specs: Sequence[Spec]) -> str:
    """The name (below the prefix) of the first input of ``specs``."""
    spec = specs[0]
    if isinstance(spec, Rows):
        return f"{spec.key}-0-{first_leaf(spec.fields)}"
    if isinstance(spec, Group):
        return f"{spec.key}-{first_leaf(spec.fields)}"
    if isinstance(spec, Many) or (isinstance(spec, Choice) and spec.radios):
        return f"{spec.key}-{next(iter(spec.choices))}"
    return spec.key
