"""Disposal by the law, not only by the default (R-ARC-3, issue 9 part 5).

- the latest date: "avslutad senast kalenderåret efter" — files past it are "Försenad";
- the research sample by the kommunkod (SoF 7 kap. 2 §), with a local decision as override;
- files never disposed (12 kap. 2 § SoL (2001:453)): never proposed, refused on execution;
- private providers (enskild verksamhet): two years (LSS 23 c §), a child's LSS file handed
  over to the deciding board instead (LSS 23 d §), the handover recorded and audited.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from delaktig.core.access import Refused
from delaktig.core.types import User
from delaktig.disposal import services
from delaktig.disposal.models import (
    DisposalProposal,
    DisposalProposalItem,
    ItemOutcome,
    ProposalStatus,
    ResearchSampleOverride,
    RetentionPolicy,
)
from delaktig.disposal.services import (
    DisposalPlan,
    disposal_execute,
    disposal_plan,
    item_hand_over,
    proposal_create,
    proposal_decide,
)
from delaktig.organisation.models import Field, Membership, Provider, Role, Unit
from delaktig.people.models import InterventionType, NeverDisposed
from delaktig.records.audit import verify_chain
from delaktig.records.models import AuditEvent
from tests.disposal.conftest import Files
from tests.disposal.files import TODAY, File, close, footprint, open_file, pnr, table_counts
from tests.fixtures import client_for
from tests.views.helpers import assert_page_structure, page, table_rows, text
from tests.world import World

pytestmark = pytest.mark.usefixtures("cast_once")


def _propose(world: World, on: date = TODAY) -> DisposalProposal:
    proposal = proposal_create(municipality=world.municipality, on=on).proposal
    assert proposal is not None
    return proposal


def _approve(proposal: DisposalProposal, archivist: User) -> DisposalProposal:
    return proposal_decide(proposal=proposal, by=archivist, approve=True, reason="Enligt lag.")


# --- the latest date and "Försenad" ----------------------------------------------------------


def test_a_file_past_its_latest_date_is_shown_as_overdue(
    world: World, archivist: User, files: Files
) -> None:
    """R-ARC-3: may go from 2025-02-03, must be gone by 2026-12-31; from 2027 "Försenad"."""
    proposal = _propose(world)
    item = proposal.items.get()
    assert item.latest_disposal_date == date(2026, 12, 31)
    client = client_for("erik")
    detail = reverse("disposal_proposal_detail", args=[proposal.pk])
    body = text(page(client.get(detail)))
    assert "2026-12-31" in body and "Försenad 1" not in body
    assert (
        "Försenad" not in text(page(client.get(reverse("disposal_proposals")))).split("Status")[-1]
    )
    with time_machine.travel(date(2027, 1, 1), tick=False):
        client = client_for("erik")  # a new session: the old one has expired by 2027
        html = page(client.get(detail))
        assert_page_structure(html)
        row = next(r for r in table_rows(html) if r and r[0] == str(files.due.person.pk))
        assert "2026-12-31 Försenad" in " ".join(row)
        listing = table_rows(page(client.get(reverse("disposal_proposals"))))
        assert any("Försenad 1" in " ".join(r) for r in listing)


def test_an_executed_file_is_never_overdue(world: World, archivist: User, files: Files) -> None:
    proposal = _approve(_propose(world), archivist)
    disposal_execute(proposal=proposal, by=archivist)
    with time_machine.travel(date(2030, 1, 1), tick=False):
        html = page(client_for("erik").get(reverse("disposal_proposal_detail", args=[proposal.pk])))
        table = text(html).split("Personakter (")[-1]
        assert "Gallrad" in table and "Försenad" not in table


# --- the research sample by kommunkod ---------------------------------------------------------


@pytest.mark.parametrize("code", ["0580", "0980", "2281", "1480"])
def test_where_everything_is_kept_nothing_is_proposed(
    world: World, files: Files, code: str
) -> None:
    """R-ARC-3, SoF 7 kap. 2 §: Östergötland, Gotland, Västernorrland and Göteborg."""
    world.municipality.code = code
    world.municipality.save(update_fields=["code"])
    result = proposal_create(municipality=world.municipality, on=TODAY)
    assert result.keep_all and result.proposal is None


def test_a_local_decision_overrides_the_kommunkod_with_a_reason(world: World, files: Files) -> None:
    world.municipality.code = "0580"
    world.municipality.save(update_fields=["code"])
    policy = RetentionPolicy(
        municipality=world.municipality,
        research_sample_override=ResearchSampleOverride.BIRTH_DAYS,
        research_sample_reason="",
    )
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert "Skriv skälet för det lokala beslutet." in str(refused.value)
    policy.research_sample_reason = "Beslut KS 2026/12"
    policy.full_clean()
    policy.save()
    proposal = _propose(world)
    assert proposal.policy["research_sample"] == "birth_days"
    assert proposal.policy["research_sample_basis"] == "local_decision"
    assert set(proposal.items.values_list("person_id", flat=True)) == {files.due.person.pk}


def test_an_invalid_stored_kommunkod_keeps_everything(world: World, files: Files) -> None:
    """Never dispose what we cannot place: a code that is not four digits keeps all."""
    world.municipality.code = "99x"
    world.municipality.save(update_fields=["code"])
    assert proposal_create(municipality=world.municipality, on=TODAY).proposal is None
    snapshot = RetentionPolicy(municipality=world.municipality).snapshot()
    assert snapshot["research_sample_basis"] == "invalid_kommunkod"


# --- never disposed (12 kap. 2 § SoL) ------------------------------------------------------


@pytest.mark.parametrize("category", [NeverDisposed.ADOPTION, NeverDisposed.CHILD_IN_HVB])
def test_a_never_disposed_file_is_never_proposed(
    world: World, files: Files, category: NeverDisposed
) -> None:
    """R-ARC-3: a file with an intervention of a never-disposed type is not proposed."""
    InterventionType.objects.filter(code="hemtjanst-dusch").update(never_disposed=category)
    assert proposal_create(municipality=world.municipality, on=TODAY).proposal is None


def test_executing_a_file_that_became_never_disposed_keeps_it(
    world: World, archivist: User, files: Files
) -> None:
    proposal = _approve(_propose(world), archivist)
    InterventionType.objects.filter(code="hemtjanst-dusch").update(
        never_disposed=NeverDisposed.PATERNITY
    )
    before = footprint(files.due.person.pk)
    assert disposal_plan(proposal).never_disposed == 1
    record = disposal_execute(proposal=proposal, by=archivist)
    assert footprint(files.due.person.pk) == before
    assert (record.person_files, record.skipped_files) == (0, 1)
    assert list(proposal.items.values_list("outcome", flat=True)) == [ItemOutcome.NEVER_DISPOSED]
    executed = AuditEvent.objects.get(action="disposal.executed")
    assert executed.data["never_disposed"] == 1


def test_the_service_refuses_to_delete_a_never_disposed_file(
    world: World, archivist: User, files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last check before deleting does not trust the marking: it refuses, nothing goes."""
    proposal = _approve(_propose(world), archivist)
    InterventionType.objects.filter(code="hemtjanst-dusch").update(
        never_disposed=NeverDisposed.ADOPTION
    )

    def mark_everything(proposal: DisposalProposal, on: date) -> DisposalPlan:
        proposal.items.update(outcome=ItemOutcome.DISPOSED)
        return DisposalPlan(disposed=proposal.items.count())

    monkeypatch.setattr(services, "_mark_items", mark_everything)
    before = table_counts()
    with pytest.raises(ValidationError, match="aldrig får gallras"):
        disposal_execute(proposal=proposal, by=archivist)
    assert table_counts() == before
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


# --- private providers -----------------------------------------------------------------------


def _private_lss_unit(world: World) -> Unit:
    unit = Unit.objects.create(
        administration=world.administration,
        name="Assistans Norr AB",
        field=Field.DISABILITY,
        provider=Provider.PRIVATE,
    )
    Membership.objects.create(user=world.alice, role=Role.UNIT_MANAGER, unit=unit)
    world.private_lss = unit  # type: ignore[attr-defined]
    return unit


def _private_file(world: World, *, born: date, first_name: str, start: date) -> File:
    file = open_file(
        world,
        personnummer=pnr(born.year, born.month, born.day),
        first_name=first_name,
        start=start,
        unit_attr="private_lss",
        full=False,
    )
    close(file, date(start.year + 1, 2, 6))
    return file


def test_a_private_providers_file_goes_after_two_years(
    world: World, archivist: User, files: Files
) -> None:
    """R-ARC-3, LSS 23 c §: closed three years ago at a private unit → due; municipal → kept."""
    _private_lss_unit(world)
    adult = _private_file(world, born=date(1960, 4, 3), first_name="Nils", start=date(2022, 1, 10))
    proposal = _propose(world)
    items = {item.person_id: item for item in proposal.items.all()}
    assert set(items) == {files.due.person.pk, adult.person.pk}  # not files.three (municipal)
    assert items[adult.person.pk].disposal_date == date(2025, 2, 6)
    assert not items[adult.person.pk].hand_over


def test_a_childs_lss_file_at_a_private_provider_is_handed_over_not_disposed(
    world: World, archivist: User, files: Files
) -> None:
    """R-ARC-3, LSS 23 d §: "att lämna över"; executing keeps it; the handover is audited."""
    _private_lss_unit(world)
    child = _private_file(world, born=date(2008, 4, 3), first_name="Elsa", start=date(2022, 1, 10))
    proposal = _propose(world)
    item = proposal.items.get(person_id=child.person.pk)
    assert item.hand_over
    client = client_for("erik")
    detail = reverse("disposal_proposal_detail", args=[proposal.pk])
    html = page(client.get(detail))
    assert_page_structure(html)
    assert "Att lämna över" in text(html)
    listing = table_rows(page(client.get(reverse("disposal_proposals"))))
    assert listing[0][6] == "1"  # the "Att lämna över" column

    _approve(proposal, archivist)
    before = footprint(child.person.pk)
    record = disposal_execute(proposal=proposal, by=archivist)
    assert footprint(child.person.pk) == before
    assert record.person_files == 1  # files.due only
    item.refresh_from_db()
    assert item.outcome == ItemOutcome.HAND_OVER

    url = reverse("disposal_item_hand_over", args=[proposal.pk, item.pk])
    prefix = f"a{item.pk}"
    # Bad input: a clear Swedish error, nothing changes.
    response = client.post(url, {f"{prefix}-to": "", f"{prefix}-on": "2026-03-01"}, follow=True)
    assert "Lämnad till: Detta fält måste fyllas i." in text(page(response))
    response = client.post(
        url, {f"{prefix}-to": "Socialnämnden", f"{prefix}-on": "2026-03-03"}, follow=True
    )
    assert "Datumet kan inte vara i framtiden." in text(page(response))
    response = client.post(
        url, {f"{prefix}-to": "Socialnämnden", f"{prefix}-on": "2020-01-01"}, follow=True
    )
    assert "före aktens sista anteckning" in text(page(response))
    item.refresh_from_db()
    assert item.handed_over_at is None
    assert not AuditEvent.objects.filter(action="disposal.handed_over").exists()

    response = client.post(
        url, {f"{prefix}-to": "Socialnämnden i Testkommun", f"{prefix}-on": "2026-03-01"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.handed_over_on, item.handed_over_to) == (
        date(2026, 3, 1),
        "Socialnämnden i Testkommun",
    )
    assert item.handed_over_by == archivist
    event = AuditEvent.objects.get(action="disposal.handed_over")
    assert event.actor_id == archivist.pk and event.data["person"] == child.person.pk
    assert "Elsa" not in str(event.data)
    assert verify_chain().ok
    assert "Överlämnad 2026-03-01 till Socialnämnden i Testkommun" in text(page(client.get(detail)))
    # Recorded once; and never proposed again.
    with pytest.raises(ValidationError, match="redan registrerat"):
        item_hand_over(item=item, by=archivist, to="Annan nämnd", on=date(2026, 3, 1))
    later = proposal_create(municipality=world.municipality, on=date(2026, 6, 1))
    assert (
        later.proposal is None
        or not later.proposal.items.filter(person_id=child.person.pk).exists()
    )


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_only_the_archivist_records_a_handover(
    world: World, archivist: User, files: Files, who: str
) -> None:
    _private_lss_unit(world)
    child = _private_file(world, born=date(2008, 4, 3), first_name="Elsa", start=date(2022, 1, 10))
    proposal = _propose(world)
    item = proposal.items.get(person_id=child.person.pk)
    url = reverse("disposal_item_hand_over", args=[proposal.pk, item.pk])
    data = {f"a{item.pk}-to": "Socialnämnden", f"a{item.pk}-on": "2026-03-01"}
    assert client_for(who).post(url, data).status_code == 404
    with pytest.raises(Refused, match="Bara kommunens arkivarie"):
        item_hand_over(item=item, by=world.alice, to="Socialnämnden", on=date(2026, 3, 1))
    item.refresh_from_db()
    assert item.handed_over_at is None
    assert not AuditEvent.objects.filter(action="disposal.handed_over").exists()


def test_a_file_to_dispose_cannot_be_recorded_as_handed_over(
    world: World, archivist: User, files: Files
) -> None:
    item = _propose(world).items.get()
    with pytest.raises(ValidationError, match="ska gallras"):
        item_hand_over(item=item, by=archivist, to="Socialnämnden", on=date(2026, 3, 1))
    url = reverse("disposal_item_hand_over", args=[item.proposal_id, item.pk])
    response = client_for("erik").post(
        url, {f"a{item.pk}-to": "Socialnämnden", f"a{item.pk}-on": "2026-03-01"}, follow=True
    )
    assert "Akten ska gallras, inte lämnas över." in text(page(response))
    assert not DisposalProposalItem.objects.filter(handed_over_at__isnull=False).exists()


# --- constant queries ------------------------------------------------------------------------


def test_the_pages_query_count_does_not_grow_with_the_files(
    world: World, archivist: User, files: Files
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("erik")
    one = _propose(world)
    urls = [reverse("disposal_proposals"), reverse("disposal_proposal_detail", args=[one.pk])]
    client.get(urls[0])  # the session and the user are cached alike for both runs
    with CaptureQueriesContext(connection) as few:
        for url in urls:
            client.get(url)
    _private_lss_unit(world)
    for n, year in enumerate((1960, 1961, 2008, 2009)):
        _private_file(world, born=date(year, 4, 3), first_name=f"P{n}", start=date(2022, 1, 10))
    many = _propose(world)
    urls[1] = reverse("disposal_proposal_detail", args=[many.pk])
    with CaptureQueriesContext(connection) as more:
        for url in urls:
            html = page(client.get(url))
    assert many.items.count() == 4 and many.items.filter(hand_over=True).count() == 2
    assert "Att lämna över" in text(html)
    assert len(more.captured_queries) == len(few.captured_queries)
