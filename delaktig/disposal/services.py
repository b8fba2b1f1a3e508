"""Disposal services: propose, decide, preview and execute (R-ARC-3).

Every step writes an audit event holding ids and counts only. Names and
personnummer never leave the person file: not into the audit trail, not into
the proposal, not into the disposal record, not onto the console.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from delaktig import rules
from delaktig.core.access import require
from delaktig.core.types import User
from delaktig.organisation.models import Membership, Municipality, Role
from delaktig.people.models import GrantedIntervention, NeverDisposed
from delaktig.records.audit import audit_append

from . import contents
from .gate import disposal_gate
from .models import (
    DisposalProposal,
    DisposalProposalItem,
    DisposalRecord,
    ItemOutcome,
    ProposalStatus,
    RetentionPolicy,
)
from .queries import DUE_COLUMNS, Policy, due_persons

CHUNK = 500
_LOCK_NAMESPACE = 7_301_002  # pg_advisory_xact_lock(namespace, municipality id)


# --- settings ------------------------------------------------------------------------------


def retention_policy_for(municipality: Municipality) -> RetentionPolicy:
    """The municipality's settings, or unsaved defaults when none are stored."""
    policy = RetentionPolicy.objects.filter(municipality=municipality).first()
    return policy or RetentionPolicy(municipality=municipality)


def retention_policy_changed(
    *, policy: RetentionPolicy, before: dict[str, Any] | None, by: User | None
) -> None:
    """Audit a saved change of the settings (call after saving, M2M included)."""
    after = policy.snapshot()
    if before == after:
        return
    audit_append(
        action="retention_policy.changed",
        obj=policy,
        actor=by,
        municipality_id=policy.municipality_id,
        data={"before": before, "after": after},
    )


# --- who may do what -----------------------------------------------------------------------


def is_archivist(user: Any, municipality_id: int) -> bool:
    """The archivist of (an administration of) the municipality decides on disposal."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user_id=user.pk,
        role=Role.ARCHIVIST,
        administration__municipality_id=municipality_id,
    ).exists()


def archivist_municipality_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(
            user_id=user.pk, role=Role.ARCHIVIST, administration__isnull=False
        )
        .values_list("administration__municipality_id", flat=True)
        .distinct()
    )


def may_execute(user: User, municipality_id: int) -> bool:
    """Archivist or system administrator of the municipality."""
    return (
        user.is_active
        and Membership.objects.filter(
            user_id=user.pk,
            role__in=[Role.ARCHIVIST, Role.ADMIN],
            administration__municipality_id=municipality_id,
        ).exists()
    )


# --- propose -------------------------------------------------------------------------------


@dataclass
class ProposalResult:
    municipality_id: int
    proposal: DisposalProposal | None = None
    proposed: int = 0
    research_sample: int = 0
    invalid_personnummer: int = 0
    keep_all: bool = False
    hand_over: int = 0


def _chunks(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class Due:
    """A file that ``rules`` confirms is due: dispose of it, or hand it over (23 d § LSS)."""

    person_id: int
    last_entry: date
    disposal_date: date
    hand_over: bool = False


def _confirmed(
    rows: Sequence[tuple[Any, ...]], policy: Policy, on: date, result: ProposalResult | None
) -> list[Due]:
    """The rows (``queries.DUE_COLUMNS``) whose disposal date ``rules`` confirms."""
    confirmed = []
    for person_id, personnummer, last_entry, private_only, lss, first_opened in rows:
        years = rules.PRIVATE_PROVIDER_RETENTION_YEARS if private_only else policy.retention_years
        try:
            due = rules.disposal_date(
                last_entry,
                personnummer,
                retention_years=years,
                keep_research_sample=policy.keep_research_sample,
                keep_all=policy.keeps_everything,
            )
            hand_over = rules.hand_over_instead(
                personnummer, private_provider=private_only, lss=lss, first_day=first_opened
            )
        except rules.InvalidPersonnummer:
            if result is not None:
                result.invalid_personnummer += 1  # kept: never dispose what we cannot place
            continue
        if due is None:
            if result is not None:
                result.research_sample += 1
            continue
        if due <= on:
            confirmed.append(Due(person_id, last_entry, due, hand_over))
    return confirmed


def _lock(municipality_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, municipality_id]
            )
    # SQLite: transactions are IMMEDIATE (settings), writers are serialised already.


@transaction.atomic(durable=True)
def proposal_create(
    *, municipality: Municipality, on: date, by: User | None = None
) -> ProposalResult:
    """Propose every person file due on ``on`` that is not in an open proposal already.

    Idempotent: running it again proposes only files that became due since.
    Returns the counts; creates no proposal when nothing is due. The due files
    come from one SQL query; their contents are counted with one grouped query
    per table over the proposal's items.
    """
    _lock(municipality.pk)
    stored = retention_policy_for(municipality)
    snapshot = stored.snapshot()
    policy = Policy.from_snapshot(snapshot)
    result = ProposalResult(municipality_id=municipality.pk, keep_all=policy.keeps_everything)
    if policy.keeps_everything:
        return result
    # Fetched whole, not with a server-side cursor: PostgreSQL plans cursors for the first
    # rows (cursor_tuple_fraction), which makes this query ten times slower.
    rows = iter(
        due_persons(municipality_id=municipality.pk, on=on, policy=policy).values_list(*DUE_COLUMNS)
    )
    proposal: DisposalProposal | None = None
    due: dict[int, Due] = {}
    for chunk in _chunks(rows, 2000):
        confirmed = _confirmed(chunk, policy, on, result)
        if not confirmed:
            continue
        if proposal is None:
            proposal = DisposalProposal.objects.create(
                municipality=municipality, for_date=on, policy=snapshot
            )
        DisposalProposalItem.objects.bulk_create(
            [
                DisposalProposalItem(
                    proposal=proposal,
                    person_id=item.person_id,
                    last_entry=item.last_entry,
                    disposal_date=item.disposal_date,
                    hand_over=item.hand_over,
                )
                for item in confirmed
            ]
        )
        due.update((item.person_id, item) for item in confirmed)
        result.proposed += len(confirmed)
        result.hand_over += sum(item.hand_over for item in confirmed)
    if proposal is not None:
        _count_items(proposal, due)
        audit_append(
            action="disposal.proposed",
            obj=proposal,
            actor=by,
            data={
                "for_date": on,
                "items": result.proposed,
                "hand_over": result.hand_over,
                "policy": snapshot,
            },
        )
    result.proposal = proposal
    return result


def _count_items(proposal: DisposalProposal, due: dict[int, Due]) -> None:
    """Store each item's units and counts of documents (what would go).

    One grouped query per table over the proposal's items (a subquery), then
    one bulk upsert of the items (``ON CONFLICT (proposal, person) DO UPDATE``).
    """
    persons = proposal.items.values("person_id")
    counts = contents.counts_per_person(persons)
    units = contents.person_unit_ids(persons)
    ids = sorted(due)
    for start in range(0, len(ids), 2000):
        DisposalProposalItem.objects.bulk_create(
            [
                DisposalProposalItem(
                    proposal=proposal,
                    person_id=pk,
                    last_entry=due[pk].last_entry,
                    disposal_date=due[pk].disposal_date,
                    hand_over=due[pk].hand_over,
                    counts=counts.get(pk, {}),
                    unit_ids=units.get(pk, []),
                )
                for pk in ids[start : start + 2000]
            ],
            update_conflicts=True,
            unique_fields=["proposal", "person_id"],
            update_fields=["counts", "unit_ids"],
        )


# --- decide --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def proposal_decide(
    *, proposal: DisposalProposal, by: User, approve: bool, reason: str
) -> DisposalProposal:
    """The archivist approves or rejects a proposal, with a reason."""
    proposal = DisposalProposal.objects.select_for_update().get(pk=proposal.pk)
    require(
        is_archivist(by, proposal.municipality_id),
        "Bara kommunens arkivarie beslutar om gallring.",
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError("Förslaget är redan beslutat.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Skriv en motivering till beslutet.")
    proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = by
    proposal.decision_reason = reason[:2000]
    proposal.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    audit_append(
        action="disposal.approved" if approve else "disposal.rejected",
        obj=proposal,
        actor=by,
        data={"items": proposal.items.count()},
    )
    return proposal


# --- hand over (23 d § LSS) ----------------------------------------------------------------


@transaction.atomic(durable=True)
def item_hand_over(
    *, item: DisposalProposalItem, by: User, to: str, on: date
) -> DisposalProposalItem:
    """Record that a child's LSS file was handed over to the deciding board (audited).

    Only the municipality's archivist; only a file marked to hand over, in a
    proposal that was not rejected, recorded once; ``on`` lies between the
    file's last entry and today. The file itself stays in the system.
    """
    item = (
        DisposalProposalItem.objects.select_for_update().select_related("proposal").get(pk=item.pk)
    )
    require(
        is_archivist(by, item.proposal.municipality_id),
        "Bara kommunens arkivarie registrerar ett överlämnande.",
    )
    if not item.hand_over:
        raise ValidationError("Akten ska gallras, inte lämnas över.")
    if item.proposal.status == ProposalStatus.REJECTED:
        raise ValidationError("Förslaget är avslaget.")
    if item.handed_over_at is not None:
        raise ValidationError("Överlämnandet är redan registrerat.")
    to = to.strip()
    if not to:
        raise ValidationError("Skriv vilken nämnd akten lämnades till.")
    problem = rules.event_date_problem(on, earliest=item.last_entry, today=timezone.localdate())
    if problem is rules.DateProblem.FUTURE:
        raise ValidationError("Datumet kan inte vara i framtiden.")
    if problem is not None:
        raise ValidationError(
            f"Datumet kan inte vara före aktens sista anteckning ({item.last_entry:%Y-%m-%d})."
        )
    item.handed_over_on = on
    item.handed_over_to = to[:200]
    item.handed_over_at = timezone.now()
    item.handed_over_by = by
    item.save(
        update_fields=["handed_over_on", "handed_over_to", "handed_over_at", "handed_over_by"]
    )
    audit_append(
        action="disposal.handed_over",
        obj=item.proposal,
        actor=by,
        municipality_id=item.proposal.municipality_id,
        data={"item": item.pk, "person": item.person_id, "on": on, "to": item.handed_over_to},
    )
    return item


# --- preview and execute -------------------------------------------------------------------


@dataclass
class DisposalPlan:
    """What executing a proposal removes, counted in the same state (dry run or execution)."""

    disposed: int = 0
    skipped: int = 0  # every file kept, whatever the reason (the three below included)
    never_disposed: int = 0
    hand_over: int = 0
    totals: dict[str, contents.KindTotal] = field(default_factory=dict)


def _current_policy(proposal: DisposalProposal) -> Policy:
    """The stricter of the approved settings and today's (a new exception keeps files)."""
    then = Policy.from_snapshot(proposal.policy)
    now = Policy.from_snapshot(retention_policy_for(proposal.municipality).snapshot())
    return Policy(
        retention_years=max(then.retention_years, now.retention_years),
        keep_research_sample=then.keep_research_sample or now.keep_research_sample,
        keep_all=then.keep_all or now.keep_all,
        keep_fields=tuple(sorted(set(then.keep_fields) | set(now.keep_fields))),
        keep_intervention_types=tuple(
            sorted(set(then.keep_intervention_types) | set(now.keep_intervention_types))
        ),
        research_sample=(
            rules.ResearchSample.ALL.value
            if rules.ResearchSample.ALL.value in (then.research_sample, now.research_sample)
            else rules.ResearchSample.BIRTH_DAYS.value
        ),
    )


def never_disposed_person_ids(person_ids: Any) -> set[int]:
    """Of ``person_ids`` (a list or a subquery), those with an intervention never disposed."""
    return set(
        GrantedIntervention.objects.filter(case__person_id__in=person_ids)
        .exclude(type__never_disposed=NeverDisposed.NO)
        .values_list("case__person_id", flat=True)
    )


def _mark_items(proposal: DisposalProposal, on: date) -> DisposalPlan:
    """Re-check every item on ``on`` and mark its outcome (inside a transaction).

    A file goes (DISPOSED) only if it is still due under the stricter of the
    approved and the current settings and its last entry is unchanged since the
    proposal (nothing was written to it meanwhile); otherwise it is kept and
    SKIPPED. A file that has come under a category never disposed of (12 kap.
    2 § SoL) is kept as NEVER_DISPOSED, and one to hand over to the deciding
    board (23 d § LSS) as HAND_OVER — neither is ever deleted. Then counts, per
    kind, what the DISPOSED items hold.
    """
    policy = _current_policy(proposal)
    proposed = dict(proposal.items.values_list("person_id", "last_entry"))
    to_hand_over = set(proposal.items.filter(hand_over=True).values_list("person_id", flat=True))
    never = never_disposed_person_ids(proposal.items.values("person_id"))
    rows = iter(  # fetched whole (see proposal_create)
        due_persons(
            municipality_id=proposal.municipality_id,
            on=on,
            policy=policy,
            person_ids=proposal.items.values("person_id"),
            except_proposal_id=proposal.pk,
        ).values_list(*DUE_COLUMNS)
    )
    still_due = (
        {
            item.person_id
            for chunk in _chunks(rows, 2000)
            for item in _confirmed(chunk, policy, on, None)
            if item.last_entry == proposed[item.person_id]
        }
        - never
        - to_hand_over
    )
    proposal.items.update(outcome=ItemOutcome.DISPOSED)
    marks = [
        (ItemOutcome.SKIPPED, sorted(set(proposed) - still_due - never - to_hand_over)),
        (ItemOutcome.NEVER_DISPOSED, sorted(never)),
        (ItemOutcome.HAND_OVER, sorted(to_hand_over - never)),
    ]
    for outcome, ids in marks:
        for start in range(0, len(ids), CHUNK):
            proposal.items.filter(person_id__in=ids[start : start + CHUNK]).update(outcome=outcome)
    return DisposalPlan(
        disposed=len(still_due),
        skipped=len(proposed) - len(still_due),
        never_disposed=len(never),
        hand_over=len(to_hand_over - never),
        totals=contents.totals(_disposed(proposal)),
    )


def _disposed(proposal: DisposalProposal) -> Any:
    """The persons to remove, as a subquery (one statement per table for the whole proposal)."""
    return DisposalProposalItem.objects.filter(
        proposal_id=proposal.pk, outcome=ItemOutcome.DISPOSED
    ).values("person_id")


class _DryRun(Exception):
    pass


def disposal_plan(proposal: DisposalProposal, *, on: date | None = None) -> DisposalPlan:
    """The dry run: what executing would remove today. Changes nothing.

    Marks the items and counts inside a transaction that is always rolled back.
    """
    on = on or timezone.localdate()
    plan = DisposalPlan()
    try:
        with transaction.atomic():
            plan = _mark_items(proposal, on)
            raise _DryRun
    except _DryRun:
        pass
    return plan


def _guard_executable(proposal: DisposalProposal, by: User) -> None:
    if proposal.status != ProposalStatus.APPROVED:
        raise ValidationError(
            f"Förslaget är {proposal.get_status_display().lower()}: bara ett godkänt "
            "förslag kan verkställas."
        )
    require(
        may_execute(by, proposal.municipality_id),
        "Bara kommunens arkivarie eller systemadministratör verkställer.",
    )


def _refuse_never_disposed(proposal: DisposalProposal) -> None:
    """The last check before anything is deleted: no file never disposed, none to hand over."""
    going = _disposed(proposal)
    refused = never_disposed_person_ids(going)
    if (
        refused
        or DisposalProposalItem.objects.filter(
            proposal_id=proposal.pk, outcome=ItemOutcome.DISPOSED, hand_over=True
        ).exists()
    ):
        raise ValidationError(
            "Gallringen avbröts: förslaget innehåller akter som aldrig får gallras "
            "(12 kap. 2 § SoL (2001:453)) eller som ska lämnas över (23 d § LSS). Inget har "
            "tagits bort."
        )


def disposal_execute(*, proposal: DisposalProposal, by: User) -> DisposalRecord:
    """Remove the approved person files in ONE transaction and keep a disposal record.

    Audit rows are never touched; the chain verifies afterwards. Raises
    ``ValidationError`` unless the proposal is approved (an executed proposal
    is refused too: executing twice does nothing the second time).
    """
    with transaction.atomic(durable=True):
        proposal = (
            DisposalProposal.objects.select_for_update()
            .select_related("municipality")
            .get(pk=proposal.pk)
        )
        _guard_executable(proposal, by)
        _lock(proposal.municipality_id)
        plan = _mark_items(proposal, timezone.localdate())
        _refuse_never_disposed(proposal)
        every = contents.kinds()
        removed: dict[str, int] = {}
        with disposal_gate(proposal_id=proposal.pk):
            for kind in every:
                removed[kind.key] = contents.delete_rows(kind, _disposed(proposal))
        if removed != {key: total.count for key, total in plan.totals.items()}:
            # Someone wrote to these files meanwhile: roll everything back, try again later.
            raise RuntimeError("Gallringen skulle ta bort ett annat antal rader än beräknat.")
        now = timezone.now()
        proposal.status = ProposalStatus.EXECUTED
        proposal.executed_at = now
        proposal.executed_by = by
        proposal.save(update_fields=["status", "executed_at", "executed_by"])
        documents = {kind.key for kind in every if kind.document}
        counts = {
            key: total.as_json()
            for key, total in plan.totals.items()
            if total.count and key in documents
        }
        period = [plan.totals[kind.key] for kind in every if kind.in_period]
        firsts = [t.first for t in period if t.first is not None]
        lasts = [t.last for t in period if t.last is not None]
        if proposal.decided_by_id is None or proposal.decided_at is None:  # pragma: no cover
            raise ValidationError("Förslaget saknar beslut.")
        disposed = DisposalProposalItem.objects.filter(
            proposal_id=proposal.pk, outcome=ItemOutcome.DISPOSED
        )
        record = DisposalRecord.objects.create(
            proposal=proposal,
            municipality_id=proposal.municipality_id,
            person_files=plan.disposed,
            skipped_files=plan.skipped,
            counts=counts,
            period_from=min(firsts) if firsts else None,
            period_to=max(lasts) if lasts else None,
            unit_ids=sorted(
                {u for units in disposed.values_list("unit_ids", flat=True) for u in units}
            ),
            policy=proposal.policy,
            for_date=proposal.for_date,
            decided_by_id=proposal.decided_by_id,
            decided_at=proposal.decided_at,
            executed_by=by,
            executed_at=now,
        )
        # Which files went, by id only, in events of up to CHUNK ids (the chain stays short).
        ids = list(disposed.order_by("person_id").values_list("person_id", flat=True))
        for start in range(0, len(ids), CHUNK):
            audit_append(
                action="disposal.persons_disposed",
                obj=proposal,
                actor=by,
                data={"record": record.pk, "persons": ids[start : start + CHUNK]},
            )
        audit_append(
            action="disposal.executed",
            obj=proposal,
            actor=by,
            data={
                "record": record.pk,
                "person_files": record.person_files,
                "skipped_files": record.skipped_files,
                "never_disposed": plan.never_disposed,
                "hand_over": plan.hand_over,
                "counts": {key: value["count"] for key, value in counts.items()},
            },
        )
    return record
