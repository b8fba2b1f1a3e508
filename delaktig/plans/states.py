"""The life of a plan version, written once: its states, the allowed changes, what freezes.

A version leaves the draft state once and never changes content again
(R-LIFE-3); closing a case closes every version, unfinished ones too
(R-CASE-4). This module is the one place that says so, as data:

* ``PlanVersion.save()`` (the ORM guard) refuses what it does not allow;
* ``plans/triggers.py`` renders the database triggers from it.

The database only follows a change here through a new migration, which
carries the rendered SQL frozen: until one is written the suite fails
(``tests/services/test_trigger_migrations.py``); ``manage.py
trigger_migration`` writes it (docs/plans.md, "Immutability").
"""

from __future__ import annotations

from django.db import models


class VersionState(models.TextChoices):
    DRAFT = "draft", "Utkast"
    READY_FOR_SIGNING = "ready_for_signing", "Klar för signering"
    ESTABLISHED = "established", "Fastställd"
    SUPERSEDED = "superseded", "Ersatt"
    CLOSED = "closed", "Avslutad"


#: The allowed state changes, (from, to). Staying in a state is always allowed.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (VersionState.DRAFT, VersionState.READY_FOR_SIGNING),
        # Closing a case (R-CASE-4) closes every version, unfinished ones too.
        (VersionState.DRAFT, VersionState.CLOSED),
        (VersionState.READY_FOR_SIGNING, VersionState.ESTABLISHED),
        # A new draft withdraws a version still waiting for signatures.
        (VersionState.READY_FOR_SIGNING, VersionState.SUPERSEDED),
        (VersionState.READY_FOR_SIGNING, VersionState.CLOSED),
        (VersionState.ESTABLISHED, VersionState.SUPERSEDED),
        (VersionState.ESTABLISHED, VersionState.CLOSED),
        (VersionState.SUPERSEDED, VersionState.CLOSED),
    }
)


#: Columns that never change once a version has left the draft state.
FROZEN_FIELDS = ("content", "number", "plan_id", "content_sha256", "sent_for_signing_at")

#: Columns that never change once set on a version that has left the draft
#: state (the database refuses; establishing sets them once).
FROZEN_ONCE_SET = ("established_on", "established_at", "registered_afterwards_reason")


def allowed(old: str, new: str) -> bool:
    """May a version go from state ``old`` to ``new``?"""
    return old == new or (old, new) in TRANSITIONS


def targets(old: str) -> list[str]:
    """The states a version in ``old`` may move to, in the order of :class:`VersionState`."""
    return [state for state in VersionState.values if (old, state) in TRANSITIONS]
