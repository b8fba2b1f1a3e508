"""Checks of a built package: schemas, checksums, file names (R-ARC-4, R-LIFE-8).

``verify_package`` runs on every package before it is saved (a package that
fails is never delivered) and in the tests. It checks that

- the ZIP holds one root folder, named by the package's UUID, and that every
  file name is made of ids, version numbers and fixed words only;
- ``manifest-sha256.txt`` lists every other file with its right SHA-256;
- ``METS.xml`` references every file except itself and the manifest, each with
  the right size and SHA-256, and each representation METS its data files;
- the METS documents validate against ``schemas/mets-subset.xsd`` (a reduced
  METS + CSIP schema: the official one cannot be fetched offline) and the
  metadata XML against ``schemas/delaktig-arkiv.xsd``; the JSON parses.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .package import (
    DESCRIPTION_JSON_PATH,
    DESCRIPTION_XML_PATH,
    DOCUMENTATION_PATH,
    MANIFEST_PATH,
    METS_NS,
    METS_PATH,
    PROVENANCE_PATH,
    REPRESENTATIONS,
    SCHEMA_DIR,
    SCHEMA_PATH,
    XLINK_NS,
)

METS_SCHEMA = "mets-subset.xsd"
_VALUE = re.compile(r"(value) '[^']*'", re.IGNORECASE)
METADATA_SCHEMA = "delaktig-arkiv.xsd"
# File names are fixed words, the package UUID and version numbers: nothing a person
# could be known by (R-LIFE-8).
ROOT_NAME = re.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FIXED_NAMES = frozenset(
    {
        METS_PATH,
        MANIFEST_PATH,
        DESCRIPTION_XML_PATH,
        DESCRIPTION_JSON_PATH,
        PROVENANCE_PATH,
        SCHEMA_PATH,
        DOCUMENTATION_PATH,
    }
)
REPRESENTATION_NAME = re.compile(
    r"representations/rep[0-9]+/(?:METS\.xml|data/plan[0-9]*-v[0-9]+\.(?:pdf|json))"
)


def is_safe_name(root: str, path: str) -> bool:
    return bool(ROOT_NAME.fullmatch(root)) and (
        path in FIXED_NAMES or bool(REPRESENTATION_NAME.fullmatch(path))
    )


class PackageInvalid(Exception):
    """A built package failed its checks; it is not saved."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@functools.cache
def _schema(name: str) -> Any:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def _parse(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def schema_errors(data: bytes, schema: str) -> list[str]:
    """Why ``data`` is not a valid document of ``schema`` (empty when it is)."""
    try:
        document = _parse(data)
    except etree.XMLSyntaxError as exc:
        return [f"inte välformad XML: {exc}"]
    validator = _schema(schema)
    if validator.validate(document):
        return []
    return [f"rad {error.line}: {_without_values(error.message)}" for error in validator.error_log]


def _without_values(message: str) -> str:
    """A schema error without the offending value: it may be a name or a personnummer."""
    return _VALUE.sub(r"\1 '…'", message)


@dataclass(frozen=True)
class Reference:
    size: int
    sha256: str


def mets_references(data: bytes, *, base: str = "") -> dict[str, Reference]:
    """Every file a METS document points at (``file/FLocat`` and ``mdRef``), by package path."""
    document = _parse(data)
    href = f"{{{XLINK_NS}}}href"
    found: dict[str, Reference] = {}
    for file in document.iter(f"{{{METS_NS}}}file"):
        location = file.find(f"{{{METS_NS}}}FLocat")
        path = base + location.get(href)
        found[path] = Reference(int(file.get("SIZE")), file.get("CHECKSUM"))
    for reference in document.iter(f"{{{METS_NS}}}mdRef"):
        found[base + reference.get(href)] = Reference(
            int(reference.get("SIZE")), reference.get("CHECKSUM")
        )
    return found


def read_package(data: bytes) -> tuple[str, dict[str, bytes]]:
    """The root folder name and ``{path inside the root: bytes}`` of a package ZIP."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        roots = {name.split("/", 1)[0] for name in names}
        if len(roots) != 1:
            raise PackageInvalid([f"paketet ska ha en rotmapp, har {len(roots)}"])
        root = roots.pop()
        return root, {name.split("/", 1)[1]: archive.read(name) for name in names}


def _check_references(
    label: str, references: dict[str, Reference], files: dict[str, bytes], expected: set[str]
) -> list[str]:
    problems = []
    if set(references) != expected:
        missing = sorted(expected - set(references))
        extra = sorted(set(references) - expected)
        problems.append(f"{label}: saknar {missing}, okända {extra}")
    for path, reference in sorted(references.items()):
        data = files.get(path)
        if data is None:
            continue
        if reference.size != len(data):
            problems.append(f"{label}: fel storlek för {path}")
        if reference.sha256 != hashlib.sha256(data).hexdigest():
            problems.append(f"{label}: fel SHA-256 för {path}")
    return problems


def verify_package(data: bytes) -> list[str]:
    """What is wrong with a package ZIP (empty when nothing is)."""
    try:
        root, files = read_package(data)
    except PackageInvalid as exc:
        return exc.problems
    problems = [f"otillåtet filnamn: {root}/{p}" for p in files if not is_safe_name(root, p)]
    for required in (METS_PATH, MANIFEST_PATH, DESCRIPTION_XML_PATH, PROVENANCE_PATH):
        if required not in files:
            problems.append(f"{required} saknas")
    if problems:
        return problems

    listed: dict[str, Reference] = {}
    for line in files[MANIFEST_PATH].decode("utf-8").splitlines():
        checksum, _, path = line.partition("  ")
        listed[path] = Reference(len(files.get(path, b"")), checksum)
    problems += _check_references(
        MANIFEST_PATH, listed, files, {p for p in files if p != MANIFEST_PATH}
    )

    mets_errors = schema_errors(files[METS_PATH], METS_SCHEMA)
    problems += [f"{METS_PATH}: {e}" for e in mets_errors]
    if not mets_errors:
        objid = _parse(files[METS_PATH]).get("OBJID")
        if objid != f"UUID:{root}":
            problems.append(f"METS.xml: OBJID {objid} stämmer inte med rotmappen {root}")
        problems += _check_references(
            METS_PATH,
            mets_references(files[METS_PATH]),
            files,
            {p for p in files if p not in (METS_PATH, MANIFEST_PATH)},
        )
    for representation in REPRESENTATIONS:
        prefix = f"representations/{representation.name}/"
        path = f"{prefix}METS.xml"
        if path not in files:
            problems.append(f"{path} saknas")
            continue
        errors = schema_errors(files[path], METS_SCHEMA)
        problems += [f"{path}: {e}" for e in errors]
        if not errors:
            problems += _check_references(
                path,
                mets_references(files[path], base=prefix),
                files,
                {p for p in files if p.startswith(f"{prefix}data/")},
            )

    for path in (DESCRIPTION_XML_PATH, PROVENANCE_PATH):
        problems += [f"{path}: {e}" for e in schema_errors(files[path], METADATA_SCHEMA)]
    try:
        json.loads(files.get(DESCRIPTION_JSON_PATH, b""))
    except ValueError:
        problems.append(f"{DESCRIPTION_JSON_PATH}: inte giltig JSON")
    return problems
