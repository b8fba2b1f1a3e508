"""What an archival package says about the case, as plain data (R-ARC-2).

The descriptive metadata is what the archive needs to file the plans in the
person file: the person's name and personnummer, the organisation, the case,
the decisions and their interventions, and per plan version its states, dates,
signatures (role, signed, date, method, SHA-256), handovers, the confirmations
that flagged text is not health-care documentation, the approvals of changes and
the corrections of paper dates, follow-ups and the case's journal. ``describe``
builds it as a dict; ``description_json`` writes
``metadata/descriptive/delaktig-arkiv.json`` and ``metadata_xml`` the same
content as XML. The person's name and personnummer appear here and in the PDFs
only — never in a file or folder name (R-LIFE-8).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from delaktig.organisation.models import Field, user_label
from delaktig.plans.followups import OUTCOME_LABELS
from delaktig.plans.models import (
    Approver,
    ChangeApproval,
    CorrectedDate,
    DateCorrection,
    FollowUp,
    Handover,
    HslConfirmation,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
    VersionState,
)
from delaktig.plans.pdf import CONFIDENTIALITY
from delaktig.records.models import JournalKind

from .record import CaseRecord
from .xmlbuild import text

SCHEMA_VERSION = "1"


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
        # The id: what a date correction of this signature points to.
        "id": signature.pk,
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


def _handover(handover: Handover) -> dict[str, Any]:
    return {
        "id": handover.pk,  # what a date correction of this handover points to
        "goneThroughOn": _date(handover.gone_through_on),
        "communicatedOn": _date(handover.communicated_on),
        "how": text(handover.how),
        "recordedAt": timestamp(handover.recorded_at),
    }


def _hsl_confirmation(confirmation: HslConfirmation) -> dict[str, Any]:
    """The author confirmed that one flagged text is not health-care documentation."""
    return {
        "id": confirmation.pk,
        "field": text(confirmation.field),
        "term": text(confirmation.term),
        "category": _optional(confirmation.category),
        "contentSha256": confirmation.content_sha256,
        "recordedAt": timestamp(confirmation.recorded_at),
        "recordedBy": user_label(confirmation.recorded_by),
    }


def _approval(approval: ChangeApproval, version: PlanVersion) -> dict[str, Any]:
    """The person or a relative approved the changes in the version (S0/S3)."""
    relative = approval.relative
    return {
        "id": approval.pk,
        "approver": approval.approver,
        "approverLabel": Approver(approval.approver).label,
        "approverName": text(approval.approver_name),
        "relativeId": relative.pk if relative is not None else None,
        "relation": _optional(relative.relation) if relative is not None else None,
        "approvedOn": _date(approval.approved_on),
        "how": text(approval.how),
        "contentSha256": approval.content_sha256,
        # Like a signature, an approval holds for the exact content it was given on.
        "validForVersion": bool(version.content_sha256)
        and approval.content_sha256 == version.content_sha256,
        "recordedAt": timestamp(approval.recorded_at),
        "recordedBy": user_label(approval.recorded_by),
    }


def _date_correction(correction: DateCorrection) -> dict[str, Any]:
    """A wrongly entered date, corrected; the record it corrects keeps the old one.

    ``signatureId``/``handoverId`` is the ``id`` of the version's signature or
    handover it corrects (``followUpId``: a follow-up of the version, listed with the
    plan's follow-ups), ``corrects`` the ``id`` of the correction before it of
    the same date (the newest in the chain is the date that counts).
    """
    return {
        "id": correction.pk,
        "record": (
            "signature"
            if correction.signature_id is not None
            else "handover"
            if correction.handover_id is not None
            else "follow_up"
        ),
        "signatureId": correction.signature_id,
        "handoverId": correction.handover_id,
        "followUpId": correction.follow_up_id,
        "field": correction.field,
        "fieldLabel": CorrectedDate(correction.field).label,
        "oldValue": _date(correction.old_value),
        "newValue": _date(correction.new_value),
        "reason": text(correction.reason),
        "corrects": correction.corrects_id,
        "recordedAt": timestamp(correction.recorded_at),
        "recordedBy": user_label(correction.recorded_by),
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
        "handovers": [_handover(h) for h in version.handovers.all()],
        "hslConfirmations": [_hsl_confirmation(c) for c in version.hsl_confirmations.all()],
        "approvals": [_approval(a, version) for a in version.approvals.all()],
        "dateCorrections": [_date_correction(c) for c in version.corrections.all()],
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
                # str(): the label is lazy, the package holds plain text.
                "outcomeLabel": str(OUTCOME_LABELS.get(str(item.get("outcome") or ""), "")),
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
