"""Who may see a person or a case: the object, or 404 (R-LIFE-8).

A denied user gets 404, never 403: whether a person exists is itself confidential.
:func:`record_person_read` writes the access-log row of showing a person's file;
a view calls it when it renders the page (a GET, or a form shown again with its
errors), not when a valid POST redirects. Plans have their own object,
``plans.access.PlanAccess``.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from delaktig.core.types import User
from delaktig.organisation.models import Role, Unit
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_record

from .models import Case, Person, reader_unit_ids

AnyUser = User | AnonymousUser


def managed_units(user: AnyUser) -> QuerySet[Unit]:
    """Units where ``user`` is unit manager."""
    if not isinstance(user, User):
        return Unit.objects.none()
    return Unit.objects.filter(
        memberships__user_id=user.pk, memberships__role=Role.UNIT_MANAGER
    ).distinct()


def record_person_read(user: AnyUser, person: Person, case: Case | None = None) -> None:
    """The access-log row of a page that shows ``person``'s file (R-LIFE-8)."""
    if isinstance(user, User):
        access_log_record(user=user, person=person, action=AccessAction.VIEW_PERSON, case=case)


def get_visible_person(user: AnyUser, person_uuid: UUID) -> Person:
    person = Person.objects.visible_to(user).filter(uuid=person_uuid).first()
    if person is None:
        raise Http404("Personen finns inte eller så saknar du behörighet.")
    return person


def get_managed_unit(user: AnyUser, unit_id: int) -> Unit:
    unit = (
        managed_units(user)
        .filter(pk=unit_id)
        .select_related("administration__municipality")
        .first()
    )
    if unit is None:
        raise Http404("Enheten finns inte eller så saknar du behörighet.")
    return unit


def get_reader_unit(user: AnyUser, unit_id: int) -> Unit:
    """A unit where ``user`` works with the persons (staff, unit manager, scheduler), or 404.

    The unit's person list is for everyone who works there, not only contact persons.
    """
    if not isinstance(user, User):
        raise Http404
    unit = Unit.objects.filter(pk=unit_id, pk__in=reader_unit_ids(user.pk)).first()
    if unit is None:
        raise Http404("Enheten finns inte eller så saknar du behörighet.")
    return unit


def get_managed_case(user: AnyUser, case_uuid: UUID) -> Case:
    """An open case at a unit the user manages (for registering decisions etc.)."""
    case = (
        Case.objects.open()
        .filter(uuid=case_uuid, unit__in=managed_units(user))
        .select_related("person", "unit__administration__municipality")
        .first()
    )
    if case is None:
        raise Http404("Du är inte enhetschef för personens enhet.")
    return case
