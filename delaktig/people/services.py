"""Services for persons, cases, contact persons and decisions.

Each is one transaction and writes its audit event (R-ARC-1). Views, admin and
commands call these; nothing else writes these models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from delaktig import rules
from delaktig.core.types import User
from delaktig.organisation.models import (
    PERSON_READER_ROLES,
    Administration,
    Membership,
    RoutineProfileVersion,
    Unit,
)
from delaktig.organisation.services import ProfileResolver
from delaktig.records.audit import audit_append

from .models import (
    Case,
    ContactAssignment,
    Decision,
    GrantedIntervention,
    InterventionType,
    Person,
    Relative,
)


def normalise_personnummer(value: str, *, today: date | None = None) -> str:
    """The canonical ÅÅÅÅMMDD-NNNN form, or a Swedish ValidationError (R-CASE-1)."""
    try:
        return rules.parse_personnummer(value.strip(), today=today).canonical
    except rules.InvalidPersonnummer as exc:
        raise ValidationError({"personnummer": str(exc)}) from exc


@transaction.atomic
def person_create(
    *,
    unit: Unit,
    personnummer: str,
    first_name: str,
    last_name: str,
    opened_on: date,
    by: User | None,
    phone: str = "",
    email: str = "",
    address: str = "",
    protected_identity: bool = False,
) -> Case:
    """Register a person (or find them in the municipality) and open a case at ``unit``."""
    canonical = normalise_personnummer(personnummer)
    person = Person.objects.filter(
        municipality_id=unit.municipality_id, personnummer=canonical
    ).first()
    if person is None:
        person = Person(
            municipality_id=unit.municipality_id,
            personnummer=canonical,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            phone=phone,
            email=email,
            address=address,
            protected_identity=protected_identity,
        )
        person.full_clean()
        person.save()
        audit_append(action="person.created", obj=person, actor=by)
    return case_open(person=person, unit=unit, opened_on=opened_on, by=by)


@transaction.atomic
def case_open(*, person: Person, unit: Unit, opened_on: date, by: User | None) -> Case:
    if Case.objects.open().filter(person=person, unit=unit).exists():
        raise ValidationError("Personen har redan ett öppet ärende på enheten.")
    case = Case.objects.create(
        person=person, unit=unit, municipality_id=unit.municipality_id, opened_on=opened_on
    )
    audit_append(
        action="case.opened", obj=case, actor=by, data={"person": person.pk, "unit": unit.pk}
    )
    return case


@transaction.atomic
def contact_person_assign(
    *,
    case: Case,
    user: User,
    on: date,
    by: User | None,
    is_deputy: bool = False,
) -> ContactAssignment:
    """Make ``user`` the (deputy) contact person; they get a task to contact the person (R-LIFE-2).

    The contact person must work at the case's unit.
    """
    from delaktig.oversight.models import Task, TaskKind

    if not Membership.objects.filter(
        user_id=user.pk, unit_id=case.unit_id, role__in=PERSON_READER_ROLES
    ).exists():
        raise ValidationError("Kontaktmannen måste arbeta på enheten.")
    current = ContactAssignment.objects.current().filter(case=case, is_deputy=is_deputy)
    for previous in current:
        if previous.user_id == user.pk:
            return previous
        previous.ended_on = on
        previous.save(update_fields=["ended_on"])
        # The previous contact person's open "contact the person" task goes with the role.
        Task.objects.filter(
            case=case, user_id=previous.user_id, kind=TaskKind.CONTACT_PERSON, done_at__isnull=True
        ).update(done_at=timezone.now())
    assignment = ContactAssignment.objects.create(
        case=case,
        municipality_id=case.municipality_id,
        user=user,
        is_deputy=is_deputy,
        assigned_on=on,
    )
    # "Kontaktman/vice kontaktman ska omgående kontakta ny brukare" (S1): within two days.
    Task.objects.create(
        municipality_id=case.municipality_id,
        user=user,
        case=case,
        kind=TaskKind.CONTACT_PERSON,
        due_on=on + timedelta(days=2),
    )
    audit_append(
        action="contact_person.assigned",
        obj=assignment,
        actor=by,
        data={"case": case.pk, "user": user.pk, "deputy": is_deputy},
    )
    return assignment


@dataclass(frozen=True)
class InterventionInput:
    type: InterventionType
    start_date: date
    end_date: date | None = None
    scope: str = ""


def _deadline(
    resolver: ProfileResolver,
    unit: Unit,
    type_code: str,
    start: date,
    next_follow_up: date | None = None,
) -> tuple[date, rules.NewIntervention | None]:
    """The plan deadline of an intervention, and for a person with an established plan
    what the routine asks for: a new version or a follow-up (issue 9, S0/S3, S1, S4)."""
    profile = resolver.profile(unit, start).for_intervention(type_code)
    if next_follow_up is None:
        return rules.plan_deadline(start, profile), None
    return rules.new_intervention_deadline(start, profile, next_follow_up)


def _established_plans(**where: Any) -> dict[int, Any]:
    """The established plan of each case matching ``where`` (one plan per case is in force)."""
    from delaktig.plans.models import Plan  # the plans build on people, not the reverse

    return {
        plan.case_id: plan
        for plan in Plan.objects.filter(established_version__isnull=False, **where).only(
            "pk", "case_id", "next_follow_up_on"
        )
    }


@transaction.atomic
def decision_register(
    *,
    case: Case,
    decided_on: date,
    interventions: Sequence[InterventionInput],
    by: User | None,
    reference: str = "",
    case_officer: str = "",
    case_officer_email: str = "",
    goals: str = "",
) -> Decision:
    """Register a decision and its granted interventions; each opens a plan deadline (R-LIFE-1)."""
    errors: list[str] = []
    if case.closed_on is not None:
        errors.append("Ärendet är avslutat.")
    if not interventions:
        errors.append("Beslutet måste ha minst en beviljad insats.")
    for index, item in enumerate(interventions, start=1):
        if item.end_date is not None and item.end_date < item.start_date:
            errors.append(f"Insats {index}: slutdatum kan inte vara före startdatum.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        case=case,
        municipality_id=case.municipality_id,
        reference=reference,
        decided_on=decided_on,
        case_officer=case_officer,
        case_officer_email=case_officer_email,
        goals=goals,
        created_by=by,
    )
    resolver = ProfileResolver()
    unit = case.unit
    plan = _established_plans(case_id=case.pk).get(case.pk)
    next_follow_up = plan.next_follow_up_on if plan is not None else None
    rows = []
    for item in interventions:
        deadline, action = _deadline(
            resolver, unit, item.type.code, item.start_date, next_follow_up
        )
        rows.append(
            GrantedIntervention(
                decision=decision,
                case=case,
                unit_id=case.unit_id,
                municipality_id=case.municipality_id,
                type=item.type,
                scope=item.scope,
                start_date=item.start_date,
                end_date=item.end_date,
                plan_deadline=deadline,
            )
        )
        if (
            action is rules.NewIntervention.FOLLOW_UP
            and plan is not None
            and plan.next_follow_up_on is not None
            and deadline < plan.next_follow_up_on
        ):
            # "Uppföljning vid förändring" (S1): the plan is followed up by the new deadline.
            audit_append(
                action="plan.follow_up_brought_forward",
                obj=plan,
                actor=by,
                data={"from": plan.next_follow_up_on, "to": deadline},
            )
            plan.next_follow_up_on = deadline
            plan.save(update_fields=["next_follow_up_on"])
    GrantedIntervention.objects.bulk_create(rows)
    audit_append(
        action="decision.registered",
        obj=decision,
        actor=by,
        data={"case": case.pk, "interventions": len(rows)},
    )
    return decision


def recompute_plan_deadlines(*, unit_ids: Iterable[int]) -> int:
    """Recompute stored deadlines of interventions still waiting for a plan.

    Called when a routine profile changes. Works unit by unit in batches, so
    memory stays flat for large units. Returns the number of rows changed.
    """
    resolver = ProfileResolver()
    changed = 0
    for unit in Unit.objects.filter(pk__in=list(unit_ids)).select_related(
        "administration__municipality"
    ):
        pending = (
            GrantedIntervention.objects.filter(unit=unit, plan_established_on__isnull=True)
            .select_related("type")
            .only("pk", "case_id", "start_date", "plan_deadline", "type__code")
        )
        follow_ups = {
            case_id: plan.next_follow_up_on
            for case_id, plan in _established_plans(unit=unit).items()
        }
        batch: list[GrantedIntervention] = []
        for row in pending.iterator(chunk_size=2000):
            deadline, _ = _deadline(
                resolver, unit, row.type.code, row.start_date, follow_ups.get(row.case_id)
            )
            if deadline != row.plan_deadline:
                row.plan_deadline = deadline
                batch.append(row)
        GrantedIntervention.objects.bulk_update(batch, ["plan_deadline"], batch_size=1000)
        changed += len(batch)
    return changed


@transaction.atomic(durable=True)
def relative_add(
    *,
    person: Person,
    name: str,
    kind: str,
    by: User,
    relation: str = "",
    phone: str = "",
    person_wants_involved: bool = False,
) -> Relative:
    """Register a relative or a legal representative of the person (R-CASE-1, R-PLAN-5)."""
    relative = Relative(
        person=person,
        municipality_id=person.municipality_id,
        name=name.strip(),
        kind=kind,
        relation=relation.strip(),
        phone=phone.strip(),
        person_wants_involved=person_wants_involved,
    )
    relative.full_clean()
    relative.save()
    audit_append(
        action="relative.added", obj=relative, actor=by, data={"person": person.pk, "kind": kind}
    )
    return relative


@transaction.atomic
def routine_profile_version_publish(
    *, version: RoutineProfileVersion, by: User | None = None
) -> int:
    """Record a new or edited version and recompute the stored deadlines it affects.

    A people service, not an organisation one: the deadlines it recomputes are
    stored on the people's granted interventions. Returns how many got a new one.
    """
    profile = version.profile
    units = Unit.objects.filter(municipality_id=profile.municipality_id).select_related(
        "administration__municipality"
    )
    affected = [u.pk for u in units if u.effective_profile_id() == profile.pk]
    changed = recompute_plan_deadlines(unit_ids=affected)
    audit_append(
        action="routine_profile.version_published",
        obj=profile,
        actor=by,
        data={"version": version.number, "valid_from": version.valid_from, "recomputed": changed},
    )
    return changed


def _membership_scope(membership: Membership) -> dict[str, Any]:
    """What an audit event says of a membership: ids and codes only, never names."""
    return {
        "user": membership.user_id,
        "role": membership.role,
        "unit": membership.unit_id,
        "administration": membership.administration_id,
    }


def _membership_municipality(membership: Membership) -> int:
    if membership.unit_id is not None:
        return Unit.objects.values_list("municipality_id", flat=True).get(pk=membership.unit_id)
    administration_id = membership.administration_id
    assert administration_id is not None  # noqa: S101 — a unit or an administration (constraint)
    return Administration.objects.values_list("municipality_id", flat=True).get(
        pk=administration_id
    )


@transaction.atomic
def membership_save(*, membership: Membership, by: User | None) -> Membership:
    """Grant a role, or change one (who may see whose data: R-LIFE-8), with its audit event.

    A change is audited with the scope before and after, so the trail shows who
    could see which unit's persons, and since when.
    """
    membership.full_clean()
    before = None
    if membership.pk is not None:
        previous = Membership.objects.filter(pk=membership.pk).first()
        before = _membership_scope(previous) if previous is not None else None
    membership.save()
    after = _membership_scope(membership)
    if before == after:
        return membership
    audit_append(
        action="membership.granted" if before is None else "membership.changed",
        obj=membership,
        actor=by,
        municipality_id=_membership_municipality(membership),
        data={"scope": after} if before is None else {"before": before, "after": after},
    )
    if before is not None:
        _end_contact_assignments_left_without_membership(before, by=by)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by: User | None) -> None:
    """End a membership: the user's access to that unit's persons ends with it (R-LIFE-8)."""
    scope = _membership_scope(membership)
    municipality_id = _membership_municipality(membership)
    pk = membership.pk
    membership.delete()
    audit_append(
        action="membership.ended",
        object_type="organisation.membership",
        object_id=str(pk),
        actor=by,
        municipality_id=municipality_id,
        data={"scope": scope},
    )
    _end_contact_assignments_left_without_membership(scope, by=by)


def _end_contact_assignments_left_without_membership(
    scope: dict[str, Any], *, by: User | None
) -> None:
    """A contact person who no longer works at the unit stops being its persons' one.

    Access already rests on the membership (``plans.access``); ending the
    assignments too keeps "Mina personer" and the unit overview true, and shows the
    unit manager whose persons need a new contact person.
    """
    unit_id, user_id = scope["unit"], scope["user"]
    if (
        unit_id is None
        or Membership.objects.filter(
            user_id=user_id, unit_id=unit_id, role__in=PERSON_READER_ROLES
        ).exists()
    ):
        return
    today = timezone.localdate()
    for assignment in ContactAssignment.objects.current().filter(
        user_id=user_id, case__unit_id=unit_id
    ):
        assignment.ended_on = max(today, assignment.assigned_on)
        assignment.save(update_fields=["ended_on"])
        audit_append(
            action="contact_person.ended",
            obj=assignment,
            actor=by,
            data={"case": assignment.case_id, "user": user_id, "reason": "membership_ended"},
        )
