"""The plan as a printable PDF: archival PDF/A, tagged, marked confidential (R-LIFE-5).

Text is read back with pypdf; the PDF/A claims and the structure tree are
read from the catalog and the XMP packet.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from datetime import date
from typing import Any
from xml.etree import ElementTree

import pytest
import time_machine
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from delaktig.plans.models import PlanVersion, SignatureMethod, SignerRole, VersionState
from delaktig.plans.pdf import PdfVariant, render_plan_pdf
from delaktig.plans.services import (
    SignatureInput,
    handover_record,
    plan_register_established_afterwards,
    plan_send_for_signing,
    plan_start,
    required_roles,
    signature_record,
)
from tests.services.plan_helpers import complete, establish_on, sign_everything
from tests.world import World

START = date(2026, 1, 12)
TODAY = date(2026, 2, 2)

STATEMENTS = {
    "person": "Jag vill duscha innan frukost, inte efter.",
    "staff": "Astrid orkar mest på förmiddagen.",
    "legal_representative": "Räkningarna sköts av mig som god man.",
    "relative": "Dottern hälsar på varje söndag.",
}
HEADINGS = {
    "person": "Den enskilde",
    "staff": "Personal",
    "legal_representative": "God man eller förvaltare",
    "relative": "Närstående",
}
PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def rich_content(version: PlanVersion, **extra: Any) -> dict[str, Any]:
    """A typical, complete home-care plan: two interventions, every section filled."""
    content = complete(version)
    first, *rest = content["interventions"]
    first.update(
        when="Tisdagar och fredagar kl. 9",
        goals=[
            {
                "text": "Att känna mig ren och fräsch",
                "sub_goals": ["Duscha själv med stöd för ryggen", "Välja kläder själv"],
            },
            {"text": "Att börja dagen i lugn och ro", "sub_goals": []},
        ],
        schedule={
            "weekdays": ["TU", "FR"],
            "time_of_day": "09:00",
            "duration_minutes": 45,
            "times_per_week": 2,
        },
        activities=[
            {
                "description": "Hjälp med dusch, Astrid tvättar själv det hon når",
                "responsible": "Bob (kontaktman)",
                "when": "Tisdag och fredag kl. 9",
                "goals": [{"text": "Klara håret själv till sommaren", "sub_goals": []}],
            },
            {
                "description": "Lägga fram handduk och rena kläder",
                "responsible": "Personalen som har passet",
                "when": "Vid varje dusch",
                "goals": [],
            },
        ],
    )
    for part in rest:
        part.update(
            when="Torsdagar efter lunch",
            where="Affären på torget, Astrid följer med när hon vill",
            how="Astrid skriver listan, personalen bär hem varorna.",
            goals=[{"text": "Att själv bestämma vad jag äter", "sub_goals": []}],
            activities=[
                {
                    "description": "Handla tillsammans med Astrid",
                    "responsible": "Personalen som har passet",
                    "when": "Torsdag eftermiddag",
                    "goals": [],
                }
            ],
            schedule={
                "weekdays": ["TH"],
                "time_of_day": "13:00",
                "duration_minutes": 60,
                "times_per_week": 1,
            },
        )
    content.update(
        decision_goals="Att kunna bo kvar hemma.\nAtt känna sig trygg i vardagen.",
        interests_how_found="Samtal med Astrid och hennes dotter om vad hon tyckte om förut.",
        statements=[{"source": s, "text": t} for s, t in STATEMENTS.items()],
        participants=[
            {"name": "Astrid Lind", "role": "Den enskilde"},
            {"name": "Bob Kontaktman", "role": "Kontaktman"},
            {"name": "Eva Lind", "role": "Dotter (närstående, på Astrids önskan)"},
        ],
        other_information="Astrid hör dåligt på vänster öra. Ring på två gånger.",
        cooperation="Handläggaren kontaktas när behoven ändras.",
        follow_up_how="Samtal hemma hos Astrid med kontaktmannen och, om Astrid vill, dottern.",
        disclosure=["Personalen i arbetslaget", "Enhetschef", "Dottern Eva Lind"],
        receives_health_care=True,
        sip_status="exists",
    )
    content.update(extra)
    return content


def _draft(world: World, **extra: Any) -> PlanVersion:
    case = world.add_person(
        world.home_care,
        start=START,
        contact=world.bob,
        types=("hemtjanst-dusch", "hemtjanst-inkop"),
    )
    version = plan_start(case=case, by=world.bob, on=START)
    version.content = rich_content(version, **extra)
    version.save()
    return version


def _ready(world: World, **extra: Any) -> PlanVersion:
    return plan_send_for_signing(version=_draft(world, **extra), by=world.bob, on=TODAY)


def _established(world: World, **extra: Any) -> PlanVersion:
    version = _ready(world, **extra)
    sign_everything(world, version, TODAY, "home_care")
    handover_record(
        version=version,
        gone_through_on=TODAY,
        communicated_on=TODAY,
        how="Genomgången vid hembesök, papperskopia lämnad",
        by=world.bob,
    )
    return establish_on(version=version, on=TODAY, by=world.bob)


def _reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-1.7")
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _struct_types(reader: PdfReader) -> Counter[str]:
    """Structure element types (/H1, /P, /Table …) in the tag tree."""
    found: Counter[str] = Counter()
    stack: list[Any] = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, DictionaryObject):
            if "/S" in node:
                found[str(node["/S"])] += 1
            if "/K" in node:
                stack.append(node["/K"])
    return found


def _body_font_size(reader: PdfReader) -> float:
    """The font size most characters are drawn in (the body text), in points."""
    sizes: Counter[float] = Counter()

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        scale = (tm[0] * cm[0] + tm[1] * cm[2]) if tm and cm else 1.0
        if text.strip():
            sizes[round(abs(size * scale), 1)] += len(text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes.most_common(1)[0][0]


def test_an_established_plan_is_archival_tagged_and_marked_confidential(world: World) -> None:
    version = _established(world)
    started = time.perf_counter()
    pdf = render_plan_pdf(version, printed_by="Bob Kontaktman")
    print(f"\nrender_plan_pdf: {time.perf_counter() - started:.2f} s, {len(pdf)} bytes")
    reader = _reader(pdf)

    # PDF/A declared in the XMP packet, with its output intent.
    root = reader.trailer["/Root"]
    packet = root["/Metadata"].get_object().get_data()
    xmp = ElementTree.fromstring(packet)  # noqa: S314 — the XMP we just wrote ourselves
    claims = {
        key.removeprefix(PDFAID): value
        for element in xmp.iter()
        for key, value in element.attrib.items()
        if key.startswith(PDFAID)
    }
    assert claims["part"] in {"2", "3"} and claims["conformance"] in {"A", "B", "U"}
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    # Tagged for screen readers: structure tree, marked, language, title.
    assert "/StructTreeRoot" in root
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert str(root["/Lang"]).startswith("sv")
    assert reader.metadata is not None and reader.metadata.title
    assert reader.metadata.title.startswith("Genomförandeplan")
    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.dc_title["x-default"] == reader.metadata.title
    types = _struct_types(reader)
    assert types["/H1"] == 1 and types["/H2"] >= 10 and types["/Table"] >= 2 and types["/TH"]

    text = _text(reader)
    assert "Sekretess enligt 26 kap. 1 § OSL" in text
    assert "Astrid Lind" in text and version.plan.case.person.personnummer in text
    assert "Sida 1 av" in text and f"Sida {len(reader.pages)} av {len(reader.pages)}" in text
    assert version.content_sha256[:12] in text
    assert "Genomförandeplan – version 1" in text
    assert "Fastställd" in text and "Utskriven 2026-02-02 av Bob Kontaktman" in text
    for role in required_roles(version, TODAY):
        assert role.label in text
    assert "På papper vid besök" in text and "Namnteckning" not in text
    assert "UTKAST" not in text
    assert "Genomgången med den enskilde 2026-02-02, överlämnad 2026-02-02" in text
    assert "SIP: Det finns en SIP." in text
    # Statements are kept apart by source, each under its own heading (R-PLAN-4).
    section = text[text.index("Synpunkter") : text.index("Deltagare i planeringen")]
    positions = []
    for source, statement in STATEMENTS.items():
        heading = section.index(HEADINGS[source])
        assert section.index(statement, heading) > heading
        positions.append(heading)
    assert positions == sorted(positions)
    # The sections come in the agreed order.
    order = [
        "Mål enligt beslutet",
        "Insats: Hemtjänst – dusch",
        "Aktiviteter",
        "Den enskildes delaktighet",
        "Synpunkter",
        "Deltagare i planeringen",
        "Annan viktig information",
        "Samverkan",
        "Uppföljning",
        "Vem får ta del av planen",
        "Samordnad individuell plan (SIP)",
        "Signaturer",
    ]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)

    # Every font is embedded (PDF/A).
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
            fonts += 1
    assert fonts


def test_a_draft_is_watermarked_and_has_lines_to_sign_on(world: World) -> None:
    version = _draft(world)
    reader = _reader(render_plan_pdf(version))
    text = _text(reader)
    assert "UTKAST – ej fastställd" in text
    assert "Utkast" in text and "Inte fastställd" in text
    roles = required_roles(version, TODAY)
    assert len(roles) == 3
    assert text.count("Namnteckning") == len(roles) and text.count("Datum") >= len(roles)
    for role in roles:
        assert role.label in text
    assert "Signerad av" not in text
    assert "Signaturerna gäller" not in text  # a draft's content is not bound yet


def test_a_person_who_did_not_sign_is_shown_with_the_reason(world: World) -> None:
    version = _ready(world)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON,
            method=SignatureMethod.ON_PAPER,
            signed_on=TODAY,
            signed=False,
            not_signed_reason="Vill inte skriva under, men godkänner planen muntligt.",
        ),
        by=world.bob,
    )
    text = _text(_reader(render_plan_pdf(version)))
    assert "Har inte signerat: Vill inte skriva under, men godkänner planen muntligt." in text
    assert "Ej fastställd – för signering" in text
    # The two staff roles have not signed yet: lines to sign on paper.
    assert text.count("Namnteckning") == 2
    assert "Signaturerna gäller innehållet med kontrollsumma SHA-256" in text


def test_a_paper_date_entered_later_and_a_plan_registered_afterwards_show_both_dates(
    world: World,
) -> None:
    """Issue 9: the system's own date stays beside the date a user entered, in print too."""
    with time_machine.travel(date(2026, 1, 20), tick=False):
        version = _ready(world)
    signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.PERSON, method=SignatureMethod.ON_PAPER, signed_on=date(2026, 1, 20)
        ),
        by=world.bob,
    )
    established = plan_register_established_afterwards(
        version=version,
        established_on=date(2026, 1, 21),
        reason="Planen fastställdes på papper vid besöket; Delaktig var nere.",
        by=world.bob,
    )
    text = " ".join(_text(_reader(render_plan_pdf(established))).split())
    assert "2026-01-21 på papper, registrerad i efterhand 2026-02-02" in text
    assert "På papper vid besök · registrerad 2026-02-02" in text
    easy = " ".join(_text(_reader(render_plan_pdf(established, variant=PdfVariant.EASY))).split())
    assert "registrerad i efterhand 2026-02-02" in easy


def test_a_declined_plan_says_so(world: World) -> None:
    version = _draft(
        world,
        declined=True,
        declined_purpose_explained=True,
        declined_reason="Astrid vill inte ha någon plan just nu.",
    )
    text = _text(_reader(render_plan_pdf(version)))
    assert "Den enskilde har avböjt en genomförandeplan" in text
    assert "Astrid vill inte ha någon plan just nu." in text
    assert "Syftet med en genomförandeplan har förklarats för den enskilde." in text


def test_empty_optional_sections_are_left_out(world: World) -> None:
    version = _draft(
        world,
        statements=[],
        other_information="",
        cooperation="",
        interests_how_found="",
        receives_health_care=False,
    )
    text = _text(_reader(render_plan_pdf(version)))
    for heading in ("Synpunkter", "Annan viktig information", "Samverkan", "SIP"):
        assert heading not in text
    assert "Uppföljning" in text


def test_the_easy_to_read_variant_is_large_print_without_tables(world: World) -> None:
    version = _established(world)
    standard = _reader(render_plan_pdf(version))
    started = time.perf_counter()
    easy = _reader(render_plan_pdf(version, variant=PdfVariant.EASY, printed_by="Bob"))
    print(f"\nrender_plan_pdf (lättläst): {time.perf_counter() - started:.2f} s")
    text = _text(easy)
    for heading in (
        "Det här är din plan",
        "Det här vill du uppnå",
        "Så här får du ditt stöd",
        "Vem gör vad",
        "Det här har du sagt",
        "Så här följer vi upp",
        "Vem får läsa planen",
    ):
        assert heading in text
    assert "Vem: Bob (kontaktman)" in text and "När: Tisdag och fredag kl. 9" in text
    assert STATEMENTS["person"] in text
    # Same marking, page numbers, version identity and signatures as the standard plan.
    assert "Sekretess enligt 26 kap. 1 § OSL" in text and "Sida 1 av" in text
    assert version.content_sha256[:12] in text and version.content_sha256 in text.replace("\n", "")
    for role in required_roles(version, TODAY):
        assert role.label in text
    # Large print: the body is set at 16 pt or more, clearly larger than the standard's.
    easy_size, standard_size = _body_font_size(easy), _body_font_size(standard)
    assert easy_size >= 16 and 10 <= standard_size <= 11.5
    assert len(easy.pages) > len(standard.pages)
    assert "/Table" not in _struct_types(easy)
    assert "(lättläst)" in str(easy.metadata.title if easy.metadata else "")


def test_user_text_is_printed_as_text_not_markup(world: World) -> None:
    attack = "<script>alert(1)</script>"
    version = _draft(
        world,
        other_information=f"{attack} & <b>fet</b>",
        statements=[{"source": "person", "text": attack}],
        participants=[{"name": "<i>Eva</i>", "role": "Dotter"}],
    )
    text = _text(_reader(render_plan_pdf(version)))
    assert f"{attack} & <b>fet</b>" in text
    assert "<i>Eva</i> – Dotter" in text
    text = _text(_reader(render_plan_pdf(version, variant=PdfVariant.EASY)))
    assert attack in text


def test_rendering_reads_the_database_in_a_few_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    version = _established(world)
    version = PlanVersion.objects.get(pk=version.pk)
    # The version, signatures, handovers, approvals, date corrections, the profile.
    with django_assert_max_num_queries(7):
        render_plan_pdf(version)
    assert version.state == VersionState.ESTABLISHED


def test_each_interventions_follow_up_is_printed_in_both_variants(world: World) -> None:
    """R-PLAN-7: the PDF says when and how each intervention is followed up, in its own part."""
    version = _draft(world)
    content = dict(version.content)
    shower, shopping = content["interventions"]
    shower["follow_up_how"] = "Efter en månad frågar Bob Astrid hur duschen går."
    shopping.pop("follow_up_how", None)  # stored before the field existed: printed without it
    version.content = content
    version.save()

    standard = " ".join(_text(_reader(render_plan_pdf(version))).split())
    easy = " ".join(_text(_reader(render_plan_pdf(version, variant=PdfVariant.EASY))).split())

    assert standard.count("Uppföljning av insatsen") == 1
    assert "Uppföljning av insatsen Efter en månad frågar Bob Astrid hur duschen går." in standard
    assert "Samtal hemma hos Astrid med kontaktmannen" in standard  # the plan's own text too
    assert "Så här följer vi upp" in easy
    assert "Efter en månad frågar Bob Astrid hur duschen går." in easy

    # Only the interventions' own texts: the easy plan still has its follow-up section.
    version.content = {**content, "follow_up_how": ""}
    version.save()
    easy = " ".join(_text(_reader(render_plan_pdf(version, variant=PdfVariant.EASY))).split())
    assert "Så här följer vi upp Hemtjänst – dusch Efter en månad" in easy
