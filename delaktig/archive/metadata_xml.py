"""The package's metadata as XML: the description and the provenance (R-ARC-1, R-ARC-2).

``description_xml`` writes ``metadata/descriptive/delaktig-arkiv.xml``, the
description ``describe`` built (the same content as the JSON file), and
``provenance_xml`` writes ``metadata/preservation/delaktig-handelser.xml``, the
audit trail of the case, its decisions, its plans and the delivery: who did
what and when, with each event's place in the hash chain.

Both documents validate against ``schemas/delaktig-arkiv.xsd`` (shipped in the
package); ``archive.validation`` checks them before a package is saved.
"""

from __future__ import annotations

import json
from typing import Any

from .description import SCHEMA_VERSION, PackageInfo, timestamp
from .record import CaseRecord
from .xmlbuild import Namespace, serialise

NAMESPACE = "urn:x-delaktig:arkiv:1"
SCHEMA_FILE = "delaktig-arkiv.xsd"

_ARKIV = Namespace(NAMESPACE)


def _pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: data.get(key) for key in keys}


def description_xml(description: dict[str, Any]) -> bytes:
    """The descriptive metadata as XML in the order ``delaktig-arkiv.xsd`` defines."""
    root = _ARKIV.root(
        "archivePackage",
        nsmap={None: NAMESPACE},
        attrs={"schemaVersion": description["schemaVersion"]},
    )
    package = description["package"]
    _ARKIV.sub(
        root,
        "package",
        _pick(package, "id", "number", "created", "replaces", "software", "softwareVersion"),
    )
    _ARKIV.sub(root, "delivery", description["delivery"])
    _ARKIV.sub(root, "confidentiality", body=description["confidentiality"])
    organisation = description["organisation"]
    org = _ARKIV.sub(root, "organisation")
    _ARKIV.sub(
        org,
        "municipality",
        {"code": organisation["municipality"]["code"]},
        organisation["municipality"]["name"],
    )
    _ARKIV.sub(
        org,
        "administration",
        {"id": organisation["administration"]["id"]},
        organisation["administration"]["name"],
    )
    unit = organisation["unit"]
    _ARKIV.sub(org, "unit", _pick(unit, "id", "field", "fieldLabel"), unit["name"])
    person = description["person"]
    person_el = _ARKIV.sub(root, "person", {"protectedIdentity": person["protectedIdentity"]})
    _ARKIV.sub(person_el, "personnummer", body=person["personnummer"])
    _ARKIV.sub(person_el, "firstName", body=person["firstName"])
    _ARKIV.sub(person_el, "lastName", body=person["lastName"])
    _ARKIV.sub(root, "case", description["case"])
    decisions = _ARKIV.sub(root, "decisions")
    for decision in description["decisions"]:
        decision_el = _ARKIV.sub(
            decisions, "decision", _pick(decision, "id", "decidedOn", "reference", "caseOfficer")
        )
        if decision["goals"]:
            _ARKIV.sub(decision_el, "goals", body=decision["goals"])
        for item in decision["interventions"]:
            _ARKIV.sub(
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
    plans = _ARKIV.sub(root, "plans")
    for plan in description["plans"]:
        plan_el = _ARKIV.sub(plans, "plan", _pick(plan, "id", "createdAt"))
        for version in plan["versions"]:
            _version_xml(plan_el, version)
        for follow_up in plan["followUps"]:
            _follow_up_xml(plan_el, follow_up)
    journal = _ARKIV.sub(root, "journal")
    for entry in description["journal"]:
        _ARKIV.sub(
            journal,
            "entry",
            _pick(entry, "at", "happenedOn", "kind", "kindLabel", "author", "planVersion"),
            entry["text"],
        )
    return serialise(root)


def _version_xml(parent: Any, version: dict[str, Any]) -> None:
    element = _ARKIV.sub(
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
        _ARKIV.sub(
            element, "file", _pick(file, "representation", "path", "mimetype", "size", "sha256")
        )
    for signature in version["signatures"]:
        signature_el = _ARKIV.sub(
            element,
            "signature",
            _pick(
                signature,
                "id",
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
            _ARKIV.sub(signature_el, "notSignedReason", body=signature["notSignedReason"])
    for handover in version["handovers"]:
        _ARKIV.sub(
            element,
            "handover",
            _pick(handover, "id", "goneThroughOn", "communicatedOn", "how", "recordedAt"),
        )
    for confirmation in version["hslConfirmations"]:
        _ARKIV.sub(
            element,
            "hslConfirmation",
            _pick(
                confirmation,
                "id",
                "field",
                "term",
                "category",
                "contentSha256",
                "recordedAt",
                "recordedBy",
            ),
        )
    for approval in version["approvals"]:
        _ARKIV.sub(
            element,
            "approval",
            _pick(
                approval,
                "id",
                "approver",
                "approverLabel",
                "approverName",
                "relativeId",
                "relation",
                "approvedOn",
                "how",
                "contentSha256",
                "validForVersion",
                "recordedAt",
                "recordedBy",
            ),
        )
    for correction in version["dateCorrections"]:
        correction_el = _ARKIV.sub(
            element,
            "dateCorrection",
            _pick(
                correction,
                "id",
                "record",
                "signatureId",
                "handoverId",
                "followUpId",
                "field",
                "fieldLabel",
                "oldValue",
                "newValue",
                "corrects",
                "recordedAt",
                "recordedBy",
            ),
        )
        _ARKIV.sub(correction_el, "reason", body=correction["reason"])


def _follow_up_xml(parent: Any, follow_up: dict[str, Any]) -> None:
    element = _ARKIV.sub(
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
    _ARKIV.sub(element, "how", body=follow_up["how"])
    for item in follow_up["goalOutcomes"]:
        _ARKIV.sub(element, "goalOutcome", item)


def provenance_xml(record: CaseRecord, package: PackageInfo) -> bytes:
    """The audit events of the case, its decisions, plans and delivery (R-ARC-1)."""
    root = _ARKIV.root(
        "provenance",
        nsmap={None: NAMESPACE},
        attrs={"schemaVersion": SCHEMA_VERSION, "packageId": package.objid},
    )
    for event in record.events:
        element = _ARKIV.sub(
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
            _ARKIV.sub(
                element,
                "data",
                body=json.dumps(event.data, ensure_ascii=False, sort_keys=True),
            )
    return serialise(root)
