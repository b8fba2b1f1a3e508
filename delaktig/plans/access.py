"""Who may do what with a plan: one object, asked by views, templates and services.

A plan is read by those with a need (R-LIFE-8, R-PLAN-9): the person's contact
person and deputy, the unit manager, and the unit's other staff roles the
disclosure list names (``content["disclosure_roles"]``: ``"staff"``,
``"scheduler"``). Nobody has any access to the plan of a closed case: the file
has gone to the archive.

:class:`PlanAccess` holds the user's relations to one plan, read once (two
queries), and answers every question with no further query:

============================  ==================================================
``may_read``                  open the plan, its versions, diffs and PDFs
``may_write``                 write the draft, start a new version
``may_sign(role)``            sign as ``role`` (or record the person's signature)
``may_hand_over``             record that the plan was gone through and handed over
``may_correct_dates``         correct a wrongly entered date (a new, audited event)
``may_establish``             establish a version once it is signed
``may_follow_up``             record a follow-up of the established version
============================  ==================================================

Services take ``by=``, load the access themselves inside their transaction, and
refuse with :class:`delaktig.core.access.Refused` (a ``PermissionDenied`` with a
Swedish reason) through :meth:`PlanAccess.require`. Views get the object through
:func:`plan_for`, which answers 404 to anyone who may not read the plan (whether
it exists is itself confidential), and write the access-log row of every showing
with :meth:`PlanAccess.record_read`; templates read the same object as ``access``.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery
from django.http import Http404

from delaktig import labels
from delaktig.core.access import require
from delaktig.core.types import User
from delaktig.organisation.models import PERSON_READER_ROLES, Membership, Role
from delaktig.people.models import ContactAssignment
from delaktig.records.models import AccessAction
from delaktig.records.services import access_log_record

from .models import Plan, PlanVersion, SignerRole

# Roles a disclosure list can name, with their Swedish labels (the form's checkboxes).
DISCLOSURE_ROLES = {
    Role.STAFF.value: labels.DISCLOSURE_ROLES[Role.STAFF.value],
    Role.SCHEDULER.value: labels.DISCLOSURE_ROLES[Role.SCHEDULER.value],
}
DEFAULT_DISCLOSURE_ROLES = [Role.STAFF.value]
CONTACT = "contact"  # the relation of the case's (deputy) contact person
NOT_FOUND = "Planen finns inte eller så saknar du behörighet."
_READER_ROLES = frozenset(r.value for r in PERSON_READER_ROLES)


def disclosure_roles(version: PlanVersion) -> set[str]:
    value = version.content.get("disclosure_roles", DEFAULT_DISCLOSURE_ROLES)
    return {str(v) for v in value} & set(DISCLOSURE_ROLES)


def latest_version(plan: Plan) -> PlanVersion:
    version = plan.versions.order_by("-number").first()
    if version is None:  # pragma: no cover — a plan is created with its first version
        raise Http404
    return version


def plan_roles(user: User | AnonymousUser, plan: Plan) -> frozenset[str]:
    """The user's relations to the plan: "contact" and their roles at the plan's unit.

    Everything rests on a current membership of the plan's unit (R-LIFE-8): a
    contact person whose membership has ended is no longer anyone to the plan,
    even before their assignment is ended.
    """
    if not isinstance(user, User) or not user.is_active or plan.case.closed_on is not None:
        return frozenset()
    roles = set(
        Membership.objects.filter(user_id=user.pk, unit_id=plan.unit_id).values_list(
            "role", flat=True
        )
    )
    if (
        roles & _READER_ROLES
        and ContactAssignment.objects.filter(case_id=plan.case_id, user_id=user.pk)
        .current()
        .exists()
    ):
        roles.add(CONTACT)
    return frozenset(roles)


@dataclass(frozen=True)
class PlanAccess:
    """What ``user`` may do with ``plan``; ``latest`` is its newest version.

    The disclosure list that decides reading and writing is the latest
    version's: a new version that narrows it takes effect at once.
    """

    user: User | AnonymousUser
    plan: Plan
    latest: PlanVersion
    roles: frozenset[str]

    @classmethod
    def load(
        cls, user: User | AnonymousUser, plan: Plan, latest: PlanVersion | None = None
    ) -> PlanAccess:
        return cls(user, plan, latest or latest_version(plan), plan_roles(user, plan))

    # ------------------------------------------------------------------ questions

    @property
    def _leads(self) -> bool:
        """The contact person and the unit manager answer for the plan."""
        return bool(self.roles & {CONTACT, Role.UNIT_MANAGER.value})

    @property
    def may_read(self) -> bool:
        return self._leads or bool(self.roles & disclosure_roles(self.latest))

    @property
    def may_write(self) -> bool:
        """Drafts are written by the contact person, the unit manager and the unit's staff."""
        if self._leads:
            return True
        return Role.STAFF.value in self.roles and Role.STAFF.value in disclosure_roles(self.latest)

    def may_sign(self, role: SignerRole) -> bool:
        """Sign as ``role``; for ``PERSON``: record the person's own signature.

        Only someone who may read the plan signs anything. The person's signature
        is recorded by those who write the plan with them (not by a scheduler who
        only reads it); a staff member signs as such if they work at the unit.
        """
        if not self.may_read:
            return False
        if role == SignerRole.CONTACT_PERSON:
            return CONTACT in self.roles
        if role == SignerRole.UNIT_MANAGER:
            return Role.UNIT_MANAGER.value in self.roles
        if role == SignerRole.PERSON:
            return self.may_write
        return bool(self.roles & {Role.STAFF.value, Role.UNIT_MANAGER.value})

    @property
    def may_record_person_signature(self) -> bool:
        return self.may_sign(SignerRole.PERSON)

    @property
    def may_correct_dates(self) -> bool:
        """A wrongly entered date is corrected by those who answer for the plan (issue 9)."""
        return self._leads

    @property
    def may_hand_over(self) -> bool:
        """The plan is gone through and handed over by those who wrote it with the person."""
        return self.may_write

    @property
    def may_establish(self) -> bool:
        return self.may_sign(SignerRole.CONTACT_PERSON) or self.may_sign(SignerRole.UNIT_MANAGER)

    @property
    def may_follow_up(self) -> bool:
        return self.plan.established_version_id is not None and self.may_write

    @property
    def may_start_new_version(self) -> bool:
        return self.may_write

    def require(self, allowed: bool, message: str = NOT_FOUND) -> None:
        """Refuse (``Refused``, a ``PermissionDenied``) unless ``allowed``: a question above."""
        require(allowed, message)

    # ------------------------------------------------------------------ the access log

    def record_read(
        self, version: PlanVersion | None = None, action: AccessAction = AccessAction.VIEW_PLAN
    ) -> None:
        """Write the access-log row of reading ``version`` (default: the latest) — R-LIFE-8."""
        if not isinstance(self.user, User):  # pragma: no cover — views require a login
            return
        access_log_record(
            user=self.user,
            person=self.plan.case.person,
            action=action,
            case=self.plan.case,
            object_id=str((version or self.latest).pk),
        )


def plan_for(user: User | AnonymousUser, plan_uuid: UUID) -> PlanAccess:
    """The plan with the user's access to it, or 404 for anyone who may not read it.

    The view that shows the plan then writes the read with :meth:`PlanAccess.record_read`.
    """
    plan = (
        Plan.objects.filter(uuid=plan_uuid)
        .select_related("case__person", "unit__administration__municipality")
        .first()
    )
    if plan is None:
        raise Http404(NOT_FOUND)
    access = PlanAccess.load(user, plan)
    if not access.may_read:
        raise Http404(NOT_FOUND)
    return access


def readable_plan_ids(user: User | AnonymousUser, plans: list[Plan]) -> set[int]:
    """The plans of a list that ``user`` may read (``PlanAccess.may_read``), in three queries.

    For lists (the scheduler's inbox links a plan only if it may be opened):
    the same answer as :meth:`PlanAccess.load` per plan, without a query per plan.
    Only the newest version's disclosure list is read from its content.
    """
    if not isinstance(user, User) or not user.is_active or not plans:
        return set()
    roles_at: dict[int, set[str]] = {}
    for unit_id, role in Membership.objects.filter(
        user_id=user.pk, unit_id__in={p.unit_id for p in plans}
    ).values_list("unit_id", "role"):
        roles_at.setdefault(unit_id, set()).add(role)
    contact_of = set(
        ContactAssignment.objects.filter(case_id__in={p.case_id for p in plans}, user_id=user.pk)
        .current()
        .values_list("case_id", flat=True)
    )
    newest = PlanVersion.objects.filter(plan_id=OuterRef("plan_id")).order_by("-number")
    disclosures = dict(
        PlanVersion.objects.filter(
            plan_id__in={p.pk for p in plans}, pk=Subquery(newest.values("pk")[:1])
        ).values_list("plan_id", "content__disclosure_roles")
    )
    readable = set()
    for plan in plans:
        if plan.case.closed_on is not None or plan.pk not in disclosures:
            continue
        roles = set(roles_at.get(plan.unit_id, ()))
        if roles & _READER_ROLES and plan.case_id in contact_of:
            roles.add(CONTACT)
        listed = disclosures[plan.pk]
        latest = PlanVersion(
            plan=plan,
            content={} if listed is None else {"disclosure_roles": listed},
        )
        if PlanAccess(user, plan, latest, frozenset(roles)).may_read:
            readable.add(plan.pk)
    return readable
