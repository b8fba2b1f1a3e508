"""The archival package: CSIP layout, METS, manifest, schemas, PDF/A, no personal data in names.

The checks here parse the ZIP themselves (lxml, hashlib, pypdf) rather than
trusting ``archive.validation``; the last tests show that ``verify_package``
does catch a tampered package.

Building Astrid's package renders three PDFs, so it is built once per module
(``astrid``, per xdist worker): inside a transaction that is rolled back, the
delivery, the package row and what the tests compare with are read into memory
and the ZIP's bytes kept. The tests that read it query nothing and get their
own copy of the file dict; tests that change the database build their own.

The METS documents are validated both against the project's reduced schema
(``schemas/mets-subset.xsd``, which also checks the CSIP rules we rely on) and
against the official METS 1.12.1 schema, as shipped in the ``metsrw`` wheel (a
dev dependency). That wheel does not ship the XLink schema the official one
imports, so ``tests/archive/schemas/xlink.xsd`` is the Library of Congress's METS
XLink schema (v. 2, 2004) byte for byte as the ``eark-validator`` 1.1.3 wheel
ships it; imports are resolved from local files only, never the network.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from lxml import etree
from pypdf import PdfReader
from pytest_django import DjangoDbBlocker

from delaktig.archive.metadata_xml import NAMESPACE
from delaktig.archive.models import ArchiveDelivery, ArchivePackage, DeliveryStatus
from delaktig.archive.package import SCHEMA_DIR, build_package
from delaktig.archive.services import case_close, delivery_build
from delaktig.archive.validation import schema_errors, verify_package
from delaktig.core.models import AppendOnlyError
from delaktig.plans.content import content_hash
from delaktig.plans.models import PlanVersion
from delaktig.plans.services import plan_start
from delaktig.records.models import AuditEvent
from tests.archive.helpers import (
    START,
    TODAY,
    case_with_history,
    closed,
    end_interventions,
    quick_delivery,
    sha256,
)
from tests.shared_db import rolled_back
from tests.views.helpers import personnummer_forms
from tests.world import World, build_world

METS = "{http://www.loc.gov/METS/}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CSIP = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}"
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
D = f"{{{NAMESPACE}}}"

LAYOUT = {
    "METS.xml",
    "manifest-sha256.txt",
    "documentation/om-paketet.txt",
    "metadata/descriptive/delaktig-arkiv.json",
    "metadata/descriptive/delaktig-arkiv.xml",
    "metadata/preservation/delaktig-handelser.xml",
    "representations/rep1/METS.xml",
    "representations/rep1/data/plan-v1.pdf",
    "representations/rep1/data/plan-v2.pdf",
    "representations/rep1/data/plan-v3.pdf",
    "representations/rep2/METS.xml",
    "representations/rep2/data/plan-v1.json",
    "representations/rep2/data/plan-v2.json",
    "representations/rep2/data/plan-v3.json",
    "schemas/delaktig-arkiv.xsd",
}


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def built(world: World) -> tuple[ArchiveDelivery, ArchivePackage, str, dict[str, bytes]]:
    """Astrid's closed case, its package built: (delivery, package, root, {path: bytes})."""
    delivery = closed(world, case_with_history(world))
    package = delivery_build(delivery=delivery)
    assert package is not None
    with zipfile.ZipFile(io.BytesIO(bytes(package.data))) as archive:
        names = archive.namelist()
        root = names[0].split("/")[0]
        files = {name.removeprefix(f"{root}/"): archive.read(name) for name in names}
    delivery.refresh_from_db()
    return delivery, package, root, files


Astrid = tuple[ArchiveDelivery, ArchivePackage, str, dict[str, bytes]]


@dataclass(frozen=True)
class Built:
    """Astrid's package as built once for the module, and what the tests compare it with."""

    delivery: ArchiveDelivery  # refreshed after the build; case and person loaded
    package: ArchivePackage
    root: str
    files: dict[str, bytes]
    versions: dict[int, PlanVersion]  # the case's plan versions by id, as stored
    audit_hashes: frozenset[str]  # the hash of every audit event

    def unpacked(self) -> Astrid:
        """What ``built`` returns; the file dict is the caller's own to change."""
        return self.delivery, self.package, self.root, dict(self.files)


@pytest.fixture(scope="module")
def astrid_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Built]:
    """Build the package once, in a transaction that is rolled back; keep it in memory."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TODAY, tick=False),
        rolled_back(),
    ):
        delivery, package, root, files = built(build_world())
        assert delivery.case.person.pk  # loaded now: the rows go with the rollback
        shared = Built(
            delivery=delivery,
            package=package,
            root=root,
            files=files,
            versions={v.pk: v for v in PlanVersion.objects.filter(plan__case=delivery.case)},
            audit_hashes=frozenset(AuditEvent.objects.values_list("hash", flat=True)),
        )
    yield shared


@pytest.fixture
def astrid(astrid_once: Built, db: None) -> Astrid:
    """``built(world)`` of Astrid's case, from the module's one build.

    ``db`` only so that pytest-django sets the test database up when no other selected
    test asks for it; the rows of the build are gone, the tests read the bytes.
    """
    return astrid_once.unpacked()


def _local_schema(url: str) -> Path | None:
    if url.endswith("/xlink.xsd"):
        return Path(__file__).resolve().parent / "schemas" / "xlink.xsd"
    return None


class _LocalSchemas(etree.Resolver):  # type: ignore[misc]  # lxml has no stubs here
    """Resolves the official schema's ``xs:import`` of XLink from a local file."""

    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:
        path = _local_schema(system_url)
        return self.resolve_filename(str(path), context) if path else None


# The LoC METS XLink schema as shipped in eark-validator 1.1.3 (see the module docstring).
XLINK_SHA256 = "b08dcb2ab7e76ea527e2fe582bcafbdc26194157d9f7c3e39cb95633a9b10316"


@functools.cache
def official_mets_schema() -> etree.XMLSchema:
    """The official METS schema (metsrw's copy), its XLink import resolved locally."""
    xlink = _local_schema("http://www.loc.gov/standards/xlink/xlink.xsd")
    assert xlink is not None
    assert hashlib.sha256(xlink.read_bytes()).hexdigest() == XLINK_SHA256
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_LocalSchemas())
    mets_xsd = resources.files("metsrw") / "resources" / "mets.xsd"
    with resources.as_file(mets_xsd) as path:
        return etree.XMLSchema(etree.parse(str(path), parser))


def official_mets_errors(data: bytes) -> list[str]:
    schema = official_mets_schema()
    if schema.validate(xml(data)):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]


def test_the_package_has_the_csip_layout_under_its_uuid(astrid: Astrid) -> None:
    delivery, package, root, files = astrid

    assert set(files) == LAYOUT
    assert root == str(package.uuid)
    assert delivery.status == DeliveryStatus.BUILT
    assert delivery.package_id == package.pk
    assert delivery.package_sha256 == package.sha256 == sha256(bytes(package.data))
    assert package.size == len(bytes(package.data))
    assert package.number == 1
    assert package.version_ids == delivery.version_ids
    assert [f["path"] for f in package.files] == sorted(LAYOUT)
    assert all(f["sha256"] == sha256(files[f["path"]]) for f in package.files)


def test_its_mets_lists_every_file_with_its_size_and_sha256(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid
    mets = xml(files["METS.xml"])

    listed = {}
    for element in mets.iter(f"{METS}file", f"{METS}mdRef"):
        location = element if element.tag == f"{METS}mdRef" else element.find(f"{METS}FLocat")
        listed[location.get(XLINK_HREF)] = element
    assert set(listed) == LAYOUT - {"METS.xml", "manifest-sha256.txt"}
    for path, element in listed.items():
        assert element.get("SIZE") == str(len(files[path])), path
        assert element.get("CHECKSUM") == sha256(files[path]), path
        assert element.get("CHECKSUMTYPE") == "SHA-256"
        assert element.get("MIMETYPE")
        assert element.get("CREATED")
    pdfs = [p for p in listed if p.endswith(".pdf")]
    assert {listed[p].get("MIMETYPE") for p in pdfs} == {"application/pdf"}


def test_its_mets_carries_the_csip_header_and_structure(astrid: Astrid) -> None:
    delivery, package, _root, files = astrid
    mets = xml(files["METS.xml"])

    assert mets.get("OBJID") == f"UUID:{package.uuid}"
    assert mets.get("TYPE") == "OTHER" and mets.get(f"{CSIP}OTHERTYPE")
    assert mets.get("PROFILE") == "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
    header = mets.find(f"{METS}metsHdr")
    assert header.get(f"{CSIP}OAISPACKAGETYPE") == "SIP"
    assert datetime.fromisoformat(header.get("CREATEDATE")) == package.built_at
    agents = {
        (a.get("ROLE"), a.get("TYPE")): a.findtext(f"{METS}name")
        for a in header.iter(f"{METS}agent")
    }
    assert agents == {
        ("CREATOR", "OTHER"): "Delaktig",
        ("ARCHIVIST", "ORGANIZATION"): "Omsorg",  # the administration: the records creator
        ("CREATOR", "ORGANIZATION"): "Hemtjänst Väst",
    }
    records = {r.get("TYPE"): r.text for r in header.iter(f"{METS}altRecordID")}
    assert records["STARTDATE"] == "2026-01-12"
    assert records["ENDDATE"] == "2026-03-02"
    assert [s.get("ID") for s in mets.iter(f"{METS}dmdSec")] == ["dmd-xml", "dmd-json"]
    assert [g.get("USE") for g in mets.iter(f"{METS}fileGrp")] == [
        "Documentation",
        "Schemas",
        "Representations/rep1",
        "Representations/rep2",
    ]
    struct = mets.find(f"{METS}structMap")
    assert (struct.get("TYPE"), struct.get("LABEL")) == ("PHYSICAL", "CSIP")
    divs = [d.get("LABEL") for d in struct.find(f"{METS}div").findall(f"{METS}div")]
    assert divs == [
        "Metadata",
        "Documentation",
        "Schemas",
        "Representations/rep1",
        "Representations/rep2",
    ]
    pointers = [p.get(XLINK_HREF) for p in struct.iter(f"{METS}mptr")]
    assert pointers == ["representations/rep1/METS.xml", "representations/rep2/METS.xml"]
    assert delivery.package_sha256


def test_each_representation_mets_lists_its_data_files(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid

    for rep, suffix in (("rep1", "pdf"), ("rep2", "json")):
        mets = xml(files[f"representations/{rep}/METS.xml"])
        listed = {f.find(f"{METS}FLocat").get(XLINK_HREF): f for f in mets.iter(f"{METS}file")}
        assert set(listed) == {f"data/plan-v{n}.{suffix}" for n in (1, 2, 3)}
        for href, element in listed.items():
            data = files[f"representations/{rep}/{href}"]
            assert element.get("CHECKSUM") == sha256(data)
            assert element.get("SIZE") == str(len(data))
        assert mets.get("OBJID") == rep
        assert mets.get(f"{CSIP}CONTENTINFORMATIONTYPE") == "OTHER"


def test_the_mets_documents_validate_against_the_reduced_mets_schema(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid

    for path in ("METS.xml", "representations/rep1/METS.xml", "representations/rep2/METS.xml"):
        assert schema_errors(files[path], "mets-subset.xsd") == [], path


def test_the_reduced_mets_schema_refuses_a_file_without_a_checksum(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid
    mets = xml(files["METS.xml"])
    next(mets.iter(f"{METS}file")).attrib.pop("CHECKSUM")

    errors = schema_errors(etree.tostring(mets), "mets-subset.xsd")

    assert any("CHECKSUM" in e for e in errors), errors


def test_the_mets_documents_validate_against_the_official_mets_schema(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid

    mets = sorted(path for path in files if path.endswith("METS.xml"))
    assert mets == ["METS.xml", "representations/rep1/METS.xml", "representations/rep2/METS.xml"]
    for path in mets:
        assert official_mets_errors(files[path]) == [], path


def test_the_official_mets_schema_refuses_a_file_without_an_id(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid
    mets = xml(files["METS.xml"])
    next(mets.iter(f"{METS}file")).attrib.pop("ID")

    errors = official_mets_errors(etree.tostring(mets))

    assert any("'ID'" in e for e in errors), errors


def test_the_manifest_lists_every_other_file_with_its_sha256(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid

    lines = files["manifest-sha256.txt"].decode().splitlines()
    manifest = dict(reversed(line.split("  ", 1)) for line in lines)

    assert set(manifest) == LAYOUT - {"manifest-sha256.txt"}
    assert all(manifest[path] == sha256(files[path]) for path in manifest)
    assert lines == sorted(lines, key=lambda line: line.split("  ", 1)[1])


def test_the_descriptive_xml_validates_against_the_shipped_xsd(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid
    schema = etree.XMLSchema(xml(files["schemas/delaktig-arkiv.xsd"]))

    for path in (
        "metadata/descriptive/delaktig-arkiv.xml",
        "metadata/preservation/delaktig-handelser.xml",
    ):
        assert schema.validate(xml(files[path])), (path, schema.error_log)
    assert files["schemas/delaktig-arkiv.xsd"] == (SCHEMA_DIR / "delaktig-arkiv.xsd").read_bytes()


def test_the_xsd_refuses_a_description_without_the_personnummer(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid
    document = xml(files["metadata/descriptive/delaktig-arkiv.xml"])
    person = document.find(f"{D}person")
    person.remove(person.find(f"{D}personnummer"))

    errors = schema_errors(etree.tostring(document), "delaktig-arkiv.xsd")

    assert errors and "personnummer" in errors[0]


def test_the_description_files_the_plans_in_the_persons_file(astrid: Astrid) -> None:
    delivery, package, _root, files = astrid
    description = json.loads(files["metadata/descriptive/delaktig-arkiv.json"])
    document = xml(files["metadata/descriptive/delaktig-arkiv.xml"])
    case = delivery.case

    assert description["person"] == {
        "personnummer": case.person.personnummer,
        "firstName": "Astrid",
        "lastName": "Lind",
        "protectedIdentity": False,
    }
    assert document.findtext(f"{D}person/{D}personnummer") == case.person.personnummer
    assert description["package"]["id"] == f"UUID:{package.uuid}"
    assert description["case"] == {
        "id": str(case.uuid),
        "openedOn": "2026-01-12",
        "closedOn": "2026-03-02",
    }
    assert description["organisation"]["municipality"] == {"code": "9990", "name": "Testkommun"}
    assert description["organisation"]["unit"]["name"] == "Hemtjänst Väst"
    (plan,) = description["plans"]
    versions = plan["versions"]
    assert [(v["number"], v["state"], v["stateAtClosure"]) for v in versions] == [
        (1, "closed", "superseded"),
        (2, "closed", "established"),
        (3, "closed", "draft"),
    ]
    assert [v["establishedOn"] for v in versions] == ["2026-01-20", "2026-02-02", None]
    first = versions[0]
    assert [(s["role"], s["signed"], s["signedOn"], s["method"]) for s in first["signatures"]] == [
        ("person", True, "2026-01-20", "on_paper"),
        ("contact_person", True, "2026-01-20", "in_system"),
        ("unit_manager", True, "2026-01-20", "in_system"),
    ]
    assert all(s["validForVersion"] for s in first["signatures"])
    assert first["handovers"][0]["communicatedOn"] == "2026-01-20"
    (follow_up,) = plan["followUps"]
    assert (follow_up["heldOn"], follow_up["outcome"], follow_up["version"]) == (
        "2026-02-02",
        "change",
        1,
    )
    assert follow_up["goalOutcomes"][0]["outcome"] == "partly"
    kinds = [entry["kind"] for entry in description["journal"]]
    assert kinds[-1] == "note" and "plan_established" in kinds
    # The XML says what the JSON says.
    assert [v.get("stateAtClosure") for v in document.iter(f"{D}version")] == [
        "superseded",
        "established",
        "draft",
    ]
    assert len(list(document.iter(f"{D}signature"))) == 6


def test_the_signatures_hash_is_the_hash_of_the_shipped_content(
    astrid: Astrid, astrid_once: Built
) -> None:
    delivery, _package, _root, files = astrid
    description = json.loads(files["metadata/descriptive/delaktig-arkiv.json"])

    for version in description["plans"][0]["versions"]:
        shipped = files[f"representations/rep2/data/plan-v{version['number']}.json"]
        stored = astrid_once.versions[version["id"]]
        assert sha256(shipped) == content_hash(stored.content)
        for signature in version["signatures"]:
            assert signature["contentSha256"] == sha256(shipped)
    assert delivery.version_ids


def test_the_provenance_holds_the_audit_trail_of_the_case(
    astrid: Astrid, astrid_once: Built
) -> None:
    delivery, package, _root, files = astrid
    document = xml(files["metadata/preservation/delaktig-handelser.xml"])

    actions = [e.get("action") for e in document.iter(f"{D}event")]
    assert actions[0] == "case.opened"
    assert {"plan.established", "plan.signed", "plan.followed_up", "case.closed"} <= set(actions)
    assert actions[-1] == "archive.delivery_created"
    hashes = {e.get("hash") for e in document.iter(f"{D}event")}
    assert hashes <= astrid_once.audit_hashes
    assert document.get("packageId") == f"UUID:{package.uuid}"
    assert delivery.package_id == package.pk


def test_every_version_is_a_pdf_a_document(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid

    pdfs = sorted(p for p in files if p.endswith(".pdf"))
    assert len(pdfs) == 3
    for path in pdfs:
        reader = PdfReader(io.BytesIO(files[path]))
        packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        claims = {
            key.removeprefix(PDFAID): value
            for element in xml(packet).iter()
            for key, value in element.attrib.items()
            if key.startswith(PDFAID)
        }
        assert (claims["part"], claims["conformance"]) == ("2", "A"), path
        assert "Sekretess" in reader.pages[0].extract_text()


def test_no_file_name_in_the_package_carries_personal_data(astrid: Astrid) -> None:
    delivery, package, root, files = astrid
    person = delivery.case.person
    forbidden = [*personnummer_forms(person), person.first_name, person.last_name]
    forbidden += [person.personnummer[:8], person.personnummer[2:8]]  # the birth date alone

    names = [f"{root}/{path}" for path in files]
    for name in names:
        for value in forbidden:
            assert value.lower() not in name.lower(), (value, name)
        assert re.fullmatch(r"[0-9a-f-]{36}/[A-Za-z0-9./-]+", name), name
    # … while the metadata does carry them, for filing in the person file.
    description = files["metadata/descriptive/delaktig-arkiv.xml"].decode()
    assert person.personnummer in description and person.last_name in description
    assert package.download_name == f"arkivpaket-{package.uuid}.zip"


@pytest.mark.usefixtures("placeholder_pdfs")  # reads names and rows, not the PDFs
def test_several_plans_get_numbered_file_names(world: World) -> None:
    case = world.add_person(world.home_care, start=START, contact=world.bob)
    plan_start(case=case, by=world.bob, on=START)
    plan_start(case=case, by=world.bob, on=START)
    end_interventions(case)
    delivery = case_close(case=case, on=TODAY, by=world.alice)
    assert delivery is not None

    package = delivery_build(delivery=delivery)

    assert package is not None
    data = {f["path"] for f in package.files if "/data/" in f["path"]}
    assert data == {
        "representations/rep1/data/plan1-v1.pdf",
        "representations/rep1/data/plan2-v1.pdf",
        "representations/rep2/data/plan1-v1.json",
        "representations/rep2/data/plan2-v1.json",
    }


@pytest.mark.slow  # renders the three real PDFs twice: their bytes are compared too
def test_the_same_case_id_and_time_build_the_same_bytes(world: World) -> None:
    delivery = closed(world, case_with_history(world))
    package_id = UUID("00000000-0000-4000-8000-000000000001")
    created = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    first = build_package(delivery, package_id=package_id, number=1, created=created)
    second = build_package(delivery, package_id=package_id, number=1, created=created)

    assert first.data == second.data
    assert first.sha256 == second.sha256


def test_verify_package_finds_nothing_wrong_with_a_built_package(astrid: Astrid) -> None:
    _delivery, package, _root, _files = astrid

    assert verify_package(bytes(package.data)) == []


def test_verify_package_catches_a_changed_file(astrid: Astrid) -> None:
    _delivery, package, root, files = astrid
    files["representations/rep1/data/plan-v2.pdf"] += b"%"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(f"{root}/{path}", data)

    problems = verify_package(buffer.getvalue())

    assert "manifest-sha256.txt: fel SHA-256 för representations/rep1/data/plan-v2.pdf" in problems
    assert "METS.xml: fel storlek för representations/rep1/data/plan-v2.pdf" in problems
    assert package.sha256 != sha256(buffer.getvalue())


@pytest.mark.usefixtures("placeholder_pdfs")  # reads names and rows, not the PDFs
def test_a_built_package_never_changes(world: World) -> None:
    package = delivery_build(delivery=quick_delivery(world))  # changes rows: its own package
    assert package is not None

    with pytest.raises(AppendOnlyError):
        package.save()
    with pytest.raises(AppendOnlyError):
        ArchivePackage.objects.filter(pk=package.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_archivepackage SET data = %s WHERE id = %s", [b"x", package.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_archivepackage WHERE id = %s", [package.pk])
    package.refresh_from_db()
    assert sha256(bytes(package.data)) == package.sha256


def test_schema_errors_do_not_quote_the_offending_value(astrid: Astrid) -> None:
    _delivery, _package, _root, files = astrid
    document = xml(files["metadata/descriptive/delaktig-arkiv.xml"])
    document.find(f"{D}person/{D}personnummer").text = "Astrid Lind"

    errors = schema_errors(etree.tostring(document), "delaktig-arkiv.xsd")

    assert errors and all("Astrid" not in e for e in errors)
    assert "value '…'" in errors[0]
