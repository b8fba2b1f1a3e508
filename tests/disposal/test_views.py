"""The archivist's pages (R-ARC-3): proposals, their files, approve or reject; 404 for others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.core.types import User
from delaktig.disposal.models import DisposalProposal, ProposalStatus
from delaktig.disposal.services import disposal_execute, proposal_create
from delaktig.organisation.models import Administration, Membership, Municipality, Role
from delaktig.records.models import AccessAction, AccessLog, AuditEvent
from tests.disposal.conftest import Files
from tests.disposal.files import TODAY
from tests.fixtures import client_for
from tests.views.helpers import assert_page_structure, assert_redirects_to_login, page, text
from tests.world import World, make_user

# World and files: the module's one cast (tests/disposal/conftest.py).
pytestmark = pytest.mark.usefixtures("cast_once")


@pytest.fixture
def proposal(world: World, files: Files) -> DisposalProposal:
    result = proposal_create(municipality=world.municipality, on=TODAY)
    assert result.proposal is not None
    return result.proposal


def _urls(proposal: DisposalProposal) -> list[str]:
    return [
        reverse("disposal_proposals"),
        reverse("disposal_proposal_detail", args=[proposal.pk]),
    ]


def test_the_archivist_sees_the_proposals(
    world: World, archivist: User, proposal: DisposalProposal
) -> None:
    html = page(client_for("erik").get(reverse("disposal_proposals")))
    assert_page_structure(html)
    assert f"Förslag {proposal.pk}" in html and "Föreslagen" in html
    assert "Gunvor" not in html  # the list shows no names


def test_the_detail_names_the_files_and_logs_the_access(
    world: World, archivist: User, files: Files, proposal: DisposalProposal
) -> None:
    person = files.due.person
    html = page(client_for("erik").get(reverse("disposal_proposal_detail", args=[proposal.pk])))
    assert_page_structure(html)
    body = text(html)
    assert "Gunvor Lind" in body and person.personnummer in body
    assert "Hemtjänst Väst" in body and "2020-02-03" in body and "2025-02-03" in body
    assert "Journalanteckningar:" in body
    for other in files.all():
        if other is not files.due:
            assert other.person.first_name not in body
    logged = AccessLog.objects.filter(user=archivist, person=person)
    assert [(row.action, row.object_id) for row in logged] == [
        (AccessAction.VIEW_PERSON, f"gallring:{proposal.pk}")
    ]


@pytest.mark.parametrize("who", ["alice", "bob", "dana", "frida"])
def test_everyone_else_gets_404(
    world: World, archivist: User, proposal: DisposalProposal, who: str
) -> None:
    other = Municipality.objects.create(name="Grannkommun", code="9991")
    frida = make_user("frida")
    Membership.objects.create(
        user=frida,
        role=Role.ARCHIVIST,
        administration=Administration.objects.create(municipality=other, name="Förvaltning"),
    )
    client = client_for(who)
    for url in _urls(proposal)[1:]:
        assert client.get(url).status_code == 404
    expected = 200 if who == "frida" else 404
    assert client.get(reverse("disposal_proposals")).status_code == expected
    response = client.post(
        reverse("disposal_proposal_decision", args=[proposal.pk]),
        {"decision": "approve", "reason": "Ja."},
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not AccessLog.objects.filter(object_id__startswith="gallring:").exists()


def test_anonymous_is_sent_to_login(world: World, proposal: DisposalProposal) -> None:
    for url in _urls(proposal):
        assert_redirects_to_login(Client().get(url), url)


def test_the_archivist_approves_with_a_reason(
    world: World, archivist: User, proposal: DisposalProposal
) -> None:
    client = client_for("erik")
    url = reverse("disposal_proposal_decision", args=[proposal.pk])
    response = client.post(url, {"decision": "approve", "reason": ""}, follow=True)
    assert "Detta fält måste fyllas i." in text(page(response))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    response = client.post(url, {"decision": "approve", "reason": "Gallras enligt 12 kap. SoL."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.decided_by == archivist and proposal.decision_reason.startswith("Gallras")
    event = AuditEvent.objects.get(action="disposal.approved")
    assert event.actor_id == archivist.pk and event.object_id == str(proposal.pk)
    # Decided once: a second decision is refused.
    client.post(url, {"decision": "reject", "reason": "Ångrar mig."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


def test_the_archivist_rejects_with_a_reason(
    world: World, archivist: User, proposal: DisposalProposal
) -> None:
    client_for("erik").post(
        reverse("disposal_proposal_decision", args=[proposal.pk]),
        {"decision": "reject", "reason": "Pågående ärende hos IVO."},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert AuditEvent.objects.filter(action="disposal.rejected").count() == 1


def test_an_executed_proposal_shows_the_record_and_no_names(
    world: World, archivist: User, files: Files, proposal: DisposalProposal
) -> None:
    from delaktig.disposal.services import proposal_decide

    proposal_decide(proposal=proposal, by=archivist, approve=True, reason="Enligt SoL.")
    disposal_execute(proposal=proposal, by=archivist)
    html = page(client_for("erik").get(reverse("disposal_proposal_detail", args=[proposal.pk])))
    assert_page_structure(html)
    body = text(html)
    assert "Gallringsprotokoll" in body and "1 personakter gallrade" in body
    assert "Gunvor" not in body and files.due.person.personnummer not in body
    assert "Gallrad" in body
