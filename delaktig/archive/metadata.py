"""What an archival package says about the case: descriptive and provenance metadata.

The descriptive metadata (``metadata/descriptive/delaktig-arkiv.xml`` and the
same content as ``.json``) is what the archive needs to file the plans in the
person file (R-ARC-2): the person's name and personnummer, the organisation,
the case, the decisions and their interventions, and per plan version its
states, dates, signatures (role, signed, date, method, SHA-256), handovers,
follow-ups and the case's journal. The person's name and personnummer appear
here and in the PDFs only — never in a file or folder name (R-LIFE-8).

The provenance metadata (``metadata/preservation/delaktig-handelser.xml``) is
the audit trail of the case, its decisions, its plans and the delivery: who
did what and when (R-ARC-1), with each event's place in the hash chain.

Both XML documents validate against ``schemas/delaktig-arkiv.xsd`` (shipped
in the package); ``archive.validation`` checks them before a package is saved.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Prefetch, Q
from lxml import etree

from delaktig.core.types import User
from delaktig.organisation.models import Administration, Field, Municipality, Unit, user_label
from delaktig.people.models import Case, Decision, GrantedIntervention, Person
from delaktig.plans.followups import OUTCOME_LABELS
from delaktig.plans.models import (
    FollowUp,
    Handover,
    Plan,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
    VersionState,
)
from delaktig.plans.pdf import CONFIDENTIALITY
from delaktig.records.models import AuditEvent, JournalEntry, JournalKind

from .models import ArchiveDelivery

NAMESPACE = "urn:x-delaktig:arkiv:1"
SCHEMA_VERSION = "1"
SCHEMA_FILE = "delaktig-arkiv.xsd"

# Characters XML 1.0 cannot carry (control characters pasted into a text field).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class PackageFile:
    """One file of the package: its path inside the package root and its bytes."""

    path: str
    data: bytes
    mimetype: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class PackageInfo:
    """The identity of the package being built."""

    objid: str  # "UUID:<uuid>" (FGS style); the root folder is the bare UUID
    number: int
    created: datetime
    software: str
    software_version: str
    replaces: str | None = None


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
    actors = {user.pk: user_label(user) for user in User.objects.filter(pk__in=actor_ids)}
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


# --- values ------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A string XML can carry (control characters removed)."""
    return _NOT_XML.sub("", str(value)) if value is not None else ""


def timestamp(value: datetime) -> str:
    """ISO 8601 in UTC, to the second: the same text whatever the server's time zone."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _optional(value: str) -> str | None:
    cleaned = text(value).strip()
    return cleaned or None


# --- the description ----------------------------------------------------------------------


def _signature(signature: Signature, version: PlanVersion) -> dict[str, Any]:
    return {
        "role": signature.role,
        "roleLabel": SignerRole(signature.role).label,
        "signed": signature.signed,
        "signedOn": _date(signature.signed_on),
        "method": signature.method,
        "methodLabel": SignatureMethod(signature.method).label,
        "signerName": text(signature.signer_name),
        "notSignedReason": _optional(signature.not_signed_reason),
        "contentSha256": signature.content_sha256,
        # A signature binds to the exact content it was given on (R-LIFE-4).
        "validForVersion": bool(version.content_sha256)
        and signature.content_sha256 == version.content_sha256,
        "recordedAt": timestamp(signature.recorded_at),
    }


def _version(
    version: PlanVersion, state_at_closure: str, files: list[PackageFile]
) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "state": version.state,
        "stateLabel": VersionState(version.state).label,
        "stateAtClosure": state_at_closure,
        "stateAtClosureLabel": VersionState(state_at_closure).label,
        "createdAt": timestamp(version.created_at),
        "sentForSigningAt": (
            timestamp(version.sent_for_signing_at) if version.sent_for_signing_at else None
        ),
        "establishedOn": _date(version.established_on),
        "establishedBy": user_label(version.established_by) if version.established_by else None,
        "contentSha256": version.content_sha256 or None,
        "files": [
            {
                "representation": f.path.split("/")[1],
                "path": f.path,
                "mimetype": f.mimetype,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in files
        ],
        "signatures": [_signature(s, version) for s in version.signatures.all()],
        "handovers": [
            {
                "goneThroughOn": _date(h.gone_through_on),
                "communicatedOn": _date(h.communicated_on),
                "how": text(h.how),
                "recordedAt": timestamp(h.recorded_at),
            }
            for h in version.handovers.all()
        ],
    }


def _follow_up(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "version": follow_up.version.number,
        "heldOn": _date(follow_up.held_on),
        "dueOn": _date(follow_up.due_on),
        "how": text(follow_up.how),
        "outcome": follow_up.outcome,
        "outcomeLabel": follow_up.get_outcome_display(),
        "needChange": follow_up.need_change,
        "needChangeLabel": follow_up.get_need_change_display(),
        "recordedAt": timestamp(follow_up.recorded_at),
        "goalOutcomes": [
            {
                "intervention": text(item.get("name") or item.get("intervention") or ""),
                "goal": text(item.get("goal") or ""),
                "outcome": str(item.get("outcome") or ""),
                "outcomeLabel": OUTCOME_LABELS.get(str(item.get("outcome") or ""), ""),
            }
            for item in follow_up.goal_outcomes or ()
            if isinstance(item, dict)
        ],
    }


def describe(
    record: CaseRecord, package: PackageInfo, files: dict[int, list[PackageFile]]
) -> dict[str, Any]:
    """The descriptive metadata as plain data (the JSON file, and the XML's source)."""
    delivery, case, person, unit = record.delivery, record.case, record.person, record.unit
    states = {int(item["version"]): str(item["state"]) for item in delivery.versions}
    return {
        "schemaVersion": SCHEMA_VERSION,
        "package": {
            "id": package.objid,
            "number": package.number,
            "created": timestamp(package.created),
            "replaces": package.replaces,
            "software": package.software,
            "softwareVersion": package.software_version,
        },
        "delivery": {"id": str(delivery.uuid), "createdAt": timestamp(delivery.created_at)},
        "confidentiality": CONFIDENTIALITY,
        "organisation": {
            "municipality": {"code": record.municipality.code, "name": record.municipality.name},
            "administration": {"id": record.administration.pk, "name": record.administration.name},
            "unit": {
                "id": unit.pk,
                "name": unit.name,
                "field": unit.field,
                "fieldLabel": Field(unit.field).label,
            },
        },
        "person": {
            "personnummer": person.personnummer,
            "firstName": text(person.first_name),
            "lastName": text(person.last_name),
            "protectedIdentity": person.protected_identity,
        },
        "case": {
            "id": str(case.uuid),
            "openedOn": _date(case.opened_on),
            "closedOn": _date(case.closed_on),
        },
        "decisions": [
            {
                "id": str(decision.uuid),
                "decidedOn": _date(decision.decided_on),
                "reference": _optional(decision.reference),
                "caseOfficer": _optional(decision.case_officer),
                "goals": _optional(decision.goals),
                "interventions": [
                    {
                        "id": item.pk,
                        "type": item.type.code,
                        "typeName": text(item.type.name),
                        "scope": _optional(item.scope),
                        "startDate": _date(item.start_date),
                        "endDate": _date(item.end_date),
                        "planDeadline": _date(item.plan_deadline),
                        "planEstablishedOn": _date(item.plan_established_on),
                    }
                    for item in decision.interventions.all()
                ],
            }
            for decision in record.decisions
        ],
        "plans": [
            {
                "id": str(plan.uuid),
                "createdAt": timestamp(plan.created_at),
                "versions": [
                    _version(v, states.get(v.pk, v.state), files.get(v.pk, []))
                    for v in record.versions.get(plan.pk, [])
                ],
                "followUps": [_follow_up(f) for f in record.follow_ups.get(plan.pk, [])],
            }
            for plan in record.plans
        ],
        "journal": [
            {
                "at": timestamp(entry.at),
                "happenedOn": _date(entry.happened_on),
                "kind": entry.kind,
                "kindLabel": JournalKind(entry.kind).label,
                "author": user_label(entry.author),
                "planVersion": entry.plan_version.number if entry.plan_version else None,
                "text": text(entry.text),
            }
            for entry in record.journal
        ],
    }


def description_json(description: dict[str, Any]) -> bytes:
    return (json.dumps(description, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode(
        "utf-8"
    )


# --- XML --------------------------------------------------------------------------------


def _qname(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _attr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return text(value)


def _el(parent: Any, tag: str, attrs: dict[str, Any] | None = None, body: str | None = None) -> Any:
    """A child element; attributes that are None or empty are left out."""
    element = etree.SubElement(parent, _qname(tag))
    for name, value in (attrs or {}).items():
        if value is None or value == "":
            continue
        element.set(name, _attr(value))
    if body:
        element.text = text(body)
    return element


def _serialise(root: Any) -> bytes:
    data: bytes = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, standalone=None
    )
    return data


def _pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: data.get(key) for key in keys}


def description_xml(description: dict[str, Any]) -> bytes:
    """The descriptive metadata as XML in the order ``delaktig-arkiv.xsd`` defines."""
    root = etree.Element(
        _qname("archivePackage"),
        nsmap={None: NAMESPACE},
        attrib={"schemaVersion": description["schemaVersion"]},
    )
    package = description["package"]
    _el(
        root,
        "package",
        _pick(package, "id", "number", "created", "replaces", "software", "softwareVersion"),
    )
    _el(root, "delivery", description["delivery"])
    _el(root, "confidentiality", body=description["confidentiality"])
    organisation = description["organisation"]
    org = _el(root, "organisation")
    _el(
        org,
        "municipality",
        {"code": organisation["municipality"]["code"]},
        organisation["municipality"]["name"],
    )
    _el(
        org,
        "administration",
        {"id": organisation["administration"]["id"]},
        organisation["administration"]["name"],
    )
    unit = organisation["unit"]
    _el(org, "unit", _pick(unit, "id", "field", "fieldLabel"), unit["name"])
    person = description["person"]
    person_el = _el(root, "person", {"protectedIdentity": person["protectedIdentity"]})
    _el(person_el, "personnummer", body=person["personnummer"])
    _el(person_el, "firstName", body=person["firstName"])
    _el(person_el, "lastName", body=person["lastName"])
    _el(root, "case", description["case"])
    decisions = _el(root, "decisions")
    for decision in description["decisions"]:
        decision_el = _el(
            decisions, "decision", _pick(decision, "id", "decidedOn", "reference", "caseOfficer")
        )
        if decision["goals"]:
            _el(decision_el, "goals", body=decision["goals"])
        for item in decision["interventions"]:
            _el(
                decision_el,
                "intervention",
                _pick(
                    item,
                    "id",
                    "type",
                    "scope",
                    "startDate",
                    "endDate",
                    "planDeadline",
                    "planEstablishedOn",
                ),
                item["typeName"],
            )
    plans = _el(root, "plans")
    for plan in description["plans"]:
        plan_el = _el(plans, "plan", _pick(plan, "id", "createdAt"))
        for version in plan["versions"]:
            _version_xml(plan_el, version)
        for follow_up in plan["followUps"]:
            _follow_up_xml(plan_el, follow_up)
    journal = _el(root, "journal")
    for entry in description["journal"]:
        _el(
            journal,
            "entry",
            _pick(entry, "at", "happenedOn", "kind", "kindLabel", "author", "planVersion"),
            entry["text"],
        )
    return _serialise(root)


def _version_xml(parent: Any, version: dict[str, Any]) -> None:
    element = _el(
        parent,
        "version",
        _pick(
            version,
            "id",
            "number",
            "state",
            "stateLabel",
            "stateAtClosure",
            "stateAtClosureLabel",
            "createdAt",
            "sentForSigningAt",
            "establishedOn",
            "establishedBy",
            "contentSha256",
        ),
    )
    for file in version["files"]:
        _el(element, "file", _pick(file, "representation", "path", "mimetype", "size", "sha256"))
    for signature in version["signatures"]:
        signature_el = _el(
            element,
            "signature",
            _pick(
                signature,
                "role",
                "roleLabel",
                "signed",
                "signedOn",
                "method",
                "methodLabel",
                "signerName",
                "contentSha256",
                "validForVersion",
                "recordedAt",
            ),
        )
        if signature["notSignedReason"]:
            _el(signature_el, "notSignedReason", body=signature["notSignedReason"])
    for handover in version["handovers"]:
        _el(element, "handover", handover)


def _follow_up_xml(parent: Any, follow_up: dict[str, Any]) -> None:
    element = _el(
        parent,
        "followUp",
        _pick(
            follow_up,
            "id",
            "version",
            "heldOn",
            "dueOn",
            "outcome",
            "outcomeLabel",
            "needChange",
            "needChangeLabel",
            "recordedAt",
        ),
    )
    _el(element, "how", body=follow_up["how"])
    for item in follow_up["goalOutcomes"]:
        _el(element, "goalOutcome", item)


def provenance_xml(record: CaseRecord, package: PackageInfo) -> bytes:
    """The audit events of the case, its decisions, plans and delivery (R-ARC-1)."""
    root = etree.Element(
        _qname("provenance"),
        nsmap={None: NAMESPACE},
        attrib={"schemaVersion": SCHEMA_VERSION, "packageId": package.objid},
    )
    for event in record.events:
        element = _el(
            root,
            "event",
            {
                "chain": event.chain,
                "seq": event.seq,
                "at": timestamp(event.at),
                "action": event.action,
                "objectType": event.object_type,
                "objectId": event.object_id,
                "actorId": event.actor_id,
                "actor": record.actors.get(event.actor_id) if event.actor_id else None,
                "prevHash": event.prev_hash,
                "hash": event.hash,
            },
        )
        if event.data:
            _el(
                element,
                "data",
                body=json.dumps(event.data, ensure_ascii=False, sort_keys=True),
            )
    return _serialise(root)
