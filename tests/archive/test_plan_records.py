"""A version's HSL confirmations, approvals of changes and date corrections are archived.

They are part of the person file: after the file is archived and disposed, the
package is all that is left of them, so the description (JSON and XML) carries
each with what it says, who recorded it and when. Astrid lives at the nursing
home (S0/S3, tests/world.py), where a change needs the person's or a relative's
approval:

| date       | what happens                                                        |
|------------|---------------------------------------------------------------------|
| 2026-01-12 | intervention starts, plan version 1 started                         |
| 2026-01-20 | version 1 established                                               |
| 2026-02-02 | version 2, with "insulin" in a text, confirmed and sent for signing |
| 2026-02-03 | her daughter approves the changes by telephone                      |
| 2026-02-05 | signed (Astrid on paper) and established                            |
| 2026-02-06 | version 2 handed over                                               |
| 2026-03-02 | today: the paper date corrected twice, the handover's once; closed  |

The package is built once for the module (two PDFs), inside a transaction that is
rolled back, as in test_package.py.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from pytest_django import DjangoDbBlocker

from delaktig import rules
from delaktig.archive.description import timestamp
from delaktig.archive.metadata_xml import NAMESPACE
from delaktig.archive.models import ArchiveDelivery
from delaktig.archive.package import SCHEMA_DIR
from delaktig.archive.record import LOAD_QUERIES, load_case_record
from delaktig.archive.services import delivery_build
from delaktig.archive.validation import schema_errors
from delaktig.core import clock
from delaktig.organisation.services import effective_profile
from delaktig.people.models import Case
from delaktig.people.services import relative_add
from delaktig.plans.followups import follow_up_record
from delaktig.plans.models import (
    ChangeApproval,
    CorrectedDate,
    DateCorrection,
    HslConfirmation,
    PlanVersion,
    Signature,
    SignerRole,
)
from delaktig.plans.services import (
    approval_record,
    date_correct,
    handover_record,
    hsl_hits,
    plan_new_version,
    plan_send_for_signing,
    plan_start,
)
from tests.archive.helpers import START, TODAY, case_with_history, closed
from tests.services.plan_helpers import complete, establish_on, ready, sign_everything
from tests.services.test_follow_ups import data as follow_up_data
from tests.shared_db import rolled_back
from tests.world import World, build_world

D = f"{{{NAMESPACE}}}"
ESTABLISHED = date(2026, 1, 20)
CHANGED = date(2026, 2, 2)
APPROVED = date(2026, 2, 3)
SIGNED = date(2026, 2, 5)
HANDED_OVER = date(2026, 2, 6)
# The description XML of Astrid's home-care package (tests/archive/helpers.py) as built
# before these records were delivered: no such elements, no ids on signatures and
# handovers. It must stay valid against the shipped schema.
OLDER_DESCRIPTION = (
    Path(__file__).resolve().parent / "fixtures" / "delaktig-arkiv-before-plan-records.xml"
)


def case_with_records(world: World) -> tuple[Case, PlanVersion]:
    """Astrid's nursing-home case: version 2 has one of each record (two date corrections)."""
    case = world.add_person(world.nursing_home, start=START, contact=world.alice)
    first = ready(world, plan_start(case=case, by=world.alice, on=START), ESTABLISHED)
    sign_everything(world, first, ESTABLISHED, "nursing_home")
    establish_on(version=first, on=ESTABLISHED, by=world.alice)
    with clock.history(CHANGED):
        version = plan_new_version(plan=first.plan, by=world.alice, on=CHANGED)
        content = complete(version)
        part = content["interventions"][0]
        part["how"] = "Astrid duschar själv; personalen påminner om insulinet efteråt."
        version.content = content
        version.save()
        hits = hsl_hits(content, effective_profile(version.plan.unit, CHANGED))
        assert hits
        version = plan_send_for_signing(
            version=version, by=world.alice, on=CHANGED, hsl_confirmed={h.key for h in hits}
        )
    daughter = relative_add(
        person=case.person, name="Sara Lind", kind="relative", relation="dotter", by=world.alice
    )
    with clock.history(APPROVED):
        approval_record(
            version=version,
            approver=rules.Approver.RELATIVE,
            relative_id=daughter.pk,
            approved_on=APPROVED,
            how="Per telefon",
            by=world.alice,
        )
    sign_everything(world, version, SIGNED, "nursing_home")
    version = establish_on(version=version, on=SIGNED, by=world.alice)
    with clock.history(HANDED_OVER):
        handover = handover_record(
            version=version,
            gone_through_on=HANDED_OVER,
            communicated_on=HANDED_OVER,
            how="Genomgången på rummet",
            by=world.alice,
        )
    paper = Signature.objects.get(version=version, role=SignerRole.PERSON)
    for day, reason in (
        (date(2026, 2, 4), "Pappret är daterat den 4 februari."),
        (date(2026, 2, 3), "Pappret lästes fel: den 3 februari."),
    ):
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=day,
            reason=reason,
            by=world.alice,
            signature=paper,
        )
    date_correct(
        field=CorrectedDate.COMMUNICATED_ON,
        new_value=date(2026, 2, 7),
        reason="Lämnades över dagen efter genomgången.",
        by=world.alice,
        handover=handover,
    )
    # A follow-up of version 2 whose date was entered wrong (no change: the plan stays).
    with clock.history(date(2026, 2, 20)):
        follow_up = follow_up_record(
            plan=version.plan,
            data=follow_up_data(version.plan, held_on=date(2026, 2, 20)),
            by=world.alice,
        ).follow_up
    date_correct(
        field=CorrectedDate.HELD_ON,
        new_value=date(2026, 2, 19),
        reason="Mötet hölls dagen innan.",
        by=world.alice,
        follow_up=follow_up,
    )
    return case, version


@dataclass(frozen=True)
class Built:
    delivery: ArchiveDelivery
    version: PlanVersion  # version 2, as stored
    files: dict[str, bytes]
    confirmations: list[HslConfirmation]
    approval: ChangeApproval
    corrections: list[DateCorrection]  # oldest first
    paper_id: int
    handover_id: int


@pytest.fixture(scope="module")
def astrid_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Built]:
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TODAY, tick=False),
        rolled_back(),
    ):
        world = build_world()
        case, version = case_with_records(world)
        delivery = closed(world, case)
        package = delivery_build(delivery=delivery)  # verify_package validates it too
        assert package is not None
        with zipfile.ZipFile(io.BytesIO(bytes(package.data))) as archive:
            names = archive.namelist()
            root = names[0].split("/")[0]
            files = {name.removeprefix(f"{root}/"): archive.read(name) for name in names}
        corrections = list(DateCorrection.objects.filter(version=version).order_by("pk"))
        shared = Built(
            delivery=delivery,
            version=PlanVersion.objects.get(pk=version.pk),
            files=files,
            confirmations=list(HslConfirmation.objects.filter(version=version).order_by("pk")),
            approval=ChangeApproval.objects.get(version=version),
            corrections=corrections,
            paper_id=Signature.objects.get(version=version, role=SignerRole.PERSON).pk,
            handover_id=version.handovers.get().pk,
        )
    yield shared


@pytest.fixture
def astrid(astrid_once: Built, db: None) -> Built:
    return astrid_once


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _plan(built: Built) -> dict[str, Any]:
    description = json.loads(built.files["metadata/descriptive/delaktig-arkiv.json"])
    (plan,) = description["plans"]
    result: dict[str, Any] = plan
    return result


def _versions(built: Built) -> list[dict[str, Any]]:
    description = json.loads(built.files["metadata/descriptive/delaktig-arkiv.json"])
    (plan,) = description["plans"]
    versions: list[dict[str, Any]] = plan["versions"]
    return versions


def test_the_json_holds_each_versions_hsl_confirmations(astrid: Built) -> None:
    first, second = _versions(astrid)

    assert first["hslConfirmations"] == []
    assert second["hslConfirmations"] == [
        {
            "id": c.pk,
            "field": c.field,
            "term": c.term,
            "category": c.category or None,
            "contentSha256": astrid.version.content_sha256,
            "recordedAt": timestamp(c.recorded_at),
            "recordedBy": "Alice Chef",
        }
        for c in astrid.confirmations
    ]
    assert any(c["term"].lower().startswith("insulin") for c in second["hslConfirmations"])


def test_the_json_holds_the_approval_of_the_changes(astrid: Built) -> None:
    first, second = _versions(astrid)

    assert first["approvals"] == []
    assert second["approvals"] == [
        {
            "id": astrid.approval.pk,
            "approver": "relative",
            "approverLabel": "Anhörig",
            "approverName": "Sara Lind",
            "relativeId": astrid.approval.relative_id,
            "relation": "dotter",
            "approvedOn": "2026-02-03",
            "how": "Per telefon",
            "contentSha256": astrid.version.content_sha256,
            "validForVersion": True,
            "recordedAt": timestamp(astrid.approval.recorded_at),
            "recordedBy": "Alice Chef",
        }
    ]


def test_the_json_holds_the_date_corrections_pointing_to_what_they_correct(
    astrid: Built,
) -> None:
    first, second = _versions(astrid)
    paper, again, handover, held = astrid.corrections

    assert first["dateCorrections"] == []
    # The records keep the dates first entered; the corrections point to them by id.
    (person,) = [s for s in second["signatures"] if s["role"] == "person"]
    assert (person["id"], person["signedOn"]) == (astrid.paper_id, "2026-02-05")
    assert second["handovers"][0]["id"] == astrid.handover_id
    assert second["handovers"][0]["communicatedOn"] == "2026-02-06"
    common = {"recordedAt": timestamp(paper.recorded_at), "recordedBy": "Alice Chef"}
    assert second["dateCorrections"] == [
        {
            "id": paper.pk,
            "record": "signature",
            "signatureId": astrid.paper_id,
            "handoverId": None,
            "followUpId": None,
            "field": "signed_on",
            "fieldLabel": "datum för signaturen på papper",
            "oldValue": "2026-02-05",
            "newValue": "2026-02-04",
            "reason": "Pappret är daterat den 4 februari.",
            "corrects": None,
            **common,
        },
        {
            "id": again.pk,
            "record": "signature",
            "signatureId": astrid.paper_id,
            "handoverId": None,
            "followUpId": None,
            "field": "signed_on",
            "fieldLabel": "datum för signaturen på papper",
            "oldValue": "2026-02-04",
            "newValue": "2026-02-03",
            "reason": "Pappret lästes fel: den 3 februari.",
            "corrects": paper.pk,
            **common,
        },
        {
            "id": handover.pk,
            "record": "handover",
            "signatureId": None,
            "handoverId": astrid.handover_id,
            "followUpId": None,
            "field": "communicated_on",
            "fieldLabel": "datum då planen lämnades över",
            "oldValue": "2026-02-06",
            "newValue": "2026-02-07",
            "reason": "Lämnades över dagen efter genomgången.",
            "corrects": None,
            **common,
        },
        {
            "id": held.pk,
            "record": "follow_up",
            "signatureId": None,
            "handoverId": None,
            "followUpId": held.follow_up_id,
            "field": "held_on",
            "fieldLabel": "datum för uppföljningen",
            "oldValue": "2026-02-20",
            "newValue": "2026-02-19",
            "reason": "Mötet hölls dagen innan.",
            "corrects": None,
            **common,
        },
    ]
    assert held.follow_up_id in {f["id"] for f in _plan(astrid)["followUps"]}


def test_the_xml_says_what_the_json_says_and_validates(astrid: Built) -> None:
    data = astrid.files["metadata/descriptive/delaktig-arkiv.xml"]
    assert schema_errors(data, "delaktig-arkiv.xsd") == []
    schema = etree.XMLSchema(_xml(astrid.files["schemas/delaktig-arkiv.xsd"]))
    assert schema.validate(_xml(data)), schema.error_log
    _first, second = _versions(astrid)
    first_el, second_el = _xml(data).iter(f"{D}version")

    assert first_el.find(f"{D}hslConfirmation") is None
    confirmations = second_el.findall(f"{D}hslConfirmation")
    assert [
        (c.get("id"), c.get("field"), c.get("term"), c.get("recordedBy")) for c in confirmations
    ] == [(str(c["id"]), c["field"], c["term"], "Alice Chef") for c in second["hslConfirmations"]]
    assert {c.get("contentSha256") for c in confirmations} == {astrid.version.content_sha256}
    (approval,) = second_el.findall(f"{D}approval")
    assert dict(approval.attrib) == {
        key: ("true" if value is True else str(value))
        for key, value in second["approvals"][0].items()
    }
    corrections = second_el.findall(f"{D}dateCorrection")
    assert [c.findtext(f"{D}reason") for c in corrections] == [
        c["reason"] for c in second["dateCorrections"]
    ]
    assert [{key: value for key, value in c.attrib.items()} for c in corrections] == [
        {key: str(value) for key, value in c.items() if value is not None and key != "reason"}
        for c in second["dateCorrections"]
    ]
    (person,) = [s for s in second_el.findall(f"{D}signature") if s.get("role") == "person"]
    assert person.get("id") == str(astrid.paper_id)
    assert second_el.find(f"{D}handover").get("id") == str(astrid.handover_id)


def test_the_xsd_refuses_a_correction_of_a_signature_not_in_the_version(astrid: Built) -> None:
    document = _xml(astrid.files["metadata/descriptive/delaktig-arkiv.xml"])
    first_el, second_el = document.iter(f"{D}version")
    # A signature id of version 1: not a record of version 2.
    other = first_el.find(f"{D}signature").get("id")
    second_el.find(f"{D}dateCorrection").set("signatureId", other)

    assert schema_errors(etree.tostring(document), "delaktig-arkiv.xsd")


def test_a_package_made_before_these_records_still_validates() -> None:
    """Every element and attribute added is optional: older packages stay valid."""
    older = OLDER_DESCRIPTION.read_bytes()

    assert b"hslConfirmation" not in older and b'<signature id="' not in older
    assert schema_errors(older, "delaktig-arkiv.xsd") == []
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "delaktig-arkiv.xsd")))
    assert schema.validate(_xml(older)), schema.error_log


def _queries(delivery: ArchiveDelivery) -> int:
    with CaptureQueriesContext(connection) as queries:
        load_case_record(delivery)
    return len(queries)


@pytest.mark.django_db
def test_the_record_loads_in_the_same_number_of_queries_with_or_without_them(
    world: World,
) -> None:
    """``LOAD_QUERIES`` rose by 3 (from 11) with the three prefetches of these records."""
    case, _version = case_with_records(world)
    with_records = closed(world, case)
    plain = closed(world, case_with_history(world, serial=123, first_name="Bertil"))

    assert _queries(with_records) == LOAD_QUERIES
    assert _queries(plain) == LOAD_QUERIES
    record = load_case_record(with_records)
    with CaptureQueriesContext(connection) as queries:
        for version in record.all_versions:
            list(version.hsl_confirmations.all())
            list(version.approvals.all())
            for correction in version.corrections.all():
                assert correction.recorded_by.pk
            for approval in version.approvals.all():
                assert approval.relative is not None and approval.recorded_by.pk
            for confirmation in version.hsl_confirmations.all():
                assert confirmation.recorded_by.pk
    assert len(queries) == 0
