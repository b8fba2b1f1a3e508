"""State changes of plans: one service per transition, one transaction each (R-LIFE-3..7).

draft ──send_for_signing──▶ ready_for_signing ──establish──▶ established
  ▲                              │                              │
  └──────── plan_new_version ◀───┴──────────────────────────────┘
A new version, once established, supersedes the one before it; a version
withdrawn before establishment is superseded by its new draft.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from delaktig import rules
from delaktig.core import clock
from delaktig.core.access import require
from delaktig.core.types import User
from delaktig.organisation.models import Field, Membership, Role
from delaktig.organisation.services import effective_profile
from delaktig.people.models import Case, GrantedIntervention, Relative
from delaktig.records.audit import audit_append
from delaktig.records.models import JournalEntry, JournalKind

from .access import PlanAccess
from .content import (
    content_hash,
    initial_content,
    intervention_part,
    part_visits,
    to_plan_content,
    validate_content,
)
from .models import (
    ChangeApproval,
    CorrectedDate,
    DateCorrection,
    FollowUp,
    Handover,
    HslConfirmation,
    Plan,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
    VersionState,
)


class StaleDraft(Exception):
    """Someone else saved the draft since it was opened (optimistic locking)."""

    message = (
        "Någon annan har sparat utkastet sedan du öppnade det. Dina ändringar är inte "
        "sparade – ladda om sidan för att se den senaste versionen och gör ändringen igen."
    )


def _journal(
    *, version: PlanVersion, kind: JournalKind, text: str, by: User, on: date
) -> JournalEntry:
    return JournalEntry.objects.create(
        municipality_id=version.municipality_id,
        case_id=version.plan.case_id,
        happened_on=on,
        author=by,
        kind=kind,
        text=text,
        plan_version=version,
    )


def freeze_day(version: PlanVersion) -> date:
    """The day the version's content was frozen (sent for signing), in Sweden.

    Every version waiting for signatures or established has the time it was sent
    (the services set it; the generated municipality too).
    """
    if version.sent_for_signing_at is None:  # pragma: no cover — see above
        raise ValidationError("Versionen är inte skickad för signering.")
    return timezone.localdate(version.sent_for_signing_at)


def date_errors(day: date, *, what: str, earliest: date, since: str) -> list[str]:
    """The Swedish message for a user's date of an event that cannot be true (issue 9).

    ``what`` names the date ("Signeringsdatumet"), ``since`` what it refers to
    ("planen skickades för signering"): the event lies between the two, both included.
    """
    problem = rules.event_date_problem(day, earliest=earliest, today=clock.today())
    if problem is rules.DateProblem.FUTURE:
        return [f"{what} kan inte ligga i framtiden."]
    if problem is rules.DateProblem.TOO_EARLY:
        return [f"{what} kan inte ligga före den dag {since} ({earliest:%Y-%m-%d})."]
    return []


def may_start_plan(user: User, case: Case) -> bool:
    """Plans are started by the staff and the unit manager of an open case's unit."""
    return (
        user.is_active
        and case.closed_on is None
        and Membership.objects.filter(
            user_id=user.pk, unit_id=case.unit_id, role__in=(Role.STAFF, Role.UNIT_MANAGER)
        ).exists()
    )


def _active_interventions(case: Case, on: date) -> list[GrantedIntervention]:
    return list(
        GrantedIntervention.objects.filter(case=case)
        .active(on=on)
        .select_related("decision", "type")
        .order_by("start_date", "pk")
    )


@transaction.atomic
def plan_start(*, case: Case, by: User | None, on: date) -> PlanVersion:
    """Start a plan (version 1, draft) from the case's current granted interventions.

    Started by the unit's staff or unit manager (``by=None``: the system, e.g. an import).
    """
    if by is not None:
        require(
            may_start_plan(by, case),
            "Bara personalen och enhetschefen på personens enhet kan påbörja en plan.",
        )
    interventions = _active_interventions(case, on)
    if not interventions:
        raise ValidationError("Det finns inga pågående beviljade insatser att planera.")
    plan = Plan.objects.create(
        case=case, unit_id=case.unit_id, municipality_id=case.municipality_id
    )
    version = PlanVersion.objects.create(
        plan=plan,
        municipality_id=case.municipality_id,
        number=1,
        content=initial_content(interventions),
        created_by=by,
    )
    version.interventions.set(interventions)
    audit_append(action="plan.started", obj=plan, actor=by, data={"version": 1})
    return version


@transaction.atomic(durable=True)
def plan_save_draft(
    *, version: PlanVersion, content: dict[str, Any], lock_version: int, by: User
) -> PlanVersion:
    """Save a draft's content if nobody saved it since ``lock_version`` was read.

    Raises :class:`StaleDraft` on a conflict and ``ValidationError`` on bad
    content; in both cases nothing is saved.
    """
    access = PlanAccess.load(by, version.plan)
    access.require(access.may_write, "Du kan inte skriva i den här planen.")
    validate_content(content)
    updated = PlanVersion.objects.filter(
        pk=version.pk, state=VersionState.DRAFT, lock_version=lock_version
    ).update(content=content, lock_version=F("lock_version") + 1, updated_at=timezone.now())
    if not updated:
        current = PlanVersion.objects.filter(pk=version.pk).values_list("state", flat=True).first()
        if current != VersionState.DRAFT:
            raise ValidationError("Versionen är inte längre ett utkast och kan inte ändras.")
        raise StaleDraft(StaleDraft.message)
    version.refresh_from_db()
    audit_append(
        action="plan.draft_saved",
        obj=version.plan,
        actor=by,
        data={"version": version.number, "lock_version": version.lock_version},
    )
    return version


def _mandatory_findings(version: PlanVersion, profile: rules.RoutineProfile) -> list[str]:
    findings = rules.check_completeness(to_plan_content(version.content), profile)
    return [f.message for f in findings if f.mandatory]


@dataclass(frozen=True)
class HslHit:
    """One word in one field that looks like health care (R-PLAN-11), once per field."""

    field: str
    term: str
    category: str
    explanation: str

    @property
    def key(self) -> tuple[str, str]:
        """What the author confirms: the field and the word (any case)."""
        return (self.field, self.term.lower())


def hsl_hits(content: dict[str, Any], profile: rules.RoutineProfile) -> list[HslHit]:
    """Every (field, word) of ``content`` the health-care check flags, in plan order."""
    return _hsl_hits(rules.check_completeness(to_plan_content(content), profile))


def _hsl_hits(findings: Iterable[rules.Finding]) -> list[HslHit]:
    hits: dict[tuple[str, str], HslHit] = {}
    for finding in findings:
        for hit in finding.hits:
            item = HslHit(finding.field, hit.term, hit.category, hit.explanation)
            hits.setdefault(item.key, item)
    return list(hits.values())


@transaction.atomic
def plan_send_for_signing(
    *,
    version: PlanVersion,
    by: User,
    on: date,
    hsl_confirmed: Collection[tuple[str, str]] = (),
    lock_version: int | None = None,
) -> PlanVersion:
    """Freeze a complete draft and bind it to the SHA-256 of its content (R-LIFE-4).

    A draft with text that looks like health care (R-PLAN-11) is sent only when
    ``hsl_confirmed`` holds the key (field, word in lower case) of every hit: its
    author confirms, hit by hit, that the text is not health-care documentation.
    The confirmations are recorded on the version and shown to the signers.
    ``lock_version``, if given, is the draft's lock version the author read: a
    draft saved since is not sent.
    """
    version = (
        PlanVersion.objects.select_for_update()
        .select_related("plan__unit", "plan__case")
        .get(pk=version.pk)
    )
    access = PlanAccess.load(by, version.plan)
    access.require(access.may_write, "Du kan inte skicka den här planen för signering.")
    if version.state != VersionState.DRAFT:
        raise ValidationError("Bara ett utkast kan skickas för signering.")
    if lock_version is not None and lock_version != version.lock_version:
        raise ValidationError(
            "Utkastet har ändrats sedan du öppnade sidan. Läs igenom det som är markerat igen."
        )
    profile = effective_profile(version.plan.unit, on)
    findings = rules.check_completeness(to_plan_content(version.content), profile)
    missing = [f.message for f in findings if f.mandatory]
    if missing:
        raise ValidationError(missing)
    hits = _hsl_hits(findings)  # the same check: run once
    confirmed = {(field, term.lower()) for field, term in hsl_confirmed}
    unconfirmed = [hit for hit in hits if hit.key not in confirmed]
    if unconfirmed:
        raise ValidationError(
            [
                f"Bekräfta att ”{hit.term}” inte är hälso- och sjukvårdsdokumentation, "
                "eller ta bort texten."
                for hit in unconfirmed
            ]
        )
    version.state = VersionState.READY_FOR_SIGNING
    version.content_sha256 = content_hash(version.content)
    HslConfirmation.objects.bulk_create(
        HslConfirmation(
            version=version,
            municipality_id=version.municipality_id,
            field=hit.field[:300],
            term=hit.term[:200],
            category=hit.category[:200],
            content_sha256=version.content_sha256,
            recorded_by=by,
        )
        for hit in hits
    )
    version.sent_for_signing_at = clock.now()
    version.sent_for_signing_by = by
    version.save(
        update_fields=["state", "content_sha256", "sent_for_signing_at", "sent_for_signing_by"]
    )
    audit_append(
        action="plan.sent_for_signing",
        obj=version.plan,
        actor=by,
        data={
            "version": version.number,
            "sha256": version.content_sha256,
            "hsl_confirmed": [[hit.field, hit.term] for hit in hits],
        },
    )
    return version


@transaction.atomic
def plan_new_version(*, plan: Plan, by: User, on: date) -> PlanVersion:
    """A change makes a new draft from the latest version (R-FU-3, R-LIFE-3).

    The draft carries the latest content, plus a part for every granted
    intervention that is not yet in it. An open draft is returned as it is. A
    version still waiting for signatures is withdrawn (superseded).
    """
    plan = Plan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    latest = plan.versions.order_by("-number").first()
    if latest is None:  # pragma: no cover — plan_start always creates version 1
        raise ValidationError("Planen har ingen version.")
    access = PlanAccess.load(by, plan, latest)
    access.require(access.may_start_new_version, "Du kan inte ändra den här planen.")
    if latest.state == VersionState.DRAFT:
        return latest
    if latest.state not in (VersionState.ESTABLISHED, VersionState.READY_FOR_SIGNING):
        raise ValidationError("Planen är avslutad och kan inte ändras.")
    interventions = _active_interventions(plan.case, on)
    content = dict(latest.content)
    known = {part.get("key") for part in content.get("interventions", [])}
    content["interventions"] = [
        part
        for part in content.get("interventions", [])
        if part.get("key") in {str(i.pk) for i in interventions}
    ] + [intervention_part(i) for i in interventions if str(i.pk) not in known]
    if latest.state == VersionState.READY_FOR_SIGNING:
        latest.state = VersionState.SUPERSEDED
        latest.save(update_fields=["state"])
    version = PlanVersion.objects.create(
        plan=plan,
        municipality_id=plan.municipality_id,
        number=(plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1,
        content=content,
        created_by=by,
    )
    version.interventions.set(interventions)
    audit_append(action="plan.new_version", obj=plan, actor=by, data={"version": version.number})
    return version


def required_roles(version: PlanVersion, on: date) -> list[SignerRole]:
    profile = effective_profile(version.plan.unit, on)
    order = [
        SignerRole.PERSON,
        SignerRole.CONTACT_PERSON,
        SignerRole.STAFF_MEMBER,
        SignerRole.UNIT_MANAGER,
    ]
    return [r for r in order if rules.Signer(r.value) in profile.required_signers]


def missing_roles(version: PlanVersion, on: date) -> list[SignerRole]:
    """Required roles without a valid signature (or, for the person, a stated reason)."""
    done = {s.role for s in version.signatures.all() if s.content_sha256 == version.content_sha256}
    return [r for r in required_roles(version, on) if r not in done]


@dataclass(frozen=True)
class SignatureInput:
    role: SignerRole
    method: SignatureMethod
    signed_on: date
    signed: bool = True
    not_signed_reason: str = ""
    signer_name: str = ""


@transaction.atomic
def signature_record(*, version: PlanVersion, data: SignatureInput, by: User) -> Signature:
    """Record one required signature on the exact content of ``version`` (R-LIFE-4)."""
    version = (
        PlanVersion.objects.select_for_update()
        .select_related("plan__case__person", "plan__unit")
        .get(pk=version.pk)
    )
    access = PlanAccess.load(by, version.plan)
    access.require(
        access.may_sign(data.role),
        f"Du kan inte signera som {data.role.label.lower()} för den här planen.",
    )
    errors: list[str] = []
    if version.state != VersionState.READY_FOR_SIGNING:
        errors.append("Bara en plan som är klar för signering kan signeras.")
    elif data.role not in required_roles(version, data.signed_on):
        errors.append(f"Enhetens rutin kräver ingen signatur av {data.role.label.lower()}.")
    elif version.signatures.filter(role=data.role).exists():
        errors.append(f"{data.role.label} har redan signerat den här versionen.")
    if not data.signed:
        profile = effective_profile(version.plan.unit, data.signed_on)
        if data.role != SignerRole.PERSON or not profile.person_may_decline_signing_with_reason:
            errors.append("Bara den enskilde kan avstå från att signera.")
        elif not data.not_signed_reason.strip():
            errors.append("Skriv varför den enskilde inte har signerat planen.")
    if data.method == SignatureMethod.IN_SYSTEM and data.signed_on != clock.today():
        errors.append("En signatur i systemet får dagens datum.")
    elif version.state == VersionState.READY_FOR_SIGNING:
        errors += date_errors(
            data.signed_on,
            what="Signeringsdatumet",
            earliest=freeze_day(version),
            since="planen skickades för signering",
        )
    if errors:
        raise ValidationError(errors)
    if data.role == SignerRole.PERSON:
        name = data.signer_name.strip() or version.plan.case.person.name
    else:
        name = by.get_full_name() or by.get_username()
    signature = Signature.objects.create(
        version=version,
        municipality_id=version.municipality_id,
        role=data.role,
        signed=data.signed,
        not_signed_reason=data.not_signed_reason.strip(),
        signer_name=name,
        signer_user=None if data.role == SignerRole.PERSON else by,
        method=data.method,
        signed_on=data.signed_on,
        content_sha256=version.content_sha256,
        recorded_by=by,
    )
    audit_append(
        action="plan.signed" if data.signed else "plan.not_signed",
        obj=version.plan,
        actor=by,
        data={"version": version.number, "role": data.role.value, "sha256": version.content_sha256},
    )
    return signature


def sign_many(*, versions: Iterable[PlanVersion], by: User, on: date) -> list[Signature]:
    """A unit manager signs several plans in a row; each in its own transaction."""
    return [
        signature_record(
            version=v,
            data=SignatureInput(
                role=SignerRole.UNIT_MANAGER, method=SignatureMethod.IN_SYSTEM, signed_on=on
            ),
            by=by,
        )
        for v in versions
    ]


@transaction.atomic(durable=True)
def handover_record(
    *, version: PlanVersion, gone_through_on: date, communicated_on: date, how: str, by: User
) -> Handover:
    """The contact person went through the plan with the person and handed it over (R-LIFE-5)."""
    version = PlanVersion.objects.select_related("plan__case").get(pk=version.pk)
    access = PlanAccess.load(by, version.plan)
    access.require(
        access.may_hand_over, "Bara kontaktmannen eller personalen kan registrera överlämnandet."
    )
    errors = []
    if communicated_on < gone_through_on:
        errors.append("Planen kan inte lämnas över innan den gåtts igenom.")
    if version.state not in (VersionState.READY_FOR_SIGNING, VersionState.ESTABLISHED):
        errors.append("Planen måste vara klar för signering eller fastställd.")
    else:
        since = "planen skickades för signering"
        for day, what in (
            (gone_through_on, "Datumet då planen gicks igenom"),
            (communicated_on, "Datumet då planen lämnades över"),
        ):
            errors += date_errors(day, what=what, earliest=freeze_day(version), since=since)
    errors += _how_errors(how, "planen lämnades över")
    if errors:
        raise ValidationError(errors)
    handover = Handover.objects.create(
        version=version,
        municipality_id=version.municipality_id,
        gone_through_on=gone_through_on,
        communicated_on=communicated_on,
        how=how.strip(),
        recorded_by=by,
    )
    _journal(
        version=version,
        kind=JournalKind.PLAN_COMMUNICATED,
        text=(
            f"Genomförandeplanen (version {version.number}) gicks igenom med den enskilde "
            f"{gone_through_on:%Y-%m-%d} och kommunicerades {communicated_on:%Y-%m-%d}: "
            f"{handover.how}."
        ),
        by=by,
        on=communicated_on,
    )
    audit_append(
        action="plan.handed_over", obj=version.plan, actor=by, data={"version": version.number}
    )
    return handover


def is_change(version: PlanVersion) -> bool:
    """True when the version would replace an established one (a change of the plan)."""
    return version.plan.established_version_id is not None


def approvers(version: PlanVersion) -> set[rules.Approver]:
    """Who has approved the exact content of ``version``: the person by signing it, or a
    recorded approval by the person or a relative (S0/S3)."""
    found = {
        rules.Approver(a.approver)
        for a in version.approvals.all()
        if a.content_sha256 == version.content_sha256
    }
    person_signed = any(
        s.role == SignerRole.PERSON and s.signed and s.content_sha256 == version.content_sha256
        for s in version.signatures.all()
    )
    return found | ({rules.Approver.PERSON} if person_signed else set())


@transaction.atomic
def approval_record(
    *,
    version: PlanVersion,
    approver: rules.Approver,
    approved_on: date,
    how: str,
    by: User,
    relative_id: int | None = None,
) -> ChangeApproval:
    """The person or a relative approved the changes in ``version`` (S0/S3).

    A relative is a *närstående* registered for the person: a legal representative
    (god man, förvaltare, vårdnadshavare) signs or speaks in their own right and is
    not the routine's "anhörig". The date lies between the freeze and today.
    """
    version = (
        PlanVersion.objects.select_for_update()
        .select_related("plan__case__person", "plan__unit")
        .get(pk=version.pk)
    )
    access = PlanAccess.load(by, version.plan)
    access.require(
        access.may_hand_over,
        "Bara kontaktmannen eller personalen kan registrera ett godkännande.",
    )
    errors: list[str] = []
    rule = effective_profile(version.plan.unit, clock.today()).change_approval
    if version.state != VersionState.READY_FOR_SIGNING:
        errors.append("Bara en plan som är klar för signering kan godkännas.")
    elif not is_change(version) or rule is rules.ChangeApproval.NONE_REQUIRED:
        errors.append("Enhetens rutin kräver inget godkännande av den här versionen.")
    elif rule is rules.ChangeApproval.PERSON and approver is rules.Approver.RELATIVE:
        errors.append("Enligt enhetens rutin är det den enskilde som godkänner ändringarna.")
    else:
        errors += date_errors(
            approved_on,
            what="Datumet för godkännandet",
            earliest=freeze_day(version),
            since="planen skickades för signering",
        )
    relative = None
    if approver is rules.Approver.RELATIVE:
        relative = (
            Relative.objects.filter(pk=relative_id, person_id=version.plan.case.person_id).first()
            if relative_id is not None
            else None
        )
        if relative is None:
            errors.append("Välj vilken anhörig som godkände ändringarna.")
        elif relative.is_legal_representative:
            errors.append(
                "En god man, förvaltare eller vårdnadshavare är inte anhörig i rutinens mening."
            )
    errors += _how_errors(how, "ändringarna godkändes")
    if errors:
        raise ValidationError(errors)
    approval = ChangeApproval.objects.create(
        version=version,
        municipality_id=version.municipality_id,
        approver=approver.value,
        relative=relative,
        approver_name=relative.name if relative else version.plan.case.person.name,
        approved_on=approved_on,
        how=how.strip(),
        content_sha256=version.content_sha256,
        recorded_by=by,
    )
    audit_append(
        action="plan.change_approved",
        obj=version.plan,
        actor=by,
        data={"version": version.number, "approver": approver.value, "on": approved_on},
    )
    return approval


@transaction.atomic
def date_correct(
    *,
    field: CorrectedDate,
    new_value: date,
    reason: str,
    by: User,
    signature: Signature | None = None,
    handover: Handover | None = None,
    follow_up: FollowUp | None = None,
) -> DateCorrection:
    """Correct a wrongly entered date of a paper signature, a handover or a follow-up (issue 9).

    The record itself never changes (it is append-only): the correction is a new,
    audited row pointing to it, and to the previous correction of the same date.
    The new date obeys the rule the first one did (from the freeze; a follow-up:
    from the establishment of the version it followed up) and can never lie after
    the day the record was registered in Delaktig (what was written on paper
    happened before it was entered), nor, for a signature, after the version was
    established. A reason is required; the journal gets a note. A signature given in
    Delaktig has the system's date and is never corrected. Correcting the date of
    the plan's latest follow-up (without change) moves the next due date with it.
    """
    targets = [t for t in (signature, handover, follow_up) if t is not None]
    if len(targets) != 1:
        raise ValidationError("Ange vilken uppgift datumet gäller.")
    target: Signature | Handover | FollowUp = targets[0]
    version = (
        PlanVersion.objects.select_for_update()
        .select_related("plan__unit", "plan__case")
        .get(pk=target.version_id)
    )
    access = PlanAccess.load(by, version.plan)
    access.require(
        access.may_correct_dates, "Bara kontaktmannen eller enhetschefen kan rätta ett datum."
    )
    if signature is not None:
        allowed = {CorrectedDate.SIGNED_ON}
    elif handover is not None:
        allowed = {CorrectedDate.GONE_THROUGH_ON, CorrectedDate.COMMUNICATED_ON}
    else:
        allowed = {CorrectedDate.HELD_ON}
    errors: list[str] = []
    if field not in allowed:
        raise ValidationError("Det datumet kan inte rättas här.")
    if signature is not None and signature.method != SignatureMethod.ON_PAPER:
        errors.append("En signatur i Delaktig har systemets datum och rättas inte.")
    previous = _newest_correction(
        signature=signature, handover=handover, follow_up=follow_up, field=field
    )
    old_value = previous.new_value if previous else getattr(target, field.value)
    if new_value == old_value:
        errors.append("Det nya datumet är detsamma som det som redan gäller.")
    if follow_up is not None:
        errors += date_errors(
            new_value,
            what="Det rättade datumet",
            earliest=version.established_on or date.min,
            since="planen fastställdes",
        )
    else:
        errors += date_errors(
            new_value,
            what="Det rättade datumet",
            earliest=freeze_day(version),
            since="planen skickades för signering",
        )
    registered = timezone.localdate(target.recorded_at)
    latest, since = registered, "uppgiften registrerades i Delaktig"
    if signature is not None and version.established_on and version.established_on < latest:
        latest, since = version.established_on, "planen fastställdes"
    if new_value > latest:
        errors.append(
            f"Det rättade datumet kan inte ligga efter den dag {since} ({latest:%Y-%m-%d})."
        )
    if handover is not None:
        dates = {
            other: _date_now(handover, other)
            for other in (CorrectedDate.GONE_THROUGH_ON, CorrectedDate.COMMUNICATED_ON)
        }
        dates[field] = new_value
        if dates[CorrectedDate.COMMUNICATED_ON] < dates[CorrectedDate.GONE_THROUGH_ON]:
            errors.append("Planen kan inte lämnas över innan den gåtts igenom.")
    reason = reason.strip()
    if not reason:
        errors.append("Skriv varför datumet rättas.")
    if errors:
        raise ValidationError(errors)
    correction = DateCorrection.objects.create(
        version=version,
        municipality_id=version.municipality_id,
        signature=signature,
        handover=handover,
        follow_up=follow_up,
        corrects=previous,
        field=field.value,
        old_value=old_value,
        new_value=new_value,
        reason=reason,
        recorded_by=by,
    )
    _journal(
        version=version,
        kind=JournalKind.DATE_CORRECTED,
        text=(
            f"Rättat datum i genomförandeplanen (version {version.number}): "
            f"{CorrectedDate(field).label} är {new_value:%Y-%m-%d}, inte {old_value:%Y-%m-%d}. "
            f"Skäl: {reason}"
        ),
        by=by,
        on=clock.today(),
    )
    audit_append(
        action="plan.date_corrected",
        obj=version.plan,
        actor=by,
        data={
            "version": version.number,
            "record": type(target).__name__.lower(),
            "record_id": target.pk,
            "field": field.value,
            "from": old_value,
            "to": new_value,
            "corrects": previous.pk if previous else None,
            "next_follow_up_on": _follow_up_moved(follow_up, new_value),
        },
    )
    return correction


def _follow_up_moved(follow_up: FollowUp | None, held_on: date) -> date | None:
    """The plan's next due date, recounted when ``follow_up`` is the latest one of the
    version in force and ended in "no change" (a change made a new version, whose
    establishment set the date)."""
    if follow_up is None or follow_up.outcome != rules.FollowUpOutcome.NO_CHANGE.value:
        return None
    plan = Plan.objects.select_for_update().select_related("unit").get(pk=follow_up.plan_id)
    latest = plan.follow_ups.order_by("-recorded_at", "-pk").first()
    if latest is None or latest.pk != follow_up.pk:
        return None
    if plan.established_version_id != follow_up.version_id:
        return None
    plan.next_follow_up_on = rules.follow_up_due(held_on, effective_profile(plan.unit, held_on))
    plan.save(update_fields=["next_follow_up_on"])
    return plan.next_follow_up_on


def _newest_correction(
    *,
    field: CorrectedDate,
    signature: Signature | None = None,
    handover: Handover | None = None,
    follow_up: FollowUp | None = None,
) -> DateCorrection | None:
    """The correction of the record's date that counts now (the newest), if any."""
    return (
        DateCorrection.objects.filter(
            signature=signature, handover=handover, follow_up=follow_up, field=field
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )


def _date_now(handover: Handover, field: CorrectedDate) -> date:
    """The handover's date as it counts now: the newest correction, else the one entered."""
    newest = _newest_correction(handover=handover, field=field)
    value: date = newest.new_value if newest else getattr(handover, field.value)
    return value


def _how_errors(how: str, what: str) -> list[str]:
    """The "how" text of a handover or an approval: required, at most 200 characters."""
    if not how.strip():
        return [f"Skriv hur {what}."]
    if len(how.strip()) > 200:
        return [f"Hur {what}: skriv högst 200 tecken."]
    return []


def scheduler_items(version: PlanVersion) -> list[dict[str, Any]]:
    """What the scheduler needs, per intervention: where, when and every visit (R-LIFE-7).

    ``visits`` holds each visit's weekdays, time of day, minutes and times a week;
    a version written before visits has its one ``schedule`` as its one visit.
    """
    return [
        {
            "intervention": part.get("name", ""),
            "when": part.get("when", ""),
            "where": part.get("where", ""),
            "visits": part_visits(part),
        }
        for part in version.content.get("interventions", [])
    ]


@transaction.atomic
def plan_establish(*, version: PlanVersion, by: User, on: date | None = None) -> PlanVersion:
    """Establish a version, today, once every required signature is on its exact content.

    A plan is established on the day it is established in Delaktig (issue 9): ``on``,
    if given, must be today. A plan established on paper earlier is registered with
    :func:`plan_register_established_afterwards` instead.

    Sets the date established (R-PLAN-6), closes the plan deadline of its
    interventions, stores the next follow-up date from the routine (R-FU-1),
    writes the journal (R-LIFE-6) and tells the scheduler in home care (R-LIFE-7).
    """
    version = _lock_for_establishing(version, by)
    today = clock.today()
    profile = effective_profile(version.plan.unit, today)
    errors = _establish_errors(version, profile)
    errors += [f"Signatur saknas: {role.label.lower()}." for role in missing_roles(version, today)]
    problem = rules.approval_problem(
        profile, is_change=is_change(version), approvers=approvers(version)
    )
    if problem:
        errors.append(problem)
    if on is not None and on != today:
        errors.append(
            f"En plan fastställs den dag den fastställs i Delaktig ({today:%Y-%m-%d}). "
            "En plan som fastställdes på papper tidigare registreras i efterhand, med skäl."
        )
    if errors:
        raise ValidationError(errors)
    return _establish(version, profile, on=today, by=by)


@transaction.atomic
def plan_register_established_afterwards(
    *, version: PlanVersion, established_on: date, reason: str, by: User
) -> PlanVersion:
    """Register a version that was established on paper on ``established_on`` (issue 9).

    A separate, audited action with a required reason. The signatures are on the
    paper original, so none are required in Delaktig. The date lies between the
    latest decision of the version's interventions and yesterday; the plan is
    counted apart in the compliance report ("registrerad i efterhand"), never as
    established in time, and its interventions' plan date is the day of the
    registration.
    """
    version = _lock_for_establishing(version, by)
    today = clock.today()
    profile = effective_profile(version.plan.unit, today)
    errors = _establish_errors(version, profile)
    reason = reason.strip()
    if not reason:
        errors.append("Skriv varför planen registreras i efterhand.")
    decided = [i.decision.decided_on for i in version.interventions.select_related("decision")]
    if established_on == today:
        errors.append("Fastställs planen i dag, fastställ den som vanligt i steg 3.")
    elif decided:
        errors += date_errors(
            established_on,
            what="Datumet då planen fastställdes på papper",
            earliest=max(decided),
            since="insatsen beslutades",
        )
    if errors:
        raise ValidationError(errors)
    return _establish(version, profile, on=established_on, by=by, afterwards_reason=reason)


def _lock_for_establishing(version: PlanVersion, by: User) -> PlanVersion:
    version = (
        PlanVersion.objects.select_for_update()
        .select_related("plan__unit", "plan__case")
        .get(pk=version.pk)
    )
    access = PlanAccess.load(by, version.plan)
    access.require(
        access.may_establish, "Bara kontaktmannen eller enhetschefen kan fastställa planen."
    )
    if version.state != VersionState.READY_FOR_SIGNING:
        raise ValidationError("Bara en plan som är klar för signering kan fastställas.")
    return version


def _establish_errors(version: PlanVersion, profile: rules.RoutineProfile) -> list[str]:
    errors = _mandatory_findings(version, profile)
    if version.content_sha256 != content_hash(version.content):
        errors.append("Innehållet stämmer inte med det som skickades för signering.")
    return errors


def _establish(
    version: PlanVersion,
    profile: rules.RoutineProfile,
    *,
    on: date,
    by: User,
    afterwards_reason: str | None = None,
) -> PlanVersion:
    from delaktig.oversight.models import SchedulerNotice

    plan = version.plan
    today = clock.today()
    previous = plan.established_version
    if previous is not None:
        previous.state = VersionState.SUPERSEDED
        previous.save(update_fields=["state"])
    version.state = VersionState.ESTABLISHED
    version.established_on = on
    version.established_at = clock.now()
    version.established_by = by
    version.registered_afterwards_reason = afterwards_reason
    version.save(
        update_fields=[
            "state",
            "established_on",
            "established_at",
            "established_by",
            "registered_afterwards_reason",
            "updated_at",
        ]
    )
    plan.established_version = version
    plan.established_on = on
    plan.next_follow_up_on = rules.follow_up_due(on, profile)
    plan.save(update_fields=["established_version", "established_on", "next_follow_up_on"])
    # The interventions' plan date is the day Delaktig learned of the plan: a plan
    # registered afterwards cannot close a deadline in the past (issue 9).
    GrantedIntervention.objects.filter(
        plan_versions=version, plan_established_on__isnull=True
    ).update(plan_established_on=today)
    if afterwards_reason is None:
        text = (
            f"Genomförandeplanen (version {version.number}) är "
            f"{'uppdaterad och ' if previous else ''}fastställd {on:%Y-%m-%d}. "
        )
    else:
        text = (
            f"Genomförandeplanen (version {version.number}), fastställd på papper "
            f"{on:%Y-%m-%d}, är registrerad i efterhand {today:%Y-%m-%d}. "
            f"Skäl: {afterwards_reason} "
        )
    _journal(
        version=version,
        kind=JournalKind.PLAN_UPDATED if previous else JournalKind.PLAN_ESTABLISHED,
        text=text + f"Nästa uppföljning senast {plan.next_follow_up_on:%Y-%m-%d}.",
        by=by,
        on=today,
    )
    if profile.notify_scheduler and plan.unit.field == Field.HOME_CARE:
        SchedulerNotice.objects.create(
            municipality_id=plan.municipality_id,
            unit_id=plan.unit_id,
            case_id=plan.case_id,
            plan_version=version,
            items=scheduler_items(version),
        )
    audit_append(
        action="plan.established" if afterwards_reason is None else "plan.registered_afterwards",
        obj=plan,
        actor=by,
        data={"version": version.number, "on": on, "next_follow_up_on": plan.next_follow_up_on},
    )
    return version
