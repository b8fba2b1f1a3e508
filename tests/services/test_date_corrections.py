"""A wrongly entered date is corrected by a new audited event; the old value stays (issue 9).

R-LIFE-4/5: the paper signature and the handover keep the dates first entered
(append-only); a correction points to the record it corrects and to the
correction before it, obeys the same bounds (between the freeze and today) and
needs a reason. The page shows both, and only the contact person or the unit
manager corrects; everyone else gets 404 and nothing is written.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from delaktig.oversight.reports import compliance, totals
from delaktig.plans.followups import follow_up_record
from delaktig.plans.models import (
    CorrectedDate,
    DateCorrection,
    PlanVersion,
    Signature,
    SignatureMethod,
    SignerRole,
)
from delaktig.plans.pdf import render_plan_pdf
from delaktig.plans.services import (
    SignatureInput,
    date_correct,
    handover_record,
    plan_start,
    signature_record,
)
from delaktig.records.audit_models import AuditEvent
from delaktig.records.models import JournalEntry, JournalKind
from tests.fixtures import client_for
from tests.services.plan_helpers import ready
from tests.services.test_follow_ups import data, established
from tests.views.helpers import assert_page_structure, page
from tests.world import World

SENT = date(2026, 3, 2)
TODAY = date(2026, 3, 9)
TODAY2 = date(2026, 8, 1)  # the report's day: July has passed


@pytest.fixture
def signed(world: World) -> tuple[PlanVersion, Signature]:
    with time_machine.travel(SENT, tick=False):
        case = world.add_person(world.home_care, start=date(2026, 2, 20), contact=world.bob)
        version = ready(world, plan_start(case=case, by=world.bob, on=SENT), SENT)
    with time_machine.travel(TODAY, tick=False):
        signature = signature_record(
            version=version,
            data=SignatureInput(
                role=SignerRole.PERSON, method=SignatureMethod.ON_PAPER, signed_on=date(2026, 3, 3)
            ),
            by=world.bob,
        )
    return version, signature


@pytest.fixture(autouse=True)
def _clock() -> object:
    with time_machine.travel(TODAY, tick=False):
        yield


def test_a_correction_is_a_new_event_and_the_first_date_stays(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    _version, signature = signed
    first = date_correct(
        field=CorrectedDate.SIGNED_ON,
        new_value=date(2026, 3, 4),
        reason="Fel dag skrevs in; pappret är daterat den 4 mars.",
        by=world.bob,
        signature=signature,
    )
    second = date_correct(
        field=CorrectedDate.SIGNED_ON,
        new_value=date(2026, 3, 5),
        reason="Pappret lästes fel igen.",
        by=world.alice,
        signature=signature,
    )
    signature.refresh_from_db()
    assert signature.signed_on == date(2026, 3, 3)  # the record never changes
    assert (first.old_value, first.new_value, first.corrects) == (
        date(2026, 3, 3),
        date(2026, 3, 4),
        None,
    )
    assert (second.old_value, second.corrects_id) == (date(2026, 3, 4), first.pk)
    events = AuditEvent.objects.filter(action="plan.date_corrected").order_by("pk")
    assert [e.data["to"] for e in events] == ["2026-03-04", "2026-03-05"]
    assert events[1].data["corrects"] == first.pk


@pytest.mark.parametrize(
    ("new_value", "reason", "message"),
    [
        (SENT - timedelta(days=1), "Fel", "före den dag planen skickades"),
        (TODAY + timedelta(days=1), "Fel", "framtiden"),
        (date(2026, 3, 3), "Fel", "detsamma"),
        (date(2026, 3, 4), "  ", "Skriv varför"),
    ],
)
def test_a_correction_that_cannot_be_true_is_refused(
    world: World,
    signed: tuple[PlanVersion, Signature],
    new_value: date,
    reason: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=new_value,
            reason=reason,
            by=world.bob,
            signature=signed[1],
        )
    assert message in " ".join(refused.value.messages)
    assert not DateCorrection.objects.exists()


def test_a_handover_correction_keeps_the_dates_in_order(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    version, _ = signed
    handover = handover_record(
        version=version,
        gone_through_on=date(2026, 3, 3),
        communicated_on=date(2026, 3, 4),
        how="Vid hembesök",
        by=world.bob,
    )
    with pytest.raises(ValidationError) as refused:
        date_correct(
            field=CorrectedDate.GONE_THROUGH_ON,
            new_value=date(2026, 3, 5),
            reason="Fel dag",
            by=world.bob,
            handover=handover,
        )
    assert "innan den gåtts igenom" in " ".join(refused.value.messages)
    date_correct(
        field=CorrectedDate.COMMUNICATED_ON,
        new_value=date(2026, 3, 6),
        reason="Lämnades över vid nästa besök",
        by=world.bob,
        handover=handover,
    )
    date_correct(
        field=CorrectedDate.GONE_THROUGH_ON,
        new_value=date(2026, 3, 5),
        reason="Gicks igenom dagen innan",
        by=world.bob,
        handover=handover,
    )
    with pytest.raises(ValidationError):  # a signature's field on a handover
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=date(2026, 3, 5),
            reason="x",
            by=world.bob,
            handover=handover,
        )


def test_a_signature_in_delaktig_has_the_systems_date_and_is_not_corrected(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    version, _ = signed
    manager = signature_record(
        version=version,
        data=SignatureInput(
            role=SignerRole.UNIT_MANAGER, method=SignatureMethod.IN_SYSTEM, signed_on=TODAY
        ),
        by=world.alice,
    )
    with pytest.raises(ValidationError):
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=date(2026, 3, 5),
            reason="x",
            by=world.alice,
            signature=manager,
        )


def test_only_those_who_answer_for_the_plan_correct(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    with pytest.raises(PermissionDenied):
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=date(2026, 3, 4),
            reason="x",
            by=world.charlie,
            signature=signed[1],
        )


def _url(version: PlanVersion) -> str:
    return reverse(
        "date_correct", kwargs={"plan_uuid": version.plan.uuid, "number": version.number}
    )


def test_the_page_shows_the_old_and_the_new_date(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    version, signature = signed
    client = client_for("bob")
    bad = client.post(
        _url(version),
        {
            "record": "signature",
            "record_id": signature.pk,
            "field": "signed_on",
            "new_value": "2026-02-01",
            "reason": "Fel",
        },
    )
    assert bad.status_code == 400
    assert "före den dag planen skickades" in page(bad)
    done = client.post(
        _url(version),
        {
            "record": "signature",
            "record_id": signature.pk,
            "field": "signed_on",
            "new_value": "2026-03-04",
            "reason": "Pappret är daterat den 4 mars.",
        },
    )
    assert done.status_code == 302
    html = page(client.get(done["Location"]))
    assert_page_structure(html)
    assert "2026-03-03 → <strong>2026-03-04</strong>" in html
    assert "Pappret är daterat den 4 mars." in html


@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_others_cannot_correct_a_date(
    world: World, signed: tuple[PlanVersion, Signature], who: str
) -> None:
    version, signature = signed
    response = client_for(who).post(
        _url(version),
        {
            "record": "signature",
            "record_id": signature.pk,
            "field": "signed_on",
            "new_value": "2026-03-04",
            "reason": "x",
        },
    )
    assert response.status_code == 404
    assert not DateCorrection.objects.exists()


def test_a_record_of_another_version_is_not_found(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    version, signature = signed
    response = client_for("bob").post(
        _url(version),
        {
            "record": "handover",
            "record_id": signature.pk,
            "field": "communicated_on",
            "new_value": "2026-03-04",
            "reason": "x",
        },
    )
    assert response.status_code == 400
    assert "finns inte i den här versionen" in page(response)


def test_a_follow_up_date_is_corrected_and_the_next_due_date_moves(world: World) -> None:
    """R-FU-1: the latest follow-up's corrected date counts for the next one (issue 9)."""
    with time_machine.travel(date(2026, 7, 1), tick=False):
        plan = established(world)  # established 2026-01-20 (S1: every 6 months)
        result = follow_up_record(plan=plan, data=data(plan), by=world.bob)  # held 2026-06-30
        plan.refresh_from_db()
        assert plan.next_follow_up_on == date(2026, 12, 30)
        with pytest.raises(ValidationError) as refused:
            date_correct(
                field=CorrectedDate.HELD_ON,
                new_value=date(2026, 1, 19),
                reason="Fel",
                by=world.bob,
                follow_up=result.follow_up,
            )
        assert "före den dag planen fastställdes" in " ".join(refused.value.messages)
        correction = date_correct(
            field=CorrectedDate.HELD_ON,
            new_value=date(2026, 6, 15),
            reason="Mötet hölls den 15 juni.",
            by=world.bob,
            follow_up=result.follow_up,
        )
        plan.refresh_from_db()
        result.follow_up.refresh_from_db()
    assert result.follow_up.held_on == date(2026, 6, 30)  # the record stays as entered
    assert correction.old_value == date(2026, 6, 30)
    assert plan.next_follow_up_on == date(2026, 12, 15)
    event = AuditEvent.objects.get(action="plan.date_corrected")
    assert event.data["next_follow_up_on"] == "2026-12-15"
    assert event.data["record"] == "followup"


def test_a_date_cannot_be_corrected_past_the_day_it_was_registered(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    """What was written on paper happened before it was entered (review of issue 9)."""
    _version, signature = signed  # registered 2026-03-09
    with (
        time_machine.travel(date(2026, 3, 20), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=date(2026, 3, 10),
            reason="Fel",
            by=world.bob,
            signature=signature,
        )
    assert "efter den dag uppgiften registrerades i Delaktig (2026-03-09)" in " ".join(
        refused.value.messages
    )


def test_an_overdue_follow_up_cannot_be_hidden_by_a_correction(world: World) -> None:
    """A follow-up corrected to after its registration would move the next due date on."""
    with time_machine.travel(date(2026, 7, 1), tick=False):
        plan = established(world)
        held = follow_up_record(plan=plan, data=data(plan), by=world.bob).follow_up
    with time_machine.travel(date(2027, 2, 1), tick=False), pytest.raises(ValidationError):
        date_correct(
            field=CorrectedDate.HELD_ON,
            new_value=date(2027, 1, 31),
            reason="Fel",
            by=world.bob,
            follow_up=held,
        )
    plan.refresh_from_db()
    assert plan.next_follow_up_on == date(2026, 12, 30)


def test_a_signature_cannot_be_corrected_to_after_the_plan_was_established(
    world: World,
) -> None:
    with time_machine.travel(date(2026, 7, 1), tick=False):
        plan = established(world)  # established 2026-01-20, the person signed on paper then
    version = plan.established_version
    assert version is not None
    paper = version.signatures.get(role=SignerRole.PERSON)
    with pytest.raises(ValidationError) as refused:
        date_correct(
            field=CorrectedDate.SIGNED_ON,
            new_value=date(2026, 1, 25),
            reason="Fel",
            by=world.bob,
            signature=paper,
        )
    assert "efter den dag planen fastställdes" in " ".join(refused.value.messages)


def test_a_correction_is_noted_in_the_journal_and_printed(
    world: World, signed: tuple[PlanVersion, Signature]
) -> None:
    version, signature = signed
    date_correct(
        field=CorrectedDate.SIGNED_ON,
        new_value=date(2026, 3, 4),
        reason="Pappret är daterat den 4 mars.",
        by=world.bob,
        signature=signature,
    )
    entry = JournalEntry.objects.get(kind=JournalKind.DATE_CORRECTED)
    assert entry.case_id == version.plan.case_id
    assert "2026-03-04, inte 2026-03-03" in entry.text
    reader = PdfReader(io.BytesIO(render_plan_pdf(version)))
    printed = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "datumet rättat till 2026-03-04 (Pappret är daterat den 4 mars.)" in printed


def test_the_report_and_the_page_use_the_corrected_follow_up_date(world: World) -> None:
    """R-QA-2: one date counts everywhere — the newest correction, else the one entered."""
    with time_machine.travel(date(2026, 7, 25), tick=False):
        plan = established(world)  # due 2026-07-20
        held = follow_up_record(
            plan=plan, data=data(plan, held_on=date(2026, 7, 25)), by=world.bob
        ).follow_up
        late = totals(compliance([world.home_care], date(2026, 7, 1), date(2026, 7, 31), TODAY2))
        date_correct(
            field=CorrectedDate.HELD_ON,
            new_value=date(2026, 7, 19),
            reason="Mötet hölls den 19 juli, registrerades senare.",
            by=world.bob,
            follow_up=held,
        )
        fixed = totals(compliance([world.home_care], date(2026, 7, 1), date(2026, 7, 31), TODAY2))
        html = page(client_for("bob").get(reverse("plan_detail", args=[plan.uuid])))
    assert (late["followed_up"].done, late["followed_up"].total) == (0, 1)
    assert (fixed["followed_up"].done, fixed["followed_up"].total) == (1, 1)
    row = html[html.index("Uppföljningar av planen") :]
    assert "badge-late" not in row[: row.index("</table>")]
