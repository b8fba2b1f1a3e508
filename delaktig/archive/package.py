"""The archival package of a closed case: every plan version as PDF/A + metadata (R-ARC-4).

Layout, after E-ARK CSIP 2.2 and Riksarkivet's FGS Paketstruktur (which builds
on it), "as far as it fits" — the package root folder is the package's UUID::

    <uuid>/
      METS.xml                                  package METS (CSIP), lists every file
      manifest-sha256.txt                       "<sha256>  <path>" of every other file
      documentation/om-paketet.txt              what the package is and how to check it
      metadata/descriptive/delaktig-arkiv.xml   the case, person, plans, signatures, HSL
                                                confirmations, approvals, date corrections …
      metadata/descriptive/delaktig-arkiv.json  the same, as JSON
      metadata/preservation/delaktig-handelser.xml   the audit trail (provenance)
      representations/rep1/METS.xml             representation METS
      representations/rep1/data/plan-v1.pdf     each version as PDF/A-2a
      representations/rep2/METS.xml
      representations/rep2/data/plan-v1.json    each version's exact signed content
      schemas/delaktig-arkiv.xsd                the schema of the metadata XML

rep2 holds the canonical JSON that the signatures' SHA-256 covers, so the
archive can check that ``sha256(plan-vN.json)`` equals each signature's hash.
A case with several plans names the files ``plan1-v1.pdf``, ``plan2-v1.pdf`` ….
No file or folder name carries personal data (R-LIFE-8): the person's name and
personnummer are inside the metadata and the PDFs only.

The build is deterministic: the same case, package id and creation time give
the same bytes, except inside the PDFs, whose own creation timestamps are
WeasyPrint's (``render_plan_pdf`` prints "now"). Entries are sorted, every ZIP
entry carries the package's creation time, and XML and JSON are serialised in
a fixed order.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any
from uuid import UUID

from django.utils import timezone

from delaktig.plans.content import canonical_json
from delaktig.plans.pdf import render_plan_pdf

from .description import PackageFile, PackageInfo, describe, description_json, timestamp
from .metadata_xml import SCHEMA_FILE, description_xml, provenance_xml
from .models import ArchiveDelivery
from .record import CaseRecord, load_case_record
from .xmlbuild import Namespace, serialise

SOFTWARE = "Delaktig"
PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
CONTENT_CATEGORY = "Genomförandeplaner (personakt)"
DELIVERY_SPECIFICATION = "Delaktig – arkivleverans av genomförandeplaner, version 1"

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP: dict[str | None, str] = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "xsi": XSI_NS}
_METS = Namespace(METS_NS)
SCHEMA_LOCATION = (
    "http://www.loc.gov/METS/ http://www.loc.gov/standards/mets/mets.xsd "
    "http://www.w3.org/1999/xlink http://www.loc.gov/standards/mets/xlink.xsd "
    "https://DILCIS.eu/XML/METS/CSIPExtensionMETS "
    "https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd"
)

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
METS_PATH = "METS.xml"
MANIFEST_PATH = "manifest-sha256.txt"
DESCRIPTION_XML_PATH = "metadata/descriptive/delaktig-arkiv.xml"
DESCRIPTION_JSON_PATH = "metadata/descriptive/delaktig-arkiv.json"
PROVENANCE_PATH = "metadata/preservation/delaktig-handelser.xml"
SCHEMA_PATH = f"schemas/{SCHEMA_FILE}"
DOCUMENTATION_PATH = "documentation/om-paketet.txt"


@dataclass(frozen=True)
class Representation:
    name: str
    content_type: str  # csip:OTHERCONTENTINFORMATIONTYPE
    mimetype: str
    suffix: str


REPRESENTATIONS = (
    Representation("rep1", "PDF/A-2a", "application/pdf", "pdf"),
    Representation("rep2", "Delaktig planinnehåll, kanonisk JSON", "application/json", "json"),
)


@dataclass(frozen=True)
class BuiltPackage:
    """A built package: the ZIP and what it holds."""

    package_id: UUID
    objid: str
    data: bytes
    files: list[PackageFile]  # every file, sorted by path (relative to the root folder)
    version_ids: list[int]

    @property
    def root(self) -> str:
        return str(self.package_id)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def listing(self) -> list[dict[str, Any]]:
        return [
            {"path": f.path, "size": f.size, "sha256": f.sha256, "mimetype": f.mimetype}
            for f in self.files
        ]


def software_version() -> str:
    try:
        return importlib_metadata.version("delaktig")
    except importlib_metadata.PackageNotFoundError:  # pragma: no cover — run from a checkout
        return "okänd"


def build_package(
    delivery: ArchiveDelivery,
    *,
    package_id: UUID,
    number: int,
    created: datetime,
    replaces: UUID | None = None,
) -> BuiltPackage:
    """Build the package of ``delivery``'s case. Reads only; saves nothing."""
    record = load_case_record(delivery)
    info = PackageInfo(
        objid=f"UUID:{package_id}",
        number=number,
        created=created,
        software=SOFTWARE,
        software_version=software_version(),
        replaces=f"UUID:{replaces}" if replaces else None,
    )
    content = _content_files(record)
    description = describe(record, info, content)
    files = [
        PackageFile(DESCRIPTION_XML_PATH, description_xml(description), "application/xml"),
        PackageFile(DESCRIPTION_JSON_PATH, description_json(description), "application/json"),
        PackageFile(PROVENANCE_PATH, provenance_xml(record, info), "application/xml"),
        PackageFile(SCHEMA_PATH, (SCHEMA_DIR / SCHEMA_FILE).read_bytes(), "application/xml"),
        PackageFile(DOCUMENTATION_PATH, _documentation(record, info).encode(), "text/plain"),
    ]
    data_files = sorted((f for group in content.values() for f in group), key=lambda f: f.path)
    for representation in REPRESENTATIONS:
        own = [
            f for f in data_files if f.path.startswith(f"representations/{representation.name}/")
        ]
        files.append(
            PackageFile(
                f"representations/{representation.name}/METS.xml",
                representation_mets(info, record, representation, own),
                "application/xml",
            )
        )
    files += data_files
    files.append(PackageFile(METS_PATH, package_mets(info, record, files), "application/xml"))
    files.append(PackageFile(MANIFEST_PATH, manifest(files), "text/plain"))
    files.sort(key=lambda f: f.path)
    return BuiltPackage(
        package_id=package_id,
        objid=info.objid,
        data=_zip(str(package_id), files, created),
        files=files,
        version_ids=[v.pk for v in record.all_versions],
    )


def _content_files(record: CaseRecord) -> dict[int, list[PackageFile]]:
    """Per version: its PDF/A (rep1) and its canonical content (rep2)."""
    several = len(record.plans) > 1
    result: dict[int, list[PackageFile]] = {}
    for index, plan in enumerate(record.plans, start=1):
        for version in record.versions.get(plan.pk, []):
            stem = f"plan{index}-v{version.number}" if several else f"plan-v{version.number}"
            result[version.pk] = [
                PackageFile(
                    f"representations/rep1/data/{stem}.pdf",
                    render_plan_pdf(version),
                    "application/pdf",
                ),
                PackageFile(
                    f"representations/rep2/data/{stem}.json",
                    canonical_json(version.content).encode("utf-8"),
                    "application/json",
                ),
            ]
    return result


def manifest(files: list[PackageFile]) -> bytes:
    """``sha256sum``-compatible: ``cd <uuid> && sha256sum -c manifest-sha256.txt``."""
    lines = [f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path)]
    return "".join(lines).encode("utf-8")


def _zip(root: str, files: list[PackageFile], created: datetime) -> bytes:
    local = timezone.localtime(created)
    stamp = (local.year, local.month, local.day, local.hour, local.minute, local.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in sorted(files, key=lambda f: f.path):
            entry = zipfile.ZipInfo(f"{root}/{file.path}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, whatever the building machine
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, file.data, compresslevel=9)
    return buffer.getvalue()


# --- METS ---------------------------------------------------------------------------------


def xml_id(prefix: str, path: str) -> str:
    """An ``xs:ID`` for a file: the prefix and the path with anything but [A-Za-z0-9._-] as -."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9._-]", "-", path)


def _file_core(file: PackageFile, created: str) -> dict[str, str]:
    return {
        "MIMETYPE": file.mimetype,
        "SIZE": str(file.size),
        "CREATED": created,
        "CHECKSUM": file.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def _link(href: str) -> dict[str, str]:
    return {"LOCTYPE": "URL", f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": href}


def _root(objid: str, label: str | None, content_type: str | None) -> Any:
    return _METS.root(
        "mets",
        nsmap=NSMAP,
        attrs={
            "OBJID": objid,
            "LABEL": label,
            "TYPE": "OTHER",
            f"{{{CSIP_NS}}}OTHERTYPE": CONTENT_CATEGORY,
            f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER" if content_type else None,
            f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": content_type,
            "PROFILE": PROFILE,
            f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION,
        },
    )


def _header(root: Any, info: PackageInfo) -> Any:
    header = _METS.sub(
        root,
        "metsHdr",
        {
            "CREATEDATE": timestamp(info.created),
            "RECORDSTATUS": "NEW" if info.replaces is None else "REPLACEMENT",
            f"{{{CSIP_NS}}}OAISPACKAGETYPE": "SIP",
        },
    )
    agent = _METS.sub(
        header, "agent", {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"}
    )
    _METS.sub(agent, "name", body=info.software)
    _METS.sub(agent, "note", {f"{{{CSIP_NS}}}NOTETYPE": "SOFTWARE VERSION"}, info.software_version)
    return header


def package_mets(info: PackageInfo, record: CaseRecord, files: list[PackageFile]) -> bytes:
    """The package METS: every file but itself and the manifest, with size and SHA-256."""
    created = timestamp(info.created)
    closed = record.case.closed_on
    label = f"Genomförandeplaner – ärende avslutat {closed:%Y-%m-%d}" if closed else None
    root = _root(info.objid, label, None)
    header = _header(root, info)
    # The records creator (arkivbildare) is the administration; the unit drew the plans up.
    archivist = _METS.sub(header, "agent", {"ROLE": "ARCHIVIST", "TYPE": "ORGANIZATION"})
    _METS.sub(archivist, "name", body=record.administration.name)
    _METS.sub(
        archivist,
        "note",
        body=f"{record.municipality.name} (kommunkod {record.municipality.code})",
    )
    creator = _METS.sub(header, "agent", {"ROLE": "CREATOR", "TYPE": "ORGANIZATION"})
    _METS.sub(creator, "name", body=record.unit.name)
    _METS.sub(header, "altRecordID", {"TYPE": "DELIVERYSPECIFICATION"}, DELIVERY_SPECIFICATION)
    _METS.sub(header, "altRecordID", {"TYPE": "STARTDATE"}, record.case.opened_on.isoformat())
    if closed:
        _METS.sub(header, "altRecordID", {"TYPE": "ENDDATE"}, closed.isoformat())
    if info.replaces:
        _METS.sub(header, "altRecordID", {"TYPE": "PREVIOUSSUBMISSION"}, info.replaces)

    by_path = {f.path: f for f in files}
    for dmd_id, path, kind in (
        ("dmd-xml", DESCRIPTION_XML_PATH, "DELAKTIG-ARKIV"),
        ("dmd-json", DESCRIPTION_JSON_PATH, "DELAKTIG-ARKIV-JSON"),
    ):
        section = _METS.sub(root, "dmdSec", {"ID": dmd_id, "CREATED": created, "STATUS": "CURRENT"})
        _metadata_reference(section, by_path[path], kind, created)
    amd = _METS.sub(root, "amdSec", {"ID": "amd"})
    digiprov = _METS.sub(
        amd, "digiprovMD", {"ID": "digiprov-events", "CREATED": created, "STATUS": "CURRENT"}
    )
    _metadata_reference(digiprov, by_path[PROVENANCE_PATH], "DELAKTIG-HANDELSER", created)

    file_sec = _METS.sub(root, "fileSec", {"ID": "filesec"})
    groups: list[tuple[str, str, str | None, list[PackageFile]]] = [
        ("grp-documentation", "Documentation", None, [by_path[DOCUMENTATION_PATH]]),
        ("grp-schemas", "Schemas", None, [by_path[SCHEMA_PATH]]),
    ]
    for representation in REPRESENTATIONS:
        prefix = f"representations/{representation.name}/"
        own = sorted((f for f in files if f.path.startswith(prefix)), key=lambda f: f.path)
        groups.append(
            (
                f"grp-{representation.name}",
                f"Representations/{representation.name}",
                representation.content_type,
                own,
            )
        )
    for group_id, use, content_type, members in groups:
        attrs = {"ID": group_id, "USE": use}
        if content_type:
            attrs[f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE"] = "OTHER"
            attrs[f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE"] = content_type
        group = _METS.sub(file_sec, "fileGrp", attrs)
        for member in members:
            element = _METS.sub(
                group, "file", {"ID": xml_id("file", member.path), **_file_core(member, created)}
            )
            _METS.sub(element, "FLocat", _link(member.path))

    struct = _METS.sub(
        root, "structMap", {"ID": "structmap-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
    )
    package_div = _METS.sub(struct, "div", {"ID": "div-package", "LABEL": info.objid})
    _METS.sub(
        package_div,
        "div",
        {
            "ID": "div-metadata",
            "LABEL": "Metadata",
            "ADMID": "digiprov-events",
            "DMDID": "dmd-xml dmd-json",
        },
    )
    documentation = _METS.sub(
        package_div, "div", {"ID": "div-documentation", "LABEL": "Documentation"}
    )
    _METS.sub(documentation, "fptr", {"FILEID": "grp-documentation"})
    schemas = _METS.sub(package_div, "div", {"ID": "div-schemas", "LABEL": "Schemas"})
    _METS.sub(schemas, "fptr", {"FILEID": "grp-schemas"})
    for representation in REPRESENTATIONS:
        div = _METS.sub(
            package_div,
            "div",
            {"ID": f"div-{representation.name}", "LABEL": f"Representations/{representation.name}"},
        )
        _METS.sub(
            div,
            "mptr",
            {
                **_link(f"representations/{representation.name}/METS.xml"),
                f"{{{XLINK_NS}}}title": f"grp-{representation.name}",
            },
        )
    return serialise(root)


def _metadata_reference(parent: Any, file: PackageFile, kind: str, created: str) -> None:
    attrs = {**_link(file.path), "MDTYPE": "OTHER", "OTHERMDTYPE": kind}
    attrs.update(_file_core(file, created))
    _METS.sub(parent, "mdRef", attrs)


def representation_mets(
    info: PackageInfo,
    record: CaseRecord,
    representation: Representation,
    files: list[PackageFile],
) -> bytes:
    """The representation METS (CSIP): its data files, paths relative to the representation."""
    created = timestamp(info.created)
    root = _root(representation.name, None, representation.content_type)
    _header(root, info)
    file_sec = _METS.sub(root, "fileSec", {"ID": "filesec"})
    group = _METS.sub(file_sec, "fileGrp", {"ID": "grp-data", "USE": "Data"})
    prefix = f"representations/{representation.name}/"
    for file in files:
        relative = file.path.removeprefix(prefix)
        element = _METS.sub(
            group, "file", {"ID": xml_id("file", relative), **_file_core(file, created)}
        )
        _METS.sub(element, "FLocat", _link(relative))
    struct = _METS.sub(
        root, "structMap", {"ID": "structmap-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
    )
    div = _METS.sub(struct, "div", {"ID": "div-representation", "LABEL": representation.name})
    data = _METS.sub(div, "div", {"ID": "div-data", "LABEL": "Data"})
    _METS.sub(data, "fptr", {"FILEID": "grp-data"})
    return serialise(root)


# --- documentation ------------------------------------------------------------------------


def _documentation(record: CaseRecord, info: PackageInfo) -> str:
    """A plain-Swedish description of the package, without personal data."""
    versions = len(record.all_versions)
    replaces = (
        f"Paketet ersätter paket {info.replaces}, som arkivet skickade tillbaka.\n"
        if info.replaces
        else ""
    )
    return f"""Arkivpaket {info.objid} (nummer {info.number})
Skapat {timestamp(info.created)} av {info.software} {info.software_version}.
{replaces}
Innehåll
--------
Genomförandeplaner från ett avslutat ärende vid {record.unit.name}, {record.administration.name},
{record.municipality.name}: {len(record.plans)} plan(er) med sammanlagt {versions} version(er).
Genomförandeplanen hör till den enskildes personakt. När ett ärende har avslutats ska
samtliga genomförandeplaner som har upprättats i ärendet skickas till förvaltningen för
insortering och arkivering i den enskildes personakt.

Paketets uppgifter omfattas av sekretess (26 kap. 1 § OSL). Den enskildes namn och
personnummer finns bara i metadatafilerna och i PDF-filerna, aldrig i fil- eller mappnamn.

Struktur (E-ARK CSIP / FGS Paketstruktur)
-----------------------------------------
METS.xml                                    paketets METS: alla filer med storlek och SHA-256
manifest-sha256.txt                         kontrollsummor för alla övriga filer
metadata/descriptive/delaktig-arkiv.xml     ärendet, personen, beslut, planversioner,
                                            signaturer, överlämnanden, bekräftelser att text
                                            inte är hälso- och sjukvård, godkännanden av
                                            ändringar, rättade datum, uppföljningar, journal
metadata/descriptive/delaktig-arkiv.json    samma uppgifter som JSON
metadata/preservation/delaktig-handelser.xml  granskningsloggen (vem gjorde vad och när)
representations/rep1/data/                  varje planversion som PDF/A-2a
representations/rep2/data/                  varje planversions innehåll exakt som det signerades
                                            (kanonisk JSON)
schemas/delaktig-arkiv.xsd                  XML-schemat för metadatafilerna

Kontroll
--------
Kontrollsummorna kontrolleras i paketets mapp med: sha256sum -c manifest-sha256.txt
En signatur gäller det innehåll den gavs på: SHA-256 av planversionens JSON-fil i rep2
ska vara lika med signaturens "contentSha256" i metadatafilen.
Ett rättat datum (dateCorrection) pekar på signaturen eller överlämnandet det rättar
(signatureId/handoverId) och på den tidigare rättelsen av samma datum (corrects);
uppgiften själv behåller det datum som först registrerades, och den senaste rättelsen
är det datum som gäller.
"""
