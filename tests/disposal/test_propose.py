"""Proposing disposal: who is due, in SQL, with the legal exceptions as settings (R-ARC-3)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from delaktig.disposal.models import DisposalProposal, ProposalStatus, RetentionPolicy
from delaktig.disposal.queries import Policy, cutoff, due_persons
from delaktig.disposal.services import proposal_create
from delaktig.organisation.models import Field
from delaktig.records.models import AuditEvent
from delaktig.rules import add_years
from tests.disposal.conftest import Files
from tests.disposal.files import TODAY
from tests.world import World

# World and files: the module's one cast (tests/disposal/conftest.py).
pytestmark = pytest.mark.usefixtures("cast_once")


def _proposed(world: World, on: date = TODAY) -> set[int]:
    result = proposal_create(municipality=world.municipality, on=on)
    if result.proposal is None:
        return set()
    return set(result.proposal.items.values_list("person_id", flat=True))


def test_only_the_file_closed_six_years_ago_is_due(world: World, files: Files) -> None:
    result = proposal_create(municipality=world.municipality, on=TODAY)
    assert result.proposal is not None
    items = list(result.proposal.items.all())
    assert [item.person_id for item in items] == [files.due.person.pk]
    item = items[0]
    # The follow-up in July 2019 was the last entry... and the case closed 2020-02-03.
    assert item.last_entry == date(2020, 2, 3)
    assert item.disposal_date == date(2025, 2, 3)
    assert item.unit_ids == [world.home_care.pk]
    assert item.counts["journal_entries"] >= 3
    assert item.counts["signatures"] == 3 and item.counts["relatives"] == 1
    assert item.counts["plan_versions"] == 2 and item.counts["persons"] == 1
    # Research sample (born on the 15th, and samordningsnummer day 75) is counted, not proposed.
    assert result.research_sample == 2
    assert result.proposal.status == ProposalStatus.PROPOSED
    assert result.proposal.policy["retention_years"] == 5


def test_an_entry_after_closing_moves_the_last_entry(world: World, files: Files) -> None:
    from delaktig.records.models import JournalEntry, JournalKind

    JournalEntry.objects.create(
        municipality=world.municipality,
        case=files.due.case,
        happened_on=date(2021, 5, 3),
        author=world.alice,
        kind=JournalKind.NOTE,
        text="Begäran om utlämnande.",
    )
    rows = dict(
        due_persons(municipality_id=world.municipality.pk, on=TODAY, policy=Policy()).values_list(
            "pk", "last_entry"
        )
    )
    # The note is about 2021, but it was written today: that is the last entry.
    assert files.due.person.pk not in rows
    rows = dict(
        due_persons(
            municipality_id=world.municipality.pk, on=date(2031, 3, 3), policy=Policy()
        ).values_list("pk", "last_entry")
    )
    assert rows[files.due.person.pk] == TODAY


def test_the_last_entry_is_the_latest_of_every_table(world: World, files: Files) -> None:
    rows = dict(
        due_persons(
            municipality_id=world.municipality.pk, on=date(2030, 1, 1), policy=Policy()
        ).values_list("pk", "last_entry")
    )
    # The research sample is left to rules.disposal_date (it is counted there).
    assert rows == {
        files.due.person.pk: date(2020, 2, 3),
        files.recent.person.pk: date(2022, 2, 7),
        files.three.person.pk: date(2023, 2, 6),
        files.research.person.pk: date(2020, 2, 3),
        files.samordning.person.pk: date(2020, 2, 3),
    }


def test_proposing_again_adds_nobody_twice(world: World, files: Files) -> None:
    first = proposal_create(municipality=world.municipality, on=TODAY)
    again = proposal_create(municipality=world.municipality, on=TODAY)
    assert first.proposed == 1 and again.proposed == 0 and again.proposal is None
    assert DisposalProposal.objects.count() == 1
    # A later date brings the files that became due since, and only those.
    later = proposal_create(municipality=world.municipality, on=date(2028, 3, 1))
    assert later.proposal is not None
    assert set(later.proposal.items.values_list("person_id", flat=True)) == {
        files.recent.person.pk,  # due 2027-02-07
        files.three.person.pk,  # due 2028-02-06
    }


def test_a_rejected_proposal_does_not_block_a_new_one(world: World, files: Files) -> None:
    first = proposal_create(municipality=world.municipality, on=TODAY).proposal
    assert first is not None
    DisposalProposal.objects.filter(pk=first.pk).update(status=ProposalStatus.REJECTED)
    assert _proposed(world) == {files.due.person.pk}


def test_a_municipality_that_keeps_everything_proposes_nothing(world: World, files: Files) -> None:
    RetentionPolicy.objects.create(municipality=world.municipality, keep_all=True)
    result = proposal_create(municipality=world.municipality, on=TODAY)
    assert result.keep_all and result.proposal is None
    assert not DisposalProposal.objects.exists()


def test_a_two_year_rule_takes_the_three_year_old_file(world: World, files: Files) -> None:
    RetentionPolicy.objects.create(municipality=world.municipality, retention_years=2)
    assert _proposed(world) == {files.due.person.pk, files.recent.person.pk, files.three.person.pk}


def test_without_the_research_sample_setting_those_files_go_too(world: World, files: Files) -> None:
    RetentionPolicy.objects.create(municipality=world.municipality, keep_research_sample=False)
    assert _proposed(world) == {
        files.due.person.pk,
        files.research.person.pk,
        files.samordning.person.pk,
    }


def test_a_field_that_keeps_everything(world: World, files: Files) -> None:
    RetentionPolicy.objects.create(
        municipality=world.municipality, keep_fields=[Field.HOME_CARE.value]
    )
    assert _proposed(world) == set()


def test_an_intervention_type_that_keeps_everything(world: World, files: Files) -> None:
    policy = RetentionPolicy.objects.create(municipality=world.municipality)
    policy.keep_intervention_types.add(world.types["hemtjanst-dusch"])
    assert _proposed(world) == set()
    policy.keep_intervention_types.set([world.types["korttidsvistelse"]])
    assert _proposed(world) == {files.due.person.pk}


def test_a_person_with_an_open_case_is_never_a_candidate(world: World, files: Files) -> None:
    rows = due_persons(
        municipality_id=world.municipality.pk,
        on=date(2099, 1, 1),
        policy=Policy(keep_research_sample=False),
    ).values_list("pk", flat=True)
    assert files.open.person.pk not in set(rows)
    assert files.due.person.pk in set(rows)


def test_the_proposal_is_audited_with_ids_only(world: World, files: Files) -> None:
    result = proposal_create(municipality=world.municipality, on=TODAY)
    event = AuditEvent.objects.get(action="disposal.proposed")
    assert event.object_id == str(result.proposal.pk)  # type: ignore[union-attr]
    assert event.data["items"] == 1
    assert "Gunvor" not in str(event.data)


def test_the_command_prints_counts_never_names(
    world: World, files: Files, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("propose_disposal", "--date", "2026-03-02", "--municipality", "9990")
    out = capsys.readouterr().out
    assert "1 personakter" in out and "2 bevaras (forskningsurvalet)" in out
    for file in files.all():
        assert file.person.first_name not in out
        assert file.person.personnummer not in out
        assert file.person.personnummer[:8] not in out
    call_command("propose_disposal", "--date", "2026-03-02")
    assert "inga nya akter" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("on", "years"),
    [
        (date(2026, 3, 2), 5),
        (date(2028, 2, 29), 4),
        (date(2027, 2, 28), 3),
        (date(2025, 2, 28), 1),
        (date(2024, 2, 29), 1),
        (date(2026, 12, 31), 2),
    ],
)
def test_cutoff_is_the_last_date_whose_disposal_date_has_come(on: date, years: int) -> None:
    limit = cutoff(on, years)
    assert add_years(limit, years) <= on
    from datetime import timedelta

    assert add_years(limit + timedelta(days=1), years) > on


def _signature_later(world: World, files: Files) -> None:
    from delaktig.plans.models import PlanVersion, Signature, SignatureMethod, SignerRole

    draft = PlanVersion.objects.get(plan__case=files.due.case, state="draft")
    Signature.objects.create(
        version=draft,
        municipality=world.municipality,
        role=SignerRole.PERSON,
        signer_name="Gunvor Lind",
        method=SignatureMethod.ON_PAPER,
        signed_on=date(2021, 6, 1),
        content_sha256="0" * 64,
        recorded_by=world.bob,
    )


def _version_saved_later(world: World, files: Files) -> None:
    from delaktig.plans.models import PlanVersion

    draft = PlanVersion.objects.get(plan__case=files.due.case, state="draft")
    draft.save()  # auto_now: saved "today" (the clock is at 2021-06-01 here)


def _decision_later(world: World, files: Files) -> None:
    from delaktig.people.models import Decision

    Decision.objects.create(
        case=files.due.case, municipality=world.municipality, decided_on=date(2021, 6, 1)
    )


@pytest.mark.parametrize("write", [_signature_later, _version_saved_later, _decision_later])
def test_anything_written_after_closing_moves_the_last_entry(
    world: World, files: Files, write: object
) -> None:
    import time_machine

    with time_machine.travel(date(2021, 6, 1), tick=False):
        write(world, files)  # type: ignore[operator]
    rows = dict(
        due_persons(
            municipality_id=world.municipality.pk, on=date(2030, 1, 1), policy=Policy()
        ).values_list("pk", "last_entry")
    )
    assert rows[files.due.person.pk] == date(2021, 6, 1)
    assert files.due.person.pk not in _proposed(world)
