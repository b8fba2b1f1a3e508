"""Closing a case and delivering its plans to the archive (R-CASE-4, R-ARC-4).

"När ett ärende avslutats ska samtliga genomförandeplaner som har upprättats i
ärendet skickas till Vård- och omsorgsförvaltningen för insortering och
arkivering i den enskildes personakt. Respektive verksamhetsansvarige ansvarar
för att så sker." (S0, S3)

- ``case_close``: the unit manager closes the case. Every plan version is
  closed, follow-ups stop, the journal says so, and a pending delivery is made.
- ``delivery_build``: the package is built (``manage.py archive_deliveries``).
- ``delivery_receive`` / ``delivery_return``: the archivist's receipt, or the
  package sent back with a reason.
- ``delivery_rebuild_request``: after a return, the unit manager asks for a
  new package (the next command run builds it).

Each state change is one transaction with an audit event; audit data holds
ids and codes only, never names, personnummer or free text (R-LIFE-8).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from delaktig.core.access import require
from delaktig.core.types import User
from delaktig.people.models import Case, GrantedIntervention
from delaktig.plans.models import FollowUp, Plan, PlanVersion, VersionState
from delaktig.records.audit import audit_append
from delaktig.records.models import JournalEntry, JournalKind

from .access import is_archivist_for, is_unit_manager_of
from .models import ArchiveDelivery, ArchivePackage, ArchiveReceipt, DeliveryStatus, ReceiptKind
from .package import build_package
from .validation import PackageInvalid, verify_package


def open_interventions(case: Case, on: date) -> list[GrantedIntervention]:
    """Granted interventions of the case that have not ended by ``on``."""
    return list(
        GrantedIntervention.objects.filter(case=case)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("type")
        .order_by("start_date", "pk")
    )


def _still_open(item: GrantedIntervention) -> str:
    start = f"{item.type.name} (från {item.start_date:%Y-%m-%d})"
    if item.end_date is None:
        return f"Insatsen {start} pågår fortfarande – den har inget slutdatum."
    return f"Insatsen {start} pågår till {item.end_date:%Y-%m-%d}."


def _latest_plan_event(case: Case) -> date | None:
    """The last day something was recorded on the case's plans (established, followed up)."""
    established = PlanVersion.objects.filter(plan__case=case).aggregate(d=Max("established_on"))
    followed_up = FollowUp.objects.filter(plan__case=case).aggregate(d=Max("held_on"))
    days = [d for d in (established["d"], followed_up["d"]) if d is not None]
    return max(days) if days else None


@transaction.atomic
def case_close(
    *, case: Case, on: date, by: User, end_open_interventions: bool = False
) -> ArchiveDelivery | None:
    """Close a case on ``on`` and deliver every plan of it to the archive (R-CASE-4).

    Refused, with nothing changed, unless every granted intervention has ended
    (an end date on or before ``on``). With ``end_open_interventions`` the
    unit manager ends the open ones on ``on`` in the same step (an intervention
    that starts after ``on`` is still refused). Returns the pending delivery,
    or None when the case has no plan to deliver.
    """
    case = Case.objects.select_for_update().select_related("unit__administration").get(pk=case.pk)
    require(is_unit_manager_of(by, case.unit_id), "Bara enhetschefen kan avsluta ärendet.")
    errors: list[str] = []
    if case.closed_on is not None:
        errors.append(f"Ärendet avslutades redan {case.closed_on:%Y-%m-%d}.")
    if on > timezone.localdate():
        errors.append("Avslutsdatum kan inte ligga i framtiden.")
    if on < case.opened_on:
        errors.append(
            f"Ärendet kan inte avslutas före den dag det öppnades ({case.opened_on:%Y-%m-%d})."
        )
    latest = _latest_plan_event(case)
    if latest is not None and on < latest:
        errors.append(
            f"Ärendet kan inte avslutas före den senaste händelsen i genomförandeplanen "
            f"({latest:%Y-%m-%d})."
        )
    still_open = open_interventions(case, on)
    if end_open_interventions:
        errors += [
            f"Insatsen {item.type.name} börjar först {item.start_date:%Y-%m-%d} och kan inte "
            f"avslutas {on:%Y-%m-%d}."
            for item in still_open
            if item.start_date > on
        ]
    else:
        errors += [_still_open(item) for item in still_open]
    if errors:
        raise ValidationError(errors)

    ended = [item.pk for item in still_open]
    if ended:
        GrantedIntervention.objects.filter(pk__in=ended).update(end_date=on)
    case.closed_on = on
    case.save(update_fields=["closed_on"])

    versions = list(
        PlanVersion.objects.select_for_update()
        .filter(plan__case=case)
        .order_by("plan_id", "number")
    )
    delivered = [
        {"version": v.pk, "plan": v.plan_id, "number": v.number, "state": v.state} for v in versions
    ]
    for version in versions:
        if version.state != VersionState.CLOSED:
            version.state = VersionState.CLOSED  # the ORM checks plans/states.py, the trigger too
            version.save(update_fields=["state"])
    plans = Plan.objects.filter(case=case)
    plans.update(next_follow_up_on=None)

    plan_count = len({v.plan_id for v in versions})
    if versions:
        text = (
            f"Ärendet avslutat {on:%Y-%m-%d}. {plan_count} genomförandeplan"
            f"{'er' if plan_count != 1 else ''} med {len(versions)} version"
            f"{'er' if len(versions) != 1 else ''} skickas till "
            f"{case.unit.administration.name} för arkivering i personakten."
        )
    else:
        text = (
            f"Ärendet avslutat {on:%Y-%m-%d}. Ärendet har ingen genomförandeplan "
            "att skicka till arkivet."
        )
    JournalEntry.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        happened_on=on,
        author=by,
        kind=JournalKind.NOTE,
        text=text,
    )
    audit_append(
        action="case.closed",
        obj=case,
        actor=by,
        data={
            "on": on,
            "ended_interventions": ended,
            "closed_versions": [v.pk for v in versions],
        },
    )
    if not versions:
        return None
    delivery = ArchiveDelivery.objects.create(
        case=case,
        unit_id=case.unit_id,
        municipality_id=case.municipality_id,
        closed_on=on,
        created_by=by,
        versions=delivered,
    )
    audit_append(
        action="archive.delivery_created",
        obj=delivery,
        actor=by,
        data={"case": case.pk, "versions": [v.pk for v in versions]},
    )
    return delivery


def delivery_build(*, delivery: ArchiveDelivery, by: User | None = None) -> ArchivePackage | None:
    """Build and store the package of a pending delivery; None if it is not pending.

    The package is built before the write transaction (rendering PDFs takes
    seconds and must not hold SQLite's write lock): the case is closed, so
    what it reads no longer changes. The write is one short transaction that
    checks again that the delivery is still pending with the same previous
    package, so two runs at once store one package. A package that fails
    ``verify_package`` raises :class:`PackageInvalid` and nothing is saved.
    """
    current = ArchiveDelivery.objects.filter(pk=delivery.pk).select_related("package").first()
    if current is None or current.status != DeliveryStatus.PENDING:
        return None
    previous = current.package
    number = (current.packages.aggregate(n=Max("number"))["n"] or 0) + 1
    package_id = uuid.uuid4()
    created = timezone.now().replace(microsecond=0)
    built = build_package(
        current,
        package_id=package_id,
        number=number,
        created=created,
        replaces=previous.uuid if previous else None,
    )
    problems = verify_package(built.data)
    if problems:
        raise PackageInvalid(problems)
    with transaction.atomic():
        locked = ArchiveDelivery.objects.select_for_update().get(pk=current.pk)
        if locked.status != DeliveryStatus.PENDING or locked.package_id != current.package_id:
            return None
        package = ArchivePackage.objects.create(
            uuid=package_id,
            delivery=locked,
            municipality_id=locked.municipality_id,
            number=number,
            built_at=created,
            built_by=by,
            data=built.data,
            size=built.size,
            sha256=built.sha256,
            version_ids=built.version_ids,
            files=built.listing(),
        )
        locked.status = DeliveryStatus.BUILT
        locked.package = package
        locked.built_at = created
        locked.package_sha256 = package.sha256
        locked.save(update_fields=["status", "package", "built_at", "package_sha256"])
        audit_append(
            action="archive.package_built",
            obj=locked,
            actor=by,
            data={
                "package": str(package_id),
                "number": number,
                "sha256": package.sha256,
                "size": package.size,
                "versions": built.version_ids,
            },
        )
    return package


def _check_answer(delivery: ArchiveDelivery, by: User) -> list[str]:
    require(
        is_archivist_for(by, delivery.unit),
        "Bara förvaltningens arkivarie kan ta emot eller skicka tillbaka leveransen.",
    )
    errors = []
    if delivery.status != DeliveryStatus.BUILT or delivery.package_id is None:
        errors.append(
            "Leveransen kan inte tas emot eller skickas tillbaka: den har status "
            f"”{DeliveryStatus(delivery.status).label}”."
        )
    return errors


@transaction.atomic(durable=True)
def delivery_receive(*, delivery: ArchiveDelivery, on: date, by: User) -> ArchiveReceipt:
    """The archive has received the package and filed it: the receipt (R-ARC-4)."""
    delivery = (
        ArchiveDelivery.objects.select_for_update().select_related("unit").get(pk=delivery.pk)
    )
    errors = _check_answer(delivery, by)
    if on > timezone.localdate():
        errors.append("Mottagningsdatum kan inte ligga i framtiden.")
    elif delivery.built_at is not None and on < timezone.localdate(delivery.built_at):
        errors.append(
            "Paketet kan inte ha tagits emot innan det byggdes "
            f"({timezone.localdate(delivery.built_at):%Y-%m-%d})."
        )
    package_id = delivery.package_id
    if errors or package_id is None:  # _check_answer reports a missing package
        raise ValidationError(errors)
    receipt = ArchiveReceipt.objects.create(
        delivery=delivery,
        package_id=package_id,
        municipality_id=delivery.municipality_id,
        kind=ReceiptKind.RECEIVED,
        answered_on=on,
        recorded_by=by,
    )
    delivery.status = DeliveryStatus.RECEIVED
    delivery.received_on = on
    delivery.received_at = receipt.recorded_at
    delivery.received_by = by
    delivery.save(update_fields=["status", "received_on", "received_at", "received_by"])
    audit_append(
        action="archive.received",
        obj=delivery,
        actor=by,
        data={"package": delivery.package_id, "sha256": delivery.package_sha256, "on": on},
    )
    return receipt


@transaction.atomic(durable=True)
def delivery_return(*, delivery: ArchiveDelivery, reason: str, by: User) -> ArchiveReceipt:
    """The archive sends the package back; the reason is required and shown to the unit."""
    delivery = (
        ArchiveDelivery.objects.select_for_update().select_related("unit").get(pk=delivery.pk)
    )
    errors = _check_answer(delivery, by)
    reason = reason.strip()
    if not reason:
        errors.append("Skriv varför paketet skickas tillbaka.")
    package_id = delivery.package_id
    if errors or package_id is None:  # _check_answer reports a missing package
        raise ValidationError(errors)
    receipt = ArchiveReceipt.objects.create(
        delivery=delivery,
        package_id=package_id,
        municipality_id=delivery.municipality_id,
        kind=ReceiptKind.RETURNED,
        answered_on=timezone.localdate(),
        reason=reason,
        recorded_by=by,
    )
    delivery.status = DeliveryStatus.RETURNED
    delivery.returned_at = receipt.recorded_at
    delivery.returned_by = by
    delivery.return_reason = reason
    delivery.save(update_fields=["status", "returned_at", "returned_by", "return_reason"])
    # The reason stays out of the audit data: free text may name the person.
    audit_append(
        action="archive.returned",
        obj=delivery,
        actor=by,
        data={"package": delivery.package_id, "receipt": receipt.pk},
    )
    return receipt


@transaction.atomic(durable=True)
def delivery_rebuild_request(*, delivery: ArchiveDelivery, by: User) -> ArchiveDelivery:
    """After a return, the unit manager asks for a new package; the next build run makes it."""
    delivery = ArchiveDelivery.objects.select_for_update().get(pk=delivery.pk)
    require(
        is_unit_manager_of(by, delivery.unit_id),
        "Bara enhetschefen kan begära ett nytt arkivpaket.",
    )
    errors = []
    if delivery.status != DeliveryStatus.RETURNED:
        errors.append("Bara en återsänd leverans kan få ett nytt paket.")
    if errors:
        raise ValidationError(errors)
    delivery.status = DeliveryStatus.PENDING
    delivery.save(update_fields=["status"])
    audit_append(
        action="archive.rebuild_requested",
        obj=delivery,
        actor=by,
        data={"returned_package": delivery.package_id},
    )
    return delivery
