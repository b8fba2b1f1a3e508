"""The closed case an archival package is built from, loaded from the database.

``load_case_record`` reads everything the package needs about one delivery's
case — the person, the organisation, the decisions and interventions, the
delivered plan versions with their signatures, handovers, HSL confirmations,
approvals of changes and date corrections, the follow-ups, the journal and the
audit events — in a fixed number of queries (``LOAD_QUERIES``), however many of
each there are, so that the description, the provenance and the METS documents
are written from memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from delaktig.organisation.models import Administration, Municipality, Unit, user_label
from delaktig.people.models import Case, Decision, GrantedIntervention, Person
from delaktig.plans.models import (
    ChangeApproval,
    DateCorrection,
    FollowUp,
    Handover,
    HslConfirmation,
    Plan,
    PlanVersion,
    Signature,
)
from delaktig.records.models import AuditEvent, JournalEntry

from .models import ArchiveDelivery

# The delivery, decisions (+ interventions), plans, versions (+ signatures, handovers,
# HSL confirmations, approvals, date corrections), follow-ups, journal, events, actors:
# 11 before the last three prefetches of the version's records were added.
LOAD_QUERIES = 14


@dataclass
class CaseRecord:
    """Everything about one closed case the package needs, loaded in a fixed number of queries."""

    delivery: ArchiveDelivery
    case: Case
    person: Person
    unit: Unit
    administration: Administration
    municipality: Municipality
    decisions: list[Decision]
    plans: list[Plan]
    versions: dict[int, list[PlanVersion]]  # plan id → versions delivered, by number
    follow_ups: dict[int, list[FollowUp]]  # plan id → follow-ups, oldest first
    journal: list[JournalEntry]
    events: list[AuditEvent]
    actors: dict[int, str]  # user id → name, for the provenance events

    @property
    def all_versions(self) -> list[PlanVersion]:
        return [v for plan in self.plans for v in self.versions.get(plan.pk, [])]


def load_case_record(delivery: ArchiveDelivery) -> CaseRecord:
    delivery = ArchiveDelivery.objects.select_related(
        "case__person",
        "unit__administration__municipality",
    ).get(pk=delivery.pk)
    case = delivery.case
    unit = delivery.unit
    wanted = set(delivery.version_ids)
    decisions = list(
        Decision.objects.filter(case=case)
        .order_by("decided_on", "pk")
        .prefetch_related(
            Prefetch(
                "interventions",
                queryset=GrantedIntervention.objects.select_related("type").order_by(
                    "start_date", "pk"
                ),
            )
        )
    )
    plans = list(Plan.objects.filter(case=case).order_by("created_at", "pk"))
    versions: dict[int, list[PlanVersion]] = {}
    for version in (
        PlanVersion.objects.filter(plan__case=case, pk__in=wanted)
        .select_related("established_by")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.order_by("recorded_at", "pk")),
            Prefetch("handovers", queryset=Handover.objects.order_by("communicated_on", "pk")),
            Prefetch(
                "hsl_confirmations",
                queryset=HslConfirmation.objects.select_related("recorded_by").order_by("pk"),
            ),
            Prefetch(
                "approvals",
                queryset=ChangeApproval.objects.select_related("relative", "recorded_by").order_by(
                    "recorded_at", "pk"
                ),
            ),
            Prefetch(
                "corrections",
                queryset=DateCorrection.objects.select_related("recorded_by").order_by(
                    "recorded_at", "pk"
                ),
            ),
        )
        .order_by("plan_id", "number")
    ):
        versions.setdefault(version.plan_id, []).append(version)
    plans = [p for p in plans if p.pk in versions]
    follow_ups: dict[int, list[FollowUp]] = {}
    for follow_up in (
        FollowUp.objects.filter(plan__case=case)
        .select_related("version")
        .order_by("held_on", "recorded_at", "pk")
    ):
        follow_ups.setdefault(follow_up.plan_id, []).append(follow_up)
    journal = list(
        JournalEntry.objects.filter(case=case)
        .select_related("author", "plan_version")
        .order_by("at", "pk")
    )
    events = list(
        AuditEvent.objects.filter(chain=delivery.municipality_id)
        .filter(
            Q(object_type="people.case", object_id=str(case.pk))
            | Q(object_type="people.decision", object_id__in=[str(d.pk) for d in decisions])
            | Q(object_type="plans.plan", object_id__in=[str(p.pk) for p in plans])
            | Q(object_type="archive.archivedelivery", object_id=str(delivery.pk))
        )
        .order_by("seq")
    )
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    actors = {
        user.pk: user_label(user) for user in get_user_model().objects.filter(pk__in=actor_ids)
    }
    return CaseRecord(
        delivery=delivery,
        case=case,
        person=case.person,
        unit=unit,
        administration=unit.administration,
        municipality=unit.administration.municipality,
        decisions=decisions,
        plans=plans,
        versions=versions,
        follow_ups=follow_ups,
        journal=journal,
        events=events,
        actors=actors,
    )
