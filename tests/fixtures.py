"""Database fixtures shared by the service and view tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.test import Client

from delaktig.plans.models import PlanVersion
from tests.world import PASSWORD, World, build_world

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def frozen_today() -> Iterator[date]:
    """Freeze the clock at a fixed Monday, so deadlines in view tests are exact."""
    with time_machine.travel(date(2026, 3, 2), tick=False):
        yield TODAY


def client_for(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def placeholder_pdf(version: PlanVersion, **_options: object) -> bytes:
    """A one-page PDF naming the version: what the package holds instead of the real print.

    Rendering a plan with WeasyPrint takes about a second; tests of what a package is
    made of (names, checksums, states, receipts, views) do not read the PDF, only that
    there is one file per version. The bytes differ per version (id, number, hash), so
    checksums still tell versions apart. Tests that read a PDF (PDF/A, fonts, text) or
    compare the real bytes keep ``render_plan_pdf``.
    """
    title = f"Platshallare plan {version.plan_id} version {version.number} {version.pk}"
    title += f" {version.content_sha256}"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title (" + title.encode("ascii") + b") >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PDF_RENDERER = "delaktig.archive.package.render_plan_pdf"


@pytest.fixture
def placeholder_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Archive packages get ``placeholder_pdf`` instead of WeasyPrint's print of each version."""
    monkeypatch.setattr(PDF_RENDERER, placeholder_pdf)
